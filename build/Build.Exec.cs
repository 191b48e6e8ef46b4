using Orchestrator.Fleet;
using Orchestrator.Output;
using Orchestrator.Processes;

namespace Orchestrator;

/// <summary>One command across projects, each in its own folder.</summary>
partial class Build
{
    [Parameter("Exec: the command to run in each project's folder and its arguments, as typed (a shell only if you name one: bash -c '...')", Name = "command"), TrailingArguments]
    readonly string[]? ExecCommand;

    Target Exec => _ => _
        .Description("Run a command in each project's folder (--project/--tag, then -- COMMAND ARGS...): output grouped by project in registry order; exit 1 when any failed")
        .Requires(() => ExecCommand)
        .Executes(async () =>
        {
            var (projects, skipped) = ProjectsToRunIn(LoadFleet());
            if (DryRun)
            {
                foreach (var line in FleetExec.Plan(projects, ExecCommand!))
                    Console.WriteLine(line);
                return;
            }
            var outcomes = await FleetExec.RunAsync(projects, ExecCommand!, Parallel,
                Json ? _ => { } : o => FleetExec.WriteGroup(Console.Out, o), line => Console.Error.WriteLine($"Exec: {line}"), TimeSpan.FromSeconds(10), Cancellation);
            var failed = outcomes.Where(o => !o.Succeeded).ToList();
            if (Json)
                JsonOutput.Write(Console.Out, new ExecReport(ExecCommand!, outcomes, failed.Select(o => o.Name).ToList(), skipped), RunbookJson.Default.ExecReport);
            if (failed.Count > 0)
                throw new TargetFailedException($"{failed.Count} of {outcomes.Count} failed: {string.Join(", ", failed.Select(o => $"{o.Name} ({o.Verdict})"))}");
        });

    /// <summary>
    /// The enabled projects --project and --tag select, and the disabled ones left out (none with --force). One of the
    /// two options is needed, so that nothing runs fleet-wide by accident.
    /// </summary>
    (IReadOnlyList<FleetProject> Projects, IReadOnlyList<string> Skipped) ProjectsToRunIn(FleetRegistry registry)
    {
        if (Project is null && Tag is null)
            throw new TargetFailedException("choose the projects: --project NAME... (globs such as 'web-*' too) or --tag TAG", 2);
        var selected = registry.Select(Project, Tag);
        var projects = selected.Where(p => p.Enabled || Force).ToList();
        var skipped = selected.Except(projects).Select(p => p.Name).ToList();
        if (skipped.Count > 0)
            Console.Error.WriteLine($"skipping disabled {string.Join(", ", skipped)}; --force includes them");
        if (projects.Count == 0)
            throw new TargetFailedException($"no {(Force ? "" : "enabled ")}project matches {Selection}; see ./build.sh ListFleet", 2);
        return (projects, skipped);
    }

    string Selection => string.Join(" ", new[] { Project is null ? null : $"--project {ShellWords.Join(Project)}", Tag is null ? null : $"--tag {ShellWords.Join(Tag)}" }.OfType<string>());
}
