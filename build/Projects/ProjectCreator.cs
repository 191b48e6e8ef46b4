using System.Text.RegularExpressions;
using Engine.Toml;
using Orchestrator.Engine;
using Orchestrator.Fleet;
using Orchestrator.Git;
using Orchestrator.Harness;

namespace Orchestrator.Projects;

/// <summary>What CreateProject was asked for, with every default resolved.</summary>
/// <param name="EngineUrl">The engine as git reaches it (relative paths resolved).</param>
/// <param name="RegisteredEngineUrl">The engine as the registry entry spells it: as given, or as [defaults] writes it.</param>
internal sealed record NewProject(string Name, AbsolutePath Directory, string EngineUrl, string RegisteredEngineUrl, string Ref, string Commit, string Prefix, bool Register);

/// <summary>
/// Creates a project as a reproducible git pipeline: init, the engine as the engine/ submodule at a ref, the
/// harness's own init, the session prefix, .gitignore, one commit, an isolation check, and (optionally) the
/// registry entry. Everything is checked first; a failure at any step removes everything made.
/// </summary>
internal sealed class ProjectCreator(NewProject project, FleetRegistry registry, Func<AbsolutePath, IReadOnlyList<string>> isolationViolations)
{
    private const string RuntimeStateIgnore = ".ao-state/";

    /// <summary>Resolves the defaults (engine URL and ref from the flags, then [defaults], then the published engine) and checks everything before anything is made.</summary>
    public static NewProject Prepare(string name, AbsolutePath? parent, string? engineUrl, string? reference, string? prefix, bool register, FleetRegistry registry)
    {
        if (FleetRules.CheckName(name) is { } badName)
            throw new TargetFailedException($"--name: {badName}", 2);
        var directory = (parent ?? registry.Folder / "projects") / name;
        if (directory.FileExists() || (directory.DirectoryExists() && Directory.EnumerateFileSystemEntries(directory).Any()))
            throw new TargetFailedException($"{directory} already exists and is not empty; choose another --name or --dir", 2);
        if (register && registry.Find(name) is not null)
            throw new TargetFailedException($"{registry.DisplayName} already has a project '{name}'; choose another --name or drop --register", 2);
        if (register)
            RegistryFile.CheckWritable(registry.File);

        var registeredUrl = engineUrl is not null ? EngineUrls.Resolve(engineUrl, AbsolutePath.Create(Environment.CurrentDirectory))
            : registry.Defaults.EngineUrl is { } inherited ? inherited
            : Directory.Exists(PublishedEngine.DefaultRepository) ? PublishedEngine.DefaultRepository
            : throw new TargetFailedException("no engine to use: pass --engine-url, set engine_url in [defaults] of fleet.toml, or run ./build.sh PublishEngine first", 2);
        if (EngineUrls.CarriesCredentials(registeredUrl))
            throw new TargetFailedException(
                $"{(engineUrl is null ? $"engine_url in [defaults] of {registry.DisplayName}" : "--engine-url")} carries credentials, which git would record in the new project's .gitmodules; "
                + "give the URL without them and let a git credential helper supply them (see docs/manage-projects.md)", 2);
        var url = EngineUrls.Resolve(registeredUrl, registry.Folder);
        RemoteRefs refs;
        try
        {
            refs = RemoteRefs.List(url, registry.Folder);
        }
        catch (GitException e)
        {
            throw new TargetFailedException($"the engine repository {url} cannot be read: {e.Message}", 2);
        }
        var wanted = reference ?? registry.Defaults.Ref ?? EngineVersion.Latest(refs.Tags)?.Tag
            ?? throw new TargetFailedException($"the engine repository {url} has no version tags; pass --ref", 2);
        var commit = refs.Resolve(wanted)
            ?? throw new TargetFailedException($"ref '{wanted}' does not exist in {url}; nearest tags: {string.Join(", ", refs.Nearest(wanted).DefaultIfEmpty("(none)"))}", 2);

        if (prefix is not null && SessionPrefixes.Check(prefix) is { } badPrefix)
            throw new TargetFailedException($"--prefix: {badPrefix}", 2);
        var sessionPrefix = prefix ?? SessionPrefixes.For(name);
        if (SessionPrefixes.Clash(sessionPrefix, registry) is { } clash)
            throw new TargetFailedException($"--prefix {sessionPrefix}: {clash}; pass another --prefix", 2);
        return new NewProject(name, directory, url, registeredUrl, wanted, commit, sessionPrefix, register);
    }

    public IReadOnlyList<Step> Plan()
    {
        var folder = project.Directory;
        var engine = folder / "engine";
        var steps = new List<Step>
        {
            new("create the folder", $"mkdir -p {folder}", () => Directory.CreateDirectory(folder)),
            Git("initialize the repository", folder, "init", "-q", "-b", "main"),
            Git("add the engine as engine/", folder, [.. GitCli.AllowFileProtocol, "submodule", "add", "-q", "--", project.EngineUrl, "engine"]),
            Git("fetch the engine's tags", engine, [.. GitCli.AllowFileProtocol, "fetch", "-q", "--tags", "origin"]),
            Git($"check out {project.Ref}", engine, "checkout", "-q", "--detach", project.Commit),
            new("scaffold with the harness's init", "engine/agents init . (python3 engine/agents.py init . for the Python harness)", Scaffold),
            new("stamp the session prefix", $"session_prefix = \"{project.Prefix}\" in agents.toml", StampPrefix),
            new("ignore runtime state", $"{RuntimeStateIgnore} in .gitignore", IgnoreRuntimeState),
            Git("stage everything", folder, "add", "-A"),
            Git("commit", folder, "commit", "-q", "-m", $"Create {project.Name} with engine {project.Ref} ({project.Commit[..7]})"),
            new("check isolation", "IsolationCheck of the new project", CheckIsolation),
        };
        if (project.Register)
            steps.Add(new("register in fleet.toml", $"append a [[project]] entry to {registry.DisplayName}", () => FleetEdits.Save(registry.File, Entry(), dryRun: false)));
        return steps;
    }

    /// <summary>The registry entry: engine_url, ref, and the location relative to fleet.toml.</summary>
    public ProjectEntry Entry() =>
        new(project.Name, LocationInRegistry(project.Directory, registry.Folder), project.RegisteredEngineUrl, project.Ref, null, []);

    /// <summary>Runs the plan; on failure removes what was made and reports the step that failed.</summary>
    public void Create(TextWriter log)
    {
        var existed = project.Directory.DirectoryExists();
        try
        {
            Steps.Run(Plan(), log);
        }
        catch (StepFailedException failure)
        {
            RemoveWhatWasMade(existed);
            throw new TargetFailedException($"{failure.Message}; nothing was left behind ({project.Directory} removed, {registry.DisplayName} unchanged)");
        }
    }

    private void Scaffold()
    {
        var harness = HarnessEntry.For(project.Directory);
        var result = harness.RunShowingProgress(project.Directory, "init", ".");
        if (!result.Succeeded)
            throw new InvalidOperationException($"{harness.Display("init", ".")} exited {result.ExitCode}: {result.FirstErrorLine}");
        if (!(project.Directory / "agents.toml").FileExists())
            throw new InvalidOperationException($"{harness.Display("init", ".")} made no agents.toml");
    }

    private void StampPrefix()
    {
        var config = project.Directory / "agents.toml";
        var document = TomlDocument.Parse(File.ReadAllBytes(config), "agents.toml");
        if (document.Root.TryGetValue("session_prefix", out var current) && current.Kind == TomlKind.String && current.AsString() == project.Prefix)
            return;
        document.Root.Set("session_prefix", project.Prefix);
        File.WriteAllText(config, document.ToString());
    }

    private void IgnoreRuntimeState()
    {
        var ignore = project.Directory / ".gitignore";
        var existing = ignore.FileExists() ? File.ReadAllText(ignore) : "";
        if (existing.Split('\n').Any(line => line.Trim() == RuntimeStateIgnore))
            return;
        var separator = existing.Length == 0 || existing.EndsWith('\n') ? "" : "\n";
        File.WriteAllText(ignore, existing + separator + RuntimeStateIgnore + "\n");
    }

    private void CheckIsolation()
    {
        var violations = isolationViolations(project.Directory);
        if (violations.Count > 0)
            throw new InvalidOperationException($"the new project mentions the orchestrator: {string.Join("; ", violations)}");
    }

    private void RemoveWhatWasMade(bool existed)
    {
        if (!project.Directory.DirectoryExists())
            return;
        foreach (var file in Directory.EnumerateFiles(project.Directory, "*", SearchOption.AllDirectories))
            File.SetAttributes(file, FileAttributes.Normal);
        if (existed)
            foreach (var entry in new DirectoryInfo(project.Directory).EnumerateFileSystemInfos())
                if (entry is DirectoryInfo folder) folder.Delete(recursive: true); else entry.Delete();
        else
            Directory.Delete(project.Directory, recursive: true);
    }

    private static Step Git(string name, AbsolutePath directory, params string[] arguments) =>
        new(name, $"git -C {directory} {string.Join(" ", arguments)}", () => GitCli.Run(directory, arguments));

    public static string LocationInRegistry(AbsolutePath directory, AbsolutePath fleetFolder)
    {
        var relative = directory.RelativeTo(fleetFolder);
        return relative.StartsWith("..") || Path.IsPathRooted(relative) ? directory : relative;
    }
}

/// <summary>Session prefixes of the fleet's projects, read from their agents.toml, so two projects never share tmux session names.</summary>
internal static partial class SessionPrefixes
{
    /// <summary>The prefix of a new project's sessions: its name, with what tmux session names may not hold ('.', ':') as '-'.</summary>
    public static string For(string projectName) => NotInSessionName().Replace(projectName, "-") + "-";

    /// <summary>The engine's rule for <c>session_prefix</c>: letters, digits, '_' and '-' only.</summary>
    public static string? Check(string prefix) =>
        NotInSessionName().IsMatch(prefix) ? $"'{prefix}' may hold only letters, digits, '_' and '-' (tmux session names); e.g. \"api-\"" : null;

    [GeneratedRegex("[^A-Za-z0-9_-]+")]
    private static partial Regex NotInSessionName();

    public static string? Clash(string prefix, FleetRegistry registry)
    {
        foreach (var other in registry.Projects)
        {
            var config = other.Directory / "agents.toml";
            if (!config.FileExists())
                continue;
            string? theirs;
            try
            {
                theirs = TomlDocument.Parse(File.ReadAllBytes(config), config).Root.TryGetValue("session_prefix", out var value) && value.Kind == TomlKind.String
                    ? value.AsString()
                    : null;
            }
            catch (TomlException)
            {
                continue;
            }
            // "api-" and "api-v2-" would both own the session "api-v2-main".
            if (theirs is not null && (theirs.StartsWith(prefix, StringComparison.Ordinal) || prefix.StartsWith(theirs, StringComparison.Ordinal)))
                return $"project '{other.Name}' uses the session prefix '{theirs}' ({config.RelativeTo(registry.Folder)})";
        }
        return null;
    }
}
