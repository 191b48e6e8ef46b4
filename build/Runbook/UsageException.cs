namespace Runbook;

/// <summary>The invocation itself is wrong (unknown target, missing or bad parameter, cycle): exit code 2, nothing runs.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>Thrown by a target to fail with a one-line message and a chosen exit code (1: failed, 2: could not run).</summary>
public class TargetFailedException(string message, int exitCode = 1) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>Thrown by a target once it has stopped on an abort (<see cref="NukeBuild.Cancellation"/>) and undone its work; the message says what was undone.</summary>
public sealed class TargetAbortedException(string message) : OperationCanceledException(message);
