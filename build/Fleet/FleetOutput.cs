using Orchestrator.Harness;
using Orchestrator.Output;
using Orchestrator.Work;

namespace Orchestrator.Fleet;

/// <summary>What the fleet targets print: for people as aligned text, for machines as JSON, from the same results.</summary>
internal static class FleetOutput
{
    public static void List(TextWriter output, FleetRegistry registry, IReadOnlyList<FleetProject> projects, bool json)
    {
        if (json)
        {
            JsonOutput.Write(output, projects.Select(ResolvedProject.Of).ToList(), RunbookJson.Default.IReadOnlyListResolvedProject);
            return;
        }
        TextTable.Write(output, ["NAME", "ENABLED", "ENGINE", "LOCATION"],
            projects.Select(p => (IReadOnlyList<string>)[p.Name, p.Enabled ? "yes" : "no", $"{p.Harness}@{p.Ref}", p.Directory.RelativeTo(registry.Folder)]));
    }

    public static void Status(TextWriter output, FleetStatusReport report, bool json)
    {
        if (json)
        {
            var projects = report.Projects.Select(s => new ProjectStatusEntry(
                ResolvedProject.Of(s.Project),
                s.Cloned,
                s.Error,
                s.Git,
                new EngineFacts(s.Git is not null && s.EngineProblems.Count == 0, s.EngineProblems, s.Engine),
                report.Live?.GetValueOrDefault(s.Project.Name) is { } live
                    ? new LiveFacts(live.Running, live.Total, live.Watchdog, live.Troubled, live.Error, live.Work, live.Report)
                    : null,
                report.GitHub?.GetValueOrDefault(s.Project.Name)));
            var totals = new StatusTotals(report.Projects.Count, report.Enabled, report.Disabled);
            var work = report.Live is { } answers ? WorkTotals.Of(answers.Values.Select(a => a.Work).OfType<WorkStatus>()) : null;
            JsonOutput.Write(output, new StatusDocument(report.Fleet, totals, projects.ToList(), work), RunbookJson.Default.StatusDocument);
            return;
        }
        if (report.Live is { } live)
            TextTable.Write(output, ["NAME", "ENABLED", "ENGINE", "LOCATION", "AGENTS", "STATE"],
                report.Projects.Select(s => (IReadOnlyList<string>)[s.Project.Name, s.Project.Enabled ? "yes" : "no", $"{s.Project.Harness}@{s.Project.Ref}", s.Location,
                    live.GetValueOrDefault(s.Project.Name)?.Summary ?? "-", State(s)]));
        else
            TextTable.Write(output, ["NAME", "ENABLED", "ENGINE", "LOCATION", "STATE"],
                report.Projects.Select(s => (IReadOnlyList<string>)[s.Project.Name, s.Project.Enabled ? "yes" : "no", $"{s.Project.Harness}@{s.Project.Ref}", s.Location, State(s)]));
        if (report.Live is { } asked)
        {
            output.WriteLine();
            TextTable.Write(output, WorkTotals.Headers, report.Projects.Select(s => WorkTotals.Row(s.Project.Name, asked.GetValueOrDefault(s.Project.Name))));
        }
        if (report.GitHub is { } github)
        {
            output.WriteLine();
            output.WriteLine("GitHub:");
            foreach (var status in report.Projects)
                if (github.GetValueOrDefault(status.Project.Name) is { } facts)
                    output.WriteLine($"  {status.Project.Name}: {facts.Summary(status.Project)}");
        }
        output.WriteLine();
        output.WriteLine($"{Counted.Of(report.Projects.Count, "project")}: {report.Enabled} enabled, {report.Disabled} disabled");
        if (report.Live is { } answered)
            output.WriteLine(WorkTotals.Of(answered.Values.Select(a => a.Work).OfType<WorkStatus>()).Line);
    }

    private static string State(ProjectStatus status)
    {
        if (status.Error is not null)
            return status.Error;
        if (!status.Cloned)
            return status.Project.Remote is null ? "not cloned" : $"not cloned (remote {status.Project.Remote})";
        if (status.Git is not { } git)
            return string.Join("; ", status.EngineProblems);
        var parts = new List<string>();
        if (git.Detached)
            parts.Add($"detached at {git.Head![..7]}");
        parts.Add(git.Uncommitted == 0 ? "clean" : $"{git.Uncommitted} uncommitted");
        if (git.Upstream is null)
            parts.Add("no upstream");
        else if (git.UpstreamGone)
            parts.Add($"upstream {git.Upstream} gone");
        else if (git.Ahead > 0 || git.Behind > 0)
            parts.Add($"{git.Ahead} ahead, {git.Behind} behind {git.Upstream}");
        else
            parts.Add($"up to date with {git.Upstream}");
        parts.Add(status.EngineProblems.Count == 0 ? "engine in sync" : "engine: " + string.Join("; ", status.EngineProblems));
        return string.Join(", ", parts);
    }

    public static void Validation(TextWriter output, ValidationReport report, bool json, bool githubActions)
    {
        if (json)
            JsonOutput.Write(output, new ValidationDocument(
                report.Fleet,
                report.ProblemCount == 0,
                report.ProblemCount,
                report.RegistryProblems,
                report.Projects.Select(p => new ProjectValidationEntry(p.Name, p.Location, p.Problems.Count == 0, p.Problems)).ToList()),
                RunbookJson.Default.ValidationDocument);
        else
        {
            if (report.RegistryProblems.Count > 0)
            {
                output.WriteLine(report.Fleet);
                foreach (var problem in report.RegistryProblems)
                    output.WriteLine($"  {problem}");
            }
            foreach (var project in report.Projects)
            {
                var where = project.Location.Length == 0 ? "" : $" ({project.Location})";
                if (project.Problems.Count == 0)
                    output.WriteLine($"{project.Name}{where}: ok");
                else
                {
                    output.WriteLine($"{project.Name}{where}");
                    foreach (var problem in project.Problems)
                        output.WriteLine($"  {problem}");
                }
            }
            var failing = report.Projects.Count(p => p.Problems.Count > 0);
            output.WriteLine();
            output.WriteLine($"{Counted.Of(report.Projects.Count, "project")} checked, {failing} with problems; {Counted.Of(report.ProblemCount, "problem")} in all");
        }
        if (githubActions)
            foreach (var problem in report.RegistryProblems.Concat(report.Projects.SelectMany(p => p.Problems)))
                output.WriteLine($"::error file={problem.File},line={Math.Max(1, problem.Line)},col={Math.Max(1, problem.Column)}::{Escape(problem.Message)}");
    }

    // Workflow commands end at a newline and treat % specially.
    private static string Escape(string message) => message.Replace("%", "%25").Replace("\r", "%0D").Replace("\n", "%0A");
}
