using System.Collections.Concurrent;
using Orchestrator.Fleet;
using Orchestrator.Harness;
using Orchestrator.Work;

namespace Orchestrator.Dashboard;

/// <summary>How an action ended (succeeded, failed, or refused before it ran), its one-line message, and what the harness printed.</summary>
internal sealed record ActionOutcome(string State, string Message, string? Output = null)
{
    public static ActionOutcome Of(bool succeeded, string message, string? output = null) => new(succeeded ? "succeeded" : "failed", message, output);

    public static ActionOutcome Refused(string message) => new("refused", message);
}

/// <summary>
/// The actions of the page and of <c>POST /api/v1/projects/{name}/{action}</c>, each running the code of its target
/// (StartProject, StopProject, RunCycle, PauseProject, ResumeProject). One action at a time per project. An action
/// runs in the server, not in the request: a cycle takes minutes, so the request waits a few seconds for the result
/// and otherwise answers "running"; the project's state carries the result once it is known. Stopping the server
/// stops the actions under way (a cycle then aborts cleanly: its workers stop and their tasks are queued again).
/// </summary>
internal sealed class ProjectActions(TimeProvider clock, CancellationToken serverStopping)
{
    public static readonly IReadOnlyList<string> Names = ["start", "stop", "cycle", "pause", "resume"];

    private readonly ConcurrentDictionary<string, (ActionDocument Document, Task Run)> _last = new();
    private readonly Lock _gate = new();

    /// <summary>Raised with the project's name when an action on it ended: what the fleet's state says of it has changed.</summary>
    public event Action<string>? Ended;

    public ActionDocument? Last(string project) => _last.TryGetValue(project, out var last) ? last.Document : null;

    /// <summary>Changes each time an action starts or ends: an answer that shows the actions is out of date when it does.</summary>
    public int Version { get; private set; }

    /// <summary>Waits for the actions under way to end (once the server's stop cancelled them), at most <paramref name="patience"/>.</summary>
    public async Task StoppedAsync(TimeSpan patience)
    {
        var running = _last.Values.Select(last => last.Run).ToList();
        await Task.WhenAny(Task.WhenAll(running), Task.Delay(patience));
    }

    /// <summary>Starts <paramref name="action"/>; null when another action on the project still runs (see <see cref="Last"/>).</summary>
    /// <param name="noPlan">For a cycle: work the queue without planning first (RunCycle --no-plan).</param>
    public Task<ActionDocument>? Start(FleetProject project, string action, bool noPlan)
    {
        lock (_gate)
        {
            if (_last.TryGetValue(project.Name, out var last) && !last.Run.IsCompleted)
                return null;
            var running = new ActionDocument(project.Name, action, "running", $"{action} started", clock.GetUtcNow(), null);
            var run = Task.Run(() => RunAsync(project, action, noPlan, running));
            _last[project.Name] = (running, run);
            Version++;
            return run;
        }
    }

    private async Task<ActionDocument> RunAsync(FleetProject project, string action, bool noPlan, ActionDocument running)
    {
        ActionOutcome outcome;
        try
        {
            outcome = await Perform(project, action, noPlan, serverStopping);
        }
        catch (TargetFailedException e)
        {
            // Not cloned, disabled, no harness: what the target refuses too.
            outcome = ActionOutcome.Refused(e.Message);
        }
        catch (OperationCanceledException)
        {
            outcome = ActionOutcome.Of(false, $"{action} stopped: the dashboard server is stopping");
        }
        catch (Exception e)
        {
            // A program that could not start, a file that could not be read: the action ended, and says why.
            outcome = ActionOutcome.Of(false, $"{action} failed: {e.Message.Split('\n')[0]}");
        }
        var ended = running with
        {
            State = outcome.State,
            Message = outcome.Message,
            Output = outcome.Output,
            Ended = clock.GetUtcNow(),
        };
        lock (_gate)
        {
            _last[project.Name] = (ended, Task.CompletedTask);
            Version++;
        }
        Ended?.Invoke(project.Name);
        return ended;
    }

    private static async Task<ActionOutcome> Perform(FleetProject project, string action, bool noPlan, CancellationToken cancel) => action switch
    {
        "start" => Agents(project, "up", await ProjectAgents.RunCollectedAsync(project, "up", cancel)),
        "stop" => Agents(project, "down", await ProjectAgents.RunCollectedAsync(project, "down", cancel)),
        "cycle" when !project.Enabled => throw new TargetFailedException($"project '{project.Name}' is disabled in fleet.toml; run its cycle with ./build.sh RunCycle --project {project.Name} --force"),
        "cycle" => Cycle(await ProjectWork.RunCycleAsync(project, noPlan, cancel: cancel)),
        "pause" => Work(await ProjectWork.PauseAsync(project, "paused from the dashboard", cancel)),
        "resume" => Work(await ProjectWork.ResumeAsync(project, cancel)),
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "not an action of the dashboard"),
    };

    private static ActionOutcome Agents(FleetProject project, string verb, Processes.CommandResult result) =>
        ActionOutcome.Of(result.Succeeded,
            result.Succeeded ? $"engine/agents {verb}: done" : $"engine/agents {verb} exited {result.ExitCode} in {project.Directory}: {result.FirstErrorLine}",
            result.Transcript);

    private static ActionOutcome Cycle(CycleRun run) => run.Skipped ? ActionOutcome.Refused(run.Message) : ActionOutcome.Of(run.Outcome == CycleOutcome.Succeeded, run.Message);

    private static ActionOutcome Work(WorkReply<string> reply) => reply.Outcome switch
    {
        WorkOutcome.Done => ActionOutcome.Of(true, reply.Message.Length > 0 ? reply.Message : "done"),
        WorkOutcome.Failed => ActionOutcome.Of(false, reply.Message),
        _ => ActionOutcome.Refused(reply.Message),
    };
}
