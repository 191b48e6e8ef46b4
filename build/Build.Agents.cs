using Orchestrator.Harness;

namespace Orchestrator;

partial class Build
{
    [Parameter("StartProject/StopProject/RestartProject: only these agents (default: all)")]
    readonly string[]? Agents;

    [Parameter("StartProject/StopProject/RestartProject/Exec/RunCycle: act on projects that are disabled in fleet.toml too")]
    readonly bool Force;

    [Parameter("FleetStatus: also ask each enabled project's harness for its agents' live state and its work cycles (heartbeat, paused, tasks, cost)")]
    readonly bool Live;

    [Parameter("Logs/Attach: the agent (default: the project's only agent; Logs shows each agent's log in turn)")]
    readonly string? Agent;

    [Parameter("Logs: keep printing the agent's new output until Ctrl-C")]
    readonly bool Follow;

    Target StartProject => _ => _
        .Description("Start a project's agents with its harness (engine/agents up), resolved through fleet.toml")
        .Requires(() => Project)
        .Executes(() => ProjectAgents.Run(LoadFleet().Get(SingleProject), "up", Agents ?? [], Force, DryRun));

    Target StopProject => _ => _
        .Description("Stop a project's agents with its harness (engine/agents down); all, and its watchdog, unless --agents")
        .Requires(() => Project)
        .Executes(() => ProjectAgents.Run(LoadFleet().Get(SingleProject), "down", Agents ?? [], Force, DryRun));

    Target RestartProject => _ => _
        .Description("Restart a project's agents with its harness: down, then up (all, and its watchdog, unless --agents)")
        .Requires(() => Project)
        .Executes(() => ProjectAgents.Restart(LoadFleet().Get(SingleProject), Agents ?? [], Force, DryRun, Cancellation));

    Target Logs => _ => _
        .Description("Print an agent's output log through the project's harness (engine/agents logs AGENT); --follow keeps printing")
        .Requires(() => Project)
        .Executes(() => AgentLogs.Show(LoadFleet().Get(SingleProject), Agent, Follow, Cancellation));

    Target Attach => _ => _
        .Description("Attach this terminal to an agent's tmux session through the project's harness (engine/agents attach AGENT); elsewhere print the command")
        .Requires(() => Project)
        .Executes(() => AgentAttach.Attach(LoadFleet().Get(SingleProject), Agent, Cancellation));
}
