using Engine.Agents.Cli;
using Engine.Agents.Commands;
using Engine.Agents.Config;
using Engine.Agents.Launching;
using Engine.Agents.State;
using Engine.Agents.Supervision;
using Engine.Agents.Tmux;

namespace Engine.Agents;

/// <summary>One project as the commands see it: its config, its state files and its tmux server.</summary>
internal sealed class Project
{
    public ProjectConfig Config { get; }
    public StateStore Store { get; }

    /// <summary>The project's own tmux server, where its agents run.</summary>
    public TmuxClient Tmux { get; }

    /// <summary>The value of <c>@ao_owner</c> on this project's sessions.</summary>
    public string Owner => Config.ProjectDir;

    private Project(ProjectConfig config)
    {
        Config = config;
        Store = new StateStore(StateLayout.For(config.ProjectDir));
        Tmux = new TmuxClient(TmuxSocket.For(config.ProjectDir));
    }

    public static Project Load(Invocation invocation) => Load(invocation.ConfigPath);

    public static Project Load(string configPath) => new(ConfigLoader.Load(configPath));

    public IReadOnlyList<AgentSpec> Select(IReadOnlyList<string> names)
    {
        if (names.Count == 0)
            return Config.Agents;
        var unknown = names.Where(n => Config.Find(n) is null).ToList();
        if (unknown.Count > 0)
            throw new UsageException(
                $"{Config.DisplayPath} has no agent named '{unknown[0]}'; its agents are: {string.Join(", ", Config.Agents.Select(a => a.Name))}");
        return names.Distinct().Select(n => Config.Find(n)!).ToList();
    }

    /// <summary>The panes of this project's server, and of the sessions an older engine left for it on the default server.</summary>
    public IReadOnlyList<TmuxPane> ListPanes() => ListPanes(Tmux, Owner);

    public static IReadOnlyList<TmuxPane> ListPanes(TmuxClient own, string owner) =>
        WithLeftovers(own.ListPanes(), new TmuxClient(TmuxSocket.Default).ListPanes(), owner);

    /// <summary>
    /// The project's own panes, then those of its sessions still on the default server where no session
    /// of the same name runs on its own: an agent started by an older engine is kept where it runs
    /// until it is restarted, which moves it to the project's server.
    /// </summary>
    public static IReadOnlyList<TmuxPane> WithLeftovers(IReadOnlyList<TmuxPane> own, IReadOnlyList<TmuxPane> onDefaultServer, string owner) =>
        [.. own, .. onDefaultServer.Where(pane => pane.Owner == owner && own.All(mine => mine.Session != pane.Session))];

    public PaneObservation Observe(IReadOnlyList<TmuxPane> panes, AgentSpec agent) =>
        Observer.Observe(panes, Config.SessionName(agent), Owner);

    /// <summary>The server a session is on, as listed in <paramref name="panes"/>; the project's own when it is not listed.</summary>
    public TmuxClient ServerOf(IReadOnlyList<TmuxPane> panes, string session) =>
        panes.FirstOrDefault(p => p.Session == session) is { } pane && pane.Socket != Tmux.Socket ? new TmuxClient(pane.Socket) : Tmux;

    /// <summary>
    /// Runs the agent on the project's server: again in its session there (anyone attached stays
    /// attached), else in a new session; a session of it on the default server is closed first.
    /// Returns the pid.
    /// </summary>
    public int Run(IReadOnlyList<TmuxPane> panes, AgentSpec agent)
    {
        var launch = LaunchPlan.For(Config, agent, Store.Layout, Environment.GetEnvironmentVariable("PATH"));
        var pane = panes.FirstOrDefault(p => p.Session == launch.Session);
        if (pane is not null && pane.Socket != Tmux.Socket)
        {
            new TmuxClient(pane.Socket).Kill(pane.Session);
            pane = null;
        }
        using var handoff = EnvironmentHandoff.Write(launch.EnvironmentFile, launch.Environment);
        var pid = pane is null ? Tmux.Start(launch, Owner) : Tmux.Respawn(launch);
        handoff.AwaitPickup(pid);
        return pid;
    }

    /// <summary>Takes the control lock: up, down and the watchdog's cycles change agents one at a time.</summary>
    public FileLock LockControl()
    {
        Store.Layout.Create();
        return FileLock.Acquire(Store.Layout.ControlLock, TimeSpan.FromSeconds(30))
            ?? throw new CommandFailedException(
                $"{Store.Layout.ControlLock} stayed locked for 30 s; another 'agents' command is still running in this project, try again when it ends");
    }
}
