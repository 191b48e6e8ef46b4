using Orchestrator.Output;

namespace Orchestrator.Isolation;

/// <summary>What IsolationCheck prints: a line per violation and a table per project for people, or JSON, from the same report.</summary>
internal static class IsolationOutput
{
    public static void Write(TextWriter output, IsolationReport report, bool json)
    {
        if (json)
        {
            var projects = report.Projects.Select(p => new ProjectIsolationEntry(
                p.Name,
                p.Location,
                p.Scan is not null,
                p.Error,
                p.Scan?.FilesScanned,
                p.Scan?.Violations.Select(v => new ViolationEntry(v.Path, v.Line, v.Text, v.Match, v.Rule.Id(), v.Allowed, v.AllowedBy)).ToList() ?? []));
            JsonOutput.Write(output, new IsolationDocument(
                report.Fleet,
                report.FailureCount == 0 && report.NotScanned.Count == 0,
                report.FailureCount,
                report.AllowedCount,
                report.NotScanned.Count,
                projects.ToList()),
                RunbookJson.Default.IsolationDocument);
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
