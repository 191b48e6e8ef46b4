using System.Diagnostics;
using System.Text.Json;
using Engine.Agents.Config;
using Engine.Agents.Tmux;
using TestSupport;

namespace Engine.Tests.EndToEnd;

/// <summary>
/// A throwaway project folder driven through the real launcher; its agents run on the project's own
/// tmux server. Its sessions share a unique prefix; disposing stops them by name and the watchdog by
/// pid, and never touches anything else.
/// </summary>
internal sealed class EngineProject : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public string Prefix { get; } = $"aot{Guid.NewGuid():N}"[..11] + "-";
    public string Dir => _folder.Path;

    /// <param name="tmuxTmpDir">A TMUX_TMPDIR of the test's own, so that even the "default" tmux server the engine sees is a throwaway one.</param>
    public EngineProject(string agentsToml, double watchdogIntervalSeconds = 0.5, string? tmuxTmpDir = null)
    {
        EngineBuild.EnsureBuilt();
        if (tmuxTmpDir is not null)
            Environment["TMUX_TMPDIR"] = tmuxTmpDir;
        WatchdogInterval = TimeSpan.FromSeconds(watchdogIntervalSeconds);
        Write("agents.toml", $"session_prefix = \"{Prefix}\"\nwatchdog_interval = \"{watchdogIntervalSeconds * 1000:0}ms\"\n\n{agentsToml}");
        Tmux = new TmuxServer(TmuxSocket.For(CanonicalPath.Of(Dir)), Environment);
    }

    /// <summary>What the engine and the test's tmux calls run with.</summary>
    public Dictionary<string, string> Environment { get; } = EngineBuild.Environment;

    /// <summary>The project's own tmux server, where the engine runs its agents.</summary>
    public TmuxServer Tmux { get; }

    public TimeSpan WatchdogInterval { get; }

    public string Session(string agent) => Prefix + agent;

    public string Write(string relative, string content) => _folder.Write(relative, content);

    /// <summary>Writes an executable shell script.</summary>
    public string Script(string relative, string body)
    {
        var path = Write(relative, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    public Outcome Run(params string[] args) => Shell.Run(Dir, EngineBuild.Launcher, args, Environment, TimeSpan.FromMinutes(1));

    public Outcome Succeeds(params string[] args)
    {
        var outcome = Run(args);
        Assert.True(outcome.ExitCode == 0, $"agents {string.Join(' ', args)}: {outcome}");
        return outcome;
    }

    public JsonElement Status()
    {
        var outcome = Succeeds("status", "--json");
        return JsonDocument.Parse(outcome.Out).RootElement;
    }

    public JsonElement Agent(string name) =>
        Status().GetProperty("agents").EnumerateArray().Single(a => a.GetProperty("name").GetString() == name);

    public static string State(JsonElement element) => element.GetProperty("state").GetString()!;

    public static int? Pid(JsonElement element) =>
        element.GetProperty("pid").ValueKind == JsonValueKind.Number ? element.GetProperty("pid").GetInt32() : null;

    public string Log(string agent) =>
        File.Exists(LogPath(agent)) ? File.ReadAllText(LogPath(agent)) : "";

    public string LogPath(string agent) => Path.Combine(Dir, ".ao-state", "logs", agent + ".log");

    /// <summary>The pid of the agent's pane straight from tmux, cheaper than a status call.</summary>
    public int? PanePid(string agent)
    {
        var outcome = Tmux.Run("display-message", "-p", "-t", "=" + Session(agent) + ":", "#{pane_dead} #{pane_pid}");
        var fields = outcome.Out.Trim().Split(' ');
        return outcome.ExitCode == 0 && fields is ["0", var pid] ? int.Parse(pid) : null;
    }

    public bool SessionExists(string agent) => Tmux.SessionExists(Session(agent));

    public int? WatchdogPid()
    {
        var heartbeat = Path.Combine(Dir, ".ao-state", "watchdog.json");
        if (!File.Exists(heartbeat))
            return null;
        using var json = JsonDocument.Parse(File.ReadAllText(heartbeat));
        return json.RootElement.GetProperty("pid").GetInt32();
    }

    /// <summary>Polls until <paramref name="condition"/> holds; fails naming <paramref name="what"/> at the deadline.</summary>
    public static void WaitUntil(Func<bool> condition, TimeSpan timeout, string what) =>
        WaitFor<bool>(() => condition() ? true : null, timeout, what);

    /// <summary>Polls until <paramref name="probe"/> gives a value; fails naming <paramref name="what"/> at the deadline.</summary>
    public static T WaitFor<T>(Func<T?> probe, TimeSpan timeout, string what) where T : struct
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (probe() is { } value)
                return value;
            if (clock.Elapsed > timeout)
                throw new Xunit.Sdk.XunitException($"timed out after {timeout.TotalSeconds:0.#} s waiting for {what}");
            Thread.Sleep(50);
        }
    }

    public void Dispose()
    {
        try
        {
            Run("down");
        }
        finally
        {
            foreach (var session in Tmux.Sessions().Where(s => s.StartsWith(Prefix, StringComparison.Ordinal)))
                Tmux.Kill(session);
            if (WatchdogPid() is { } pid && Processes.CommandLine(pid).Contains("_watchdog"))
                Processes.Kill(pid);
            // A session a test made on the project's server outlives down; its server's socket file goes once it has ended.
            Tmux.RemoveSocketOnceEnded();
            _folder.Dispose();
        }
    }
}

/// <summary>The few direct tmux calls tests make on one server (<c>tmux -L SOCKET</c>), all by exact session name.</summary>
internal sealed class TmuxServer(string socket, IReadOnlyDictionary<string, string>? environment = null)
{
    public string Socket => socket;

    public Outcome Run(params string[] arguments) => Shell.Run("/", "tmux", ["-L", socket, .. arguments], environment);

    public IReadOnlyList<string> Sessions()
    {
        var outcome = Run("list-sessions", "-F", "#{session_name}");
        return outcome.ExitCode == 0 ? outcome.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries) : [];
    }

    public bool SessionExists(string session) => Run("has-session", "-t", "=" + session).ExitCode == 0;

    public void NewSession(string session, params string[] argv) =>
        Assert.Equal(0, Run(["new-session", "-d", "-s", session, "--", .. argv]).ExitCode);

    public void Kill(string session) => Run("kill-session", "-t", "=" + session);

    public void RemoveSocketOnceEnded()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (Run("list-sessions").ExitCode == 0 && DateTime.UtcNow < deadline)
            Thread.Sleep(50);
        if (Run("list-sessions").ExitCode != 0 && (environment is null || !environment.ContainsKey("TMUX_TMPDIR")))
            File.Delete(TmuxSocket.PathOf(socket));
    }
}

internal static class Processes
{
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    public static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>Pids of live processes whose command line holds every one of <paramref name="words"/>.</summary>
    public static IReadOnlyList<int> Matching(params string[] words) =>
        All().Where(pid => IsAlive(pid) && words.All(CommandLine(pid).Contains)).ToList();

    /// <summary>Every pid in /proc, live or not.</summary>
    public static IEnumerable<int> All() =>
        Directory.EnumerateDirectories("/proc").Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0).Where(pid => pid > 0);

    /// <summary>The environment a process started with, NAME=VALUE entries each ended by a NUL; empty when unreadable.</summary>
    public static string Environment(int pid)
    {
        try
        {
            return System.Text.Encoding.UTF8.GetString(File.ReadAllBytes($"/proc/{pid}/environ"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    public static void Kill(int pid) => Signal(pid, "KILL");

    public static void Signal(int pid, string signal) => Shell.Run("/", "kill", ["-" + signal, pid.ToString()]);
}
