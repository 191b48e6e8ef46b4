using Orchestrator.Git;
using Orchestrator.Harness;
using Orchestrator.Processes;

namespace Orchestrator.Fleet;

internal sealed record ProjectValidation(string Name, string Location, IReadOnlyList<FleetProblem> Problems);

/// <summary>The result of ValidateFleet: problems of the registry itself, then per project.</summary>
internal sealed record ValidationReport(string Fleet, IReadOnlyList<FleetProblem> RegistryProblems, IReadOnlyList<ProjectValidation> Projects)
{
    public int ProblemCount => RegistryProblems.Count + Projects.Sum(p => p.Problems.Count);
}

/// <summary>Checks the registry, then each selected project against it, several at once.</summary>
internal static class FleetValidation
{
    public static ValidationReport Run(AbsolutePath fleetFile, IReadOnlyList<string>? patterns, IReadOnlyList<string>? tags, int parallel)
    {
        FleetRegistry registry;
        try
        {
            registry = FleetRegistry.Load(fleetFile);
        }
        catch (FleetLoadException e)
        {
            // Schema problems of one project are reported with it; the rest belong to the registry.
            var byProject = e.Problems.Where(p => p.Project is not null).GroupBy(p => p.Project!)
                .Select(g => new ProjectValidation(g.Key, "", g.ToList()));
            return new ValidationReport(FleetRegistry.Display(fleetFile), e.Problems.Where(p => p.Project is null).ToList(), byProject.ToList());
        }

        var projects = registry.Select(patterns, tags);
        var refs = new RemoteRefsCache(registry.Folder);
        // The harnesses load the projects' configs while git answers for their engines (an engine not checked out is
        // the engine check's to report).
        var harnesses = LiveStatus.AskAsync(projects.Where(p => p.IsCloned && HarnessEntry.IsCheckedOut(p.Directory) && (p.Directory / AgentsConfig).FileExists()));
        var results = PerProject.Run(projects, parallel, project => Check(project, registry, refs, harnesses));
        harnesses.Wait(); // no harness outlives the validation, even one asked for a project found broken before its turn
        return new ValidationReport(registry.DisplayName, [], results);
    }

    private static ProjectValidation Check(FleetProject project, FleetRegistry registry, RemoteRefsCache refs, Task<IReadOnlyDictionary<string, LiveStatus>> harnesses)
    {
        var checkedOut = CheckClone(project, registry, refs, harnesses);
        var credentials = new[] { (Key: "engine_url", Url: project.EngineUrl), (Key: "remote", Url: project.Remote) }
            .Where(entry => entry.Url is not null && EngineUrls.CarriesCredentials(entry.Url))
            .Select(entry => new FleetProblem(registry.DisplayName, project.Line, project.Column,
                $"{project.Name}: {entry.Key} carries a password or token, which git gets on its command line (readable by every local user with ps); "
                + "give the URL without it and let a git credential helper supply it", project.Name));
        return checkedOut with { Problems = [.. credentials, .. checkedOut.Problems] };
    }

    private static ProjectValidation CheckClone(FleetProject project, FleetRegistry registry, RemoteRefsCache refs, Task<IReadOnlyDictionary<string, LiveStatus>> harnesses)
    {
        var location = project.Directory.RelativeTo(registry.Folder);
        FleetProblem Problem(string message) => new(registry.DisplayName, project.Line, project.Column, $"{project.Name}: {message}", project.Name);

        if (!project.Directory.DirectoryExists())
        {
            var how = project.Remote is null ? "clone it there or fix 'location'" : $"clone {project.Remote} there";
            return new(project.Name, location, [Problem($"not cloned: {location} does not exist; {how}")]);
        }
        try
        {
            using var repository = GitRepository.OpenWorkTree(project.Directory);
            if (repository is null)
                return new(project.Name, location, [Problem($"{location} is not a git repository; fix 'location' or run git init there")]);
            var problems = EngineCheck.Problems(project, registry.Folder, repository.Submodule(EngineCheck.SubmodulePath), refs).Select(Problem).ToList();
            if (AgentsConfigProblem(project, location, harnesses) is { } configProblem)
                problems.Add(Problem(configProblem));
            return new(project.Name, location, problems);
        }
        catch (GitException e)
        {
            return new(project.Name, location, [Problem($"could not be checked: {e.Message}")]);
        }
    }

    /// <summary>The project's agents.toml as its own harness loads it: the engine's rules (a session prefix tmux accepts,
    /// known backends, ...) are the harness's to say, so the harness is asked (<c>status --json</c>).</summary>
    private static string? AgentsConfigProblem(FleetProject project, string location, Task<IReadOnlyDictionary<string, LiveStatus>> harnesses)
    {
        if (!(project.Directory / AgentsConfig).FileExists())
            return $"{location}/{AgentsConfig} is missing; create it with the harness's init (engine/agents init .)";
        return harnesses.GetAwaiter().GetResult().GetValueOrDefault(project.Name)?.Error is { } error
            ? $"its harness does not accept {AgentsConfig}: {error.Replace(project.Directory + "/", "")}"
            : null;
    }

    private const string AgentsConfig = "agents.toml";
}
