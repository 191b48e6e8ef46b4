namespace Engine.Agents.Work.Backends;

/// <summary>A program to run for a cycle: argv (never a shell string), folder, extra environment, and what it reads on stdin.</summary>
internal sealed record ProcessLaunch(
    IReadOnlyList<string> Argv,
    string WorkingDirectory,
    IReadOnlyDictionary<string, string> Environment,
    string? Stdin = null);
