using Orchestrator.Processes;
using TestSupport;

namespace Fleet.Tests;

/// <summary>The one runner of programs: argument arrays, transcripts, shell-like lookup, and stopping a whole process tree.</summary>
public sealed class CommandTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static Task<CommandResult> Bash(string script, string folder, CancellationToken cancel = default) =>
        Command.RunAsync("bash", ["-c", script], folder, cancel: cancel);

    [Fact]
    public async Task Output_and_errors_are_kept_apart_and_together_line_by_line()
    {
        var result = await Bash("echo out1; echo err1 >&2; echo out2; printf 'no newline' >&2", _folder.Path);
        Assert.Equal("out1\nout2\n", result.Output);
        Assert.Equal("err1\nno newline", result.Error);
        Assert.EndsWith("\n", result.Transcript);
        var lines = result.Transcript.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["err1", "no newline", "out1", "out2"], lines.Order());
        Assert.True(Array.IndexOf(lines, "out1") < Array.IndexOf(lines, "out2"));
    }

    [Fact]
    public void Programs_are_found_as_a_shell_in_the_folder_would_find_them()
    {
        var script = _folder.Write("tools/run.sh", "#!/bin/sh\n");
        File.SetUnixFileMode(script, (UnixFileMode)0b111_101_101);
        _folder.Write("tools/notes.txt", "not a program\n");
        Assert.Equal(script, Command.Find("./run.sh", _folder["tools"]));
        Assert.Equal(script, Command.Find("tools/run.sh", _folder.Path));
        Assert.Null(Command.Find("./notes.txt", _folder["tools"]));
        Assert.Null(Command.Find("run.sh", _folder["tools"]));
        Assert.True(Path.IsPathRooted(Command.Find("git", _folder.Path)));
        Assert.Null(Command.Find("no-such-program-anywhere", _folder.Path));
    }

    [Fact]
    public async Task Cancelling_asks_the_whole_tree_to_stop_first()
    {
        // A shell with a child of its own: both hear SIGTERM, so the shell's trap runs and the child does not outlive it.
        var script = "trap 'echo cleaned up > cleaned; kill $child; exit 0' TERM; sleep 300 & child=$!; echo $child > child; wait";
        using var cancel = new CancellationTokenSource();
        var run = Bash(script, _folder.Path, cancel.Token);
        var child = int.Parse(await Eventually(() => File.Exists(_folder["child"]) && File.ReadAllText(_folder["child"]) is var pid && pid.EndsWith('\n') ? pid : null));
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Equal("cleaned up\n", await Eventually(() => File.Exists(_folder["cleaned"]) ? File.ReadAllText(_folder["cleaned"]) : null));
        await Eventually(() => ProcessTree.Read(child) is null ? "gone" : null);
    }

    [Fact]
    public async Task Cancelling_kills_what_ignores_the_request_to_stop()
    {
        // An ignored SIGTERM is inherited: neither the shell nor its sleeping child stops on it.
        var script = "trap '' TERM; sleep 300 & echo $! > child; wait";
        using var cancel = new CancellationTokenSource();
        var run = Bash(script, _folder.Path, cancel.Token);
        var child = int.Parse(await Eventually(() => File.Exists(_folder["child"]) && File.ReadAllText(_folder["child"]) is var pid && pid.EndsWith('\n') ? pid : null));
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        await Eventually(() => ProcessTree.Read(child) is null ? "gone" : null);
    }

    private static async Task<string> Eventually(Func<string?> probe)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (probe() is { } value)
                return value;
            await Task.Delay(50);
        }
        throw new TimeoutException("the condition never held");
    }
}
