using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Orchestrator.Processes;

internal sealed record CommandResult(int ExitCode, string Output, string Error)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The first line that says what went wrong, for one-line error messages.</summary>
    public string FirstErrorLine =>
        (Error + "\n" + Output).Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? $"exit code {ExitCode}";

    /// <summary>Stdout and stderr line by line in the order they came, as a terminal would have shown them; each line ends in a newline.</summary>
    public string Transcript { get; init; } = Output + Error;
}

/// <summary>
/// Runs a program with an argument array (never through a shell) and collects its output. Cancelling a run stops
/// the program and what it started: SIGTERM first, so that it cleans up (git removes its index.lock), then SIGKILL.
/// </summary>
internal static class Command
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

    /// <summary>The programs running now (each with whether an undo runs it), and the stops under way: none may outlive the runbook.</summary>
    private static readonly ConcurrentDictionary<Process, bool> Running = new();
    private static readonly ConcurrentQueue<Task> Stopping = new();
    private static readonly AsyncLocal<bool> InUndo = new();

    // An abort can end the runbook while a cancelled program is still being stopped, or before a target that was
    // not handed the abort stopped its own: the last thing the runbook does is stop them and wait for them.
    static Command() => AppDomain.CurrentDomain.ProcessExit += (_, _) => StopWhatIsLeft();

    /// <param name="showErrors">Where to show each line of the program's stderr as it comes (progress), besides collecting it.</param>
    public static CommandResult Run(string program, IEnumerable<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string>? environment = null, string? input = null, TextWriter? showErrors = null) =>
        RunAsync(program, arguments, workingDirectory, environment, input, showErrors).GetAwaiter().GetResult();

    /// <summary>Like <see cref="Run"/>, without holding a thread while the program runs, so many can run at once.</summary>
    /// <exception cref="OperationCanceledException">The run was cancelled; the program has been told to stop.</exception>
    public static async Task<CommandResult> RunAsync(string program, IEnumerable<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string>? environment = null, string? input = null, TextWriter? showErrors = null,
        CancellationToken cancel = default)
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

        cancel.ThrowIfCancellationRequested();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        using var running = Track(process);
        using var stop = cancel.Register(() => StopTree(process));
        var transcript = new StringBuilder();
        var output = Collect(process.StandardOutput, transcript, shown: null);
        var error = Collect(process.StandardError, transcript, showErrors);
        try
        {
            if (input is not null)
                await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The program ended without reading its input; its exit code tells what happened.
        }
        await process.WaitForExitAsync(CancellationToken.None);
        var result = new CommandResult(process.ExitCode, await output, await error);
        cancel.ThrowIfCancellationRequested();
        return result with { Transcript = transcript.ToString() };
    }

    /// <summary>Runs a program with this process's own terminal (stdin, stdout, stderr), so the operator sees its output as it comes and can type to it.</summary>
    /// <exception cref="OperationCanceledException">The run was cancelled; the program has been told to stop.</exception>
    public static int RunAttached(string program, IEnumerable<string> arguments, string workingDirectory, CancellationToken cancel = default,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory, UseShellExecute = false };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        cancel.ThrowIfCancellationRequested();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        using var running = Track(process);
        using (cancel.Register(() => StopTree(process)))
            process.WaitForExit();
        cancel.ThrowIfCancellationRequested();
        return process.ExitCode;
    }

    /// <summary>
    /// The program as a shell would find it after <c>cd</c> into <paramref name="workingDirectory"/>: a name with a
    /// slash relative to that folder, a bare name on PATH only; null when there is no such executable file.
    /// </summary>
    public static string? Find(string program, string workingDirectory)
    {
        if (program.Contains('/'))
        {
            var path = Path.GetFullPath(program, workingDirectory);
            return IsExecutable(path) ? path : null;
        }
        return (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, program))
            .FirstOrDefault(IsExecutable);
    }

    private static bool IsExecutable(string path) =>
        File.Exists(path) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0);

    /// <summary>
    /// Reads a stream to its end; each whole line also goes to the shared transcript, so two streams interleave by
    /// line, and to <paramref name="shown"/> as it comes.
    /// </summary>
    private static async Task<string> Collect(StreamReader reader, StringBuilder transcript, TextWriter? shown)
    {
        var text = new StringBuilder();
        var buffer = new char[8192];
        var copied = 0;
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            text.Append(buffer, 0, read);
            var end = LastNewline(text) + 1;
            if (end > copied)
            {
                Pass(text.ToString(copied, end - copied));
                copied = end;
            }
        }
        // A last line without its newline gets one, so the other stream's next line does not run on after it.
        if (copied < text.Length)
            Pass(text.ToString(copied, text.Length - copied) + "\n");
        return text.ToString();

        void Pass(string lines)
        {
            lock (transcript)
                transcript.Append(lines);
            // Line by line: a writer that labels each line (a project's name before a bridge's progress) sees whole lines.
            if (shown is not null)
                foreach (var line in lines[..^1].Split('\n'))
                    shown.WriteLine(line);
        }
    }

    private static int LastNewline(StringBuilder text)
    {
        for (var i = text.Length - 1; i >= 0; i--)
            if (text[i] == '\n')
                return i;
        return -1;
    }

    private static Untrack Track(Process process)
    {
        Running[process] = InUndo.Value;
        return new Untrack(process);
    }

    /// <summary>
    /// Stops every program running now but an undo's, whether or not the code that started it was handed the abort:
    /// what it was doing fails, and the target undoes its work. Programs started later (the undo's own) run.
    /// </summary>
    public static void StopAllButUndos()
    {
        foreach (var (process, undo) in Running)
            if (!undo)
                StopTree(process);
    }

    /// <summary>
    /// Runs an undo; the programs it starts are out of <see cref="StopAllButUndos"/>'s reach. A Ctrl-C that kills a
    /// step's git before the runbook hears it starts the undo before the abort, and the abort must not cut it short.
    /// </summary>
    public static void Uninterruptible(Action undo)
    {
        var outer = InUndo.Value;
        InUndo.Value = true;
        try
        {
            undo();
        }
        finally
        {
            InUndo.Value = outer;
        }
    }

    private sealed class Untrack(Process process) : IDisposable
    {
        public void Dispose() => Running.TryRemove(process, out _);
    }

    private static void StopWhatIsLeft()
    {
        foreach (var process in Running.Keys)
            StopTree(process);
        Task.WaitAll(Stopping.ToArray(), StopGrace + TimeSpan.FromSeconds(1));
    }

    /// <summary>
    /// SIGTERM to the program and every process under it, taken at once (a shell that dies first would orphan its
    /// children); after a grace period SIGKILL to those still alive. Where there is no /proc, the tree is killed at
    /// once. The cancellation that calls this must not wait for the grace period.
    /// </summary>
    private static void StopTree(Process process)
    {
        try
        {
            var tree = ProcessTree.Of(process.Id);
            if (tree.Count == 0)
            {
                process.Kill(entireProcessTree: true);
                return;
            }
            foreach (var entry in tree)
                Kill(entry.Pid, SigTerm);
            Stopping.Enqueue(Task.Run(async () =>
            {
                var deadline = DateTime.UtcNow + StopGrace;
                while (DateTime.UtcNow < deadline && tree.Any(p => p.IsAlive))
                    await Task.Delay(50);
                foreach (var entry in tree.Where(p => p.IsAlive))
                    Kill(entry.Pid, SigKill);
            }));
        }
        catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException)
        {
            // It has ended already.
        }
    }

    private const int SigTerm = 15, SigKill = 9;

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
