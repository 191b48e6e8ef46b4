using Orchestrator.Fleet;
using Orchestrator.Git;

namespace Orchestrator.Projects;

/// <summary>
/// The changes of one engine bump (checkout, gitlink commit, fleet.toml's ref), each judged from what the project and
/// the registry show rather than from what a run meant to do, so that an interrupted or killed bump is rolled back, or
/// finished, to all or nothing: never engine/ at the new commit with the pin unchanged, nor a commit with the old ref.
/// </summary>
internal sealed class EnginePinChange(BumpIntent intent, AbsolutePath fleetFile)
{
    private AbsolutePath Engine => intent.Directory / EngineCheck.SubmodulePath;

    /// <summary>Checks out the new commit, commits the gitlink, sets the ref; <paramref name="problems"/> then validates the project.</summary>
    public void Apply(Func<IReadOnlyList<string>> problems, CancellationToken cancel)
    {
        GitCli.Run(Engine, "checkout", "-q", "--detach", intent.To);
        cancel.ThrowIfCancellationRequested();
        GitCli.Run(intent.Directory, "commit", "-q", "-m", intent.Message, "--", EngineCheck.SubmodulePath);
        cancel.ThrowIfCancellationRequested();
        SetRef();
        cancel.ThrowIfCancellationRequested();
        Validate(problems);
    }

    /// <summary>Finishes a killed bump that got as far as its commit, else rolls it back. Returns what was done.</summary>
    public Resumed Resume(Func<IReadOnlyList<string>>? problems)
    {
        if (!IsCommitted())
        {
            RollBack();
            return new Resumed(false, $"rolled back (it stopped before its commit): {RolledBack}");
        }
        if (problems is null)
        {
            RollBack();
            return new Resumed(false, $"rolled back ('{intent.Project}' is no longer in the registry): {RolledBack}");
        }
        try
        {
            if (EngineHead() != intent.To)
                GitCli.Run(Engine, "checkout", "-q", "--detach", intent.To);
            SetRef();
            Validate(problems);
        }
        catch (TargetFailedException e)
        {
            RollBack();
            return new Resumed(false, $"rolled back ({e.Message}): {RolledBack}");
        }
        return new Resumed(true, $"finished (it stopped after its commit): {intent.Message}, ref = \"{intent.Ref}\" in {FleetRegistry.Display(fleetFile)}");
    }

    /// <summary>Undoes whatever of the bump is there: the commit, a staged gitlink, the checkout (engine/ was clean before), the ref.</summary>
    public void RollBack()
    {
        if (IsCommitted())
            GitCli.Run(intent.Directory, "reset", "-q", "--soft", "HEAD~1");
        GitCli.Run(intent.Directory, "reset", "-q", "--", EngineCheck.SubmodulePath);
        // A checkout cut short leaves some files of the new engine; the bump refused a dirty engine/, so they are all its own.
        GitCli.Run(Engine, "checkout", "-q", "-f", "--detach", intent.From);
        GitCli.Run(Engine, "clean", "-q", "-fd");
        if (intent.OwnRefBefore != intent.Ref && FleetEdits.OwnRef(fleetFile, intent.Project) == intent.Ref)
            FleetEdits.SetRef(fleetFile, intent.Project, intent.OwnRefBefore, dryRun: false);
    }

    public string RolledBack => $"engine/ back at {intent.From[..7]}, {FleetRegistry.Display(fleetFile)} unchanged";

    /// <summary>HEAD is the bump's commit, right on top of the HEAD the bump started from. A repository that cannot be read fails the undo: guessing would leave half a bump.</summary>
    private bool IsCommitted()
    {
        using var project = GitRepository.Open(intent.Directory);
        return project.ObjectId("HEAD") is { } head && head != intent.HeadBefore
            && project.ObjectId("HEAD^") == intent.HeadBefore && project.CommitSubject("HEAD") == intent.Message;
    }

    private string? EngineHead()
    {
        using var engine = GitRepository.Open(Engine);
        return engine.ObjectId("HEAD");
    }

    private void SetRef()
    {
        if (FleetEdits.OwnRef(fleetFile, intent.Project) != intent.Ref)
            FleetEdits.SetRef(fleetFile, intent.Project, intent.Ref, dryRun: false);
    }

    private static void Validate(Func<IReadOnlyList<string>> problems)
    {
        var found = problems();
        if (found.Count > 0)
            throw new TargetFailedException($"after the bump the project does not validate: {found[0]}");
    }
}
