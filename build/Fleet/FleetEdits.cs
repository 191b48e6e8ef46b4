using Engine.Toml;

namespace Orchestrator.Fleet;

/// <summary>A new [[project]] entry as RegisterProject and CreateProject write it; absent optional keys are not written.</summary>
internal sealed record ProjectEntry(string Name, string Location, string? EngineUrl, string? Ref, string? Harness, IReadOnlyList<string> Tags);

/// <summary>The registry edits of the runbook, each touching only its own entry so operators' comments and layout survive.</summary>
internal static class FleetEdits
{
    /// <summary>Appends a [[project]] after the last one. Returns the diff.</summary>
    public static string Save(AbsolutePath fleetFile, ProjectEntry entry, bool dryRun) =>
        FleetRegistry.Edit(fleetFile, (registry, document) =>
        {
            if (registry.Find(entry.Name) is not null)
                throw new TargetFailedException($"{registry.DisplayName} already has a project '{entry.Name}'; choose another name or unregister it first", 2);
            var table = new TomlTable();
            table.Add("name", entry.Name);
            table.Add("location", entry.Location);
            if (entry.EngineUrl is not null)
                table.Add("engine_url", entry.EngineUrl);
            if (entry.Ref is not null)
                table.Add("ref", entry.Ref);
            if (entry.Harness is not null)
                table.Add("harness", entry.Harness);
            if (entry.Tags.Count > 0)
                table.Add("tags", Strings(entry.Tags));
            document.AppendTableArrayEntry("project", table);
        }, dryRun);

    /// <summary>Removes the entries of the projects named or matched, each with the comment lines just above it. Returns their names and the diff.</summary>
    public static (IReadOnlyList<string> Removed, string Diff) Remove(AbsolutePath fleetFile, IReadOnlyList<string> patterns, bool dryRun)
    {
        var removed = new List<string>();
        var diff = FleetRegistry.Edit(fleetFile, (registry, document) =>
        {
            var selected = registry.Select(patterns, null);
            if (selected.Count == 0)
                throw new TargetFailedException($"no project of {registry.DisplayName} matches {string.Join(" ", patterns.Select(p => $"'{p}'"))}; ./build.sh ListFleet lists them");
            // From the last entry up, so removing one never moves the next one to remove.
            foreach (var index in selected.Select(p => IndexOf(document, p.Name)).OrderDescending())
                document.RemoveTableArrayEntry("project", index);
            removed.AddRange(selected.Select(p => p.Name));
        }, dryRun);
        return (removed, diff);
    }

    /// <summary>Sets a project's ref, keeping the comments around the key. Returns the diff.</summary>
    public static string SetRef(AbsolutePath fleetFile, string name, string reference, bool dryRun) =>
        FleetRegistry.Edit(fleetFile, (registry, document) =>
        {
            registry.Get(name);
            var entry = (TomlTable)document.Root["project"].AsArray()[IndexOf(document, name)];
            entry.Set("ref", reference);
        }, dryRun);

    private static int IndexOf(TomlDocument document, string name)
    {
        var projects = document.Root["project"].AsArray();
        for (var i = 0; i < projects.Count; i++)
            if (projects[i] is TomlTable table && table.TryGetValue("name", out var value) && value.Kind == TomlKind.String && value.AsString() == name)
                return i;
        throw new InvalidOperationException($"project '{name}' vanished from the document");
    }

    private static TomlArray Strings(IEnumerable<string> values)
    {
        var array = new TomlArray();
        foreach (var value in values)
            array.Add(value);
        return array;
    }
}
