using Engine.Toml;

namespace Orchestrator.Fleet;

/// <summary>
/// Reads fleet.toml (schema version 1) into the typed model, collecting every problem rather than stopping at
/// the first: wrong types, missing and unknown keys (with a did-you-mean), bad names, refs and URLs, duplicates.
/// </summary>
internal sealed class FleetSchema(string file, AbsolutePath folder)
{
    public const int Version = 1;
    private static readonly string[] TopLevelKeys = ["version", "defaults", "project"];
    private static readonly string[] DefaultsKeys = ["harness", "engine_url", "ref"];
    private static readonly string[] ProjectKeys = ["name", "location", "remote", "harness", "engine_url", "ref", "enabled", "tags", "isolation_allow"];
    public const string DefaultHarness = "agents";

    private readonly List<FleetProblem> _problems = [];

    public IReadOnlyList<FleetProblem> Problems => _problems;

    public (FleetDefaults Defaults, IReadOnlyList<FleetProject> Projects) Read(TomlTable root)
    {
        CheckKeys(root, TopLevelKeys, "at the top level", project: null);
        if (root.TryGetValue("version", out var version) && (version.Kind != TomlKind.Integer || version.AsInteger() != Version))
            Add(version.Line, version.Column, $"this runbook reads fleet.toml schema version {Version}, not {version}; update the orchestrator or set version = {Version}");

        var defaults = new FleetDefaults(null, null, null);
        if (root.TryGetValue("defaults", out var defaultsValue))
        {
            if (defaultsValue is TomlTable defaultsTable)
            {
                CheckKeys(defaultsTable, DefaultsKeys, "in [defaults]", project: null);
                defaults = new FleetDefaults(
                    Text(defaultsTable, "harness", null, FleetRules.CheckHarness),
                    Text(defaultsTable, "engine_url", null, FleetRules.CheckUrl),
                    Text(defaultsTable, "ref", null, FleetRules.CheckRef));
            }
            else
                Add(defaultsValue.Line, defaultsValue.Column, "'defaults' must be a table; write it as a [defaults] section");
        }

        var projects = new List<FleetProject>();
        if (root.TryGetValue("project", out var projectValue))
        {
            if (projectValue is TomlArray { IsTableArray: true } entries)
            {
                foreach (var entry in entries)
                    if (ReadProject((TomlTable)entry, defaults) is { } project)
                        projects.Add(project);
                CheckDuplicateNames(entries.Cast<TomlTable>());
            }
            else
                Add(projectValue.Line, projectValue.Column, "'project' must be an array of tables; write each project as a [[project]] section");
        }
        return (defaults, projects);
    }

    private FleetProject? ReadProject(TomlTable table, FleetDefaults defaults)
    {
        var name = Text(table, "name", null, FleetRules.CheckName);
        var label = name ?? "(unnamed)";
        CheckKeys(table, ProjectKeys, $"in project '{label}'", name);
        var location = Text(table, "location", name, _ => null);
        var remote = Text(table, "remote", name, FleetRules.CheckUrl);
        var harness = Text(table, "harness", name, FleetRules.CheckHarness) ?? defaults.Harness ?? DefaultHarness;
        var engineUrl = Text(table, "engine_url", name, FleetRules.CheckUrl) ?? defaults.EngineUrl;
        var reference = Text(table, "ref", name, FleetRules.CheckRef) ?? defaults.Ref;
        var enabled = Boolean(table, "enabled", name) ?? true;
        var tags = Strings(table, "tags", name, FleetRules.CheckTag);
        var isolationAllow = Strings(table, "isolation_allow", name, FleetRules.CheckAllowPattern);

        if (name is null && !table.ContainsKey("name"))
            Add(table.Line, table.Column, "a [[project]] has no 'name'; add name = \"my-project\"");
        if (location is null && !table.ContainsKey("location"))
            Add(table.Line, table.Column, $"project '{label}' has no 'location'; add location = \"projects/{(name ?? "my-project")}\"", name);
        if (engineUrl is null && !table.ContainsKey("engine_url"))
            Add(table.Line, table.Column, $"project '{label}' has no 'engine_url'; add engine_url = \"...\" or set engine_url in [defaults]", name);
        if (reference is null && !table.ContainsKey("ref"))
            Add(table.Line, table.Column, $"project '{label}' has no 'ref'; add ref = \"v0.1.0\" or set ref in [defaults]", name);

        if (name is null || location is null || engineUrl is null || reference is null)
            return null;
        return new FleetProject(name, location, AbsolutePath.Create(location, folder), remote, harness, engineUrl, reference,
            enabled, tags, isolationAllow, table.Line, table.Column);
    }

    /// <summary>Over every entry, even those with other problems, so that fixing them never uncovers a duplicate.</summary>
    private void CheckDuplicateNames(IEnumerable<TomlTable> entries)
    {
        var named = entries.Where(e => e.TryGetValue("name", out var name) && name.Kind == TomlKind.String);
        foreach (var group in named.GroupBy(e => e["name"].AsString()).Where(g => g.Count() > 1))
        {
            var first = group.First();
            foreach (var duplicate in group.Skip(1))
                Add(duplicate.Line, duplicate.Column, $"duplicate project name '{group.Key}' (first at {first.Line}:{first.Column}); rename or remove one", group.Key);
        }
    }

    private void CheckKeys(TomlTable table, string[] known, string where, string? project)
    {
        foreach (var entry in table)
        {
            if (known.Contains(entry.Key))
                continue;
            var suggestion = Names.DidYouMean(entry.Key, known);
            var hint = suggestion is null ? $"remove it (known keys: {string.Join(", ", known)})" : $"did you mean '{suggestion}'?";
            Add(entry.Line, entry.Column, $"unknown key '{entry.Key}' {where}; {hint}", project);
        }
    }

    private string? Text(TomlTable table, string key, string? project, Func<string, string?> check)
    {
        if (!table.TryGetValue(key, out var value))
            return null;
        if (value.Kind != TomlKind.String)
        {
            Add(value.Line, value.Column, $"'{key}' must be a string, not {Describe(value)}; write {key} = \"...\"", project);
            return null;
        }
        var text = value.AsString();
        if (check(text) is { } problem)
        {
            Add(value.Line, value.Column, problem, project);
            return null;
        }
        return text;
    }

    private bool? Boolean(TomlTable table, string key, string? project)
    {
        if (!table.TryGetValue(key, out var value))
            return null;
        if (value.Kind == TomlKind.Boolean)
            return value.AsBoolean();
        Add(value.Line, value.Column, $"'{key}' must be true or false, not {Describe(value)}", project);
        return null;
    }

    private IReadOnlyList<string> Strings(TomlTable table, string key, string? project, Func<string, string?> check)
    {
        if (!table.TryGetValue(key, out var value))
            return [];
        if (value is not TomlArray array || array.Any(item => item.Kind != TomlKind.String))
        {
            Add(value.Line, value.Column, $"'{key}' must be an array of strings; write {key} = [\"a\", \"b\"]", project);
            return [];
        }
        var texts = new List<string>();
        foreach (var item in array)
        {
            if (check(item.AsString()) is { } problem)
                Add(item.Line, item.Column, problem, project);
            else
                texts.Add(item.AsString());
        }
        return texts;
    }

    private static string Describe(TomlValue value) => value.Kind switch
    {
        TomlKind.Integer => "an integer",
        TomlKind.Float => "a float",
        TomlKind.Boolean => "a boolean",
        TomlKind.Array => "an array",
        TomlKind.Table => "a table",
        TomlKind.String => "a string",
        _ => "a date or time",
    };

    private void Add(int line, int column, string message, string? project = null) =>
        _problems.Add(new FleetProblem(file, line, column, message, project));
}
