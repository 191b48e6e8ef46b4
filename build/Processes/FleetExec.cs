using System.Text.Json.Serialization;
using Orchestrator.Fleet;
using Orchestrator.Output;

namespace Orchestrator.Processes;

/// <summary>What one project's run of the command gave; <see cref="Error"/> says why it did not run at all.</summary>
internal sealed record ExecOutcome(string Name, string Directory, int? ExitCode, string Stdout, string Stderr, string? Error)
{
    public bool Succeeded => Error is null && ExitCode == 0;

    /// <summary>Stdout and stderr as they came, for people; machines get the two apart.</summary>
    [JsonIgnore]
    public string Transcript { get; init; } = Stdout + Stderr;

    [JsonIgnore]
    public string Verdict => Error is not null ? $"not run: {Error}" : $"exit {ExitCode}";
}

/// <summary>Exec's --json document: the command, each project's outcome in registry order, the failed and the skipped.</summary>
internal sealed record ExecReport(IReadOnlyList<string> Command, IReadOnlyList<ExecOutcome> Projects, IReadOnlyList<string> Failed, IReadOnlyList<string> Skipped);

/// <summary>
/// Exec: one command (an argument array; a shell only when the operator names one) in each project's folder,
/// a bounded number at once with no thread held per project. Outcomes come back in registry order, each as soon as
/// it and all before it are done, so output is grouped by project and still shows up while the rest run.
/// </summary>
internal static class FleetExec
{
    /// <param name="onEach">Each outcome, in registry order, as soon as it and all before it are done.</param>
    /// <param name="progress">A line every <paramref name="progressEvery"/> while commands run: how many are done, which one the output waits for.</param>
    public static async Task<IReadOnlyList<ExecOutcome>> RunAsync(IReadOnlyList<FleetProject> projects, IReadOnlyList<string> command, int parallel,
        Action<ExecOutcome> onEach, Action<string> progress, TimeSpan progressEvery, CancellationToken cancel)
    {
        var slots = new SemaphoreSlim(Math.Max(1, parallel));
        var runs = projects.Select(async project =>
        {
            await slots.WaitAsync(cancel);
            try
            {
                return await RunOneAsync(project, command, cancel);
            }
            finally
            {
                slots.Release();
            }
        }).ToList();
        using var finished = new CancellationTokenSource();
        var heartbeat = ReportProgressAsync(projects, runs, progress, progressEvery, finished.Token);
        try
        {
            var outcomes = new List<ExecOutcome>();
            foreach (var run in runs)
            {
                outcomes.Add(await run);
                onEach(outcomes[^1]);
            }
            return outcomes;
        }
        finally
        {
            // On a cancellation every run is stopping too: wait for them, so no program outlives the target.
            await Task.WhenAll(runs.Select(r => r.ContinueWith(_ => { }, TaskScheduler.Default)));
            finished.Cancel();
            await heartbeat;
        }
    }

    private static async Task ReportProgressAsync(IReadOnlyList<FleetProject> projects, IReadOnlyList<Task<ExecOutcome>> runs, Action<string> progress,
        TimeSpan every, CancellationToken finished)
    {
        using var timer = new PeriodicTimer(every);
        try
        {
            while (await timer.WaitForNextTickAsync(finished))
                if (runs.Select((run, i) => (run, i)).FirstOrDefault(r => !r.run.IsCompleted) is { run: not null } waiting)
                    progress($"{runs.Count(r => r.IsCompleted)} of {runs.Count} done; waiting for {projects[waiting.i].Name}");
        }
        catch (OperationCanceledException)
        {
            // All done.
        }
    }

    /// <summary>What the run would do, per project, without running anything.</summary>
    public static IEnumerable<string> Plan(IReadOnlyList<FleetProject> projects, IReadOnlyList<string> command) =>
        projects.Select(project => NotRunnable(project, command) is { } reason
            ? $"{project.Name}: would not run: {reason}"
            : $"{project.Name}: would run {ShellWords.Join(command)} in {project.Directory}");

    private static async Task<ExecOutcome> RunOneAsync(FleetProject project, IReadOnlyList<string> command, CancellationToken cancel)
    {
        if (NotRunnable(project, command) is { } reason)
            return new ExecOutcome(project.Name, project.Directory, null, "", "", reason);
        var program = Command.Find(command[0], project.Directory)!;
        var result = await Command.RunAsync(program, command.Skip(1), project.Directory, cancel: cancel);
        return new ExecOutcome(project.Name, project.Directory, result.ExitCode, result.Output, result.Error, null) { Transcript = result.Transcript };
    }

    private static string? NotRunnable(FleetProject project, IReadOnlyList<string> command)
    {
        if (!project.IsCloned)
            return $"no local clone at {project.Directory}{(project.Remote is null ? "" : $"; clone it from {project.Remote}")}";
        if (Command.Find(command[0], project.Directory) is null)
            return command[0].Contains('/')
                ? $"no executable {command[0]} in {project.Directory}"
                : $"no program '{command[0]}' on PATH";
        return null;
    }

    /// <summary>One project's output under its name: <c>== api</c>, or <c>== web: exit 1</c> when it failed.</summary>
    public static void WriteGroup(TextWriter output, ExecOutcome outcome)
    {
        output.WriteLine(outcome.Succeeded ? $"== {outcome.Name}" : $"== {outcome.Name}: {outcome.Verdict}");
        output.Write(outcome.Transcript);
        output.Flush();
    }
}
