using Orchestrator.Isolation;

namespace Orchestrator;

partial class Build
{
    [Parameter("IsolationCheck: also write the results to this file as SARIF 2.1.0, for code-scanning tools")]
    readonly AbsolutePath? Sarif;

    Target IsolationCheck => _ => _
        .Description("Check that no project knows the orchestrator (enabled projects by default); exit 1 on violations, 2 when a project could not be scanned")
        .Requires(() => Parallel >= 1)
        .Executes(() =>
        {
            var facts = Task.Run(() => OrchestratorFacts.Gather(RootDirectory, FleetFile)); // asks git for the remotes while the registry loads
            var registry = LoadFleet();
            var projects = IsolationReport.Select(registry, Project, Tag);
            var report = IsolationReport.Run(registry, projects, facts.GetAwaiter().GetResult(), Parallel);
            IsolationOutput.Write(Console.Out, report, Json);
            if (Sarif is not null)
                File.WriteAllText(Sarif, IsolationSarif.Document(report));
            if (report.Failure() is { } failure)
                throw failure;
        });
}
