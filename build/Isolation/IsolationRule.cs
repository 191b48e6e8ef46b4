namespace Orchestrator.Isolation;

/// <summary>Which fact about the orchestrator a project gave away; each is one SARIF rule.</summary>
internal enum IsolationRule
{
    OrchestratorName,
    OrchestratorPath,
    OrchestratorRemote,
}

internal static class IsolationRules
{
    public static string Id(this IsolationRule rule) => rule switch
    {
        IsolationRule.OrchestratorName => "orchestrator-name",
        IsolationRule.OrchestratorPath => "orchestrator-path",
        IsolationRule.OrchestratorRemote => "orchestrator-remote",
        _ => throw new ArgumentOutOfRangeException(nameof(rule)),
    };

    public static string Description(this IsolationRule rule) => rule switch
    {
        IsolationRule.OrchestratorName => "A project names the orchestrator (fleet, project-orchestrator, project orchestrator)",
        IsolationRule.OrchestratorPath => "A project contains the orchestrator's root or registry path",
        IsolationRule.OrchestratorRemote => "A project contains the orchestrator repository's remote URL",
        _ => throw new ArgumentOutOfRangeException(nameof(rule)),
    };
}
