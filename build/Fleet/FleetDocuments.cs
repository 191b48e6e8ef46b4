using System.Text.Json;
using Orchestrator.Git;

namespace Orchestrator.Fleet;

/// <summary>FleetStatus --json.</summary>
internal sealed record StatusDocument(string Fleet, StatusTotals Totals, IReadOnlyList<ProjectStatusEntry> Projects);

internal sealed record StatusTotals(int Total, int Enabled, int Disabled);

/// <param name="Error">Why the git facts could not be read, as one line; null when they were.</param>
internal sealed record ProjectStatusEntry(ResolvedProject Project, bool Cloned, string? Error, WorkingTreeStatus? Git, EngineFacts Engine, LiveFacts? Live);

/// <param name="Submodule">The engine submodule's facts (pin, staged pin, checkout, local changes); null when it has none.</param>
internal sealed record EngineFacts(bool InSync, IReadOnlyList<string> Problems, SubmoduleFacts? Submodule);

/// <param name="Harness">The harness's own status --json report, as it gave it.</param>
internal sealed record LiveFacts(int Running, int Total, string Watchdog, IReadOnlyList<string> Troubled, string? Error, JsonElement? Harness);

/// <summary>ValidateFleet --json.</summary>
internal sealed record ValidationDocument(string Fleet, bool Ok, int ProblemCount, IReadOnlyList<FleetProblem> Registry, IReadOnlyList<ProjectValidationEntry> Projects);

internal sealed record ProjectValidationEntry(string Name, string Location, bool Ok, IReadOnlyList<FleetProblem> Problems);
