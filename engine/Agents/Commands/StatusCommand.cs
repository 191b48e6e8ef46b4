using System.Text.Json;
using Engine.Agents.Cli;
using Engine.Agents.Config;
using Engine.Agents.Launching;
using Engine.Agents.Processes;
using Engine.Agents.Supervision;
using Engine.Agents.Tmux;
using Engine.Agents.Work.Commands;
using Engine.Agents.Work.Cycle;
using Engine.Agents.Work.Model;

namespace Engine.Agents.Commands;

/// <summary><c>status [--json]</c>: each agent as seen now, and the watchdog.</summary>
internal static class StatusCommand
{
    public static int Run(Invocation invocation)
    {
        var tmuxFound = Exec.FindOnPath("tmux") is not null;
        // One look at /proc for every project: the processes their agents started, by their marks.
        var marked = ProcessTable.ProcessesWith(AgentMarker.Owner);
        if (invocation.ConfigPaths.Count > 1)
        {
            // Many projects, one process and one look at the default server: what a tool watching many
            // projects needs. Each project's own server is asked only when its socket exists.
            var onDefaultServer = tmuxFound ? new TmuxClient(TmuxSocket.Default).ListPanes() : [];
            var reports = invocation.ConfigPaths
                .Select(Project.Load)
                .Select(project => Build(project, tmuxFound ? Project.WithLeftovers(project.Tmux.ListPanes(), onDefaultServer, project.Owner) : [], marked, DateTimeOffset.UtcNow))
                .ToArray();
            Console.WriteLine(JsonSerializer.Serialize(reports, StatusJson.Default.StatusReportArray));
            return 0;
        }
        var project = Project.Load(invocation);
        var report = Build(project, tmuxFound ? project.ListPanes() : [], marked, DateTimeOffset.UtcNow);
        if (invocation.Json)
            Console.WriteLine(JsonSerializer.Serialize(report, StatusJson.Default.StatusReport));
        else
            PrintTable(report, DateTimeOffset.UtcNow);
        return 0;
    }

    private static StatusReport Build(Project project, IReadOnlyList<TmuxPane> panes, IReadOnlyDictionary<int, string> marked, DateTimeOffset now)
    {
        var processes = AgentMarker.ByAgent(marked, project.Owner);
        var agents = project.Config.Agents.Select(agent => Report(project, agent, panes, processes[agent.Name].Order().ToList(), now)).ToList();
        var (state, heartbeat) = WatchdogProcess.Inspect(project.Store, now);
        var watchdog = new WatchdogReport(
            Lower(state),
            state == WatchdogState.Stopped ? null : heartbeat?.Pid,
            heartbeat?.Heartbeat,
            project.Config.WatchdogInterval.TotalSeconds);
        var work = project.Config.Work is { } config ? Reports.Status(new WorkLayout(project.Store.Layout), config, now) : null;
        return new StatusReport(project.Config.ProjectDir, project.Config.ConfigPath, project.Tmux.Socket, watchdog, agents, work);
    }

    private static AgentReport Report(Project project, AgentSpec agent, IReadOnlyList<TmuxPane> panes, IReadOnlyList<int> processes, DateTimeOffset now)
    {
        var record = project.Store.ReadAgent(agent.Name);
        var (state, since, pid) = LiveState.OfAgent(agent, record, project.Observe(panes, agent));
        var log = new FileInfo(project.Store.Layout.LogFile(agent.Name));
        DateTimeOffset? lastOutput = log.Exists && log.Length > 0 ? new DateTimeOffset(log.LastWriteTimeUtc) : null;
        return new AgentReport(
            agent.Name,
            Lower(agent.Kind),
            Lower(agent.Backend),
            project.Config.SessionName(agent),
            project.ServerOf(panes, project.Config.SessionName(agent)).Socket,
            LiveState.Name(state, processes.Count(p => p != pid)),
            since,
            pid,
            processes,
            record?.Restarts ?? 0,
            lastOutput,
            lastOutput is { } at ? Math.Round((now - at).TotalSeconds, 1) : null,
            record?.LastExitCode,
            record?.Wanted == true ? record.NextWake : null);
    }

    private static void PrintTable(StatusReport report, DateTimeOffset now)
    {
        string Ago(DateTimeOffset? at) => at is { } t ? Durations.Humanize(now - t) + " ago" : "-";

        string[] header = ["AGENT", "STATE", "SINCE", "PID", "RESTARTS", "LAST OUTPUT", "NEXT WAKE"];
        var rows = report.Agents.Select(a => new[]
        {
            a.Name,
            a.State + (a.LastExitCode is { } code && a.State != "running" ? $" (exit {code})" : ""),
            Ago(a.Since),
            a.Pid?.ToString() ?? "-",
            a.Restarts.ToString(),
            Ago(a.LastOutput),
            a.NextWake is { } wake ? "in " + Durations.Humanize(wake - now) : "-",
        }).ToList();
        if (rows.Count > 0)
            TextTable.Print(header, rows);

        var watchdog = report.Watchdog;
        var detail = watchdog.State == "stopped"
            ? "run 'agents up' to start it"
            : $"pid {watchdog.Pid}, heartbeat {Ago(watchdog.Heartbeat)}, every {watchdog.IntervalSeconds:0.###}s";
        Console.WriteLine($"watchdog: {watchdog.State} ({detail})");
        Console.WriteLine($"tmux: the project's own server, tmux -L {report.TmuxSocket}; 'agents attach AGENT' attaches to an agent");
        foreach (var agent in report.Agents.Where(a => a.State == "orphaned"))
            Console.WriteLine($"{agent.Name}: its own process ended, but processes it started still run (pids {string.Join(' ', agent.Processes)}); 'agents down {agent.Name}' ends them");
        foreach (var agent in report.Agents.Where(a => a.TmuxSocket != report.TmuxSocket))
            Console.WriteLine($"{agent.Name}: its session is on the {agent.TmuxSocket} tmux server, where an older engine started it; it moves when restarted");
        if (report.Work is { } work)
            Console.WriteLine(WorkLine(work, now));
    }

    private static string WorkLine(WorkStatusReport work, DateTimeOffset now)
    {
        var counts = work.Tasks;
        var tasks = string.Join(", ", new[] { ("queued", counts.Queued), ("running", counts.Running), ("passed", counts.Passed),
            ("failed", counts.Failed), ("blocked", counts.Blocked), ("conflict", counts.Conflict), ("merged", counts.Merged) }
            .Where(c => c.Item2 > 0).Select(c => $"{c.Item2} {c.Item1}"));
        var cycle = work.Cycle is { } c ? $"cycle {c.Id} {c.Liveness} (heartbeat {Durations.Humanize(now - c.Heartbeat)} ago)" : "no cycle running";
        return $"work: {(work.Paused ? $"paused ({work.PauseReason}); " : "")}{cycle}; tasks: {(tasks.Length == 0 ? "none" : tasks)}; "
            + $"spent {Patrol.Usd(work.CostUsdToday)} today, {Patrol.Usd(work.CostUsdTotal)} in all";
    }

    private static string Lower<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();
}
