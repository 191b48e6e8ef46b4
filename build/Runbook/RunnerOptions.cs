namespace Runbook;

public enum Verbosity
{
    Quiet,
    Minimal,
    Normal,
    Verbose,
}

/// <summary>The options every runbook understands. Bound by the same rules as a build's parameters, but never from the environment.</summary>
internal sealed class RunnerOptions
{
    [Parameter("Show the targets and parameters, then exit")]
    public bool Help;

    [Parameter("Show the execution order and write a Mermaid graph under .nuke/temp/, then exit")]
    public bool Plan;

    [Parameter("Targets to run (instead of typing them first)")]
    public string[]? Target;

    [Parameter("Skip these targets; bare: skip every target not invoked")]
    public string[]? Skip;

    [Parameter("The root folder (default: the nearest folder with a .nuke/ marker)")]
    public AbsolutePath? Root;

    [Parameter("quiet, minimal, normal or verbose")]
    public Verbosity Verbosity = Verbosity.Normal;

    [Parameter("Also load .nuke/parameters.<profile>.json")]
    public string[]? Profile;

    [Parameter("Do not print the logo")]
    public bool NoLogo;

    /// <summary>Only these may come from parameter files; none may come from the environment, so no variable selects targets.</summary>
    public static readonly string[] FromFiles = ["target", "skip", "verbosity", "nologo"];
}
