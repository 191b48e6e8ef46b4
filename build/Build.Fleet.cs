using Orchestrator.Fleet;
using Orchestrator.GitHub;
using Orchestrator.Output;
using Orchestrator.Projects;

namespace Orchestrator;

partial class Build
{
    [Parameter("Projects to act on: names or globs such as 'web-*' (one name for GetProject, StartProject, StopProject, RestartProject, Logs, Attach, AddTask, Tasks, PauseProject, ResumeProject)")]
    readonly string[]? Project;

    [Parameter("Only projects that carry every one of these tags")]
    readonly string[]? Tag;

    [Parameter("How many projects to work on at once, 1 or more")]
    readonly int Parallel = 4;

    [Parameter("GetProject: print only this field's bare value (name, location, path, remote, harness, engine_url, ref, enabled, tags)")]
    readonly string? Field;

    Target ValidateFleet => _ => _
        .Description("Check fleet.toml and every project against it (CI runs this); exit 1 when problems are found")
        .Requires(() => Parallel >= 1)
        .Executes(() =>
        {
            InterruptedRuns.Recover(FleetFile, IsolationViolationsOf, Console.Error, dryRun: false);
            var report = FleetValidation.Run(FleetFile, Project, Tag, Parallel);
            FleetOutput.Validation(Console.Out, report, Json, RunsOnGitHubActions);
            if (report.ProblemCount > 0)
                throw new TargetFailedException($"{Counted.Of(report.ProblemCount, "problem")} found in {report.Fleet}");
        });

    Target ListFleet => _ => _
        .Description("List the projects: name, enabled, harness@ref, location")
        .Executes(() =>
        {
            var registry = LoadFleet();
            FleetOutput.List(Console.Out, registry, registry.Select(Project, Tag), Json);
        });

    Target FleetStatus => _ => _
        .Description("The fleet at a glance: projects, totals, each local project's git facts; --live adds its agents' state, --github its open engine pull request and CI")
        .Requires(() => Parallel >= 1)
        .Executes(() =>
        {
            if (Github is [_, ..])
                throw new TargetFailedException("FleetStatus --github takes no value", 2);
            var bridge = Github is null ? null : GitHubBridge("FleetStatus --github");
            var registry = LoadFleet();
            var report = FleetStatusReport.Gather(registry, Project, Tag, Parallel, Live);
            if (bridge is not null)
                report = report with { GitHub = GitHubFacts.Gather(registry.Select(Project, Tag), bridge, registry.Folder, Parallel) };
            FleetOutput.Status(Console.Out, report, Json);
        });

    Target GetProject => _ => _
        .Description("Show one project's entry with defaults resolved, or one field's bare value with --field")
        .Requires(() => Project)
        .Executes(() =>
        {
            var registry = LoadFleet();
            var entry = ResolvedProject.Of(registry.Get(SingleProject));
            if (Field is not null)
                Console.WriteLine(ProjectField.Value(entry, Field));
            else if (Json)
                JsonOutput.Write(Console.Out, entry, RunbookJson.Default.ResolvedProject);
            else
                foreach (var (key, value) in entry.Fields())
                    Console.WriteLine($"{key} = {ProjectField.Show(value)}");
        });

    static bool RunsOnGitHubActions => Environment.GetEnvironmentVariable("GITHUB_ACTIONS") == "true";

    string SingleProject => Project switch
    {
        [var name] when !Glob.IsPattern(name) => name,
        [var pattern] => throw new TargetFailedException($"--project takes one project's name here, not a pattern ('{pattern}')", 2),
        _ => throw new TargetFailedException($"--project takes one name here, not {Project?.Length ?? 0}", 2),
    };

    FleetRegistry LoadFleet() => FleetRegistry.Load(FleetFile);
}
