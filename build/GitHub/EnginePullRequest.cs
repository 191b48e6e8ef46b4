using Orchestrator.Fleet;
using Orchestrator.Git;
using Orchestrator.Projects;

namespace Orchestrator.GitHub;

/// <summary>
/// UpdateEngine --pull-request for one project: the bump commit (the same one UpdateEngine makes on main) made on top of
/// the default branch as GitHub has it, pushed to a branch engine/bump-REF, and proposed as a pull request whose body is
/// the engine's log between the two pins. An open bump pull request is updated (its branch force-pushed, its title and
/// body rewritten), never duplicated. The local clone (main, the index, engine/'s checkout) and fleet.toml are left as
/// they are: the commit is built with git's plumbing in a throw-away index.
/// </summary>
internal sealed class EnginePullRequest(FleetProject project, string reference, GitHubBridge bridge)
{
    public const string BranchPrefix = "engine/bump-";
    private readonly AbsolutePath _engine = project.Directory / EngineCheck.SubmodulePath;

    public BumpResult Apply(bool dryRun)
    {
        try
        {
            return Propose(dryRun);
        }
        catch (Exception e) when (e is TargetFailedException or GitException or GitHubException)
        {
            return new BumpResult(project.Name, BumpOutcome.Failed, e.Message.Split('\n')[0], e is RefNotFoundException);
        }
    }

    /// <summary>The branch a new bump pull request comes from: engine/bump-v0.2.0.</summary>
    public static string BranchFor(string reference) =>
        BranchPrefix + string.Concat(reference.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-')).Trim('.', '-');

    private BumpResult Propose(bool dryRun)
    {
        var onGitHub = RepositoryName.FromRemote(project.Remote)
            ?? throw new TargetFailedException($"it has no GitHub remote in fleet.toml; add remote = \"https://github.com/OWNER/{project.Name}.git\" to its entry");
        using (var clone = GitRepository.OpenWorkTree(project.Directory))
        using (var checkedOut = clone is null ? null : GitRepository.OpenWorkTree(_engine))
            if (checkedOut is null)
                throw new TargetFailedException($"{project.Directory} is not cloned with its engine/ submodule; run ./build.sh SyncFleet --project {project.Name} first");
        GitCli.Run(_engine, [.. GitCli.AllowFileProtocol, "fetch", "-q", "--tags", "origin"]);
        var commit = Read(_engine, engine => engine.ObjectId($"{reference}^{{commit}}"))
            ?? throw new RefNotFoundException($"ref '{reference}' does not exist in the engine repository; nearest tags: {string.Join(", ", RemoteRefs.List(_engine, _engine).Nearest(reference).DefaultIfEmpty("(none)"))}");

        var lookup = bridge.Call(BridgeJson.Default.PullRequestLookup, "find-pull-request",
            ["--owner", onGitHub.Owner, "--repository", onGitHub.Name, "--head-prefix", BranchPrefix], project.Name);
        var credentials = GitHubAccess.GitCredentials(project.Remote!, bridge.Access.Token);
        var fetched = GitCli.Try(project.Directory, ["fetch", "-q", "--no-tags", "--", project.Remote!, $"refs/heads/{lookup.DefaultBranch}"], credentials);
        if (!fetched.Succeeded)
            throw new TargetFailedException($"{lookup.DefaultBranch} could not be fetched from {onGitHub}: {fetched.FirstErrorLine}");
        var head = Read(project.Directory, repository => repository.ObjectId("FETCH_HEAD"))
            ?? throw new TargetFailedException($"{lookup.DefaultBranch} of {onGitHub} fetched no commit");
        var pinned = Read(project.Directory, repository => repository.RecordedCommit(EngineCheck.SubmodulePath, head))
            ?? throw new TargetFailedException($"{lookup.DefaultBranch} on GitHub has no engine/ submodule");
        var from = EngineBump.Describe(_engine, pinned);
        var to = $"{reference} ({commit[..7]})";
        var existing = lookup.PullRequest;
        if (pinned == commit)
            return new BumpResult(project.Name, BumpOutcome.AlreadyThere,
                $"{lookup.DefaultBranch} on GitHub already pins the engine at {to}; no pull request needed{(existing is null ? "" : $" (pull request #{existing.Number} is still open: {existing.HtmlUrl})")}");

        var title = EngineBump.CommitMessage(_engine, pinned, commit, from, to);
        var body = Body(pinned, commit, from, to);
        var branch = existing?.HeadRef ?? BranchFor(reference);
        if (dryRun)
            return new BumpResult(project.Name, BumpOutcome.WouldBump, existing is null
                ? $"would push {branch} and open a pull request to {lookup.DefaultBranch}: {title}"
                : $"would push {branch} and update pull request #{existing.Number} ({existing.HtmlUrl}): {title}");

        var proposed = Commit(head, commit, title);
        if (existing is not null && existing.Title == title && SameChange(existing, head, proposed, credentials))
            return new BumpResult(project.Name, BumpOutcome.AlreadyThere, $"pull request #{existing.Number} already proposes it: {existing.HtmlUrl}");
        GitCli.Run(project.Directory, ["push", "-q", $"--force-with-lease=refs/heads/{branch}:{existing?.HeadSha ?? ""}", "--", project.Remote!, $"{proposed}:refs/heads/{branch}"], credentials);
        var arguments = new List<string> { "--owner", onGitHub.Owner, "--repository", onGitHub.Name, "--title", title, "--body", body };
        if (existing is null)
        {
            var opened = bridge.Call(BridgeJson.Default.GitHubPullRequest, "open-pull-request", [.. arguments, "--head", branch, "--base", lookup.DefaultBranch], project.Name);
            return new BumpResult(project.Name, BumpOutcome.Bumped, $"opened pull request #{opened.Number} ({opened.HtmlUrl}): {title}");
        }
        var updated = bridge.Call(BridgeJson.Default.GitHubPullRequest, "update-pull-request", [.. arguments, "--number", $"{existing.Number}"], project.Name);
        return new BumpResult(project.Name, BumpOutcome.Bumped, $"updated pull request #{updated.Number} ({updated.HtmlUrl}): {title}");
    }

    /// <summary>The bump commit on top of <paramref name="parent"/>, made in a throw-away index: only the gitlink changes.</summary>
    private string Commit(string parent, string engineCommit, string message)
    {
        var index = Path.Combine(Path.GetTempPath(), $"engine-bump-{Guid.NewGuid():N}.index");
        try
        {
            var environment = new Dictionary<string, string> { ["GIT_INDEX_FILE"] = index };
            GitCli.Run(project.Directory, ["read-tree", parent], environment);
            GitCli.Run(project.Directory, ["update-index", "--cacheinfo", $"160000,{engineCommit},{EngineCheck.SubmodulePath}"], environment);
            var tree = GitCli.Run(project.Directory, ["write-tree"], environment);
            return GitCli.Run(project.Directory, "commit-tree", tree, "-p", parent, "-m", message);
        }
        finally
        {
            File.Delete(index);
        }
    }

    /// <summary>Whether the open pull request's branch already holds this change on this base, so a re-run pushes nothing.</summary>
    private bool SameChange(GitHubPullRequest existing, string parent, string proposed, IReadOnlyDictionary<string, string> credentials) =>
        GitCli.Try(project.Directory, ["fetch", "-q", "--no-tags", "--", project.Remote!, $"refs/heads/{existing.HeadRef}"], credentials).Succeeded
        && Read(project.Directory, repository => repository.ObjectId("FETCH_HEAD^") == parent
            && repository.ObjectId("FETCH_HEAD^{tree}") == repository.ObjectId($"{proposed}^{{tree}}"));

    /// <summary>A read of a repository opened for it, so it sees what the git commands before it wrote (fetched objects, FETCH_HEAD).</summary>
    private static T Read<T>(AbsolutePath directory, Func<GitRepository, T> read)
    {
        using var repository = GitRepository.Open(directory);
        return read(repository);
    }

    /// <summary>The engine's commits between the two pins, as git log --oneline lists them; those undone when the move goes back.</summary>
    private string Body(string pinned, string commit, string from, string to)
    {
        var forward = !Read(_engine, engine => engine.IsAncestor(commit, pinned));
        var range = forward ? $"{pinned[..7]}..{commit[..7]}" : $"{commit[..7]}..{pinned[..7]}";
        var log = GitCli.Try(_engine, "log", "--oneline", range);
        var changes = log.Succeeded
            ? log.Output.TrimEnd('\n') is { Length: > 0 } lines ? lines : "(no commits)"
            : $"(the engine's log could not be read: {log.FirstErrorLine})";
        var intro = forward
            ? $"Moves the engine submodule from {from} to {to}.\n\nEngine changes (`git log --oneline {range}`):"
            : $"Moves the engine submodule back from {from} to {to}.\n\nEngine changes this undoes (`git log --oneline {range}`):";
        return $"{intro}\n\n```\n{changes}\n```\n";
    }
}
