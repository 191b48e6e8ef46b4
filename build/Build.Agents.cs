using Orchestrator.Harness;

namespace Orchestrator;

partial class Build
{
    [Parameter("StartProject/StopProject: only these agents (default: all)")]
    readonly string[]? Agents;

    [Parameter("StartProject/StopProject: act on a project that is disabled in fleet.toml")]
    readonly bool Force;

    [Parameter("FleetStatus: also ask each enabled project's harness for its agents' live state")]
    readonly bool Live;

    Target StartProject => _ => _
        .Description("Start a project's agents with its harness (engine/agents up), resolved through fleet.toml")
        .Requires(() => Project)
        .Executes(() => ProjectAgents.Run(LoadFleet().Get(SingleProject), "up", Agents ?? [], Force, DryRun));

    Target StopProject => _ => _
        .Description("Stop a project's agents with its harness (engine/agents down); all, and its watchdog, unless --agents")
        .Requires(() => Project)
        .Executes(() => ProjectAgents.Run(LoadFleet().Get(SingleProject), "down", Agents ?? [], Force, DryRun));
}
