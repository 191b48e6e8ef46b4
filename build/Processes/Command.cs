using System.Diagnostics;
using System.Text;

namespace Orchestrator.Processes;

internal sealed record CommandResult(int ExitCode, string Output, string Error)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The first line that says what went wrong, for one-line error messages.</summary>
    public string FirstErrorLine =>
        (Error + "\n" + Output).Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? $"exit code {ExitCode}";
}

/// <summary>Runs a program with an argument array (never through a shell) and collects its output.</summary>
internal static class Command
{
    /// <param name="showErrors">Where to show each line of the program's stderr as it comes (progress), besides collecting it.</param>
    public static CommandResult Run(string program, IEnumerable<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string>? environment = null, string? input = null, TextWriter? showErrors = null) =>
        RunAsync(program, arguments, workingDirectory, environment, input, showErrors).GetAwaiter().GetResult();

    /// <summary>Like <see cref="Run"/>, without holding a thread while the program runs, so many can run at once.</summary>
    public static async Task<CommandResult> RunAsync(string program, IEnumerable<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string>? environment = null, string? input = null, TextWriter? showErrors = null)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = showErrors is null ? process.StandardError.ReadToEndAsync() : ShowAndCollect(process.StandardError, showErrors);
        if (input is not null)
            await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        await process.WaitForExitAsync();
        return new CommandResult(process.ExitCode, await output, await error);
    }

    private static async Task<string> ShowAndCollect(StreamReader reader, TextWriter shown)
    {
        var collected = new StringBuilder();
        while (await reader.ReadLineAsync() is { } line)
        {
            shown.WriteLine(line);
            collected.Append(line).Append('\n');
        }
        return collected.ToString();
    }

    /// <summary>Runs a program with this process's own stdout and stderr, so the operator sees its output as it comes.</summary>
    public static int RunAttached(string program, IEnumerable<string> arguments, string workingDirectory)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory, UseShellExecute = false };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        process.WaitForExit();
        return process.ExitCode;
    }
}
