using Orchestrator.Isolation;
using Runbook;
using TestSupport;

namespace Isolation.Tests;

public sealed class ScannerTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();
    private readonly OrchestratorFacts _facts = new(["/srv/po"], []);

    public void Dispose() => _folder.Dispose();

    /// <summary>A project repository with these files committed.</summary>
    private AbsolutePath Project(params (string Path, string Content)[] files)
    {
        var directory = _folder["project"];
        Directory.CreateDirectory(directory);
        Shell.Git(directory, "init", "-q", "-b", "main");
        foreach (var (path, content) in files)
            _folder.Write(Path.Combine("project", path), content);
        Shell.Git(directory, "add", "-A");
        Shell.Git(directory, "commit", "-q", "--allow-empty", "-m", "initial");
        return AbsolutePath.Create(directory);
    }

    private IsolationScan Scan(AbsolutePath project, params string[] allow) => IsolationScanner.Scan(project, _facts, allow);

    private static string Describe(IsolationViolation v) => IsolationOutput.Line(v);

    [Fact]
    public void A_clean_project_passes_and_every_text_file_is_read()
    {
        var scan = Scan(Project(("README.md", "A project that runs itself.\n"), ("src/main.py", "print('hello')\n"), ("agents.toml", "session_prefix = \"p-\"\n")));

        Assert.Empty(scan.Violations);
        Assert.Empty(scan.Failures);
        Assert.Equal(3, scan.FilesScanned);
    }

    [Fact]
    public void Content_violations_name_the_file_the_line_and_the_text()
    {
        var scan = Scan(Project(
            ("README.md", "# Web\n\nManaged by the Fleet.\n"),
            ("deploy/run.sh", "#!/bin/sh\ncd /srv/po && ./build.sh\n")));

        Assert.Equal(["README.md:3: Managed by the Fleet.", "deploy/run.sh:2: cd /srv/po && ./build.sh"], scan.Failures.Select(Describe));
    }

    [Fact]
    public void File_and_folder_names_are_violations_once_each()
    {
        var scan = Scan(Project(("fleet-notes/a.txt", "a\n"), ("fleet-notes/b.txt", "b\n"), ("docs/project-orchestrator.md", "notes\n")));

        Assert.Equal(["docs/project-orchestrator.md: name matches 'project-orchestrator'", "fleet-notes: name matches 'fleet'"], scan.Failures.Select(Describe));
    }

    [Fact]
    public void Untracked_files_count_but_ignored_files_binary_files_and_the_engine_do_not()
    {
        var project = Project(
            (".gitignore", "build-output/\n"),
            ("image.png", "fleet\0\u0001binary"),
            ("engine/README.md", "the fleet's engine\n"));
        _folder.Write("project/build-output/log.txt", "fleet\n");
        _folder.Write("project/notes.txt", "the fleet\n");

        var scan = Scan(project);

        Assert.Equal(["notes.txt:1: the fleet"], scan.Violations.Select(Describe));
        Assert.Equal(2, scan.FilesScanned);
    }

    [Fact]
    public void A_vendored_engine_submodule_is_neither_read_nor_a_failure()
    {
        var engine = EngineRepository.Create(_folder.Path);
        var project = ProjectRepository.Create(_folder["with-engine"], engine, "v0.2.0");
        File.WriteAllText(Path.Combine(project, "engine", "fleet.md"), "the fleet\n");

        var scan = Scan(AbsolutePath.Create(project));

        Assert.Empty(scan.Violations);
        Assert.Equal(2, scan.FilesScanned); // agents.toml and .gitmodules
    }

    [Fact]
    public void A_symbolic_link_tracked_or_not_is_matched_by_its_target_never_followed()
    {
        var project = Project(("README.md", "clean\n"));
        File.CreateSymbolicLink(_folder["project/registry"], "/srv/po/fleet.toml");
        Shell.Git(project, "add", "registry");
        Shell.Git(project, "commit", "-q", "-m", "link");
        File.CreateSymbolicLink(_folder["project/root"], "/srv/po");
        File.CreateSymbolicLink(_folder["project/readme-link"], "README.md");

        var scan = Scan(project);

        Assert.Equal(["registry:1: /srv/po/fleet.toml", "root:1: /srv/po"], scan.Violations.Select(Describe));
        Assert.Equal(4, scan.FilesScanned);
    }

    [Fact]
    public void A_deleted_file_still_in_the_index_is_skipped()
    {
        var project = Project(("old.txt", "the fleet\n"), ("kept.txt", "clean\n"));
        File.Delete(_folder["project/old.txt"]);

        var scan = Scan(project);

        Assert.Empty(scan.Violations);
        Assert.Equal(1, scan.FilesScanned);
    }

    [Fact]
    public void Allowed_files_are_reported_but_do_not_fail()
    {
        var scan = Scan(Project(("docs/history.md", "We once used a fleet.\n"), ("notes/fleet.md", "x\n"), ("src/app.js", "// fleet\n")),
            "docs/history.md", "notes/*");

        Assert.Equal([
                "docs/history.md:1: We once used a fleet. (allowed by isolation_allow \"docs/history.md\")",
                "notes/fleet.md: name matches 'fleet' (allowed by isolation_allow \"notes/*\")",
                "src/app.js:1: // fleet",
            ],
            scan.Violations.Select(Describe));
        Assert.Equal(["src/app.js"], scan.Failures.Select(v => v.Path));
    }

    [Fact]
    public void Many_files_read_in_parallel_come_back_in_path_order()
    {
        var files = Enumerable.Range(0, 300).Select(i => ($"src/f{i:D3}.txt", i % 7 == 0 ? $"line\nfleet {i}\n" : "clean\n")).ToArray();

        var scan = Scan(Project(files));

        Assert.Equal(300, scan.FilesScanned);
        Assert.Equal(Enumerable.Range(0, 300).Where(i => i % 7 == 0).Select(i => $"src/f{i:D3}.txt:2: fleet {i}"), scan.Violations.Select(Describe));
    }

    [Fact]
    public void A_missing_folder_or_one_that_is_not_a_repository_cannot_be_scanned()
    {
        var missing = Assert.Throws<IsolationScanException>(() => Scan(AbsolutePath.Create(_folder["nowhere"])));
        Assert.Equal($"{_folder["nowhere"]} does not exist", missing.Message);

        var outer = Project(("README.md", "clean\n"));
        Directory.CreateDirectory(_folder["project/inner"]);
        var inner = Assert.Throws<IsolationScanException>(() => Scan(outer / "inner"));
        Assert.Equal($"{_folder["project/inner"]} is not a git repository; run git init there", inner.Message);
    }
}
