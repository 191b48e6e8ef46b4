namespace Engine.Agents.Cli;

internal enum Verb { Init, Up, Down, Status, Logs, Attach, Version, Help, Watchdog }

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
}
