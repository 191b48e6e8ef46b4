using TestSupport;

namespace EndToEnd.Tests;

/// <summary>PublishEngine against a small repository of its own (given with --root), so every rule can be exercised.</summary>
[Collection(FreshCloneCollection.Name)]
public sealed class PublishEngineTests : IDisposable
{
    private readonly FreshClone _clone;
    private readonly TemporaryFolder _folder = new();
    private readonly string _source;
    private readonly string _engine;

    public PublishEngineTests(FreshClone clone)
    {
        _clone = clone;
        _source = _folder["orchestrator"];
        Directory.CreateDirectory(Path.Combine(_source, ".nuke"));
        _folder.Write("orchestrator/engine/VERSION", "0.1.0\n");
        _folder.Write("orchestrator/engine/agents", "#!/bin/sh\necho harness\n");
        _folder.Write("orchestrator/README.md", "not part of the engine\n");
        Shell.Git(_source, "init", "-q", "-b", "main");
        Commit("first");
        _engine = _folder["engine.git"];
        Shell.Git(_folder.Path, "init", "-q", "--bare", _engine);
    }

    public void Dispose() => _folder.Dispose();

    private void Commit(string message)
    {
        Shell.Git(_source, "add", "-A");
        Shell.Git(_source, "commit", "-q", "-m", message);
    }

    private Outcome Publish(params string[] arguments) => Publish(arguments, null);

    private Outcome Publish(string[] arguments, IReadOnlyDictionary<string, string>? environment) =>
        _clone.Run(_source, ["PublishEngine", "--root", _source, "--no-logo", .. arguments], environment);

    private string Engine(params string[] arguments) => Shell.Git(_engine, arguments);

    [Fact]
    public void Publishes_the_engine_tree_at_head_as_a_tagged_commit_that_clones()
    {
        var published = Publish("--engine-repo", _engine);
        Assert.True(published.ExitCode == 0, published.ToString());

        Assert.Equal(Shell.Git(_source, "rev-parse", "HEAD:engine"), Engine("rev-parse", "v0.1.0^{tree}"));
        Assert.Equal("tag", Engine("cat-file", "-t", "v0.1.0"));
        Assert.Equal(Engine("rev-parse", "v0.1.0^{commit}"), Engine("rev-parse", "main"));
        Assert.Equal("Engine v0.1.0", Engine("log", "-1", "--format=%s", "v0.1.0"));
        Assert.Contains($"published v0.1.0 ({Engine("rev-parse", "--short=7", "v0.1.0^{commit}")}) to {_engine}", published.Out);

        // A plain `git init --bare` names an unborn default branch; a clone must still check out the engine.
        Shell.Git(_folder.Path, "clone", "-q", _engine, _folder["clone"]);
        Assert.Equal("0.1.0", File.ReadAllText(_folder["clone/VERSION"]).Trim());
        Assert.False(File.Exists(_folder["clone/README.md"]));
    }

    [Fact]
    public void Uncommitted_edits_under_engine_are_said_not_to_be_published()
    {
        Assert.Equal(0, Publish("--engine-repo", _engine).ExitCode);
        _folder.Write("orchestrator/engine/agents", "#!/bin/sh\necho edited, not committed\n");
        _folder.Write("orchestrator/engine/NEW", "a new file\n");

        var again = Publish("--engine-repo", _engine);

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("is already published", again.Out);
        Assert.Contains("engine/ has 2 uncommitted changes, not published: PublishEngine takes engine/ as committed at HEAD; commit them, bump engine/VERSION and run PublishEngine again", again.Out);
        Assert.Equal("#!/bin/sh\necho harness", Engine("show", "v0.1.0:agents"));
    }

    [Fact]
    public void Republishing_is_a_no_op_and_a_reused_version_with_other_content_is_refused()
    {
        Assert.Equal(0, Publish("--engine-repo", _engine).ExitCode);
        var first = Engine("rev-parse", "v0.1.0^{commit}");

        var again = Publish("--engine-repo", _engine);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("v0.1.0 (" + first[..7] + ") is already published", again.Out);

        _folder.Write("orchestrator/engine/agents", "#!/bin/sh\necho changed\n");
        Commit("change the engine, not its version");
        var reused = Publish("--engine-repo", _engine);
        Assert.Equal(1, reused.ExitCode);
        Assert.Contains("v0.1.0 is already published with other content; bump engine/VERSION or pass another --version", reused.Err);
        Assert.Equal(first, Engine("rev-parse", "v0.1.0^{commit}"));
        Assert.Equal("v0.1.0", Engine("tag", "--list"));
    }

    [Fact]
    public void A_new_version_follows_the_previous_one_and_an_older_one_is_refused()
    {
        Assert.Equal(0, Publish("--engine-repo", _engine).ExitCode);
        _folder.Write("orchestrator/engine/VERSION", "0.2.0\n");
        Commit("engine 0.2.0");

        var second = Publish("--engine-repo", _engine);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(Engine("rev-parse", "v0.1.0^{commit}"), Engine("rev-parse", "v0.2.0^{commit}^"));
        Assert.Equal(Engine("rev-parse", "v0.2.0^{commit}"), Engine("rev-parse", "main"));

        _folder.Write("orchestrator/engine/agents", "#!/bin/sh\necho later\n");
        Commit("more engine work");
        var older = Publish("--engine-repo", _engine, "--version", "v0.1.5");
        Assert.Equal(1, older.ExitCode);
        Assert.Contains("v0.1.5 is older than the latest published v0.2.0", older.Err);

        var badVersion = Publish("--engine-repo", _engine, "--version", "latest");
        Assert.Equal(2, badVersion.ExitCode);
        Assert.Contains("--version: 'latest' is not a version like v1.2.3", badVersion.Err);
    }

    [Fact]
    public void The_same_inputs_give_the_same_commit()
    {
        const string longAgo = "2001-02-03T04:05:06+00:00";
        var recommitted = Shell.Run(_source, "git", ["commit", "-q", "--amend", "--no-edit"],
            new Dictionary<string, string> { ["GIT_COMMITTER_DATE"] = longAgo });
        Assert.Equal(0, recommitted.ExitCode);
        var other = _folder["other.git"];
        Shell.Git(_folder.Path, "init", "-q", "--bare", other);
        Assert.Equal(0, Publish("--engine-repo", _engine).ExitCode);
        Assert.Equal(0, Publish("--engine-repo", other).ExitCode);
        Assert.Equal(longAgo, Engine("log", "-1", "--format=%cI", "v0.1.0^{commit}"));
        Assert.Equal(Engine("rev-parse", "v0.1.0^{commit}"), Shell.Git(other, "rev-parse", "v0.1.0^{commit}"));
    }

    [Fact]
    public void The_default_repository_is_created_on_first_publish_and_dry_run_changes_nothing()
    {
        var data = new Dictionary<string, string> { ["XDG_DATA_HOME"] = _folder["data"] };
        var defaultRepository = _folder["data/agents-engine/engine.git"];

        var planned = Publish(["--dry-run"], data);
        Assert.True(planned.ExitCode == 0, planned.ToString());
        Assert.Contains($"would create the engine repository {defaultRepository}", planned.Out);
        Assert.Contains("would publish v0.1.0", planned.Out);
        Assert.False(Directory.Exists(defaultRepository));

        var published = Publish([], data);
        Assert.True(published.ExitCode == 0, published.ToString());
        Assert.Equal(Shell.Git(_source, "rev-parse", "HEAD:engine"), Shell.Git(defaultRepository, "rev-parse", "v0.1.0^{tree}"));

        var missing = Publish("--engine-repo", _folder["nowhere.git"]);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("does not exist; create it with: git init --bare", missing.Err);
    }
}
