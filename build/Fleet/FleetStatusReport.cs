using Orchestrator.Git;
using Orchestrator.GitHub;
using Orchestrator.Harness;
using Orchestrator.Processes;

namespace Orchestrator.Fleet;

/// <summary>One project's line in FleetStatus: its entry plus, when cloned, its git facts.</summary>
internal sealed record ProjectStatus(FleetProject Project, string Location, bool Cloned, WorkingTreeStatus? Git, IReadOnlyList<string> EngineProblems);

/// <param name="Live">With --live: what each enabled, cloned project's harness says of its agents.</param>
internal sealed record FleetStatusReport(string Fleet, IReadOnlyList<ProjectStatus> Projects, IReadOnlyDictionary<string, LiveStatus>? Live)
{
    /// <summary>With --github: what GitHub says of each project, by name.</summary>
    public IReadOnlyDictionary<string, GitHubFacts>? GitHub { get; init; }

    public int Enabled => Projects.Count(p => p.Project.Enabled);
    public int Disabled => Projects.Count - Enabled;

    public static FleetStatusReport Gather(FleetRegistry registry, IReadOnlyList<string>? patterns, IReadOnlyList<string>? tags, int parallel, bool live)
    {
        var projects = registry.Select(patterns, tags);
        var liveStatus = live ? LiveStatus.GatherAsync(projects) : null;
        var refs = new RemoteRefsCache(registry.Folder);
        var results = PerProject.Run(projects, parallel, project =>
        {
            var location = project.Directory.RelativeTo(registry.Folder);
            var repository = new Repository(project.Directory);
            try
            {
                return repository.Exists()
                    ? new ProjectStatus(project, location, true, repository.Status(), EngineCheck.Problems(project, registry.Folder, refs))
                    : new ProjectStatus(project, location, false, null, []);
            }
            catch (GitException e)
            {
                return new ProjectStatus(project, location, true, null, [$"git facts could not be read: {e.Message}"]);
            }
        });
        return new FleetStatusReport(registry.DisplayName, results, liveStatus?.Result);
    }
}
