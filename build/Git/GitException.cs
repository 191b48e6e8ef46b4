namespace Orchestrator.Git;

/// <summary>A git command failed; the message is one line naming the command and git's own reason. A target it escapes could not run (exit 2).</summary>
internal sealed class GitException(string message) : TargetFailedException(message, exitCode: 2);
