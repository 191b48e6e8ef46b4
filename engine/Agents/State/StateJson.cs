using System.Text.Json.Serialization;

namespace Engine.Agents.State;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(AgentRecord))]
[JsonSerializable(typeof(WatchdogHeartbeat))]
internal sealed partial class StateJson : JsonSerializerContext;
