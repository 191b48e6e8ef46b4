using System.Text.Json;
using System.Text.RegularExpressions;
using Engine.Toml;
using Orchestrator.Engine;
using Orchestrator.Fleet;
using Orchestrator.Git;
using Orchestrator.GitHub;
using Orchestrator.Harness;
using Orchestrator.Journal;
using Orchestrator.Output;

namespace Orchestrator.Projects;

/// <summary>What CreateProject was asked for, with every default resolved.</summary>
/// <param name="EngineUrl">The engine as git reaches it (relative paths resolved).</param>
/// <param name="RegisteredEngineUrl">The engine as the registry entry spells it: as given, or as [defaults] writes it.</param>
internal sealed record NewProject(string Name, AbsolutePath Directory, string EngineUrl, string RegisteredEngineUrl, string Ref, string Commit, string Prefix, bool Register);

/// <summary>
/// Creates a project as a reproducible git pipeline: init, the engine as the engine/ submodule at a ref, the
/// harness's own init, the session prefix, .gitignore, one commit, an isolation check, (optionally) a GitHub repository
/// that main is pushed to, and (optionally) the registry entry. Everything is checked first; a failure or an
/// interruption at any step removes everything made (the GitHub repository while it is empty), and a run killed midway
/// is finished or rolled back by the next (<see cref="Resume"/>).
/// </summary>
internal sealed class ProjectCreator(NewProject project, FleetRegistry registry, Func<AbsolutePath, IReadOnlyList<string>> isolationViolations, NewRemote? remote = null)
{
    public const string Operation = "CreateProject";
    private const string RuntimeStateIgnore = ".ao-state/";
    private const string CommitStep = "commit";
    private const string RegisterStep = "register in fleet.toml";

    /// <summary>Resolves the defaults (engine URL and ref from the flags, then [defaults], then the published engine) and checks everything before anything is made.</summary>
    public static NewProject Prepare(string name, AbsolutePath? parent, string? engineUrl, string? reference, string? prefix, bool register, FleetRegistry registry)
    {
        if (FleetRules.CheckName(name) is { } badName)
            throw new TargetFailedException($"--name: {badName}", 2);
        new OperationJournal(registry.File).ThrowIfRunning(Operation, name);
        var directory = DirectoryFor(name, parent, registry);
        CheckFree(name, directory, register, registry);
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
        var wanted = EngineRef.Resolve(reference ?? registry.Defaults.Ref ?? EngineRef.Latest, refs, url);
        var commit = refs.Resolve(wanted)
            ?? throw new TargetFailedException($"ref '{wanted}' does not exist in {url}; nearest tags: {string.Join(", ", refs.Nearest(wanted).DefaultIfEmpty("(none)"))}", 2);

        if (prefix is not null && SessionPrefixes.Check(prefix) is { } badPrefix)
            throw new TargetFailedException($"--prefix: {badPrefix}", 2);
        var sessionPrefix = prefix ?? SessionPrefixes.For(name);
        if (SessionPrefixes.Clash(sessionPrefix, registry) is { } clash)
            throw new TargetFailedException($"--prefix {sessionPrefix}: {clash}; pass another --prefix", 2);
        return new NewProject(name, directory, url, registeredUrl, wanted, commit, sessionPrefix, register);
    }

    /// <summary>The folder made, when a recovered run was this very request (same name, folder and --register) and was finished.</summary>
    public static AbsolutePath? FinishedBy(IEnumerable<RecoveredRun> recovered, string name, AbsolutePath? parent, bool register, FleetRegistry registry)
    {
        var directory = DirectoryFor(name, parent, registry);
        return recovered
            .Where(run => run.Record.Operation == Operation && run.Outcome.Finished)
            .Select(run => run.Record.Intent.Deserialize(IntentJson.Default.CreationIntent)!.Project)
            .Any(done => done.Name == name && done.Directory.Equals(directory) && done.Register == register)
            ? directory
            : null;
    }

    /// <summary>Where CreateProject puts a project: DIR/NAME, by default projects/NAME beside fleet.toml.</summary>
    public static AbsolutePath DirectoryFor(string name, AbsolutePath? parent, FleetRegistry registry) => (parent ?? registry.Folder / "projects") / name;

    /// <summary>The folder is absent or empty, and with --register the name is not registered yet.</summary>
    private static void CheckFree(string name, AbsolutePath directory, bool register, FleetRegistry registry)
    {
        if (directory.FileExists() || (directory.DirectoryExists() && Directory.EnumerateFileSystemEntries(directory).Any()))
            throw new TargetFailedException($"{directory} already exists and is not empty; choose another --name or --dir{AdoptionHint(name, directory, registry)}", 2);
        if (register && registry.Find(name) is not null)
            throw new TargetFailedException($"{registry.DisplayName} already has a project '{name}'; choose another --name or drop --register", 2);
    }

    /// <summary>A finished project that is not in the registry (made without --register, say) is adopted, not made again.</summary>
    private static string AdoptionHint(string name, AbsolutePath directory, FleetRegistry registry) =>
        (directory / ".git").DirectoryExists() && (directory / ".gitmodules").FileExists() && !registry.Projects.Any(p => p.Directory.Equals(directory))
            ? $", or add this one to the fleet: {ShellWords.Runbook("RegisterProject", ("--name", [name]), ("--location", [LocationInRegistry(directory, registry.Folder)]))}"
            : "";

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
            Git(CommitStep, folder, "commit", "-q", "-m", CommitMessage),
            new("check isolation", "IsolationCheck of the new project", CheckIsolation),
        };
        if (remote is not null)
            steps.AddRange(remote.Steps(folder));
        if (project.Register)
            steps.Add(new(RegisterStep, $"append a [[project]] entry to {registry.DisplayName}", () => FleetEdits.Save(registry.File, Entry(), dryRun: false)));
        return steps;
    }

    /// <summary>The registry entry: engine_url, ref, the location relative to fleet.toml, and the GitHub repository as remote.</summary>
    public ProjectEntry Entry() =>
        new(project.Name, LocationInRegistry(project.Directory, registry.Folder), project.RegisteredEngineUrl, project.Ref, null, [],
            remote?.CloneUrl ?? remote?.ExpectedCloneUrl);

    private string CommitMessage => $"Create {project.Name} with engine {project.Ref} ({project.Commit[..7]})";

    /// <summary>
    /// Runs the plan; on a failure or an interruption removes what was made and says which step it stopped at. The run
    /// is journaled first, so that one run at a time creates a name and a killed run is recovered by the next.
    /// </summary>
    public void Create(TextWriter log, CancellationToken cancel)
    {
        var firstMade = FirstMissingFolder(project.Directory);
        using var entry = new OperationJournal(registry.File).Begin(Operation, project.Name, new CreationIntent(project, firstMade), IntentJson.Default.CreationIntent);
        try
        {
            // Another run may have made or registered the project while this one was checking.
            CheckFree(project.Name, project.Directory, project.Register, FleetRegistry.LoadOrEmpty(registry.File));
        }
        catch
        {
            // Nothing is made yet.
            entry.Complete();
            throw;
        }
        try
        {
            Steps.Run(Plan(), log, cancel);
        }
        catch (StepFailedException failure)
        {
            var (complete, undone) = UndoWhatWasMade(firstMade);
            entry.Complete();
            throw new TargetFailedException(complete ? $"{failure.Message}; nothing was left behind ({undone})" : $"{failure.Message}; {undone}");
        }
        catch (StepInterruptedException interrupted)
        {
            var (_, undone) = UndoWhatWasMade(firstMade);
            entry.Complete();
            throw new TargetAbortedException($"{interrupted.Message}; undone: {undone}");
        }
        entry.Complete();
    }

    /// <summary>Removes what the run made, the GitHub repository too while it is empty; says whether all of it went, and what.</summary>
    private (bool Complete, string Undone) UndoWhatWasMade(AbsolutePath? firstMade)
    {
        RemoveWhatWasMade(firstMade);
        var undone = Undone(firstMade);
        return remote?.Undo(project.Directory) switch
        {
            null => (true, undone),
            { Left: false } github => (true, $"{undone}, {github.Account}"),
            var github => (false, $"{undone}, but {github.Account}"),
        };
    }

    /// <summary>
    /// Finishes or rolls back what a killed run of <see cref="Create"/> left, judged from the project itself: once the
    /// commit is made the rest of the plan runs (the isolation check, the registry entry), before it everything made is
    /// removed. Returns what was done.
    /// </summary>
    public Resumed Resume(AbsolutePath? firstMade, TextWriter log)
    {
        if (!IsCommitted())
        {
            RemoveWhatWasMade(firstMade);
            return new Resumed(false, $"rolled back (it stopped before its commit): {Undone(firstMade)}");
        }
        var registered = FleetRegistry.LoadOrEmpty(registry.File).Find(project.Name) is not null;
        var rest = Plan().SkipWhile(step => step.Name != CommitStep).Skip(1).Where(step => !(registered && step.Name == RegisterStep));
        try
        {
            Steps.Run(rest, log, CancellationToken.None);
        }
        catch (StepFailedException failure)
        {
            RemoveWhatWasMade(firstMade);
            return new Resumed(false, $"rolled back ({failure.Message}): {Undone(firstMade)}");
        }
        return new Resumed(true, $"finished (it stopped after its commit): {project.Directory} created{(project.Register ? $", registered in {registry.DisplayName}" : "")}");
    }

    private bool IsCommitted()
    {
        using var repository = GitRepository.OpenWorkTree(project.Directory);
        return repository?.CommitSubject("HEAD") == CommitMessage;
    }

    private string Undone(AbsolutePath? firstMade) => $"{project.Directory} {(firstMade is null ? "emptied" : "removed")}, {registry.DisplayName} unchanged";

    /// <summary>The outermost folder of the project's path that is missing, which mkdir -p makes; null when the project's folder exists.</summary>
    private static AbsolutePath? FirstMissingFolder(AbsolutePath directory)
    {
        AbsolutePath? missing = null;
        for (var folder = directory; folder is not null && !folder.DirectoryExists(); folder = folder.Parent)
            missing = folder;
        return missing;
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

    private void RemoveWhatWasMade(AbsolutePath? firstMade)
    {
        if (project.Directory.DirectoryExists())
        {
            foreach (var file in Directory.EnumerateFiles(project.Directory, "*", SearchOption.AllDirectories))
                File.SetAttributes(file, FileAttributes.Normal);
            if (firstMade is null)
                foreach (var entry in new DirectoryInfo(project.Directory).EnumerateFileSystemInfos())
                    if (entry is DirectoryInfo folder) folder.Delete(recursive: true); else entry.Delete();
            else
                Directory.Delete(project.Directory, recursive: true);
        }
        if (firstMade is null)
            return;
        // mkdir -p made the folders above the project's too (projects/, say): each goes while empty, since other
        // projects may be made in it at the same time.
        for (var folder = project.Directory.Parent; folder is not null && folder.DirectoryExists() && IsWithin(folder, firstMade); folder = folder.Parent)
        {
            if (Directory.EnumerateFileSystemEntries(folder).Any())
                break;
            Directory.Delete(folder);
        }
    }

    private static bool IsWithin(AbsolutePath folder, AbsolutePath outermost) =>
        folder.Equals(outermost) || ((string)folder).StartsWith((string)outermost + Path.DirectorySeparatorChar, StringComparison.Ordinal);

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
