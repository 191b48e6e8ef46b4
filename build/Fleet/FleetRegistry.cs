using System.Text;
using Engine.Toml;

namespace Orchestrator.Fleet;

/// <summary>fleet.toml loaded and checked: the one record of which projects exist.</summary>
internal sealed class FleetRegistry
{
    private FleetRegistry(AbsolutePath file, string displayName, FleetDefaults defaults, IReadOnlyList<FleetProject> projects)
    {
        File = file;
        DisplayName = displayName;
        Defaults = defaults;
        Projects = projects;
    }

    public AbsolutePath File { get; }
    public AbsolutePath Folder => File.Parent!;

    /// <summary>The file as the operator would write it: relative to the current folder when below it.</summary>
    public string DisplayName { get; }

    public FleetDefaults Defaults { get; }
    public IReadOnlyList<FleetProject> Projects { get; }

    /// <summary>Loads the registry or throws <see cref="FleetLoadException"/> listing every problem.</summary>
    public static FleetRegistry Load(AbsolutePath file) =>
        Parse(RegistryFile.Read(file) ?? throw NotFound(file), file, Display(file));

    /// <summary>The registry, or an empty one when the file does not exist yet (CreateProject and RegisterProject start fleets).</summary>
    public static FleetRegistry LoadOrEmpty(AbsolutePath file) =>
        RegistryFile.Read(file) is { } content
            ? Parse(content, file, Display(file))
            : new FleetRegistry(file, Display(file), new FleetDefaults(null, null, null), []);

    private static TargetFailedException NotFound(AbsolutePath file) =>
        new($"{Display(file)} not found; create it (see docs/fleet-registry.md) or pass --fleet PATH", 2);

    private static FleetRegistry Parse(byte[] content, AbsolutePath file, string displayName) =>
        Read(ParseDocument(content, displayName), file, displayName);

    /// <summary>The registry a parsed document describes; reading it leaves the document as it was.</summary>
    private static FleetRegistry Read(TomlDocument document, AbsolutePath file, string displayName)
    {
        var schema = new FleetSchema(displayName, file.Parent!);
        var (defaults, projects) = schema.Read(document.Root);
        if (schema.Problems.Count > 0)
            throw new FleetLoadException(schema.Problems);
        return new FleetRegistry(file, displayName, defaults, projects);
    }

    private static TomlDocument ParseDocument(byte[] content, string displayName)
    {
        try
        {
            return TomlDocument.Parse(content, displayName);
        }
        catch (TomlException e)
        {
            throw new FleetLoadException(e.Errors.Select(error => new FleetProblem(error.FileName, error.Line, error.Column, error.Reason)).ToList());
        }
    }

    public FleetProject? Find(string name) => Projects.FirstOrDefault(p => p.Name == name);

    private const int NamesListed = 5;

    /// <summary>The project named, or a failure that names the likely one, or a few of the nearest (never all of a large fleet).</summary>
    public FleetProject Get(string name)
    {
        if (Find(name) is { } project)
            return project;
        var names = Projects.Select(p => p.Name).ToList();
        var hint = Names.DidYouMean(name, names) is { } suggestion ? $"did you mean '{suggestion}'?"
            : names.Count <= NamesListed ? $"known projects: {string.Join(", ", names.DefaultIfEmpty("(none)"))}"
            : $"the nearest of its {names.Count} projects: {string.Join(", ", Names.Nearest(name, names, NamesListed))} (./build.sh ListFleet lists them all)";
        throw new TargetFailedException($"{DisplayName} has no project '{name}'; {hint}");
    }

    /// <summary>Projects matching any of the names or globs (all when none) and carrying every tag given.</summary>
    public IReadOnlyList<FleetProject> Select(IReadOnlyList<string>? patterns, IReadOnlyList<string>? tags)
    {
        var selected = Projects.Where(p =>
            (patterns is not { Count: > 0 } || patterns.Any(pattern => Glob.Matches(pattern, p.Name)))
            && (tags is not { Count: > 0 } || tags.All(p.Tags.Contains))).ToList();
        foreach (var pattern in patterns ?? [])
            if (!Glob.IsPattern(pattern) && Find(pattern) is null)
                Get(pattern);
        return selected;
    }

    /// <summary>
    /// Edits the registry under its lock: re-reads the file, applies the edit to the document (keeping every
    /// comment and layout), checks the result as a whole registry, then replaces the file atomically.
    /// With <paramref name="dryRun"/> nothing is written. Returns the diff.
    /// </summary>
    public static string Edit(AbsolutePath file, Action<FleetRegistry, TomlDocument> edit, bool dryRun)
    {
        var displayName = Display(file);
        return RegistryFile.UnderLock(file, () =>
        {
            var before = RegistryFile.Read(file) ?? [];
            var document = ParseDocument(before, displayName);
            edit(Read(document, file, displayName), document);
            var after = document.ToString();
            Parse(Encoding.UTF8.GetBytes(after), file, displayName);
            var diff = TextDiff.Unified(Encoding.UTF8.GetString(before), after, displayName);
            if (!dryRun && diff.Length > 0)
                RegistryFile.WriteAtomically(file, Encoding.UTF8.GetBytes(after));
            return diff;
        });
    }

    public static string Display(AbsolutePath file)
    {
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), file);
        return relative.StartsWith("..") ? file : relative;
    }
}

/// <summary>Shell-style name patterns: <c>*</c> any run of characters, <c>?</c> one character.</summary>
internal static class Glob
{
    public static bool IsPattern(string text) => text.IndexOfAny(['*', '?']) >= 0;

    public static bool Matches(string pattern, string name) => Match(pattern.AsSpan(), name.AsSpan());

    private static bool Match(ReadOnlySpan<char> pattern, ReadOnlySpan<char> name)
    {
        while (pattern.Length > 0)
        {
            if (pattern[0] == '*')
            {
                for (var skip = 0; skip <= name.Length; skip++)
                    if (Match(pattern[1..], name[skip..]))
                        return true;
                return false;
            }
            if (name.Length == 0 || (pattern[0] != '?' && pattern[0] != name[0]))
                return false;
            pattern = pattern[1..];
            name = name[1..];
        }
        return name.Length == 0;
    }
}
