namespace Orchestrator.Git;

/// <summary>A git command failed; the message is one line naming the command and git's own reason.</summary>
internal sealed class GitException(string message) : Exception(message);
