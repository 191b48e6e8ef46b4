namespace Engine.Agents.Tmux;

/// <summary>Everything tmux needs to run one agent in its own session.</summary>
internal sealed record AgentLaunch(
    string Session,
    string Agent,
    string WorkingDirectory,
    IReadOnlyList<string> Argv,
    IReadOnlyDictionary<string, string> Environment,
    string LogFile);
