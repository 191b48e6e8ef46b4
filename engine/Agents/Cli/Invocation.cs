namespace Engine.Agents.Cli;

internal enum Verb { Init, Up, Down, Status, Logs, Attach, Version, Help, Watchdog, Work }

/// <summary>One parsed command line: the verb, its operands and the options that apply to it.</summary>
/// <param name="ConfigPaths">One config; <c>status --json</c> alone may take several, to report many projects in one call.</param>
internal sealed record Invocation(
    Verb Verb,
    IReadOnlyList<string> Operands,
    IReadOnlyList<string> ConfigPaths,
    bool Json = false,
    bool Follow = false)
{
    public string ConfigPath => ConfigPaths[0];

    /// <summary>The work command (cycle, task, tasks...) when <see cref="Verb"/> is <see cref="Verb.Work"/>.</summary>
    public Work.Commands.WorkRequest? Work { get; init; }
}
