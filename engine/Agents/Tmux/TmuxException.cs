namespace Engine.Agents.Tmux;

internal sealed class TmuxException(string message) : Exception(message);
