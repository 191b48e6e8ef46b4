using System.Text.Json.Serialization;
using Orchestrator.Fleet;
using Orchestrator.Isolation;

namespace Orchestrator.Output;

/// <summary>
/// Every --json document of the runbook, serialized by generated code: a native build has no reflection-based
/// serializer. A new document is a record listed here (its properties in PascalCase become snake_case keys).
/// </summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ResolvedProject))]
[JsonSerializable(typeof(IReadOnlyList<ResolvedProject>))]
[JsonSerializable(typeof(StatusDocument))]
[JsonSerializable(typeof(ValidationDocument))]
[JsonSerializable(typeof(IsolationDocument))]
internal sealed partial class RunbookJson : JsonSerializerContext;
