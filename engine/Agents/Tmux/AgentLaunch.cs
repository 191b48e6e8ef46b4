namespace Engine.Agents.Tmux;

/// <summary>Everything tmux needs to run one agent in its own session.</summary>
/// <param name="Environment">Handed over in <paramref name="EnvironmentFile"/>, which <paramref name="Argv"/> reads: never on tmux's command line.</param>
internal sealed record AgentLaunch(
    string Session,
    string Agent,
    string WorkingDirectory,
    IReadOnlyList<string> Argv,
    IReadOnlyDictionary<string, string> Environment,
    string EnvironmentFile,
    string LogFile);
