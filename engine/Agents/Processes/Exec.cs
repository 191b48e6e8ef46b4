using System.Diagnostics;

namespace Engine.Agents.Processes;

internal sealed record ExecResult(int ExitCode, string Output, string Error)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The first line of the program's complaint, for a one-line error.</summary>
    public string FirstErrorLine =>
        (Error.Length > 0 ? Error : Output).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault() ?? $"exit code {ExitCode}";
}

/// <summary>Runs a program from an argument array (never a shell string) and collects its output.</summary>
internal static class Exec
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static ExecResult Run(string program, IEnumerable<string> arguments, string? input = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            if (input is not null)
                process.StandardInput.Write(input);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The program ended without reading its input; its exit code tells what happened.
        }

        // A hung tmux must not hang the watchdog with it.
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            return new ExecResult(-1, "", $"{program} did not finish within {Timeout.TotalSeconds:0} s");
        }
        return new ExecResult(process.ExitCode, output.Result, error.Result);
    }

    /// <summary>The full path of a program found on PATH, or null.</summary>
    public static string? FindOnPath(string program, string? path = null)
    {
        if (program.Contains('/'))
            return File.Exists(program) ? Path.GetFullPath(program) : null;
        foreach (var directory in (path ?? Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, program);
            if (File.Exists(candidate) && IsExecutable(candidate))
                return candidate;
        }
        return null;
    }

    public static bool IsExecutable(string file) =>
        (File.GetUnixFileMode(file) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}
