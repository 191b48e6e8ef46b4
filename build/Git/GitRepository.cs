// build/Git: reads in process, writes through git.
//
// Every question about a repository (is it one, its branch and HEAD, changed and untracked files, its upstream and how
// far ahead and behind, submodules and their checkouts, tags, the index, remotes) is answered here, in this process, by
// LibGit2Sharp: no git process per question, which is what made fleet-wide reads slow. Every change (init, submodule
// add, fetch, checkout, commit, push) runs the git command line through GitCli, the reference: LibGit2Sharp has no
// `submodule add`, runs no hooks, ignores GIT_AUTHOR_*, GIT_COMMITTER_* and GIT_CONFIG_* from the environment, has no
// `init -b`, and commits the whole index. Listing the refs of a repository on a network also runs git (RemoteRefs),
// for its protocols, credential helpers and url.<base>.insteadOf; a local repository is listed here. One read stays on
// git by measurement: IsolationCheck's listing of every path of a project (Isolation/ProjectFiles), where `git ls-files`
// streams 40,000 index entries in about a fifth of the time the library takes to hand them out one object at a time.
//
// Two LibGit2Sharp calls are avoided on purpose, because under Native AOT they answer wrongly: `Repository.Config` (it
// replaces the repository's configuration with one built without the global file, so core.excludesFile would be lost
// for every later read) and anything that returns a git_buf (`Branch.TrackedBranch`, `TrackingDetails`,
// `Repository.Discover`, `RefSpec.Transform`: their answers come back empty).

using LibGit2Sharp;

namespace Orchestrator.Git;

/// <summary>Where HEAD is: a branch (null when detached), its commit (null before the first commit), and the branch's upstream.</summary>
/// <param name="Upstream">The upstream as git status names it (<c>origin/main</c>); null when the branch has none.</param>
/// <param name="UpstreamGone">The upstream is configured but its ref does not exist (deleted on the remote and pruned).</param>
/// <param name="Uncommitted">Changed, staged and untracked paths, counted as <c>git status</c> lists them (an untracked folder once).</param>
internal sealed record WorkingTreeStatus(string? Branch, string? Head, string? Upstream, int Ahead, int Behind, bool UpstreamGone, int Uncommitted)
{
    public bool Detached => Branch is null && Head is not null;
}

/// <summary>A submodule as the superproject records it and as its own checkout is.</summary>
/// <param name="Url">As .gitmodules writes it (possibly relative); null when .gitmodules does not name it.</param>
/// <param name="Recorded">The gitlink in HEAD's tree: the commit the project is pinned at; null when HEAD has none.</param>
/// <param name="Staged">The gitlink in the index; differs from <paramref name="Recorded"/> when a new pin is staged but not committed.</param>
/// <param name="CheckedOut">The commit the submodule's own HEAD is at; null when it is not checked out.</param>
/// <param name="ModifiedContent">Modified or staged files inside the submodule.</param>
/// <param name="UntrackedContent">Untracked (not ignored) files inside the submodule.</param>
internal sealed record SubmoduleFacts(string Path, string? Url, string? Recorded, string? Staged, string? CheckedOut, bool ModifiedContent, bool UntrackedContent)
{
    public bool LocalChanges => ModifiedContent || UntrackedContent;
}

internal enum IndexEntryKind { File, Link, Submodule }

/// <summary>
/// One local repository, opened once and asked many questions. Open it with <see cref="OpenWorkTree"/> (a project, a
/// checkout) or <see cref="Open"/> (any repository, bare ones too); dispose it when done.
/// </summary>
internal sealed class GitRepository : IDisposable
{
    private readonly Repository _repository;
    private IReadOnlyList<(SubmoduleFacts Facts, SubmoduleIgnore Ignore, bool Present)>? _submodules;

    private GitRepository(Repository repository, string directory)
    {
        _repository = repository;
        Directory = directory;
    }

    public string Directory { get; }

    /// <summary>
    /// The repository whose work tree's top is <paramref name="directory"/>; null when the folder does not exist, has no
    /// <c>.git</c> of its own (git would find none, or an enclosing repository), or holds a bare repository. A <c>.git</c>
    /// that is there but cannot be read throws <see cref="GitException"/> with one line saying so: never a stack trace.
    /// </summary>
    public static GitRepository? OpenWorkTree(string directory)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        var dotGit = Path.Combine(full, ".git");
        if (!System.IO.Directory.Exists(dotGit) && !File.Exists(dotGit))
            return null;
        Repository repository;
        try
        {
            // Opens exactly this folder's repository, never one above it (the library's open does not search upwards).
            repository = new Repository(full);
        }
        catch (LibGit2SharpException e)
        {
            throw Unreadable(full, e);
        }
        if (!repository.Info.IsBare)
            return new GitRepository(repository, full);
        repository.Dispose();
        return null;
    }

    /// <summary>Any repository at <paramref name="path"/>, bare or not; throws <see cref="GitException"/> when there is none or it cannot be read.</summary>
    public static GitRepository Open(string path)
    {
        try
        {
            return new GitRepository(new Repository(path), Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)));
        }
        catch (LibGit2SharpException e)
        {
            throw new GitException($"{path} is not a git repository that can be read: {OneLine(e)}");
        }
    }

    private static GitException Unreadable(string directory, Exception e) =>
        new($"{directory}: the git repository cannot be read ({OneLine(e)}); repair it or clone it again");

    private static string OneLine(Exception e) => e.Message.Split('\n')[0].TrimEnd('.');

    /// <summary>
    /// Runs a read, turning the library's failure (a corrupt index or object, say) into one line naming the repository.
    /// </summary>
    private T Read<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (LibGit2SharpException e)
        {
            throw Unreadable(Directory, e);
        }
    }

    /// <summary>Branch, HEAD, upstream and uncommitted paths: what <c>git status --porcelain=v2 --branch</c> says.</summary>
    public WorkingTreeStatus Status() => Read(() =>
    {
        var head = _repository.Head;
        var tip = head.Tip;
        string? branch = _repository.Info.IsHeadDetached ? null : head.FriendlyName;
        var (upstream, ahead, behind, gone) = branch is null ? (null, 0, 0, false) : Upstream(head.CanonicalName, branch, tip);
        return new WorkingTreeStatus(branch, tip?.Sha, upstream, ahead, behind, gone, UncommittedPaths());
    });

    /// <summary>
    /// Counted as git status lists paths. Submodules are left out of the library's status (it would run a second status
    /// inside each) and counted from their facts, which the engine checks need anyway, by git's rules: a new pin staged,
    /// another commit checked out, the folder gone, or changed content as the submodule's <c>ignore</c> setting allows.
    /// </summary>
    private int UncommittedPaths()
    {
        var options = new StatusOptions
        {
            IncludeUntracked = true,
            RecurseUntrackedDirs = false,
            IncludeIgnored = false,
            ExcludeSubmodules = true,
        };
        var paths = _repository.RetrieveStatus(options).Count();
        foreach (var (facts, ignore, present) in SubmoduleEntries())
        {
            var staged = facts.Recorded != facts.Staged;
            var changed = ignore != SubmoduleIgnore.All && facts.Staged is not null && (
                !present
                || (facts.CheckedOut is not null && facts.CheckedOut != facts.Staged)
                || (ignore is SubmoduleIgnore.None or SubmoduleIgnore.Untracked && facts.ModifiedContent)
                || (ignore is SubmoduleIgnore.None && facts.UntrackedContent));
            if (staged || changed)
                paths++;
        }
        return paths;
    }

    /// <summary>
    /// The upstream from the branch's configuration (<c>branch.NAME.remote</c> and <c>.merge</c>) mapped through the
    /// remote's fetch refspecs, as git does, and the commits each side has that the other has not.
    /// </summary>
    private (string? Upstream, int Ahead, int Behind, bool Gone) Upstream(string branchRef, string branch, Commit? tip)
    {
        string? remote, merge;
        // Read from the configuration files, not Repository.Config (see the top of this file).
        using (var config = Configuration.BuildFrom(Path.Combine(CommonDirectory, "config")))
        {
            remote = config.Get<string>("branch", branch, "remote")?.Value;
            merge = config.Get<string>("branch", branch, "merge")?.Value;
        }
        if (remote is null || merge is null)
            return (null, 0, 0, false);
        var upstreamRef = remote == "." ? merge : RemoteTrackingRef(remote, merge);
        if (upstreamRef is null)
            return (null, 0, 0, false);
        var name = upstreamRef.StartsWith("refs/remotes/") ? upstreamRef["refs/remotes/".Length..]
            : upstreamRef.StartsWith("refs/heads/") ? upstreamRef["refs/heads/".Length..]
            : upstreamRef;
        if (upstreamRef == branchRef && remote == ".")
            return (name, 0, 0, false);
        var upstreamTip = _repository.Refs[upstreamRef]?.ResolveToDirectReference()?.Target?.Peel<Commit>();
        if (upstreamTip is null)
            return (name, 0, 0, true);
        if (tip is null)
            return (name, 0, 0, false);
        var divergence = _repository.ObjectDatabase.CalculateHistoryDivergence(tip, upstreamTip);
        return (name, divergence.AheadBy ?? 0, divergence.BehindBy ?? 0, false);
    }

    private string? RemoteTrackingRef(string remoteName, string merge)
    {
        using var remote = _repository.Network.Remotes[remoteName];
        if (remote is null)
            return null;
        foreach (var spec in remote.FetchRefSpecs)
            if (MapThroughRefSpec(spec.Source, spec.Destination, merge) is { } mapped)
                return mapped;
        return null;
    }

    /// <summary>A ref mapped by one refspec side to the other (<c>refs/heads/*</c> to <c>refs/remotes/origin/*</c>); null when it does not match.</summary>
    internal static string? MapThroughRefSpec(string source, string destination, string reference)
    {
        if (source.StartsWith('^'))
            return null;
        var star = source.IndexOf('*');
        if (star < 0)
            return source == reference ? destination : null;
        var (prefix, suffix) = (source[..star], source[(star + 1)..]);
        if (!reference.StartsWith(prefix) || !reference.EndsWith(suffix) || reference.Length < prefix.Length + suffix.Length)
            return null;
        var matched = reference[prefix.Length..(reference.Length - suffix.Length)];
        return destination.Replace("*", matched);
    }

    /// <summary>The facts of the submodule at <paramref name="path"/>; null when the project has none there.</summary>
    public SubmoduleFacts? Submodule(string path) => _submodules is { } all
        ? all.Select(s => s.Facts).FirstOrDefault(s => s.Path == path)
        : Read(() => _repository.Submodules[path] is { } submodule && submodule.Path == path ? Entry(submodule).Facts : null);

    /// <summary>Every submodule the project records (in .gitmodules, the index or HEAD's tree), sorted by path.</summary>
    public IReadOnlyList<SubmoduleFacts> Submodules() => SubmoduleEntries().Select(s => s.Facts).ToList();

    private IReadOnlyList<(SubmoduleFacts Facts, SubmoduleIgnore Ignore, bool Present)> SubmoduleEntries() => _submodules ??= Read(() =>
        _repository.Submodules.Select(Entry).OrderBy(e => e.Facts.Path, StringComparer.Ordinal).ToList());

    private (SubmoduleFacts Facts, SubmoduleIgnore Ignore, bool Present) Entry(LibGit2Sharp.Submodule submodule)
    {
        var recorded = _repository.Head.Tip?[submodule.Path] is { TargetType: TreeEntryTargetType.GitLink } inTree ? inTree.Target.Sha : null;
        var staged = _repository.Index[submodule.Path] is { Mode: Mode.GitLink } inIndex ? inIndex.Id.Sha : null;
        var folder = Path.Combine(Directory, submodule.Path);
        var (checkedOut, modified, untracked) = Checkout(folder);
        return (new SubmoduleFacts(submodule.Path, submodule.Url, recorded, staged, checkedOut, modified, untracked),
            submodule.IgnoreRule, System.IO.Directory.Exists(folder));
    }

    /// <summary>A submodule's own HEAD and whether its files changed, as <c>git -C PATH status --porcelain</c> sees them; nothing when not checked out.</summary>
    private static (string? Commit, bool Modified, bool Untracked) Checkout(string folder)
    {
        using var checkout = OpenWorkTree(folder);
        if (checkout is null)
            return (null, false, false);
        return checkout.Read(() =>
        {
            var status = checkout._repository.RetrieveStatus(new StatusOptions { IncludeUntracked = true, RecurseUntrackedDirs = false, IncludeIgnored = false });
            return (checkout._repository.Head.Tip?.Sha, status.Any(e => e.State != FileStatus.NewInWorkdir), status.Untracked.Any());
        });
    }

    /// <summary>The commit HEAD records for a submodule path (the gitlink), read from the tree, never from the submodule's own HEAD.</summary>
    public string? RecordedCommit(string path) => Read(() =>
        _repository.Head.Tip?[path] is { TargetType: TreeEntryTargetType.GitLink } entry ? entry.Target.Sha : null);

    /// <summary>The id of the object a revision names (<c>git rev-parse --verify -q REVISION</c>): <c>v0.2.0^{commit}</c>, <c>HEAD:engine</c>; null when none.</summary>
    public string? ObjectId(string revision)
    {
        try
        {
            return _repository.Lookup(revision)?.Sha;
        }
        catch (LibGit2SharpException)
        {
            return null; // ambiguous or malformed: like rev-parse --verify, no answer
        }
    }

    /// <summary>Whether <paramref name="ancestor"/> is in the history of <paramref name="descendant"/>, a commit being its own
    /// ancestor (<c>git merge-base --is-ancestor</c>); false when either is not a commit here.</summary>
    public bool IsAncestor(string ancestor, string descendant) => Read(() =>
        _repository.Lookup<Commit>(ancestor) is { } older && _repository.Lookup<Commit>(descendant) is { } newer
        && _repository.ObjectDatabase.FindMergeBase(older, newer)?.Sha == older.Sha);

    /// <summary>How many paths under <paramref name="path"/> differ from HEAD, changed, staged or untracked, as <c>git status -- PATH</c> lists them.</summary>
    public int ChangesUnder(string path) => Read(() =>
        _repository.RetrieveStatus(new StatusOptions { PathSpec = [path], IncludeUntracked = true, RecurseUntrackedDirs = false, IncludeIgnored = false }).Count());

    /// <summary>The text of a file at a revision (<c>git show HEAD:engine/VERSION</c>); null when there is none.</summary>
    public string? FileText(string revisionPath) => Read(() => (_repository.Lookup(revisionPath) as Blob)?.GetContentText());

    /// <summary>The committer date of a commit in strict ISO 8601 (<c>git log -1 --format=%cI</c>).</summary>
    public string? CommitDate(string revision) => Read(() =>
        (_repository.Lookup(revision) as Commit)?.Committer.When.ToString("yyyy-MM-ddTHH:mm:sszzz"));

    /// <summary>Tag names, sorted as git lists them.</summary>
    public IReadOnlyList<string> TagNames() => Read(() =>
        _repository.Tags.Select(t => t.FriendlyName).Order(StringComparer.Ordinal).ToList());

    /// <summary>The tags whose commit is <paramref name="commit"/> (<c>git tag --points-at</c>), sorted.</summary>
    public IReadOnlyList<string> TagsAt(string commit) => Read(() =>
        _repository.Tags.Where(t => t.PeeledTarget.Sha == commit).Select(t => t.FriendlyName).Order(StringComparer.Ordinal).ToList());

    /// <summary>
    /// Branches and tags with the object each names, annotated tags peeled, as <c>git ls-remote --heads --tags</c> lists
    /// them: <c>refs/heads/main</c>, <c>refs/tags/v0.1.0</c>, sorted by name.
    /// </summary>
    public IReadOnlyList<(string Name, string Commit)> BranchesAndTags() => Read(() =>
    {
        var heads = _repository.Refs.FromGlob("refs/heads/*")
            .Select(r => (r.CanonicalName, Target: r.ResolveToDirectReference()?.TargetIdentifier))
            .Where(r => r.Target is not null)
            .Select(r => (r.CanonicalName, r.Target!));
        var tags = _repository.Tags.Select(t => (t.CanonicalName, t.PeeledTarget.Sha));
        return heads.Concat(tags).OrderBy(r => r.Item1, StringComparer.Ordinal).ToList();
    });

    /// <summary>Every remote's fetch and push URLs (<c>git remote -v</c>), each once.</summary>
    public IReadOnlyList<string> RemoteUrls() => Read(() =>
        _repository.Network.Remotes.SelectMany(r => new[] { r.Url, r.PushUrl }).Where(u => !string.IsNullOrEmpty(u)).Distinct().ToList());

    /// <summary>Index entries, in index order (<c>git ls-files --stage</c>): a conflicted path once per stage.</summary>
    public IReadOnlyList<(string Path, IndexEntryKind Kind)> IndexEntries() => Read(() =>
        _repository.Index.Select(e => (e.Path, e.Mode switch
        {
            Mode.SymbolicLink => IndexEntryKind.Link,
            Mode.GitLink => IndexEntryKind.Submodule,
            _ => IndexEntryKind.File,
        })).ToList());

    /// <summary>
    /// Where the repository's shared files live (objects, config): its git directory, or for a linked worktree the main
    /// repository's (named by the <c>commondir</c> file of its git directory).
    /// </summary>
    public string CommonDirectory
    {
        get
        {
            var gitDirectory = _repository.Info.Path;
            var pointer = Path.Combine(gitDirectory, "commondir");
            return File.Exists(pointer) ? Path.GetFullPath(File.ReadAllText(pointer).Trim(), gitDirectory) : gitDirectory;
        }
    }

    public void Dispose() => _repository.Dispose();
}
