namespace Runbook;

/// <summary>A target with its references resolved: the graph the planner works on.</summary>
internal sealed class ExecutableTarget(string name, int declarationIndex, TargetDefinition definition)
{
    public string Name { get; } = name;
    public int DeclarationIndex { get; } = declarationIndex;
    public TargetDefinition Definition { get; } = definition;
    public string? Description => Definition.DescriptionText;
    public bool IsDefault { get; set; }

    /// <summary>Targets that must run (successfully) before this one: DependsOn plus reversed DependentFor.</summary>
    public List<ExecutableTarget> Dependencies { get; } = [];

    /// <summary>Targets that, when scheduled too, run before this one: After plus reversed Before.</summary>
    public List<ExecutableTarget> OrderedAfter { get; } = [];

    /// <summary>Targets scheduled after this one runs: Triggers plus reversed TriggeredBy.</summary>
    public List<ExecutableTarget> Triggers { get; } = [];

    public List<ExecutableTarget> TriggeredBy { get; } = [];

    /// <summary>Every target that has to come before this one when both are scheduled.</summary>
    public IEnumerable<ExecutableTarget> Predecessors => Dependencies.Concat(OrderedAfter).Concat(TriggeredBy);

    public override string ToString() => Name;
}
