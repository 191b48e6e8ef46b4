namespace Orchestrator.Isolation;

/// <summary>IsolationCheck --json.</summary>
internal sealed record IsolationDocument(string Fleet, bool Ok, int ViolationCount, int AllowedCount, int NotScannedCount, IReadOnlyList<ProjectIsolationEntry> Projects);

internal sealed record ProjectIsolationEntry(string Name, string Location, bool Scanned, string? Error, int? FilesScanned, IReadOnlyList<ViolationEntry> Violations);

internal sealed record ViolationEntry(string Path, int? Line, string Text, string Match, string Rule, bool Allowed, string? AllowedBy);
