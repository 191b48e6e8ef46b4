namespace Engine.Agents.Cli;

internal enum Verb { Init, Up, Down, Status, Logs, Version, Help, Watchdog }

/// <summary>One parsed command line: the verb, its operands and the options that apply to it.</summary>
internal sealed record Invocation(
    Verb Verb,
    IReadOnlyList<string> Operands,
    string ConfigPath,
    bool Json = false,
    bool Follow = false);
