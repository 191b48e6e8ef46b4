using System.Diagnostics;

namespace TestSupport;

public sealed record Outcome(int ExitCode, string Out, string Err)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Err}";
}

/// <summary>Runs programs for tests with argument arrays, a deadline, and a fixed git identity.</summary>
public static class Shell
{
    public static readonly Dictionary<string, string> GitIdentity = new()
    {
        ["GIT_AUTHOR_NAME"] = "Test Operator",
        ["GIT_AUTHOR_EMAIL"] = "operator@example.invalid",
        ["GIT_COMMITTER_NAME"] = "Test Operator",
        ["GIT_COMMITTER_EMAIL"] = "operator@example.invalid",
        ["GIT_CONFIG_NOSYSTEM"] = "1",
        ["GIT_TERMINAL_PROMPT"] = "0",
    };

    public static Outcome Run(string workingDirectory, string program, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
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
        foreach (var (name, value) in GitIdentity)
            start.Environment[name] = value;
        // A test never inherits CI's GitHub Actions mode unless it asks for it.
        start.Environment.Remove("GITHUB_ACTIONS");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(" ", arguments)} did not finish in time");
        }
        return new Outcome(process.ExitCode, output.Result, error.Result);
    }

    public static string Git(string workingDirectory, params string[] arguments)
    {
        var outcome = Run(workingDirectory, "git", ["-c", "protocol.file.allow=always", .. arguments]);
        if (outcome.ExitCode != 0)
            throw new InvalidOperationException($"git {string.Join(" ", arguments)} failed: {outcome.Err}");
        return outcome.Out.Trim();
    }
}
