namespace Engine.Agents.Cli;

/// <summary>The command line itself is wrong; exits with 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
