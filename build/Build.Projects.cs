using Orchestrator.Fleet;
using Orchestrator.Git;
using Orchestrator.GitHub;
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

    [Parameter("The engine ref: a tag such as v0.2.0, or latest, the newest version tag (CreateProject default: [defaults], else latest; RegisterProject: the tag of the project's pin)")]
    readonly string? @ref;

    [Parameter("UpdateEngine: restart the agents that were running, on the new engine (else they keep the old one until restarted)")]
    readonly bool Restart;

    [Parameter("RegisterProject: the harness (agents or agent-orchestrator)")]
    readonly string? Harness;

    [Parameter("RegisterProject: tags for the new entry")]
    readonly string[]? Tags;

    [Parameter("CreateProject: the tmux session prefix of its agents: letters, digits, '_', '-' (default: NAME-, with '.' as '-')")]
    readonly string? Prefix;

    [Parameter("CreateProject: also add the project to fleet.toml")]
    readonly bool Register;

    Target CreateProject => _ => _
        .Description("Create a project repository: engine/ submodule at a ref, the harness's init, one commit; --register adds it to fleet.toml, --github OWNER creates it on GitHub and pushes main")
        .Requires(() => Name)
        .Executes(() =>
        {
            var recovered = InterruptedRuns.Recover(FleetFile, IsolationViolationsOf, Console.Error, DryRun);
            var owner = GitHubOwner;
            var bridge = owner is null ? null : GitHubBridge("CreateProject --github");
            var registry = FleetRegistry.LoadOrEmpty(FleetFile);
            if (ProjectCreator.FinishedBy(recovered, Name!, Dir, Register, registry) is { } finished)
            {
                Console.WriteLine($"created {finished} (the interrupted run was finished){(Register ? $", registered in {registry.DisplayName}" : "")}");
                return;
            }
            var project = ProjectCreator.Prepare(Name!, Dir, EngineUrl, @ref, Prefix, Register, registry);
            var remote = bridge is null ? null : NewRemote.Prepare(bridge, owner!, project.Name, Private);
            var creator = new ProjectCreator(project, registry, IsolationViolationsOf, remote);
            if (DryRun)
            {
                Console.WriteLine($"would create {project.Directory} with engine {project.Ref} ({project.Commit[..7]}) from {project.EngineUrl}:");
                Steps.Show(creator.Plan(), Console.Out);
                if (Register)
                    Console.Write(FleetEdits.Save(registry.File, creator.Entry(), dryRun: true));
                return;
            }
            creator.Create(Console.Out, Cancellation);
            Console.WriteLine($"created {project.Directory} with engine {project.Ref} ({project.Commit[..7]}){(remote is null ? "" : $", pushed to {remote.Repository} ({remote.CloneUrl})")}{(Register ? $", registered in {registry.DisplayName}" : "")}");
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
        .Description("Move projects' engine pins to another ref: one commit per project, fleet.toml updated; --pull-request proposes it on GitHub instead")
        .Requires(() => Parallel >= 1)
        .Requires(() => @ref)
        .Executes(() =>
        {
            InterruptedRuns.Recover(FleetFile, IsolationViolationsOf, Console.Error, DryRun);
            var registry = LoadFleet();
            if (FleetRules.CheckRef(@ref!) is { } badRef)
                throw new TargetFailedException($"--ref: {badRef}", 2);
            var projects = Project is null && Tag is null
                ? throw new TargetFailedException("name the projects to move: --project NAME... (names or globs; '*' for all) or --tag TAG", 2)
                : registry.Select(Project, Tag);
            var bridge = PullRequest ? GitHubBridge("UpdateEngine --pull-request") : null;
            if (bridge is not null)
            {
                if (Restart)
                    throw new TargetFailedException("--restart with --pull-request: a pull request changes nothing in the clone, so no agent needs a restart; drop one of them", 2);
                CheckToken(bridge, "UpdateEngine --pull-request");
            }
            var update = new EngineUpdate(registry, @ref!, Restart, new RemoteRefsCache(registry.Folder));
            var results = PerProject.Run(projects, Parallel, project => bridge is null
                ? update.Apply(project, DryRun, Cancellation)
                : update.WithRef(project, resolved => new EnginePullRequest(project, resolved, bridge).Apply(DryRun)));
            foreach (var result in results)
                Console.WriteLine($"{result.Project}: {(result.Outcome == BumpOutcome.Failed ? "failed: " : "")}{result.Message}");
            if (!Restart && bridge is null && results.Where(r => r.Outcome == BumpOutcome.Bumped).Select(r => r.Project).ToList() is { Count: > 0 } bumped)
                Console.WriteLine(EngineUpdate.KeepTheOldEngine(bumped));
            var interrupted = results.Count(r => r.Outcome == BumpOutcome.Interrupted);
            if (interrupted > 0)
                throw new TargetAbortedException($"{interrupted} of {results.Length} interrupted and left as they were; run the same command again to finish");
            if (BumpSummary.Failure(results, @ref!, PullRequest, Restart) is { } failure)
                throw new TargetFailedException(failure);
        });

    IReadOnlyList<string> IsolationViolationsOf(AbsolutePath project) =>
        IsolationScanner.Scan(project, OrchestratorFacts.Gather(RootDirectory, FleetFile), []).Failures
            .Select(v => $"{v.Path}{(v.Line is { } line ? $":{line}" : "")}: {v.Match}")
            .ToList();
}
