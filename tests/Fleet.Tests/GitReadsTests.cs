using Orchestrator.Git;
using TestSupport;

namespace Fleet.Tests;

/// <summary>
/// The in-process reads (LibGit2Sharp) give the git CLI's answers: each state is made with git, then read both ways.
/// </summary>
public sealed class GitReadsTests(GitStates states) : IClassFixture<GitStates>
{
    private readonly GitStates _states = states;

    /// <summary>What a folder is, for git: everything the fleet reads of a project.</summary>
    private sealed record Answer(string Kind, WorkingTreeStatus? Status, IReadOnlyList<SubmoduleFacts> Submodules)
    {
        public override string ToString() =>
            $"{Kind} {Status} [{string.Join(", ", Submodules)}]";
    }

    public static TheoryData<string> States => new(GitStates.All);

    [Theory]
    [MemberData(nameof(States))]
    public void Every_state_reads_in_process_as_the_git_cli_reads_it(string state)
    {
        var project = _states.Make(state);
        var cli = ReadWithCli(project);
        var ours = ReadInProcess(project);
        Assert.Equal(cli.ToString(), ours.ToString());
    }

    [Fact]
    public void The_states_are_what_their_names_say()
    {
        // Guards the fixtures themselves, so the comparison above covers what it claims to.
        Answer Read(string state) => ReadWithCli(_states.Make(state));
        Assert.Equal("repository", Read("clean").Kind);
        Assert.Equal(0, Read("clean").Status!.Uncommitted);
        Assert.Equal(2, Read("untracked").Status!.Uncommitted); // notes.txt and drafts/ (once); .gitignore-me is excluded
        var both = Read("ahead-and-behind").Status!;
        Assert.Equal(("origin/main", 1, 2), (both.Upstream, both.Ahead, both.Behind));
        Assert.True(Read("upstream-gone").Status!.UpstreamGone);
        Assert.True(Read("detached").Status!.Detached);
        Assert.Null(Read("unborn").Status!.Head);
        var moved = Read("engine-moved").Submodules.Single();
        Assert.NotEqual(moved.Recorded, moved.CheckedOut);
        Assert.True(Read("engine-dirty").Submodules.Single().ModifiedContent);
        Assert.True(Read("engine-untracked").Submodules.Single().UntrackedContent);
        Assert.Null(Read("engine-not-checked-out").Submodules.Single().CheckedOut);
        var staged = Read("gitlink-staged").Submodules.Single();
        Assert.NotEqual(staged.Recorded, staged.Staged);
        Assert.Equal(2, Read("two-submodules").Submodules.Count);
        Assert.Equal("not cloned", Read("not-cloned").Kind);
        Assert.Equal("not a repository", Read("not-a-repository").Kind);
        Assert.Equal("not a repository", Read("inside-another-repository").Kind);
        foreach (var corrupt in new[] { "corrupt-index", "corrupt-head", "empty-dot-git", "dangling-gitfile" })
            Assert.Equal("unreadable", Read(corrupt).Kind);
    }

    [Fact]
    public void An_unreadable_repository_is_one_line_naming_it()
    {
        foreach (var state in new[] { "corrupt-index", "corrupt-head", "empty-dot-git", "dangling-gitfile" })
        {
            var project = _states.Make(state);
            var error = Assert.Throws<GitException>(() =>
            {
                using var repository = GitRepository.OpenWorkTree(project);
                repository?.Status();
                repository?.Submodule("engine");
            });
            Assert.DoesNotContain('\n', error.Message);
            Assert.Contains(project, error.Message);
            Assert.Contains("the git repository cannot be read", error.Message);
        }
    }

    [Fact]
    public void A_local_engine_repository_lists_the_refs_ls_remote_lists()
    {
        var engine = _states.Engine.Url;
        var refs = RemoteRefs.List(engine, _states.Path);
        var cli = Shell.Git(_states.Path, "ls-remote", "--tags", "--heads", engine).Split('\n')
            .Select(line => line.Split('\t'))
            .ToDictionary(fields => fields[1], fields => fields[0]);
        var cliTags = cli.Keys.Where(k => k.StartsWith("refs/tags/") && !k.EndsWith("^{}")).Select(k => k["refs/tags/".Length..]);

        Assert.Equal(cliTags, refs.Tags);
        foreach (var tag in refs.Tags)
            Assert.Equal(cli.GetValueOrDefault($"refs/tags/{tag}^{{}}") ?? cli[$"refs/tags/{tag}"], refs.Resolve(tag));
        Assert.Equal(cli["refs/heads/main"], refs.Resolve("main"));
        Assert.Null(refs.Resolve("v9.9.9"));
        Assert.False(refs.IsEmpty);
    }

    [Fact]
    public void Revisions_tags_and_files_read_as_rev_parse_tag_and_show_read_them()
    {
        using var engine = GitRepository.Open(_states.Engine.Url);
        foreach (var revision in new[] { "v0.1.0^{commit}", "v0.2.0^{commit}", "v0.1.0^{tree}", "HEAD", "main:VERSION", "broken-init" })
            Assert.Equal(Shell.Git(_states.Path, "-C", _states.Engine.Url, "rev-parse", "--verify", "-q", revision), engine.ObjectId(revision));
        Assert.Null(engine.ObjectId("v9.9.9^{commit}"));
        Assert.Null(engine.ObjectId("v0.1.0^^^^^^^^"));

        var commit = _states.Engine.CommitOf("v0.2.0");
        Assert.Equal(Shell.Git(_states.Engine.Url, "tag", "--points-at", commit).Split('\n'), engine.TagsAt(commit));
        Assert.Equal(Shell.Git(_states.Engine.Url, "tag", "--list").Split('\n'), engine.TagNames());
        Assert.Equal(Shell.Git(_states.Engine.Url, "show", "v0.1.0:VERSION") + "\n", engine.FileText("v0.1.0:VERSION"));
        Assert.Equal(Shell.Git(_states.Engine.Url, "log", "-1", "--format=%cI", "v0.2.0"), engine.CommitDate("v0.2.0"));
    }

    [Fact]
    public void Remote_urls_read_as_git_remote_lists_them()
    {
        var project = _states.Make("remotes");
        Shell.Git(project, "remote", "add", "mirror", "https://example.invalid/mirror.git");
        Shell.Git(project, "remote", "set-url", "--push", "mirror", "git@example.invalid:team/mirror.git");
        Shell.Git(project, "config", "url.https://example.invalid/rewritten/.insteadOf", "short:");
        Shell.Git(project, "remote", "add", "short", "short:repo.git");
        var cli = Shell.Git(project, "remote", "-v").Split('\n')
            .Select(line => line.Split('\t')[1])
            .Select(url => url[..url.LastIndexOf(" (")])
            .Distinct();
        using var repository = GitRepository.OpenWorkTree(project)!;
        Assert.Equal(cli.Order(), repository.RemoteUrls().Order());
    }

    [Theory]
    [InlineData("/srv/engine.git", true)]
    [InlineData("../engine.git", true)]
    [InlineData("engine.git", true)]
    [InlineData("file:///srv/engine.git", true)]
    [InlineData("https://example.invalid/engine.git", false)]
    [InlineData("ssh://git@example.invalid/engine.git", false)]
    [InlineData("git@example.invalid:team/engine.git", false)]
    [InlineData("example.invalid:engine.git", false)]
    public void Local_repositories_are_told_from_network_ones(string url, bool local)
    {
        using var folder = new TemporaryFolder();
        Directory.CreateDirectory(folder["work"]);
        foreach (var path in new[] { "srv/engine.git", "engine.git" })
            Directory.CreateDirectory(folder[path]);
        var resolved = url.Replace("/srv/", folder["srv"] + "/");
        Assert.Equal(local, RemoteRefs.LocalPath(resolved, url == "engine.git" ? folder.Path : folder["work"]) is not null);
    }

    private static Answer ReadInProcess(string project)
    {
        if (!Directory.Exists(project))
            return new Answer("not cloned", null, []);
        try
        {
            using var repository = GitRepository.OpenWorkTree(project);
            if (repository is null)
                return new Answer("not a repository", null, []);
            var status = repository.Status();
            return new Answer("repository", status, repository.Submodules());
        }
        catch (GitException)
        {
            return new Answer("unreadable", null, []);
        }
    }

    /// <summary>The same facts from the git commands the runbook used before reading in process.</summary>
    private static Answer ReadWithCli(string project)
    {
        if (!Directory.Exists(project))
            return new Answer("not cloned", null, []);
        var hasDotGit = Directory.Exists(Path.Combine(project, ".git")) || File.Exists(Path.Combine(project, ".git"));
        var top = Git(project, "rev-parse", "--show-toplevel");
        if (top.ExitCode != 0 || Path.GetFullPath(top.Out.Trim()) != Path.GetFullPath(project).TrimEnd('/'))
            return new Answer(hasDotGit ? "unreadable" : "not a repository", null, []);
        var status = Git(project, "status", "--porcelain=v2", "--branch");
        if (status.ExitCode != 0)
            return new Answer("unreadable", null, []);
        return new Answer("repository", ParseStatus(status.Out), SubmodulePaths(project).Select(path => SubmoduleWithCli(project, path)).ToList());
    }

    private static WorkingTreeStatus ParseStatus(string porcelain)
    {
        string? branch = null, head = null, upstream = null;
        int ahead = 0, behind = 0, paths = 0;
        var counted = false;
        foreach (var line in porcelain.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("# branch.oid "))
                head = line["# branch.oid ".Length..] is var oid && oid != "(initial)" ? oid : null;
            else if (line.StartsWith("# branch.head "))
                branch = line["# branch.head ".Length..] is var name && name != "(detached)" ? name : null;
            else if (line.StartsWith("# branch.upstream "))
                upstream = line["# branch.upstream ".Length..];
            else if (line.StartsWith("# branch.ab "))
            {
                var counts = line["# branch.ab ".Length..].Split(' ');
                (ahead, behind, counted) = (int.Parse(counts[0].TrimStart('+')), int.Parse(counts[1].TrimStart('-')), true);
            }
            else if (!line.StartsWith('#'))
                paths++;
        }
        // git leaves out the counts when the upstream's ref is gone (and before the first commit).
        return new WorkingTreeStatus(branch, head, upstream, ahead, behind, upstream is not null && !counted && head is not null, paths);
    }

    private static SubmoduleFacts SubmoduleWithCli(string project, string path)
    {
        var name = Git(project, "config", "--file", ".gitmodules", "--get-regexp", @"^submodule\..*\.path$").Out
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', 2))
            .Where(fields => fields[1] == path)
            .Select(fields => fields[0]["submodule.".Length..^".path".Length])
            .FirstOrDefault();
        var url = name is null ? null : Git(project, "config", "--file", ".gitmodules", $"submodule.{name}.url").Out.Trim();
        var recorded = Git(project, "ls-tree", "HEAD", "--", path).Out.Split([' ', '\t']) is [_, "commit", var inTree, ..] ? inTree : null;
        var staged = Git(project, "ls-files", "--stage", "--", path).Out.Split([' ', '\t']) is ["160000", var inIndex, ..] ? inIndex : null;
        var folder = Path.Combine(project, path);
        var checkout = Directory.Exists(folder) ? Git(folder, "rev-parse", "--show-toplevel") : null;
        if (checkout is not { ExitCode: 0 } || Path.GetFullPath(checkout.Out.Trim()) != Path.GetFullPath(folder))
            return new SubmoduleFacts(path, url, recorded, staged, null, false, false);
        var changes = Git(folder, "status", "--porcelain").Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return new SubmoduleFacts(path, url, recorded, staged, Git(folder, "rev-parse", "HEAD").Out.Trim(),
            changes.Any(line => !line.StartsWith("??")), changes.Any(line => line.StartsWith("??")));
    }

    /// <summary>The submodule paths the project records anywhere: .gitmodules, the index, or HEAD's tree.</summary>
    private static IEnumerable<string> SubmodulePaths(string project)
    {
        var declared = Git(project, "config", "--file", ".gitmodules", "--get-regexp", @"^submodule\..*\.path$").Out
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(' ', 2)[1]);
        var indexed = Git(project, "ls-files", "--stage").Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => line.StartsWith("160000 ")).Select(line => line[(line.IndexOf('\t') + 1)..]);
        return declared.Concat(indexed).Distinct().Order(StringComparer.Ordinal);
    }

    private static Outcome Git(string directory, params string[] arguments) =>
        Shell.Run(directory, "git", ["-c", "protocol.file.allow=always", .. arguments], new Dictionary<string, string> { ["LC_ALL"] = "C" });
}
