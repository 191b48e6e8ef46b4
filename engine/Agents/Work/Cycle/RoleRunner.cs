using Engine.Agents.Work.Backends;
using Engine.Agents.Work.Config;
using Engine.Agents.Work.Model;
using Engine.Agents.Work.Running;

namespace Engine.Agents.Work.Cycle;

/// <summary>A role's run as the cycle sees it: what it said, and the raw output it came from.</summary>
internal sealed record RoleResult(RoleOutcome Outcome, ProcessRun Process, long Run);

/// <summary>Runs one role headless, recording the run (process, heartbeat, cost) as it goes.</summary>
internal static class RoleRunner
{
    public static RoleResult Run(CycleContext context, WorkRole role, string prompt, string workingDirectory, WorkTask? task, CancellationToken stop)
    {
        var work = context.Work;
        var marker = Guid.NewGuid().ToString("N");
        var backend = work.Backend.ToString().ToLowerInvariant();
        var run = context.Store.StartRun(context.Cycle, task?.Number, role.Name(), backend, work.ModelFor(role), marker, CycleContext.Now);
        var activity = context.Runs.Add(run, CycleContext.Now);
        try
        {
            var launch = RoleCommand.For(work, context.Project.ProjectDir, role, prompt, workingDirectory, task, context.Markers);
            var process = SupervisedProcess.Run(launch, marker, work.TaskTimeout, stop,
                onStart: (pid, start) => context.Store.RunProcess(run, pid, start),
                onEvent: activity.Touch,
                log: context.Layout.Log($"{task?.Id ?? $"cycle-{context.Cycle}"}-{role.Name()}-{run}.log"));
            var outcome = RoleOutput.Parse(work.Backend, process.Stdout, process.End(work.TaskTimeout));
            var word = process.TimedOut ? "timed_out" : process.Stopped ? "stopped" : outcome.Succeeded ? "succeeded" : "failed";
            context.Store.EndRun(run, word, outcome, null, CycleContext.Now);
            return new RoleResult(outcome, process, run);
        }
        finally
        {
            context.Runs.Remove(activity);
        }
    }
}
