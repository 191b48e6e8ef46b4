using Orchestrator.Workflows;

namespace Orchestrator;

partial class Build
{
    Target GenerateWorkflows => _ => _
        .Description("Write .github/workflows/fleet.yml: CI that runs ValidateFleet and IsolationCheck on push, pull requests and daily; --dry-run shows the diff")
        .Executes(() =>
        {
            var workflow = FleetWorkflow.Render([nameof(ValidateFleet), nameof(IsolationCheck)]);
            Console.Write(GeneratedFile.Update(RootDirectory, FleetWorkflow.RelativePath, workflow, DryRun));
        });
}
