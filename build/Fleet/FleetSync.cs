using Orchestrator.Git;
using Orchestrator.GitHub;

namespace Orchestrator.Fleet;

internal enum SyncOutcome { Cloned, Fetched, Pulled, NotPulled, WouldSync, Failed }

internal sealed record SyncResult(string Project, SyncOutcome Outcome, string Message);

/// <summary>
/// SyncFleet, one project: cloned from its registered remote (with submodules) when missing, else fetched; with --pull a
/// clean branch that is only behind its upstream is fast-forwarded and its submodules follow. Never merges, rebases,
/// or touches uncommitted work.
/// </summary>
internal sealed class FleetSync(FleetProject project, AbsolutePath fleetFolder, string? token)
{
    public SyncResult Run(bool pull, bool dryRun)
    {
        try
        {
            return project.IsCloned ? Update(pull, dryRun) : Clone(dryRun);
        }
        catch (GitException e)
        {
            return Result(SyncOutcome.Failed, e.Message.Split('\n')[0]);
        }
    }

    private SyncResult Clone(bool dryRun)
    {
        var location = project.Directory.RelativeTo(fleetFolder);
        if (project.Remote is not { } remote)
            return Result(SyncOutcome.Failed, $"not cloned at {location}, and fleet.toml gives it no remote; add remote = \"URL\" to its entry, or clone it there by hand");
        if (project.Directory.FileExists() || (project.Directory.DirectoryExists() && Directory.EnumerateFileSystemEntries(project.Directory).Any()))
            return Result(SyncOutcome.Failed, $"{location} exists and is not a git repository; move it away and run again");
        if (dryRun)
            return Result(SyncOutcome.WouldSync, $"would clone {remote} into {location} with its submodules");
        Directory.CreateDirectory(project.Directory.Parent!);
        GitCli.Run(fleetFolder, [.. GitCli.AllowFileProtocol, "clone", "-q", "--recurse-submodules", "--", remote, project.Directory], Credentials(remote));
        return Result(SyncOutcome.Cloned, $"cloned from {remote} into {location} ({Head()})");
    }

    private SyncResult Update(bool pull, bool dryRun)
    {
        IReadOnlyList<string> remotes;
        using (var repository = GitRepository.OpenWorkTree(project.Directory))
            remotes = repository?.RemoteUrls() ?? throw new GitException($"{project.Directory} is not a git repository");
        if (remotes.Count == 0)
            return Result(SyncOutcome.NotPulled, "no git remote to fetch from (git remote add origin URL)");
        if (dryRun)
            return Result(SyncOutcome.WouldSync, pull ? "would fetch, and fast-forward if clean and behind" : "would fetch");
        var credentials = Credentials(project.Remote ?? remotes[0]);
        GitCli.Run(project.Directory, [.. GitCli.AllowFileProtocol, "fetch", "-q", "--prune", "--all"], credentials);
        var status = Status();
        var where = status.Upstream is null ? "" : $" {status.Upstream}";
        if (!pull)
            return Result(SyncOutcome.Fetched, status switch
            {
                { Branch: null } => "fetched; HEAD is detached",
                { Upstream: null } => $"fetched; {status.Branch} has no upstream",
                { Ahead: 0, Behind: 0 } => $"fetched; up to date with{where}",
                _ => $"fetched; {status.Ahead} ahead, {status.Behind} behind{where}",
            });
        var refusal = status switch
        {
            { Branch: null } => "HEAD is detached",
            { Uncommitted: > 0 } => $"{status.Uncommitted} uncommitted change{(status.Uncommitted == 1 ? "" : "s")}",
            { Upstream: null } => $"{status.Branch} has no upstream",
            { Ahead: > 0, Behind: > 0 } => $"{status.Branch} has diverged from{where} ({status.Ahead} ahead, {status.Behind} behind); merge or rebase it by hand",
            _ => null,
        };
        if (refusal is not null)
            return Result(SyncOutcome.NotPulled, $"fetched; not pulled: {refusal}");
        if (status.Behind == 0)
            return Result(SyncOutcome.Fetched, $"fetched; up to date with{where}{(status.Ahead > 0 ? $" ({status.Ahead} ahead)" : "")}");
        GitCli.Run(project.Directory, "merge", "-q", "--ff-only", "@{upstream}");
        GitCli.Run(project.Directory, [.. GitCli.AllowFileProtocol, "submodule", "update", "-q", "--init", "--recursive"], credentials);
        return Result(SyncOutcome.Pulled, $"pulled; {status.Branch} fast-forwarded {status.Behind} commit{(status.Behind == 1 ? "" : "s")} to {Head()}");
    }

    private WorkingTreeStatus Status()
    {
        using var repository = GitRepository.OpenWorkTree(project.Directory) ?? throw new GitException($"{project.Directory} is not a git repository");
        return repository.Status();
    }

    private string Head() => Status() is { Branch: var branch, Head: { } head } ? $"{branch ?? "HEAD"} at {head[..7]}" : "no commit yet";

    private IReadOnlyDictionary<string, string> Credentials(string remote) => GitHubAccess.GitCredentials(remote, token);

    private SyncResult Result(SyncOutcome outcome, string message) => new(project.Name, outcome, message);
}
