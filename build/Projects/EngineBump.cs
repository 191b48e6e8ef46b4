using Orchestrator.Fleet;
using Orchestrator.Git;
using Orchestrator.Output;

namespace Orchestrator.Projects;

internal enum BumpOutcome { Bumped, AlreadyThere, WouldBump, Failed }

/// <param name="RefMissing">The ref does not exist in the project's engine repository: running the same command again fails the same way.</param>
internal sealed record BumpResult(string Project, BumpOutcome Outcome, string Message, bool RefMissing = false);

/// <summary>The ref asked for does not exist in the engine repository.</summary>
internal sealed class RefNotFoundException(string message) : TargetFailedException(message);

/// <summary>
/// Moves one project's engine pin to a ref: refuses a dirty submodule or one not at its recorded pin, fetches tags,
/// checks out <c>REF^{commit}</c>, commits only the gitlink ("Bump engine from v0.1.0 (abc1234) to v0.2.0 (def5678)", or
/// "Move engine back from ..." to an older version),
/// sets the project's ref in fleet.toml and validates the project. A failure after the checkout restores the old pin.
/// </summary>
internal sealed class EngineBump(FleetProject project, string reference, FleetRegistry registry)
{
    private readonly AbsolutePath _engine = project.Directory / EngineCheck.SubmodulePath;

    public BumpResult Apply(bool dryRun)
    {
        try
        {
            return Bump(dryRun);
        }
        catch (TargetFailedException e)
        {
            return new BumpResult(project.Name, BumpOutcome.Failed, e.Message.Split('\n')[0], e is RefNotFoundException);
        }
    }

    private BumpResult Bump(bool dryRun)
    {
        var pinned = CheckBumpable();
        GitCli.Run(_engine, [.. GitCli.AllowFileProtocol, "fetch", "-q", "--tags", "origin"]);
        string? target;
        using (var engine = GitRepository.Open(_engine))
            target = engine.ObjectId($"{reference}^{{commit}}");
        var commit = target
            ?? throw new RefNotFoundException($"ref '{reference}' does not exist in the engine repository; nearest tags: {string.Join(", ", NearestTags())}");
        var from = Describe(pinned);
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
        var message = $"{Move(pinned, commit)} from {from} to {to}";
        if (dryRun)
        {
            var diff = FleetEdits.SetRef(registry.File, project.Name, reference, dryRun: true);
            return new BumpResult(project.Name, BumpOutcome.WouldBump, $"would {char.ToLowerInvariant(message[0])}{message[1..]}\n{diff.TrimEnd()}");
        }

        var committed = false;
        try
        {
            GitCli.Run(_engine, "checkout", "-q", "--detach", commit);
            GitCli.Run(project.Directory, "commit", "-q", "-m", message, "--", EngineCheck.SubmodulePath);
            committed = true;
            FleetEdits.SetRef(registry.File, project.Name, reference, dryRun: false);
            var problems = EngineCheck.Problems(project with { Ref = reference }, registry.Folder, EngineFacts(), new RemoteRefsCache(registry.Folder));
            if (problems.Count > 0)
            {
                FleetEdits.SetRef(registry.File, project.Name, project.Ref, dryRun: false);
                throw new TargetFailedException($"after the bump the project does not validate: {problems[0]}");
            }
        }
        catch
        {
            RestorePin(pinned, committed);
            throw;
        }
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

    private void RestorePin(string pinned, bool committed)
    {
        if (committed)
            GitCli.Try(project.Directory, "reset", "-q", "--soft", "HEAD~1");
        GitCli.Try(project.Directory, "reset", "-q", "--", EngineCheck.SubmodulePath);
        GitCli.Try(_engine, "checkout", "-q", "--detach", pinned);
    }

    /// <summary>How the commit names the move: a bump goes forward in the engine's history, a move back goes to an ancestor.</summary>
    private string Move(string pinned, string commit)
    {
        using var engine = GitRepository.Open(_engine);
        return engine.IsAncestor(pinned, commit) ? "Bump engine"
            : engine.IsAncestor(commit, pinned) ? "Move engine back"
            : "Move engine";
    }

    private string Describe(string commit)
    {
        using var engine = GitRepository.Open(_engine);
        var tags = engine.TagsAt(commit);
        return tags.Count == 0 ? commit[..7] : $"{string.Join(", ", tags)} ({commit[..7]})";
    }

    private SubmoduleFacts? EngineFacts()
    {
        using var repository = GitRepository.OpenWorkTree(project.Directory);
        return repository?.Submodule(EngineCheck.SubmodulePath);
    }

    private IEnumerable<string> NearestTags() =>
        RemoteRefs.List(_engine, _engine).Nearest(reference).DefaultIfEmpty("(none)");
}
