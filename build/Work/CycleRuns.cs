using Orchestrator.Fleet;

namespace Orchestrator.Work;

/// <summary>RunCycle's effects: the planned projects' cycles through their harnesses, a bounded number at a time.</summary>
internal static class CycleRuns
{
    /// <summary>
    /// Runs each project's cycle, at most <paramref name="parallel"/> at once; <paramref name="finished"/> hears of each
    /// as it ends. The results come back in the order of <paramref name="projects"/>.
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled (Ctrl-C): every harness still running was told to stop.</exception>
    public static IReadOnlyList<CycleRun> Run(IReadOnlyList<FleetProject> projects, int parallel, bool noPlan, TextWriter progressOutput,
        Action<CycleRun> finished, CancellationToken cancel)
    {
        using var progress = new CycleProgress(progressOutput, projects.Count);
        using var slots = new SemaphoreSlim(Math.Max(1, parallel));
        async Task<CycleRun> RunOne(FleetProject project)
        {
            await slots.WaitAsync(cancel);
            try
            {
                progress.Started(project.Name);
                var run = await ProjectWork.RunCycleAsync(project, noPlan, progress.For(project.Name), cancel);
                progress.Finished(project.Name);
                finished(run);
                return run;
            }
            finally
            {
                slots.Release();
            }
        }
        return Task.WhenAll(projects.Select(RunOne)).GetAwaiter().GetResult();
    }
}
