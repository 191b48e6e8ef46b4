namespace Orchestrator.Fleet;

/// <summary>One thing wrong with the fleet, where it is and what to do: <c>fleet.toml:12:9: ...; ...</c>.</summary>
internal sealed record FleetProblem(string File, int Line, int Column, string Message, string? Project = null)
{
    public override string ToString() => Line > 0 ? $"{File}:{Line}:{Column}: {Message}" : $"{File}: {Message}";
}

/// <summary>The registry could not be loaded; every problem found is listed. A target that meets it could not run (exit 2).</summary>
internal sealed class FleetLoadException(IReadOnlyList<FleetProblem> problems)
    : TargetFailedException(string.Join(Environment.NewLine, problems), exitCode: 2)
{
    public IReadOnlyList<FleetProblem> Problems { get; } = problems;
}
