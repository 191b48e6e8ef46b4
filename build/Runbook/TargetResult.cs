namespace Runbook;

public enum TargetStatus
{
    Succeeded,
    Failed,
    Skipped,
    NotRun,
    Aborted,
}

internal sealed record TargetResult(ExecutableTarget Target, TargetStatus Status, TimeSpan Duration, string? Note = null, int ExitCode = 0);
