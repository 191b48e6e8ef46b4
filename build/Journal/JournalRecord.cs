using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orchestrator.Journal;

/// <summary>
/// What a mutating run is about to do, written before its first change and removed after its last (or after its undo):
/// a record still on disk with no live owner means the run was killed in between.
/// </summary>
/// <param name="Operation">The target, e.g. CreateProject.</param>
/// <param name="Subject">What it works on, e.g. the project's name; one run per operation and subject at a time.</param>
/// <param name="Intent">The operation's own account of what it changes, enough to finish it or roll it back.</param>
internal sealed record JournalRecord(string Operation, string Subject, int Pid, DateTimeOffset Started, JsonElement Intent)
{
    /// <summary>"CreateProject of 'alpha' (pid 4242, started 2026-11-01 15:02:11)".</summary>
    public string Describe() => $"{Operation} of '{Subject}' (pid {Pid}, started {Started.ToLocalTime():yyyy-MM-dd HH:mm:ss})";
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(JournalRecord))]
internal sealed partial class JournalJson : JsonSerializerContext;
