using Orchestrator.Fleet;
using Orchestrator.Git;
using Orchestrator.Journal;
using Orchestrator.Output;
using Orchestrator.Processes;

namespace Orchestrator.Projects;

internal enum BumpOutcome { Bumped, AlreadyThere, WouldBump, Failed, Interrupted }

/// <param name="RefMissing">The ref does not exist in the project's engine repository: running the same command again fails the same way.</param>
internal sealed record BumpResult(string Project, BumpOutcome Outcome, string Message, bool RefMissing = false);

/// <summary>The ref asked for does not exist in the engine repository.</summary>
internal sealed class RefNotFoundException(string message) : TargetFailedException(message);

/// <summary>
/// Moves one project's engine pin to a ref: refuses a dirty submodule or one not at its recorded pin, fetches tags,
/// checks out <c>REF^{commit}</c>, commits only the gitlink ("Bump engine from v0.1.0 (abc1234) to v0.2.0 (def5678)", or
/// "Move engine back from ..." to an older version),
/// sets the project's ref in fleet.toml and validates the project. A failure or an interruption after the checkout
/// restores the old pin and ref; a run killed midway is finished or rolled back by the next (<see cref="Resume"/>).
/// </summary>
internal sealed class EngineBump(FleetProject project, string reference, FleetRegistry registry)
{
    public const string Operation = "UpdateEngine";

    private readonly AbsolutePath _engine = project.Directory / EngineCheck.SubmodulePath;

    public BumpResult Apply(bool dryRun, CancellationToken cancel)
    {
        if (cancel.IsCancellationRequested)
            return new BumpResult(project.Name, BumpOutcome.Interrupted, "not started: the run was interrupted");
        try
        {
            return Bump(dryRun, cancel);
        }
        catch (Exception) when (cancel.IsCancellationRequested)
        {
            return new BumpResult(project.Name, BumpOutcome.Interrupted, "interrupted before any change");
        }
        catch (TargetFailedException e)
        {
            return new BumpResult(project.Name, BumpOutcome.Failed, e.Message.Split('\n')[0], e is RefNotFoundException);
        }
    }

    /// <summary>Finishes or rolls back the bump a killed run left (see <see cref="EnginePinChange.Resume"/>). Returns what was done.</summary>
    public static Resumed Resume(BumpIntent intent, FleetRegistry registry)
    {
        Func<IReadOnlyList<string>>? problems = registry.Find(intent.Project) is { } project
            ? () => EngineCheck.Problems(project with { Ref = intent.Ref }, registry.Folder, EngineFactsOf(project.Directory), new RemoteRefsCache(registry.Folder))
            : null;
        return new EnginePinChange(intent, registry.File).Resume(problems);
    }

    private BumpResult Bump(bool dryRun, CancellationToken cancel)
    {
        var pinned = CheckBumpable();
        GitCli.Run(_engine, [.. GitCli.AllowFileProtocol, "fetch", "-q", "--tags", "origin"]);
        string? target;
        using (var engine = GitRepository.Open(_engine))
            target = engine.ObjectId($"{reference}^{{commit}}");
        var commit = target
            ?? throw new RefNotFoundException($"ref '{reference}' does not exist in the engine repository; nearest tags: {string.Join(", ", NearestTags())}");
        var from = Describe(_engine, pinned);
        var to = $"{reference} ({commit[..7]})";

        if (commit == pinned)
        {
            if (project.Ref == reference)
                return new BumpResult(project.Name, BumpOutcome.AlreadyThere, $"engine already at {to}; nothing to do");
            var refDiff = FleetEdits.SetRef(registry.File, project.Name, reference, dryRun);
            return new BumpResult(project.Name, BumpOutcome.AlreadyThere, dryRun
                ? $"engine already at {to}; would set its ref in {registry.DisplayName} from {project.Ref} to {reference}\n{refDiff.TrimEnd()}"
                : $"engine already at {to}; set its ref in {registry.DisplayName} from {project.Ref} to {reference}");
        }
        var message = CommitMessage(_engine, pinned, commit, from, to);
        if (dryRun)
        {
            var diff = FleetEdits.SetRef(registry.File, project.Name, reference, dryRun: true);
            return new BumpResult(project.Name, BumpOutcome.WouldBump, $"would {char.ToLowerInvariant(message[0])}{message[1..]}\n{diff.TrimEnd()}");
        }

        var intent = new BumpIntent(project.Name, project.Directory, Head(project.Directory), pinned, commit, reference,
            FleetEdits.OwnRef(registry.File, project.Name), message);
        var change = new EnginePinChange(intent, registry.File);
        using var entry = new OperationJournal(registry.File).Begin(Operation, project.Name, intent, IntentJson.Default.BumpIntent);
        try
        {
            if (Head(project.Directory) != intent.HeadBefore || Head(_engine) != pinned)
                throw new TargetFailedException("the project changed while this run checked it (another UpdateEngine?); run the command again");
        }
        catch
        {
            // Nothing is changed yet.
            entry.Complete();
            throw;
        }
        try
        {
            change.Apply(() => EngineCheck.Problems(project with { Ref = reference }, registry.Folder, EngineFactsOf(project.Directory), new RemoteRefsCache(registry.Folder)), cancel);
        }
        catch (Exception failure)
        {
            try
            {
                Command.Uninterruptible(change.RollBack);
            }
            catch (TargetFailedException undo)
            {
                // The journal entry stays: the next run of UpdateEngine or ValidateFleet rolls the bump back.
                return new BumpResult(project.Name, BumpOutcome.Failed,
                    $"{(cancel.IsCancellationRequested ? "interrupted" : failure.Message.Split('\n')[0])}, and undoing it failed: {undo.Message}; the next UpdateEngine or ValidateFleet retries the undo");
            }
            entry.Complete();
            if (cancel.IsCancellationRequested)
                return new BumpResult(project.Name, BumpOutcome.Interrupted, $"interrupted; undone: {change.RolledBack}");
            throw;
        }
        entry.Complete();
        return new BumpResult(project.Name, BumpOutcome.Bumped, message);
    }

    /// <summary>The recorded pin, once sure the submodule is clean and checked out at it.</summary>
    private string CheckBumpable()
    {
        using var repository = GitRepository.OpenWorkTree(project.Directory)
            ?? throw new TargetFailedException($"{project.Directory} is not a cloned git repository; clone the project first");
        var pinned = repository.RecordedCommit(EngineCheck.SubmodulePath)
            ?? throw new TargetFailedException("engine/ is not a submodule of the project");
        var submodule = repository.Submodule(EngineCheck.SubmodulePath);
        if (submodule?.CheckedOut is not { } head)
            throw new TargetFailedException($"engine/ is not checked out; run: git -C {ShellWords.Quote(project.Directory)} submodule update --init engine");
        if (submodule.LocalChanges)
            throw new TargetFailedException("engine/ has uncommitted changes; commit or discard them first (git -C engine status)");
        if (head != pinned)
            throw new TargetFailedException($"engine/ is checked out at {head[..7]} but the project records {pinned[..7]}; run git submodule update engine, or commit the new pin, first");
        var recorded = submodule.Url ?? "";
        if (!EngineUrls.SameRepository(EngineUrls.Resolve(recorded, project.Directory), project.ResolvedEngineUrl(registry.Folder)))
            throw new TargetFailedException($"engine/ comes from {recorded} but fleet.toml says engine_url = \"{project.EngineUrl}\"; make them agree first");
        return pinned;
    }

    /// <summary>
    /// The move's commit message, which an engine pull request takes as its title: "Bump engine from v0.1.0 (abc1234) to
    /// v0.2.0 (def5678)" forward in the engine's history, "Move engine back from ..." to an ancestor, else "Move engine from ...".
    /// </summary>
    public static string CommitMessage(AbsolutePath engine, string pinned, string commit, string from, string to)
    {
        using var repository = GitRepository.Open(engine);
        var move = repository.IsAncestor(pinned, commit) ? "Bump engine"
            : repository.IsAncestor(commit, pinned) ? "Move engine back"
            : "Move engine";
        return $"{move} from {from} to {to}";
    }

    /// <summary>A pin as its tags and short id: "v0.1.0 (abc1234)".</summary>
    public static string Describe(AbsolutePath engine, string commit)
    {
        using var repository = GitRepository.Open(engine);
        var tags = repository.TagsAt(commit);
        return tags.Count == 0 ? commit[..7] : $"{string.Join(", ", tags)} ({commit[..7]})";
    }

    private static SubmoduleFacts? EngineFactsOf(AbsolutePath project)
    {
        using var repository = GitRepository.OpenWorkTree(project);
        return repository?.Submodule(EngineCheck.SubmodulePath);
    }

    private static string Head(string repository)
    {
        using var opened = GitRepository.Open(repository);
        return opened.ObjectId("HEAD") ?? throw new TargetFailedException($"{repository} has no commit checked out");
    }

    private IEnumerable<string> NearestTags() =>
        RemoteRefs.List(_engine, _engine).Nearest(reference).DefaultIfEmpty("(none)");
}
