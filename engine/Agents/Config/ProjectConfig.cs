namespace Engine.Agents.Config;

internal enum AgentKind { Persistent, Oneshot }

internal enum Backend { Claude, Codex, Command }

internal enum WatchMode { Heal, None }

/// <summary>Where a value was written, for errors of the form <c>agents.toml:LINE:COL</c>.</summary>
internal readonly record struct SourceLocation(string File, int Line, int Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}

/// <summary>One <c>[[agent]]</c> table, validated.</summary>
internal sealed record AgentSpec(
    string Name,
    AgentKind Kind,
    Backend Backend,
    IReadOnlyList<string> Command,
    IReadOnlyList<string> Args,
    string? Prompt,
    WatchMode Watch,
    Scheduling.WakeSchedule? Wake,
    string? WakePrompt,
    IReadOnlyDictionary<string, string> Env,
    string? Workdir,
    SourceLocation Location,
    IReadOnlyDictionary<string, SourceLocation> KeyLocations)
{
    /// <summary>The location of a key's value, or of the table when the key is absent.</summary>
    public SourceLocation Where(string key) => KeyLocations.TryGetValue(key, out var at) ? at : Location;
}

/// <summary>A project's agents.toml, validated; paths in it are relative to <see cref="ProjectDir"/>.</summary>
internal sealed record ProjectConfig(
    string ConfigPath,
    string DisplayPath,
    string ProjectDir,
    string SessionPrefix,
    TimeSpan WatchdogInterval,
    IReadOnlyList<AgentSpec> Agents,
    Work.Config.WorkConfig? Work = null)
{
    public static readonly TimeSpan DefaultWatchdogInterval = TimeSpan.FromSeconds(5);

    public string SessionName(AgentSpec agent) => SessionPrefix + agent.Name;

    public string Resolve(string relativeOrAbsolute) => Path.GetFullPath(relativeOrAbsolute, ProjectDir);

    public AgentSpec? Find(string name) => Agents.FirstOrDefault(a => a.Name == name);
}
