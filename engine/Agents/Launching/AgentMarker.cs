using Engine.Agents.Processes;

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
    /// Forgets the marks this process inherited (when an agent runs the engine, for its own project or
    /// another): the tmux servers, watchdogs and other processes the engine starts belong to no agent
    /// unless the engine marks them.
    /// </summary>
    public static void ClearInherited()
    {
        Environment.SetEnvironmentVariable(Owner, null);
        Environment.SetEnvironmentVariable(Name, null);
    }

    /// <summary>The live processes of some of the project's agents, however they detached.</summary>
    public static IReadOnlyList<int> Find(string owner, IReadOnlySet<string> agents) =>
        [.. ProcessTable.FindByEnvironment(Owner, owner).Where(pid => ProcessTable.EnvironmentVariable(pid, Name) is { } agent && agents.Contains(agent))];

    /// <summary>
    /// The live processes of each agent of the project, from one look at /proc (<paramref name="marked"/>,
    /// every process with an <see cref="Owner"/> mark and its value), keyed by agent name.
    /// </summary>
    public static ILookup<string, int> ByAgent(IReadOnlyDictionary<int, string> marked, string owner) =>
        marked.Where(process => process.Value == owner)
            .ToLookup(process => ProcessTable.EnvironmentVariable(process.Key, Name) ?? "", process => process.Key);
}
