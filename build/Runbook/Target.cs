namespace Runbook;

/// <summary>A target is declared as a property: <c>Target Compile => _ => _.Executes(...)</c>.</summary>
public delegate ITargetDefinition Target(ITargetDefinition definition);

/// <summary>What happens to a skipped target's dependencies that nothing else needs.</summary>
public enum DependencyBehavior
{
    Execute,
    Skip,
}
