using Orchestrator.Git;
using Orchestrator.Harness;
using Orchestrator.Processes;

namespace Orchestrator.Fleet;

/// <summary>One project's line in FleetStatus: its entry plus, when cloned, its git facts.</summary>
/// <param name="Engine">The engine submodule's facts (pin, staged pin, checkout, local changes); null when it has none.</param>
/// <param name="Error">Why the git facts could not be read (not a repository, a .git that cannot be read), as one line.</param>
internal sealed record ProjectStatus(FleetProject Project, string Location, bool Cloned, WorkingTreeStatus? Git, SubmoduleFacts? Engine,
    IReadOnlyList<string> EngineProblems, string? Error = null);

/// <param name="Live">With --live: what each enabled, cloned project's harness says of its agents.</param>
internal sealed record FleetStatusReport(string Fleet, IReadOnlyList<ProjectStatus> Projects, IReadOnlyDictionary<string, LiveStatus>? Live)
{
    public int Enabled => Projects.Count(p => p.Project.Enabled);
    public int Disabled => Projects.Count - Enabled;

    public static FleetStatusReport Gather(FleetRegistry registry, IReadOnlyList<string>? patterns, IReadOnlyList<string>? tags, int parallel, bool live)
    {
        var projects = registry.Select(patterns, tags);
        var liveStatus = live ? LiveStatus.GatherAsync(projects) : null;
        var refs = new RemoteRefsCache(registry.Folder);
        var results = PerProject.Run(projects, parallel, project => Read(project, registry.Folder, refs));
        return new FleetStatusReport(registry.DisplayName, results, liveStatus?.Result);
    }

    /// <summary>Everything git says of one project, from one open of its repository and none of another process.</summary>
    private static ProjectStatus Read(FleetProject project, AbsolutePath fleetFolder, RemoteRefsCache refs)
    {
        var location = project.Directory.RelativeTo(fleetFolder);
        if (!project.Directory.DirectoryExists())
            return new ProjectStatus(project, location, false, null, null, []);
        try
        {
            using var repository = GitRepository.OpenWorkTree(project.Directory);
            if (repository is null)
                return new ProjectStatus(project, location, false, null, null, [], $"{location} is not a git repository");
            var status = repository.Status(); // reads every submodule, the engine among them, once
            var engine = repository.Submodule(EngineCheck.SubmodulePath);
            return new ProjectStatus(project, location, true, status, engine, EngineCheck.Problems(project, fleetFolder, engine, refs));
        }
        catch (GitException e)
        {
            return new ProjectStatus(project, location, true, null, null, [], e.Message);
        }
    }
}
