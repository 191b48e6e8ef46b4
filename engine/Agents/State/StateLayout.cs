namespace Engine.Agents.State;

/// <summary>The files under a project's <c>.ao-state/</c>.</summary>
internal sealed record StateLayout(string Root)
{
    public static StateLayout For(string projectDir) => new(Path.Combine(projectDir, ".ao-state"));

    public string AgentsDir => Path.Combine(Root, "agents");
    public string LogsDir => Path.Combine(Root, "logs");
    public string AgentFile(string agent) => Path.Combine(AgentsDir, agent + ".json");
    public string LogFile(string agent) => Path.Combine(LogsDir, agent + ".log");

    /// <summary>An agent's environment between the engine and its launch script; deleted as soon as it is read.</summary>
    public string EnvironmentFile(string agent) => Path.Combine(Root, "launch", agent + ".env");
    public string Heartbeat => Path.Combine(Root, "watchdog.json");
    public string WatchdogLock => Path.Combine(Root, "watchdog.lock");
    public string WatchdogLog => Path.Combine(Root, "watchdog.log");

    /// <summary>Held briefly by whoever changes agents (up, down, a watchdog cycle) so they take turns.</summary>
    public string ControlLock => Path.Combine(Root, "control.lock");

    public void Create()
    {
        Directory.CreateDirectory(AgentsDir);
        Directory.CreateDirectory(LogsDir);
        // Runtime state never belongs in the project's history, whatever its .gitignore says.
        var ignore = Path.Combine(Root, ".gitignore");
        if (!File.Exists(ignore))
            File.WriteAllText(ignore, "*\n");
    }
}
