namespace Orchestrator.Fleet;

/// <summary>One thing wrong with the fleet, where it is and what to do: <c>fleet.toml:12:9: ...; ...</c>.</summary>
internal sealed record FleetProblem(string File, int Line, int Column, string Message, string? Project = null)
{
    public override string ToString() => Line > 0 ? $"{File}:{Line}:{Column}: {Message}" : $"{File}: {Message}";
}

/// <summary>The registry could not be loaded; every problem found is listed.</summary>
internal sealed class FleetLoadException(IReadOnlyList<FleetProblem> problems)
    : Exception(string.Join(Environment.NewLine, problems))
{
    public IReadOnlyList<FleetProblem> Problems { get; } = problems;
}
