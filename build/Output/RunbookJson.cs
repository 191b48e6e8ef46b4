using System.Text.Json.Serialization;
using Orchestrator.Fleet;
using Orchestrator.Harness;
using Orchestrator.Isolation;
using Orchestrator.Processes;
using Orchestrator.Work;

namespace Orchestrator.Output;

/// <summary>
/// Every --json document of the runbook, serialized by generated code: a native build has no reflection-based
/// serializer. A new document is a record listed here (its properties in PascalCase become snake_case keys). The
/// harness's work reports are read through it too (their keys are snake_case as well).
/// </summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ResolvedProject))]
[JsonSerializable(typeof(IReadOnlyList<ResolvedProject>))]
[JsonSerializable(typeof(StatusDocument))]
[JsonSerializable(typeof(ValidationDocument))]
[JsonSerializable(typeof(IsolationDocument))]
[JsonSerializable(typeof(ExecReport))]
[JsonSerializable(typeof(WorkStatus))]
[JsonSerializable(typeof(CycleResult))]
[JsonSerializable(typeof(IReadOnlyList<WorkTask>))]
[JsonSerializable(typeof(IReadOnlyList<CycleRecord>))]
[JsonSerializable(typeof(ProjectCosts))]
[JsonSerializable(typeof(RunCycleDocument))]
[JsonSerializable(typeof(TasksDocument))]
[JsonSerializable(typeof(FleetCostsDocument))]
internal sealed partial class RunbookJson : JsonSerializerContext;
