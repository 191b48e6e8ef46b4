using Orchestrator.Processes;

namespace Orchestrator;

/// <summary>The runbook of a fleet: every fleet operation is a target. Targets live in Build.*.cs by concern.</summary>
partial class Build : NukeBuild
{
    public static int Main() => Execute<Build>(x => x.FleetStatus);

    protected override string Logo => "project-orchestrator runbook";

    [Parameter("The fleet registry (default: fleet.toml at the root)")]
    readonly AbsolutePath? Fleet;

    [Parameter("Print results as JSON on stdout")]
    readonly bool Json;

    [Parameter("Show what would change, change nothing")]
    readonly bool DryRun;

    AbsolutePath FleetFile => Fleet ?? RootDirectory / "fleet.toml";

    // Whatever target started them, the programs running when the run is aborted stop with it.
    protected override void OnBuildInitialized() => Cancellation.Register(Command.StopAllButUndos);
}
