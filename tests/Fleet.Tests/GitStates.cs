using TestSupport;

namespace Fleet.Tests;

/// <summary>
/// Project repositories in each state the fleet must tell apart, made with the git CLI in a temporary folder: a local
/// bare repository stands in for a project's remote, <see cref="EngineRepository"/> for the engine. Each state is made
/// once and shared by the tests of a class, which only read it.
/// </summary>
public sealed class GitStates : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public GitStates() => Engine = EngineRepository.Create(_folder.Path);

    public EngineRepository Engine { get; }
    public string Path => _folder.Path;
    public string this[string relative] => _folder[relative];

    public void Dispose() => _folder.Dispose();

    public static readonly string[] All =
    [
        "clean", "dirty", "untracked", "staged-file", "renamed", "ahead", "behind", "ahead-and-behind", "upstream-gone",
        "local-upstream", "detached", "unborn", "engine-moved", "engine-dirty", "engine-untracked", "engine-ignores-dirt",
        "engine-not-checked-out", "engine-folder-gone", "gitlink-staged", "gitlink-staged-and-moved", "two-submodules",
        "no-submodule", "unmapped-gitlink",
        "not-cloned", "not-a-repository", "inside-another-repository", "bare", "corrupt-index", "corrupt-head",
        "empty-dot-git", "dangling-gitfile", "worktree",
    ];

    private readonly Dictionary<string, string> _made = [];

    /// <summary>Makes the project <paramref name="state"/> names (once) and returns its folder.</summary>
    public string Make(string state)
    {
        if (!_made.TryGetValue(state, out var project))
            _made[state] = project = MakeNew(state);
        return project;
    }

    private string MakeNew(string state)
    {
        var project = this[state];
        switch (state)
        {
            case "clean":
                Project(project);
                break;
            case "dirty":
                Project(project);
                File.AppendAllText(System.IO.Path.Combine(project, "agents.toml"), "# edited\n");
                break;
            case "untracked":
                Project(project);
                _folder.Write($"{state}/notes.txt", "a note\n");
                _folder.Write($"{state}/drafts/one.md", "one\n");
                _folder.Write($"{state}/drafts/two.md", "two\n");
                _folder.Write($"{state}/.gitignore-me", "ignored\n");
                _folder.Write($"{state}/.git/info/exclude", ".gitignore-me\n");
                break;
            case "staged-file":
                Project(project);
                _folder.Write($"{state}/new.txt", "new\n");
                Git(project, "add", "new.txt");
                File.AppendAllText(System.IO.Path.Combine(project, "new.txt"), "and changed again\n");
                break;
            case "renamed":
                Project(project);
                Git(project, "mv", "agents.toml", "agents.old.toml");
                break;
            case "ahead":
            case "remotes":
                WithUpstream(project, ahead: 2, behind: 0);
                break;
            case "behind":
                WithUpstream(project, ahead: 0, behind: 3);
                break;
            case "ahead-and-behind":
                WithUpstream(project, ahead: 1, behind: 2);
                break;
            case "upstream-gone":
                WithUpstream(project, ahead: 0, behind: 0);
                Git(this[$"{state}.git"], "branch", "-q", "-m", "main", "renamed");
                Git(project, "fetch", "-q", "--prune", "origin");
                break;
            case "local-upstream":
                Project(project);
                Git(project, "branch", "-q", "base");
                Git(project, "branch", "-q", "-u", "base");
                Commit(project, "one more");
                break;
            case "detached":
                Project(project);
                Commit(project, "second");
                Git(project, "checkout", "-q", "--detach", "HEAD~1");
                break;
            case "unborn":
                Directory.CreateDirectory(project);
                Git(project, "init", "-q", "-b", "trunk");
                _folder.Write($"{state}/README.md", "nothing committed yet\n");
                break;
            case "engine-moved":
                Project(project);
                Git(System.IO.Path.Combine(project, "engine"), "checkout", "-q", "v0.2.0");
                break;
            case "engine-dirty":
                Project(project);
                File.AppendAllText(System.IO.Path.Combine(project, "engine", "VERSION"), "edited\n");
                break;
            case "engine-untracked":
                Project(project);
                _folder.Write($"{state}/engine/scratch.txt", "left behind\n");
                break;
            case "engine-ignores-dirt":
                Project(project);
                Git(project, "config", "--file", ".gitmodules", "submodule.engine.ignore", "dirty");
                Git(project, "commit", "-q", "-am", "ignore a dirty engine");
                File.AppendAllText(System.IO.Path.Combine(project, "engine", "VERSION"), "edited\n");
                break;
            case "engine-not-checked-out":
                Project(this[$"{state}-source"]);
                Git(Path, "clone", "-q", this[$"{state}-source"], project);
                break;
            case "engine-folder-gone":
                Project(project);
                Git(project, "submodule", "deinit", "-q", "--force", "engine");
                Directory.Delete(System.IO.Path.Combine(project, "engine"));
                break;
            case "gitlink-staged":
                Project(project);
                Git(System.IO.Path.Combine(project, "engine"), "checkout", "-q", "v0.2.0");
                Git(project, "add", "engine");
                break;
            case "gitlink-staged-and-moved":
                Project(project);
                Git(System.IO.Path.Combine(project, "engine"), "checkout", "-q", "v0.2.0");
                Git(project, "add", "engine");
                Git(System.IO.Path.Combine(project, "engine"), "checkout", "-q", "v0.1.0");
                break;
            case "two-submodules":
                Project(project);
                Git(project, "submodule", "add", "-q", Engine.Url, "tools/engine-copy");
                Git(project, "commit", "-q", "-m", "a second submodule");
                Git(System.IO.Path.Combine(project, "tools", "engine-copy"), "checkout", "-q", "v0.1.0");
                break;
            case "no-submodule":
                Directory.CreateDirectory(project);
                Git(project, "init", "-q", "-b", "main");
                _folder.Write($"{state}/agents.toml", "session_prefix = \"p-\"\n");
                Git(project, "add", "agents.toml");
                Commit(project, "no engine here");
                break;
            case "unmapped-gitlink":
                Project(project);
                Git(project, "rm", "-q", "--cached", ".gitmodules");
                File.Delete(System.IO.Path.Combine(project, ".gitmodules"));
                Git(project, "commit", "-q", "-m", "forget the mapping, keep the gitlink");
                Git(System.IO.Path.Combine(project, "engine"), "checkout", "-q", "v0.2.0");
                break;
            case "not-cloned":
                break;
            case "not-a-repository":
                _folder.Write($"{state}/agents.toml", "session_prefix = \"p-\"\n");
                break;
            case "inside-another-repository":
                Project(this["outer"]);
                project = this["outer/inner"];
                _folder.Write("outer/inner/agents.toml", "session_prefix = \"p-\"\n");
                break;
            case "bare":
                Project(this[$"{state}-source"]);
                Git(Path, "clone", "-q", "--bare", this[$"{state}-source"], project);
                break;
            case "corrupt-index":
                Project(project);
                File.WriteAllText(System.IO.Path.Combine(project, ".git", "index"), "not an index");
                break;
            case "corrupt-head":
                Project(project);
                File.WriteAllText(System.IO.Path.Combine(project, ".git", "HEAD"), "garbage\n");
                break;
            case "empty-dot-git":
                _folder.Write($"{state}/agents.toml", "session_prefix = \"p-\"\n");
                Directory.CreateDirectory(System.IO.Path.Combine(project, ".git"));
                break;
            case "dangling-gitfile":
                _folder.Write($"{state}/.git", $"gitdir: {this["nowhere"]}\n");
                break;
            case "worktree":
                WithUpstream(this[$"{state}-main"], ahead: 1, behind: 0);
                Git(this[$"{state}-main"], "worktree", "add", "-q", "-b", "feature", project);
                Git(project, "branch", "-q", "-u", "origin/main");
                File.AppendAllText(System.IO.Path.Combine(project, "agents.toml"), "# edited\n");
                break;
            default:
                throw new ArgumentException($"no such state: {state}");
        }
        return project;
    }

    private void Project(string directory) => ProjectRepository.Create(directory, Engine, "v0.1.0");

    /// <summary>A project cloned from a bare upstream, then <paramref name="ahead"/> commits of its own and <paramref name="behind"/> pushed by someone else.</summary>
    private void WithUpstream(string directory, int ahead, int behind)
    {
        var name = System.IO.Path.GetFileName(directory);
        var seed = this[$"{name}-seed"];
        var upstream = this[$"{name}.git"];
        var other = this[$"{name}-other"];
        Project(seed);
        Git(Path, "clone", "-q", "--bare", seed, upstream);
        Git(Path, "clone", "-q", "--recurse-submodules", upstream, directory);
        Git(Path, "clone", "-q", upstream, other);
        for (var i = 0; i < behind; i++)
            Commit(other, $"theirs {i}");
        if (behind > 0)
            Git(other, "push", "-q", "origin", "main");
        Git(directory, "fetch", "-q", "origin");
        for (var i = 0; i < ahead; i++)
            Commit(directory, $"ours {i}");
    }

    private static void Commit(string directory, string message)
    {
        File.AppendAllText(System.IO.Path.Combine(directory, "log.txt"), message + "\n");
        Git(directory, "add", "log.txt");
        Git(directory, "commit", "-q", "-m", message);
    }

    private static void Git(string directory, params string[] arguments) => Shell.Git(directory, arguments);
}
