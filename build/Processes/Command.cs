using System.Diagnostics;

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
    public static CommandResult Run(string program, IEnumerable<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string>? environment = null, string? input = null) =>
        RunAsync(program, arguments, workingDirectory, environment, input).GetAwaiter().GetResult();

    /// <summary>Like <see cref="Run"/>, without holding a thread while the program runs, so many can run at once.</summary>
    public static async Task<CommandResult> RunAsync(string program, IEnumerable<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string>? environment = null, string? input = null)
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
        ChildProcesses.Started(process);
        try
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (input is not null)
                await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
            await process.WaitForExitAsync();
            return new CommandResult(process.ExitCode, await output, await error);
        }
        finally
        {
            ChildProcesses.Ended(process);
        }
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
