using Orchestrator.Harness;
using Orchestrator.Output;
using Orchestrator.Work;

namespace Orchestrator;

partial class Build
{
    [Parameter("RunCycle: skip the planner and work the tasks already queued")]
    readonly bool NoPlan;

    [Parameter("AddTask: the task's title")]
    readonly string? Title;

    [Parameter("AddTask: what the task is about, for its worker")]
    readonly string? Description;

    [Parameter("AddTask: ids of the project's tasks that must be merged first (t3 t4)")]
    readonly string[]? DependsOn;

    [Parameter("Tasks: only tasks in this state (queued, running, passed, failed, merged, blocked, conflict, cancelled)")]
    readonly string? State;

    [Parameter("PauseProject: why, shown by its status and by RunCycle")]
    readonly string? Reason;

    [Parameter("FleetCosts: from this UTC day on, YYYY-MM-DD")]
    readonly string? Since;

    Target RunCycle => _ => _
        .Description("Run a work cycle in each project through its harness (engine/agents cycle), --parallel at a time; paused projects are skipped")
        .Requires(() => Parallel >= 1)
        .Executes(() =>
        {
            if (Project is null && Tag is null)
                throw new TargetFailedException("RunCycle needs the projects whose cycles to run: --project NAME... or --tag TAG (--project '*' for every one)", 2);
            var projects = LoadFleet().Select(Project, Tag);
            var statuses = LiveStatus.AskAsync(CyclePlan.ToAsk(projects, Force), Console.Error).GetAwaiter().GetResult();
            var plan = CyclePlan.Make(projects, statuses, Force);
            if (DryRun)
            {
                foreach (var project in plan.ToRun)
                    Console.WriteLine($"would run {ProjectWork.Describe(project, WorkVerbs.Cycle(NoPlan))}");
                plan.NotRun.Select(CycleReport.Line).ToList().ForEach(Console.WriteLine);
                return;
            }
            if (!Json)
                plan.NotRun.Select(CycleReport.Line).ToList().ForEach(Console.WriteLine);
            var ran = CycleRuns.Run(plan.ToRun, Parallel, NoPlan, Console.Error, run => { if (!Json) Console.WriteLine(CycleReport.Line(run)); }, Cancellation);
            var runs = plan.Results(ran);
            if (Json)
                JsonOutput.Write(Console.Out, CycleReport.Document(runs, NoPlan, Force), RunbookJson.Default.RunCycleDocument);
            else
                Console.WriteLine(CycleReport.Summary(CycleReport.Totals(runs)));
            if (CycleReport.Failure(runs, NoPlan, Force) is { } failure)
                throw new TargetFailedException(failure);
        });

    Target AddTask => _ => _
        .Description("Queue a task in a project's work cycles through its harness (engine/agents task add)")
        .Requires(() => Project)
        .Requires(() => Title)
        .Executes(() => WorkCommands.AddTask(LoadFleet().Get(SingleProject), new NewTask(Title!, Description, DependsOn ?? []), DryRun, Cancellation));

    Target Tasks => _ => _
        .Description("List a project's work tasks through its harness (engine/agents tasks): state, cost, dependencies, title")
        .Requires(() => Project)
        .Executes(() => WorkCommands.Tasks(LoadFleet().Get(SingleProject), State, Json, Console.Out, Cancellation));

    Target PauseProject => _ => _
        .Description("Pause a project's work cycles through its harness (engine/agents pause): no task starts until ResumeProject")
        .Requires(() => Project)
        .Executes(() => WorkCommands.Pause(LoadFleet().Get(SingleProject), Reason, DryRun, Cancellation));

    Target ResumeProject => _ => _
        .Description("Resume a project's paused work cycles through its harness (engine/agents resume)")
        .Requires(() => Project)
        .Executes(() => WorkCommands.Resume(LoadFleet().Get(SingleProject), DryRun, Cancellation));

    Target FleetCosts => _ => _
        .Description("USD and tokens per project per UTC day, from each project's harness (engine/agents costs)")
        .Requires(() => Parallel >= 1)
        .Executes(() =>
        {
            var since = Work.FleetCosts.ParseSince(Since);
            var costs = Work.FleetCosts.Gather(LoadFleet().Select(Project, Tag), since, Parallel, Cancellation);
            Work.FleetCosts.Write(Console.Out, costs, Json);
            if (Work.FleetCosts.Failure(costs) is { } failure)
                throw new TargetFailedException(failure);
        });
}
