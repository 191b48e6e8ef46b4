namespace Engine.Agents.Launching;

/// <summary>
/// The variables every agent's environment carries so that everything it starts can be found in
/// /proc, however it detached (<c>setsid</c>, <c>nohup</c>, double forks): <c>down</c> ends those
/// processes and <c>status</c> counts them. The engine sets them last, so no <c>env</c> overrides them.
/// </summary>
internal static class AgentMarker
{
    /// <summary>The project's canonical folder, the same value as the <c>@ao_owner</c> mark on its sessions.</summary>
    public const string Owner = "AGENTS_OWNER";

    /// <summary>The agent's name, telling one agent's processes from another's within the project.</summary>
    public const string Name = "AGENTS_NAME";

    /// <summary>
    /// Forgets a mark this process inherited (when an agent runs the engine, for its own project or
    /// another): the tmux servers and watchdogs the engine starts belong to no agent.
    /// </summary>
    public static void ClearInherited() => Environment.SetEnvironmentVariable(Owner, null);
}
