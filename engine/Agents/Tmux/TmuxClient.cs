using System.Globalization;
using Engine.Agents.Processes;

namespace Engine.Agents.Tmux;

/// <summary>
/// One tmux server (<c>tmux -L SOCKET</c>), driven with argument arrays. Sessions the harness creates
/// carry the project directory in the <c>@ao_owner</c> option: that is how it knows its own sessions
/// from others.
/// </summary>
internal sealed class TmuxClient(string socket)
{
    private const string OwnerOption = "@ao_owner";
    private const string LogOption = "@ao_log";
    private const char Separator = '\u001f';

    private static readonly string PaneFormat = string.Join(Separator,
        "#{session_name}", "#{pane_pid}", "#{pane_dead}", "#{pane_dead_status}", "#{pane_dead_time}", "#{" + OwnerOption + "}");

    // tmux runs pipe-pane commands with sh, in the server's environment and directory (no $TMUX), so
    // nothing of ours can reach the command but what tmux expands: the server's socket (quoted for sh
    // by q:) and the pane id; the log path is read back from the session option.
    private const string PipeToLog = "exec cat >> \"$(tmux -S #{q:socket_path} display-message -p -t '#{pane_id}' '##{" + LogOption + "}')\"";

    public string Socket { get; } = socket;

    public IReadOnlyList<TmuxPane> ListPanes()
    {
        if (!TmuxSocket.MayHaveServer(Socket))
            return [];
        var result = Run([["list-panes", "-a", "-F", PaneFormat]]);
        if (!result.Succeeded)
        {
            if (IsNoServer(result))
                return [];
            throw new TmuxException($"tmux list-panes failed: {result.FirstErrorLine}");
        }

        var panes = new List<TmuxPane>();
        var sessions = new HashSet<string>();
        foreach (var line in result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(Separator, 6);
            // A session split into several panes is judged by its first: the one the harness started.
            if (fields.Length != 6 || !sessions.Add(fields[0]) || !int.TryParse(fields[1], out var pid))
                continue;
            panes.Add(new TmuxPane(
                Session: fields[0],
                Pid: pid,
                Dead: fields[2] == "1",
                DeadStatus: int.TryParse(fields[3], out var status) ? status : null,
                DeadAt: long.TryParse(fields[4], out var seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null,
                Owner: fields[5],
                Socket: Socket));
        }
        return panes;
    }

    /// <summary>Creates the agent's detached session, owned by <paramref name="owner"/>; returns the pid.</summary>
    public int Start(AgentLaunch launch, string owner)
    {
        var target = Target(launch.Session);
        List<string> newSession = ["new-session", "-d", "-P", "-F", "#{pane_pid}", "-s", launch.Session, "-c", launch.WorkingDirectory, "-x", "200", "-y", "50", "--", .. launch.Argv];
        // One tmux invocation, so the options are set before the agent can exit or print.
        var output = RunOrThrow([
            newSession,
            ["set-option", "-t", target, OwnerOption, owner],
            ["set-option", "-t", target, LogOption, launch.LogFile],
            ["set-option", "-w", "-t", target, "remain-on-exit", "on"],
            ["pipe-pane", "-t", target, PipeToLog],
        ], $"start session '{launch.Session}'");
        return ParsePid(output);
    }

    /// <summary>Runs the agent again in its existing session, keeping anyone attached and the log pipe.</summary>
    public int Respawn(AgentLaunch launch)
    {
        var target = Target(launch.Session);
        List<string> respawn = ["respawn-pane", "-k", "-t", target, "-c", launch.WorkingDirectory, "--", .. launch.Argv];
        var output = RunOrThrow([respawn, ["display-message", "-p", "-t", target, "#{pane_pid}"]], $"restart session '{launch.Session}'");
        return ParsePid(output);
    }

    public void Kill(string session)
    {
        var result = Run([["kill-session", "-t", "=" + session]]);
        if (!result.Succeeded && !IsNoServer(result) && !result.Error.Contains("can't find session"))
            throw new TmuxException($"tmux could not stop session '{session}': {result.FirstErrorLine}");
    }

    /// <summary>
    /// tmux leaves its socket file behind when its server exits: once the server has ended (it does when
    /// its last session closes), the file goes too, so a stopped project leaves nothing in tmux's folder.
    /// A server that still has sessions is left alone.
    /// </summary>
    public void RemoveSocketOnceEnded()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(2);
        while (TmuxSocket.MayHaveServer(Socket))
        {
            var sessions = Run([["list-sessions"]]);
            if (!sessions.Succeeded && IsNoServer(sessions))
                File.Delete(TmuxSocket.PathOf(Socket));
            else if (sessions.Succeeded || DateTime.UtcNow >= deadline)
                return;
            else
                Thread.Sleep(20);
        }
    }

    /// <summary>Types text into the session's pane as one paste, then presses Enter.</summary>
    public void Type(string session, string text)
    {
        var target = Target(session);
        var buffer = "ao-wake-" + session;
        RunOrThrow([
            ["load-buffer", "-b", buffer, "-"],
            ["paste-buffer", "-p", "-d", "-b", buffer, "-t", target],
            ["send-keys", "-t", target, "Enter"],
        ], $"type into session '{session}'", input: text);
    }

    private static string Target(string session) => "=" + session + ":";

    private static int ParsePid(string output) =>
        int.TryParse(output.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            ? pid
            : throw new TmuxException($"tmux did not report the new process id (got '{output.Trim()}')");

    private string RunOrThrow(IReadOnlyList<IReadOnlyList<string>> commands, string what, string? input = null)
    {
        var result = Run(commands, input);
        return result.Succeeded ? result.Output : throw new TmuxException($"tmux could not {what}: {result.FirstErrorLine}");
    }

    /// <summary>Runs tmux commands chained with ";" in one invocation.</summary>
    private ExecResult Run(IReadOnlyList<IReadOnlyList<string>> commands, string? input = null)
    {
        List<string> arguments = ["-L", Socket];
        foreach (var command in commands)
        {
            if (arguments.Count > 2)
                arguments.Add(";");
            arguments.AddRange(command.Select(EscapeSemicolon));
        }
        return Exec.Run("tmux", arguments, input);
    }

    // tmux ends a command at any argument ending in ';' (that is how commands chain), so a trailing
    // ';' in data is sent as '\;', which tmux turns back into ';'.
    internal static string EscapeSemicolon(string argument) =>
        argument.EndsWith(';') ? argument[..^1] + "\\;" : argument;

    private static bool IsNoServer(ExecResult result) =>
        result.Error.Contains("no server running") || result.Error.Contains("error connecting to");
}
