using Engine.Toml;
using Orchestrator.Git;
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
        if (!fleetFile.FileExists())
            throw new TargetFailedException($"{FleetRegistry.Display(fleetFile)} not found; create it (see docs/fleet-registry.md) or pass --fleet PATH", 2);
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
        var results = PerProject.Run(projects, parallel, project => Check(project, registry, refs));
        return new ValidationReport(registry.DisplayName, [], results);
    }

    private static ProjectValidation Check(FleetProject project, FleetRegistry registry, RemoteRefsCache refs)
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
            problems.AddRange(AgentsConfigProblems(project, location).Select(Problem));
            return new(project.Name, location, problems);
        }
        catch (GitException e)
        {
            return new(project.Name, location, [Problem($"could not be checked: {e.Message}")]);
        }
    }

    private static IEnumerable<string> AgentsConfigProblems(FleetProject project, string location)
    {
        var config = project.Directory / "agents.toml";
        if (!config.FileExists())
            return [$"{location}/agents.toml is missing; create it with the harness's init (engine/agents init .)"];
        try
        {
            TomlDocument.Parse(File.ReadAllText(config), Path.Combine(location, "agents.toml"));
            return [];
        }
        catch (TomlException e)
        {
            return e.Errors.Select(error => error.ToString());
        }
    }
}
