using Engine.Agents.Cli;
using Engine.Agents.Commands;
using Engine.Agents.Config;
using Engine.Agents.Launching;
using Engine.Agents.State;
using Engine.Agents.Supervision;
using Engine.Agents.Tmux;

namespace Engine.Agents;

/// <summary>One project as the commands see it: its config, its state files and the tmux server.</summary>
internal sealed class Project
{
    public ProjectConfig Config { get; }
    public StateStore Store { get; }
    public TmuxClient Tmux { get; } = new();

    /// <summary>The value of <c>@ao_owner</c> on this project's sessions.</summary>
    public string Owner => Config.ProjectDir;

    private Project(ProjectConfig config)
    {
        Config = config;
        Store = new StateStore(StateLayout.For(config.ProjectDir));
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

    public PaneObservation Observe(IReadOnlyList<TmuxPane> panes, AgentSpec agent) =>
        Observer.Observe(panes, Config.SessionName(agent), Owner);

    public AgentLaunch Launch(AgentSpec agent) =>
        LaunchPlan.For(Config, agent, Store.Layout, Environment.GetEnvironmentVariable("PATH"));

    /// <summary>Takes the control lock: up, down and the watchdog's cycles change agents one at a time.</summary>
    public FileLock LockControl()
    {
        Store.Layout.Create();
        return FileLock.Acquire(Store.Layout.ControlLock, TimeSpan.FromSeconds(30))
            ?? throw new CommandFailedException(
                $"{Store.Layout.ControlLock} stayed locked for 30 s; another 'agents' command is still running in this project, try again when it ends");
    }
}
