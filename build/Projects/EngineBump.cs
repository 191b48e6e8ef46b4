using Orchestrator.Fleet;
using Orchestrator.Git;
using Orchestrator.Journal;
using Orchestrator.Processes;

namespace Orchestrator.Projects;

internal enum BumpOutcome { Bumped, AlreadyThere, WouldBump, Failed, Interrupted }

internal sealed record BumpResult(string Project, BumpOutcome Outcome, string Message);

/// <summary>
/// Moves one project's engine pin to a ref: refuses a dirty submodule or one not at its recorded pin, fetches tags,
/// checks out <c>REF^{commit}</c>, commits only the gitlink ("Bump engine from v0.1.0 (abc1234) to v0.2.0 (def5678)"),
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
            return new BumpResult(project.Name, BumpOutcome.Failed, e.Message.Split('\n')[0]);
        }
    }

    /// <summary>Finishes or rolls back the bump a killed run left (see <see cref="EnginePinChange.Resume"/>). Returns what was done.</summary>
    public static Resumed Resume(BumpIntent intent, FleetRegistry registry)
    {
        Func<IReadOnlyList<string>>? problems = registry.Find(intent.Project) is { } project
            ? () => EngineCheck.Problems(project with { Ref = intent.Ref }, registry.Folder, new RemoteRefsCache(registry.Folder))
            : null;
        return new EnginePinChange(intent, registry.File).Resume(problems);
    }

    private BumpResult Bump(bool dryRun, CancellationToken cancel)
    {
        var pinned = CheckBumpable();
        GitCli.Run(_engine, [.. GitCli.AllowFileProtocol, "fetch", "-q", "--tags", "origin"]);
        var target = GitCli.Try(_engine, "rev-parse", "--verify", "-q", $"{reference}^{{commit}}");
        if (!target.Succeeded)
            throw new TargetFailedException($"ref '{reference}' does not exist in the engine repository; nearest tags: {string.Join(", ", NearestTags())}");
        var commit = target.Output.Trim();
        var from = Describe(pinned);
        var to = $"{reference} ({commit[..7]})";

        if (commit == pinned)
        {
            if (project.Ref != reference && !dryRun)
                FleetEdits.SetRef(registry.File, project.Name, reference, dryRun: false);
            return new BumpResult(project.Name, BumpOutcome.AlreadyThere, $"engine already at {to}; nothing to do");
        }
        var message = $"Bump engine from {from} to {to}";
        if (dryRun)
        {
            var diff = FleetEdits.SetRef(registry.File, project.Name, reference, dryRun: true);
            return new BumpResult(project.Name, BumpOutcome.WouldBump, $"would {char.ToLowerInvariant(message[0])}{message[1..]}\n{diff.TrimEnd()}");
        }

        var intent = new BumpIntent(project.Name, project.Directory, GitCli.Run(project.Directory, "rev-parse", "HEAD"), pinned, commit, reference,
            FleetEdits.OwnRef(registry.File, project.Name), message);
        var change = new EnginePinChange(intent, registry.File);
        using var entry = new OperationJournal(registry.File).Begin(Operation, project.Name, intent, IntentJson.Default.BumpIntent);
        try
        {
            if (GitCli.Run(project.Directory, "rev-parse", "HEAD") != intent.HeadBefore || GitCli.Run(_engine, "rev-parse", "HEAD") != pinned)
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
            change.Apply(() => EngineCheck.Problems(project with { Ref = reference }, registry.Folder, new RemoteRefsCache(registry.Folder)), cancel);
        }
        catch (Exception failure)
        {
            try
            {
                ChildProcesses.Uninterruptible(change.RollBack);
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
        if (!new Repository(project.Directory).Exists())
            throw new TargetFailedException($"{project.Directory} is not a cloned git repository; clone the project first");
        var pinned = new Repository(project.Directory).PinnedCommit(EngineCheck.SubmodulePath)
            ?? throw new TargetFailedException("engine/ is not a submodule of the project");
        var submodule = new Repository(_engine);
        if (!submodule.Exists())
            throw new TargetFailedException($"engine/ is not checked out; run: git -C {project.Directory} submodule update --init engine");
        if (GitCli.Run(_engine, "status", "--porcelain").Length > 0)
            throw new TargetFailedException("engine/ has uncommitted changes; commit or discard them first (git -C engine status)");
        var head = GitCli.Run(_engine, "rev-parse", "HEAD");
        if (head != pinned)
            throw new TargetFailedException($"engine/ is checked out at {head[..7]} but the project records {pinned[..7]}; run git submodule update engine, or commit the new pin, first");
        var recorded = new Repository(project.Directory).Submodules().First(s => s.Path == EngineCheck.SubmodulePath).Url;
        if (!EngineUrls.SameRepository(EngineUrls.Resolve(recorded, project.Directory), project.ResolvedEngineUrl(registry.Folder)))
            throw new TargetFailedException($"engine/ comes from {recorded} but fleet.toml says engine_url = \"{project.EngineUrl}\"; make them agree first");
        return pinned;
    }

    private string Describe(string commit)
    {
        var tags = GitCli.Run(_engine, "tag", "--points-at", commit).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return tags.Length == 0 ? commit[..7] : $"{string.Join(", ", tags)} ({commit[..7]})";
    }

    private IEnumerable<string> NearestTags() =>
        RemoteRefs.List(_engine, _engine).Nearest(reference).DefaultIfEmpty("(none)");
}
