using System.Text.Json;
using System.Text.Json.Serialization;
using Orchestrator.Git;
using Orchestrator.GitHub;
using Orchestrator.Harness;
using Orchestrator.Work;

namespace Orchestrator.Fleet;

/// <summary>FleetStatus --json.</summary>
/// <param name="Work">With --live: the work cycles of the projects whose harness has them, summed.</param>
internal sealed record StatusDocument(string Fleet, StatusTotals Totals, IReadOnlyList<ProjectStatusEntry> Projects,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] WorkTotals? Work = null);

internal sealed record StatusTotals(int Total, int Enabled, int Disabled);

/// <param name="Error">Why the git facts could not be read, as one line; null when they were.</param>
/// <param name="Github">With --github: the project's open engine pull request, its CI, and the pin on GitHub's default branch.</param>
internal sealed record ProjectStatusEntry(ResolvedProject Project, bool Cloned, string? Error, WorkingTreeStatus? Git, EngineFacts Engine, LiveFacts? Live,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] GitHubFacts? Github = null);

/// <param name="Submodule">The engine submodule's facts (pin, staged pin, checkout, local changes); null when it has none.</param>
internal sealed record EngineFacts(bool InSync, IReadOnlyList<string> Problems, SubmoduleFacts? Submodule);

/// <param name="Work">The state of its work cycles (heartbeat class, paused, tasks by state, cost); null when it has none.</param>
/// <param name="Harness">The harness's own status --json report, as it gave it.</param>
internal sealed record LiveFacts(int Running, int Total, string Watchdog, IReadOnlyList<string> Troubled, string? Error, WorkStatus? Work, JsonElement? Harness);

/// <summary>ValidateFleet --json.</summary>
internal sealed record ValidationDocument(string Fleet, bool Ok, int ProblemCount, IReadOnlyList<FleetProblem> Registry, IReadOnlyList<ProjectValidationEntry> Projects);

internal sealed record ProjectValidationEntry(string Name, string Location, bool Ok, IReadOnlyList<FleetProblem> Problems);
