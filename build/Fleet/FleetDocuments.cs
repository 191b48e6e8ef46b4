using System.Text.Json;

namespace Orchestrator.Fleet;

/// <summary>FleetStatus --json.</summary>
internal sealed record StatusDocument(string Fleet, StatusTotals Totals, IReadOnlyList<ProjectStatusEntry> Projects);

internal sealed record StatusTotals(int Total, int Enabled, int Disabled);

internal sealed record ProjectStatusEntry(ResolvedProject Project, bool Cloned, GitFacts? Git, EngineFacts Engine, LiveFacts? Live);

internal sealed record GitFacts(string? Branch, string? Upstream, int Ahead, int Behind, int Uncommitted);

internal sealed record EngineFacts(bool InSync, IReadOnlyList<string> Problems);

/// <param name="Harness">The harness's own status --json report, as it gave it.</param>
internal sealed record LiveFacts(int Running, int Total, string Watchdog, IReadOnlyList<string> Troubled, string? Error, JsonElement? Harness);

/// <summary>ValidateFleet --json.</summary>
internal sealed record ValidationDocument(string Fleet, bool Ok, int ProblemCount, IReadOnlyList<FleetProblem> Registry, IReadOnlyList<ProjectValidationEntry> Projects);

internal sealed record ProjectValidationEntry(string Name, string Location, bool Ok, IReadOnlyList<FleetProblem> Problems);
