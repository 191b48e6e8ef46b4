using Orchestrator.Fleet;
using Orchestrator.Isolation;
using Orchestrator.Processes;
using Orchestrator.Projects;

namespace Orchestrator;

partial class Build
{
    [Parameter("The new project's name (lowercase letters, digits, '.', '_', '-'; at most 64 characters)")]
    readonly string? Name;

    [Parameter("RegisterProject: where the project's clone is")]
    readonly AbsolutePath? Location;

    [Parameter("CreateProject: the folder to create the project in (default: projects/ beside fleet.toml)")]
    readonly AbsolutePath? Dir;

    [Parameter("The engine repository URL or path (default: [defaults] in fleet.toml, else the published engine; RegisterProject: what the project's engine/ records)")]
    readonly string? EngineUrl;

    [Parameter("The engine ref: a tag such as v0.2.0 (CreateProject default: [defaults], else the latest version; RegisterProject: the tag of the project's pin)")]
    readonly string? @ref;

    [Parameter("RegisterProject: the harness (agents or agent-orchestrator)")]
    readonly string? Harness;

    [Parameter("RegisterProject: tags for the new entry")]
    readonly string[]? Tags;

    [Parameter("CreateProject: the tmux session prefix of its agents: letters, digits, '_', '-' (default: NAME-, with '.' as '-')")]
    readonly string? Prefix;

    [Parameter("CreateProject: also add the project to fleet.toml")]
    readonly bool Register;

    Target CreateProject => _ => _
        .Description("Create a project repository: engine/ submodule at a ref, the harness's init, one commit; --register adds it to fleet.toml")
        .Requires(() => Name)
        .Executes(() =>
        {
            var registry = FleetRegistry.LoadOrEmpty(FleetFile);
            var project = ProjectCreator.Prepare(Name!, Dir, EngineUrl, @ref, Prefix, Register, registry);
            var creator = new ProjectCreator(project, registry, IsolationViolationsOf);
            if (DryRun)
            {
                Console.WriteLine($"would create {project.Directory} with engine {project.Ref} ({project.Commit[..7]}) from {project.EngineUrl}:");
                Steps.Show(creator.Plan(), Console.Out);
                if (Register)
                    Console.Write(FleetEdits.Save(registry.File, creator.Entry(), dryRun: true));
                return;
            }
            creator.Create(Console.Out);
            Console.WriteLine($"created {project.Directory} with engine {project.Ref} ({project.Commit[..7]}){(Register ? $", registered in {registry.DisplayName}" : "")}");
        });

    Target RegisterProject => _ => _
        .Description("Add a [[project]] entry to fleet.toml for an existing project; engine_url and ref default to what its engine/ submodule records")
        .Requires(() => Name)
        .Requires(() => Location)
        .Executes(() =>
        {
            var registry = FleetRegistry.LoadOrEmpty(FleetFile);
            var (entry, taken) = ProjectAdoption.Plan(Name!, Location!, EngineUrl, @ref, Harness, Tags ?? [], registry);
            var diff = FleetEdits.Save(FleetFile, entry, DryRun);
            Console.Write(DryRun ? diff : $"registered '{Name}' in {registry.DisplayName}{(taken is null ? "" : $" ({taken})")}\n");
        });

    Target UnregisterProject => _ => _
        .Description("Remove projects' entries (and the comment lines above each) from fleet.toml; the projects themselves are untouched")
        .Requires(() => Project)
        .Executes(() =>
        {
            var (removed, diff) = FleetEdits.Remove(FleetFile, Project!, DryRun);
            Console.Write(DryRun ? diff : $"unregistered {string.Join(", ", removed.Select(name => $"'{name}'"))} from {FleetRegistry.Display(FleetFile)}\n");
        });

    Target UpdateEngine => _ => _
        .Description("Move projects' engine pins to another ref: one commit per project, fleet.toml updated")
        .Requires(() => Parallel >= 1)
        .Requires(() => @ref)
        .Executes(() =>
        {
            var registry = LoadFleet();
            if (FleetRules.CheckRef(@ref!) is { } badRef)
                throw new TargetFailedException($"--ref: {badRef}", 2);
            var projects = Project is null && Tag is null
                ? throw new TargetFailedException("name the projects to move: --project NAME... (names or globs; '*' for all) or --tag TAG", 2)
                : registry.Select(Project, Tag);
            var results = PerProject.Run(projects, Parallel, project => new EngineBump(project, @ref!, registry).Apply(DryRun));
            foreach (var result in results)
                Console.WriteLine($"{result.Project}: {(result.Outcome == BumpOutcome.Failed ? "failed: " : "")}{result.Message}");
            if (BumpSummary.Failure(results, @ref!) is { } failure)
                throw new TargetFailedException(failure);
        });

    IReadOnlyList<string> IsolationViolationsOf(AbsolutePath project) =>
        IsolationScanner.Scan(project, OrchestratorFacts.Gather(RootDirectory, FleetFile), []).Failures
            .Select(v => $"{v.Path}{(v.Line is { } line ? $":{line}" : "")}: {v.Match}")
            .ToList();
}
