using Orchestrator.Output;

namespace Orchestrator.Isolation;

/// <summary>What IsolationCheck prints: a line per violation and a table per project for people, or JSON, from the same report.</summary>
internal static class IsolationOutput
{
    public static void Write(TextWriter output, IsolationReport report, bool json)
    {
        if (json)
        {
            JsonOutput.Write(output, new
            {
                fleet = report.Fleet,
                ok = report.FailureCount == 0 && report.NotScanned.Count == 0,
                violation_count = report.FailureCount,
                allowed_count = report.AllowedCount,
                not_scanned_count = report.NotScanned.Count,
                projects = report.Projects.Select(p => new
                {
                    name = p.Name,
                    location = p.Location,
                    scanned = p.Scan is not null,
                    error = p.Error,
                    files_scanned = p.Scan?.FilesScanned,
                    violations = p.Scan?.Violations.Select(v => new
                    {
                        path = v.Path,
                        line = v.Line,
                        text = v.Text,
                        match = v.Match,
                        rule = v.Rule.Id(),
                        allowed = v.Allowed,
                        allowed_by = v.AllowedBy,
                    }) ?? [],
                }),
            });
            return;
        }

        var lines = report.Projects.SelectMany(project => project.Error is { } error
                ? [$"{project.Name}: could not run: {error}"]
                : project.Scan!.Violations.Select(v => $"{project.Name}: {Line(v)}"))
            .ToList();
        foreach (var line in lines)
            output.WriteLine(line);
        if (lines.Count > 0)
            output.WriteLine();
        TextTable.Write(output, ["PROJECT", "FILES", "VIOLATIONS", "ALLOWED", "RESULT"], report.Projects.Select(Summary));
    }

    /// <summary><c>path:line: text</c> for a line of a file, <c>path: name matches '...'</c> for a file or folder name.</summary>
    public static string Line(IsolationViolation violation)
    {
        var where = violation.Line is { } line ? $"{violation.Path}:{line}: {violation.Text}" : $"{violation.Path}: name matches '{violation.Match}'";
        return violation.AllowedBy is { } glob ? $"{where} (allowed by isolation_allow \"{glob}\")" : where;
    }

    private static IReadOnlyList<string> Summary(ProjectIsolation project)
    {
        if (project.Scan is not { } scan)
            return [project.Name, "-", "-", "-", "could not run"];
        var allowed = scan.Violations.Count - scan.Failures.Count;
        var result = scan.Failures.Count > 0 ? Counted.Of(scan.Failures.Count, "violation") : "clean";
        return [project.Name, scan.FilesScanned.ToString(), scan.Failures.Count.ToString(), allowed.ToString(), result];
    }
}
