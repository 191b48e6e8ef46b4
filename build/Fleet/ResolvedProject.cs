using Orchestrator.Output;

namespace Orchestrator.Fleet;

/// <summary>A project's entry with defaults resolved, as GetProject and --json show it.</summary>
internal sealed record ResolvedProject(
    string Name,
    string Location,
    string Path,
    string? Remote,
    string Harness,
    string EngineUrl,
    string Ref,
    bool Enabled,
    IReadOnlyList<string> Tags,
    IReadOnlyList<string> IsolationAllow)
{
    public static ResolvedProject Of(FleetProject project) => new(
        project.Name, project.Location, project.Directory, project.Remote, project.Harness, project.EngineUrl, project.Ref,
        project.Enabled, project.Tags, project.IsolationAllow);

    /// <summary>The fields by their JSON names, in order: GetProject prints them, --field picks one.</summary>
    public IEnumerable<(string Key, object? Value)> Fields() =>
        RunbookJson.Default.ResolvedProject.Properties.Select(p => (p.Name, p.Get!(this)));
}
