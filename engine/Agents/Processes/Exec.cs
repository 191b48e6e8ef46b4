using System.Diagnostics;
using System.Runtime.InteropServices;

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

    public static ExecResult Run(string program, IEnumerable<string> arguments, string? input = null,
        IReadOnlyDictionary<string, string>? environment = null)
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
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;

        using var process = Process.Start(start)!;
        // A hung tmux must not hang the watchdog with it: past the deadline the program is killed,
        // which closes its pipes and ends the reads below.
        var timedOut = false;
        using var deadline = new Timer(_ =>
        {
            timedOut = true;
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It ended just now after all.
            }
        }, null, Timeout, System.Threading.Timeout.InfiniteTimeSpan);

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

        // Read on this thread rather than the thread pool: the watchdog runs this every cycle and it
        // should cost next to nothing. The programs run here write little to stderr, so it cannot
        // fill up and block them while stdout is read.
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return timedOut
            ? new ExecResult(-1, output, $"{program} did not finish within {Timeout.TotalSeconds:0} s")
            : new ExecResult(process.ExitCode, output, error);
    }

    [DllImport("libc", EntryPoint = "execvp", SetLastError = true)]
    private static extern int ExecVp(IntPtr file, IntPtr[] argv);

    /// <summary>
    /// Replaces this process with the program (execvp: looked up on PATH), which keeps its pid, its
    /// terminal and its parent. Returns only when the program could not be started, with the reason.
    /// </summary>
    public static string Replace(IReadOnlyList<string> argv)
    {
        Console.Out.Flush();
        var strings = argv.Select(Marshal.StringToCoTaskMemUTF8).ToArray();
        ExecVp(strings[0], [.. strings, IntPtr.Zero]);
        var error = Marshal.GetLastPInvokeErrorMessage();
        foreach (var pointer in strings)
            Marshal.FreeCoTaskMem(pointer);
        return error;
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
