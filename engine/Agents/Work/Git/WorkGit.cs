using Engine.Agents.Processes;

namespace Engine.Agents.Work.Git;

/// <summary>A git command failed where the cycle cannot go on; the message names the command and git's complaint.</summary>
internal sealed class GitException(string message) : Exception(message);

/// <summary>One entry of <c>git worktree list --porcelain</c>.</summary>
internal sealed record Worktree(string Path, string? Head, string? Branch);

/// <summary>A branch put on top of another commit: the new head, or null when a commit conflicted.</summary>
internal sealed record Replay(string? Commit, bool Linear)
{
    public static readonly Replay NotLinear = new(null, Linear: false);
}

/// <summary>The git command line for a cycle's writes and the few reads around them; argument arrays only.</summary>
internal sealed class WorkGit(string repository)
{
    // git's worktree commands, and branch deletion (which looks for the branch in every worktree), read
    // every worktree's administrative files, which a concurrent "worktree add" may have half written
    // ("failed to read .git/worktrees/t2/commondir"): the cycle's threads take turns for those.
    private readonly Lock _worktrees = new();

    public string Repository { get; } = repository;

    /// <summary>
    /// Runs git in a folder. Automatic gc and maintenance are off for the cycle's own commands: they
    /// would lock the repository in the middle of a cycle whose workers commit side by side.
    /// </summary>
    public ExecResult Try(string directory, params string[] arguments) =>
        Exec.Run("git", ["-C", directory, "-c", "gc.auto=0", "-c", "maintenance.auto=false", .. arguments]);

    public string Run(string directory, params string[] arguments)
    {
        var result = Try(directory, arguments);
        return result.Succeeded
            ? result.Output.TrimEnd('\n')
            : throw new GitException($"git {string.Join(' ', arguments)} failed in {directory}: {result.FirstErrorLine}");
    }

    /// <summary>The commit a revision names, or null when it names none.</summary>
    public string? Commit(string revision, string? directory = null)
    {
        var result = Try(directory ?? Repository, "rev-parse", "--verify", "--quiet", revision + "^{commit}");
        return result.Succeeded ? result.Output.Trim() : null;
    }

    /// <summary>The commit a worktree is at, and the branch it has checked out ("HEAD" when detached).</summary>
    public (string Commit, string Branch) Head(string worktree)
    {
        var lines = Run(worktree, "rev-parse", "HEAD", "--symbolic-full-name", "HEAD").Split('\n');
        return (lines[0].Trim(), lines.Length > 1 ? lines[1].Trim() : "HEAD");
    }

    /// <summary>The commits of several revisions in one call; null when any of them names none.</summary>
    public IReadOnlyList<string>? Commits(params string[] revisions)
    {
        // --verify takes one revision; the refs asked for here are the cycle's own full names, never options.
        var result = Try(Repository, ["rev-parse", .. revisions.Select(r => r + "^{commit}")]);
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return result.Succeeded && lines.Length == revisions.Length ? lines : null;
    }

    public bool IsAncestor(string ancestor, string descendant, string? directory = null) =>
        Try(directory ?? Repository, "merge-base", "--is-ancestor", ancestor, descendant).ExitCode == 0;

    public IReadOnlyList<Worktree> Worktrees()
    {
        var list = new List<Worktree>();
        string? path = null, head = null, branch = null;
        string listing;
        lock (_worktrees)
            listing = Run(Repository, "worktree", "list", "--porcelain");
        foreach (var line in listing.Split('\n').Append(""))
        {
            if (line.Length == 0)
            {
                if (path is not null)
                    list.Add(new Worktree(path, head, branch));
                path = head = branch = null;
            }
            else if (line.StartsWith("worktree ", StringComparison.Ordinal))
                path = line["worktree ".Length..];
            else if (line.StartsWith("HEAD ", StringComparison.Ordinal))
                head = line["HEAD ".Length..];
            else if (line.StartsWith("branch ", StringComparison.Ordinal))
                branch = line["branch ".Length..];
        }
        return list;
    }

    /// <summary>A new worktree on <paramref name="branch"/>, made (or reset) at <paramref name="commit"/>.</summary>
    public void AddWorktree(string path, string branch, string commit)
    {
        lock (_worktrees)
            Run(Repository, "worktree", "add", "--quiet", "-B", branch, path, commit);
    }

    /// <summary>A worktree on a branch that exists, as it is.</summary>
    public void AddWorktreeOn(string path, string branch)
    {
        lock (_worktrees)
            Run(Repository, "worktree", "add", "--quiet", path, branch);
    }

    public void AddDetachedWorktree(string path, string commit)
    {
        lock (_worktrees)
            Run(Repository, "worktree", "add", "--quiet", "--detach", path, commit);
    }

    /// <summary>Removes a worktree whatever its state (changes, a rebase in progress), and its folder if git did not know it.</summary>
    public void RemoveWorktree(string path)
    {
        if (!Directory.Exists(path))
            return;
        lock (_worktrees)
        {
            if (Try(Repository, "worktree", "remove", "--force", "--force", path).Succeeded)
                return;
            Directory.Delete(path, recursive: true);
            Try(Repository, "worktree", "prune");
        }
    }

    public void PruneWorktrees()
    {
        lock (_worktrees)
            Try(Repository, "worktree", "prune");
    }

    /// <summary>The short names of the branches matching a pattern such as "work/*".</summary>
    public IReadOnlyList<string> Branches(string pattern) =>
        Run(Repository, "branch", "--list", pattern, "--format=%(refname:short)").Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Deletes branches in one call; those that are not there are fine.</summary>
    public void DeleteBranches(IReadOnlyList<string> branches)
    {
        if (branches.Count == 0)
            return;
        lock (_worktrees)
            Try(Repository, ["branch", "--quiet", "-D", .. branches]);
    }

    /// <summary>
    /// The worktree that has <paramref name="branchRef"/> checked out, or null. Read from the HEAD files
    /// of the repository and its worktrees (what <c>git worktree list</c> reads, without a process);
    /// with the reftable ref store, whose HEAD files name no branch, git is asked.
    /// </summary>
    public string? CheckedOutAt(string branchRef)
    {
        var common = _commonDir ??= Path.GetFullPath(Run(Repository, "rev-parse", "--git-common-dir").Trim(), Repository);
        if (Path.GetFileName(common) == ".git")
        {
            var heads = new List<(string Path, string? Ref)> { (Path.GetDirectoryName(common)!, HeadRef(Path.Combine(common, "HEAD"))) };
            var admin = Path.Combine(common, "worktrees");
            if (Directory.Exists(admin))
                foreach (var entry in Directory.EnumerateDirectories(admin))
                    if (ReadIfExists(Path.Combine(entry, "gitdir")) is { } gitdir)
                        heads.Add((Path.GetDirectoryName(gitdir.Trim())!, HeadRef(Path.Combine(entry, "HEAD"))));
            if (heads.All(h => h.Ref != "refs/heads/.invalid"))
                return heads.FirstOrDefault(h => h.Ref == branchRef).Path;
        }
        return Worktrees().FirstOrDefault(w => w.Branch == branchRef)?.Path;
    }

    private string? _commonDir;

    private static string? HeadRef(string file) =>
        ReadIfExists(file) is { } text && text.StartsWith("ref: ", StringComparison.Ordinal) ? text["ref: ".Length..].Trim() : null;

    /// <summary>A file's text, or null when it is not there (a worktree being added or removed this very moment).</summary>
    private static string? ReadIfExists(string file)
    {
        try
        {
            return File.ReadAllText(file);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Deletes a branch; one that is not there is fine.</summary>
    public void DeleteBranch(string branch)
    {
        lock (_worktrees)
            Try(Repository, "branch", "--quiet", "-D", branch);
    }

    /// <summary>Commits everything left in the worktree (when anything is); returns whether it made a commit.</summary>
    public bool CommitAll(string worktree, string message)
    {
        Run(worktree, "add", "--all");
        var commit = Try(worktree, "commit", "--quiet", "-m", message);
        if (commit.Succeeded)
            return true;
        // Nothing staged is no failure: the worker committed its work itself, or made none.
        if (Try(worktree, "diff", "--cached", "--quiet").Succeeded)
            return false;
        throw new GitException($"git commit failed in {worktree}: {commit.FirstErrorLine}");
    }

    /// <summary>
    /// The commits <paramref name="head"/> has and <paramref name="onto"/> lacks, put on top of it without a
    /// worktree, index or sequencer: each commit's tree is the three-way merge of <paramref name="onto"/> and
    /// that commit (<c>git merge-tree</c>), committed on the one before with its own author, date and message.
    /// A few milliseconds a commit where a rebase takes tens. A commit that would change nothing is dropped. The
    /// result is <see cref="Replay.NotLinear"/> when a merge commit is among them or git cannot merge without a
    /// worktree (before 2.38): a rebase decides then. It has no commit when one conflicts.
    /// </summary>
    public Replay ReplayOnto(string onto, string head)
    {
        var commits = Run(Repository, "log", "--reverse", "-z", "--date=raw", "--format=%H %P%n%an%n%ae%n%ad%n%B", onto + ".." + head)
            .Split('\0', StringSplitOptions.RemoveEmptyEntries);
        var parsed = new List<(string Commit, string Name, string Email, string Date, string Message)>();
        foreach (var commit in commits)
        {
            var lines = commit.Split('\n', 5);
            var commitAndParents = lines[0].Split(' ');
            if (lines.Length < 5 || commitAndParents.Length != 2)
                return Replay.NotLinear;
            parsed.Add((commitAndParents[0], lines[1], lines[2], lines[3], lines[4]));
        }
        var top = onto;
        var topTree = Run(Repository, "rev-parse", onto + "^{tree}").Trim();
        foreach (var (commit, name, email, date, message) in parsed)
        {
            var merged = Try(Repository, "merge-tree", "--write-tree", "--no-messages", onto, commit);
            if (merged.ExitCode == 1)
                return new Replay(null, Linear: true);
            // git before 2.38 has no --write-tree: the rebase does the work there.
            if (!merged.Succeeded)
                return Replay.NotLinear;
            var tree = merged.Output.Split('\n')[0].Trim();
            // A commit whose changes main holds already (a batch main took before a crash, a cherry-pick) adds
            // nothing: dropped, as a rebase drops it, never an empty copy on main.
            if (tree == topTree)
                continue;
            var author = new Dictionary<string, string> { ["GIT_AUTHOR_NAME"] = name, ["GIT_AUTHOR_EMAIL"] = email, ["GIT_AUTHOR_DATE"] = date };
            var made = Exec.Run("git", ["-C", Repository, "commit-tree", tree, "-p", top, "-F", "-"], message, author);
            top = made.Succeeded ? made.Output.Trim() : throw new GitException($"git commit-tree failed in {Repository}: {made.FirstErrorLine}");
            topTree = tree;
        }
        return new Replay(top, Linear: true);
    }

    public string DiffStat(string worktree, string from, string to) =>
        Run(worktree, "diff", "--shortstat", from, to).Trim();
}
