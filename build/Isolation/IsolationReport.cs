using Orchestrator.Fleet;
using Orchestrator.Output;
using Orchestrator.Processes;

namespace Orchestrator.Isolation;

/// <summary>One project's outcome: its scan, or why it could not be scanned.</summary>
internal sealed record ProjectIsolation(string Name, string Location, AbsolutePath Directory, IsolationScan? Scan, string? Error);

/// <summary>The result of IsolationCheck over the selected projects, in registry order.</summary>
internal sealed record IsolationReport(string Fleet, IReadOnlyList<ProjectIsolation> Projects)
{
    public int FailureCount => Projects.Sum(p => p.Scan?.Failures.Count ?? 0);
    public int AllowedCount => Projects.Sum(p => p.Scan is null ? 0 : p.Scan.Violations.Count - p.Scan.Failures.Count);
    public IReadOnlyList<ProjectIsolation> NotScanned => Projects.Where(p => p.Scan is null).ToList();

    /// <summary>
    /// Enabled projects by default; --project and --tag narrow, and a disabled project named exactly is checked too.
    /// An unknown name means the check cannot run as asked: exit 2, never the 1 of a violation.
    /// </summary>
    public static IReadOnlyList<FleetProject> Select(FleetRegistry registry, IReadOnlyList<string>? patterns, IReadOnlyList<string>? tags)
    {
        try
        {
            return registry.Select(patterns, tags).Where(p => p.Enabled || (patterns?.Contains(p.Name) ?? false)).ToList();
        }
        catch (TargetFailedException e) when (e.ExitCode != 2)
        {
            throw new TargetFailedException(e.Message, 2);
        }
    }

    public static IsolationReport Run(FleetRegistry registry, IReadOnlyList<FleetProject> projects, OrchestratorFacts facts, int parallel)
    {
        var results = PerProject.Run(projects, parallel, project => Check(project, registry, facts));
        return new IsolationReport(registry.DisplayName, results);
    }

    private static ProjectIsolation Check(FleetProject project, FleetRegistry registry, OrchestratorFacts facts)
    {
        var location = project.Directory.RelativeTo(registry.Folder);
        ProjectIsolation NotScanned(string error) => new(project.Name, location, project.Directory, null, error);

        if (!project.Directory.DirectoryExists())
            return NotScanned($"not cloned: {location} does not exist; {(project.Remote is null ? "clone it there or fix 'location'" : $"clone {project.Remote} there")}");
        try
        {
            return new(project.Name, location, project.Directory, IsolationScanner.Scan(project.Directory, facts, project.IsolationAllow), null);
        }
        catch (IsolationScanException e)
        {
            return NotScanned(e.Message);
        }
    }

    /// <summary>What ends the target: exit 2 when a project could not be scanned (the check is incomplete), exit 1 for violations, null when clean.</summary>
    public TargetFailedException? Failure()
    {
        var failing = Projects.Where(p => p.Scan is { Failures.Count: > 0 }).Select(p => p.Name).ToList();
        var violations = failing.Count == 0 ? "" : $"{Counted.Of(FailureCount, "isolation violation")} in {string.Join(", ", failing)}";
        if (NotScanned.Count > 0)
            return new TargetFailedException(
                $"could not scan {NotScanned.Count} of {Counted.Of(Projects.Count, "project")}: {string.Join("; ", NotScanned.Select(p => $"{p.Name}: {p.Error}"))}"
                + (violations.Length > 0 ? $"; and found {violations}" : ""), 2);
        return violations.Length > 0
            ? new TargetFailedException($"{violations}; remove them from the project, or allow known false positives with isolation_allow in {Fleet}")
            : null;
    }
}
