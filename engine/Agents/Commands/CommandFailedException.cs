namespace Engine.Agents.Commands;

/// <summary>The command could not do its work; the message says why and what to do. Exits with 1.</summary>
internal sealed class CommandFailedException(string message) : Exception(message);
