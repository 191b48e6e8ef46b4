using Orchestrator.Fleet;
using Orchestrator.Journal;

namespace Orchestrator.Projects;

/// <summary>What was done about a killed run's work, in words for the operator.</summary>
/// <param name="Finished">True when the interrupted work was completed; false when it was rolled back.</param>
internal sealed record Resumed(bool Finished, string Account);

/// <summary>A killed run found in the journal, and what this run did about it.</summary>
internal sealed record RecoveredRun(JournalRecord Record, Resumed Outcome);

/// <summary>
/// Finishes or rolls back what killed runs of CreateProject and UpdateEngine left (kill -9, a crash, a power cut): the
/// next run of either, or of ValidateFleet, does it first and says which. A run that is still alive is left alone.
/// </summary>
internal static class InterruptedRuns
{
    public static IReadOnlyList<RecoveredRun> Recover(AbsolutePath fleetFile, Func<AbsolutePath, IReadOnlyList<string>> isolationViolations, TextWriter log, bool dryRun)
    {
        var recovered = new List<RecoveredRun>();
        foreach (var entry in new OperationJournal(fleetFile).Abandoned())
            using (entry)
            {
                var record = entry.Record;
                if (dryRun)
                {
                    log.WriteLine($"pending: {record.Describe()} was interrupted; a run without --dry-run finishes or rolls it back");
                    continue;
                }
                RecoveredRun run;
                try
                {
                    run = Resume(entry, fleetFile, isolationViolations, log);
                }
                catch (TargetFailedException e)
                {
                    throw new TargetFailedException($"{record.Describe()} was interrupted, and finishing or rolling it back failed: {e.Message}; fix that and run again", 2);
                }
                entry.Complete();
                log.WriteLine($"recovered: {record.Describe()} was interrupted; {run.Outcome.Account}");
                recovered.Add(run);
            }
        return recovered;
    }

    private static RecoveredRun Resume(JournalEntry entry, AbsolutePath fleetFile, Func<AbsolutePath, IReadOnlyList<string>> isolationViolations, TextWriter log)
    {
        var registry = FleetRegistry.LoadOrEmpty(fleetFile);
        Resumed outcome;
        switch (entry.Record.Operation)
        {
            case ProjectCreator.Operation:
                var creation = entry.Intent(IntentJson.Default.CreationIntent);
                outcome = new ProjectCreator(creation.Project, registry, isolationViolations).Resume(creation.FirstMadeFolder, log);
                break;
            case EngineBump.Operation:
                outcome = EngineBump.Resume(entry.Intent(IntentJson.Default.BumpIntent), registry);
                break;
            default:
                throw new TargetFailedException($"{entry.Record.Operation} is not an operation this runbook knows; a newer runbook left it");
        }
        return new RecoveredRun(entry.Record, outcome);
    }
}
