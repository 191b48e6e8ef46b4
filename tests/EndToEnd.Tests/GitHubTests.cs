using TestSupport;

namespace EndToEnd.Tests;

/// <summary>The GitHub targets through ./build.sh against <see cref="FakeGitHub"/>: what the runbook asks of GitHub, what it pushes, and what it leaves.</summary>
[Collection(FreshCloneCollection.Name)]
public sealed class GitHubTests : IDisposable
{
    private const string Fleet = """
        [defaults]
        engine_url = "./engine.git"

        """;

    private readonly FleetWorkspace _fleet;
    private readonly FakeGitHub _github = new();

    public GitHubTests(FreshClone clone) => _fleet = new FleetWorkspace(clone, Fleet);

    public void Dispose()
    {
        _github.Dispose();
        _fleet.Dispose();
    }

    private static Dictionary<string, string> WithToken(string token = FakeGitHub.Token, Dictionary<string, string>? more = null) =>
        new(more ?? []) { ["GITHUB_TOKEN"] = token };

    /// <summary>The token, and git's hooks from a folder whose pre-push hook runs <paramref name="script"/>.</summary>
    private Dictionary<string, string> WithPrePushHook(string script)
    {
        var hooks = Directory.CreateDirectory(_fleet["hooks"]).FullName;
        File.WriteAllText(Path.Combine(hooks, "pre-push"), $"#!/bin/sh\n{script}\n");
        File.SetUnixFileMode(Path.Combine(hooks, "pre-push"), (UnixFileMode)0b111_101_101);
        return WithToken(more: new()
        {
            ["GIT_CONFIG_COUNT"] = "1",
            ["GIT_CONFIG_KEY_0"] = "core.hooksPath",
            ["GIT_CONFIG_VALUE_0"] = hooks,
        });
    }

    /// <summary>./build.sh against the fake, with the token in GITHUB_TOKEN; no output ever shows the token.</summary>
    private Outcome Run(params string[] arguments) => Run(arguments, WithToken());

    private Outcome Run(string[] arguments, Dictionary<string, string> environment)
    {
        var outcome = _fleet.Run([.. arguments, "--github-api", _github.Api], environment);
        Assert.DoesNotContain(FakeGitHub.Token, outcome.Out + outcome.Err);
        return outcome;
    }

    private static void Succeeded(Outcome outcome) => Assert.True(outcome.ExitCode == 0, outcome.ToString());

    private string Git(string folder, params string[] arguments) => Shell.Git(folder, arguments);

    /// <summary>A project at v0.1.0 whose main is on GitHub as operator/NAME, registered with that remote.</summary>
    private string ProjectOnGitHub(string name, string reference = "v0.1.0")
    {
        var folder = ProjectRepository.Create(_fleet[name], _fleet.Engine, reference);
        var remote = _github.CreateRepository(_github.Login, name, from: folder);
        Git(folder, "remote", "add", "origin", remote);
        Git(folder, "fetch", "-q", "origin");
        Git(folder, "branch", "-q", "--set-upstream-to=origin/main");
        File.AppendAllText(_fleet.FleetFile, $"[[project]]\nname = \"{name}\"\nlocation = \"{name}\"\nremote = \"{remote}\"\nref = \"{reference}\"\n\n");
        return folder;
    }

    private string Short(string reference) => _fleet.Engine.CommitOf(reference)[..7];

    [Fact]
    public void CreateProject_creates_the_repository_for_the_user_pushes_main_and_records_the_remote()
    {
        var created = Run("CreateProject", "--name", "alpha", "--ref", "v0.1.0", "--register", "--github", "operator");
        Succeeded(created);

        var remote = _github.RepositoryPath("operator", "alpha");
        Assert.Contains($"pushed to operator/alpha ({remote})", created.Out);
        var project = _fleet["projects/alpha"];
        Assert.Equal(Git(project, "rev-parse", "HEAD"), Git(remote, "rev-parse", "main"));
        Assert.Equal($"160000 commit {_fleet.Engine.CommitOf("v0.1.0")}\tengine", Git(remote, "ls-tree", "main", "engine"));
        Assert.Equal("origin/main", Git(project, "rev-parse", "--abbrev-ref", "main@{upstream}"));
        Assert.Contains($"name = \"alpha\"\nlocation = \"projects/alpha\"\nremote = \"{remote}\"\n", _fleet.Fleet);

        var creation = Assert.Single(_github.Requests, r => r.Method == "POST");
        Assert.Equal("/api/v3/user/repos", creation.Path);
        Assert.Equal("alpha", creation.Json!["name"]!.GetValue<string>());
        Assert.False(creation.Json!["private"]!.GetValue<bool>());
        Assert.All(_github.Requests, r => Assert.Equal($"Token {FakeGitHub.Token}", r.Authorization));
        Succeeded(_fleet.Run("ValidateFleet"));
    }

    [Fact]
    public void CreateProject_creates_a_private_repository_in_an_organisation()
    {
        Succeeded(Run("CreateProject", "--name", "beta", "--github", "acme", "--private"));
        var creation = Assert.Single(_github.Requests, r => r.Method == "POST");
        Assert.Equal("/api/v3/orgs/acme/repos", creation.Path);
        Assert.True(creation.Json!["private"]!.GetValue<bool>());
        Assert.True(_github.Exists("acme", "beta"));
        Assert.Equal(Fleet, _fleet.Fleet);
    }

    [Fact]
    public void Dry_run_shows_the_GitHub_steps_and_the_remote_and_creates_nothing()
    {
        var planned = Run("CreateProject", "--name", "alpha", "--register", "--github", "operator", "--dry-run");
        Succeeded(planned);
        Assert.Contains($"create the GitHub repository: a public repository operator/alpha through {_github.Api}", planned.Out);
        Assert.Contains("push main to GitHub: git -C", planned.Out);
        Assert.Contains($"+remote = \"{_github.Api}/operator/alpha.git\"", planned.Out);
        Assert.Equal("GET /api/v3/repos/operator/alpha", Assert.Single(_github.Requests) is var only ? $"{only.Method} {only.Path}" : "");
        Assert.False(_github.Exists("operator", "alpha"));
        Assert.False(Directory.Exists(_fleet["projects"]));
        Assert.Equal(Fleet, _fleet.Fleet);
    }

    [Fact]
    public void Without_a_token_or_with_a_refused_one_nothing_is_made()
    {
        var missing = _fleet.Run(["CreateProject", "--name", "alpha", "--register", "--github", "operator", "--github-api", _github.Api],
            new Dictionary<string, string> { ["GITHUB_TOKEN"] = "" });
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("CreateProject --github needs a GitHub token: set GITHUB_TOKEN (or pass --github-token); nothing was changed", missing.Err);
        Assert.Empty(_github.Requests);

        var refused = Run(["CreateProject", "--name", "alpha", "--register", "--github", "operator"], WithToken("ghp_wrong"));
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("GitHub refused the token (Bad credentials); set GITHUB_TOKEN to a valid token", refused.Err);
        Assert.DoesNotContain("ghp_wrong", refused.Out + refused.Err);
        Assert.Equal("Token ghp_wrong", Assert.Single(_github.Requests).Authorization);

        Assert.False(Directory.Exists(_fleet["projects"]));
        Assert.False(_github.Exists("operator", "alpha"));
        Assert.Equal(Fleet, _fleet.Fleet);
    }

    [Fact]
    public void A_repository_that_exists_is_refused_up_front_and_one_made_meanwhile_is_never_deleted()
    {
        _github.CreateRepository("operator", "taken");
        var refused = Run("CreateProject", "--name", "taken", "--register", "--github", "operator");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains($"operator/taken already exists on GitHub ({_github.Api}/operator/taken)", refused.Err);

        // Created by someone else between the check and the creation: GitHub answers 422, and this run deletes nothing.
        _github.Fail("POST", "/user/repos$", 422, "Repository creation failed.");
        var raced = Run("CreateProject", "--name", "alpha", "--register", "--github", "operator");
        Assert.Equal(1, raced.ExitCode);
        Assert.Contains("step 'create the GitHub repository' failed", raced.Err);
        Assert.Contains("nothing was left behind", raced.Err);
        Assert.DoesNotContain(_github.Requests, r => r.Method == "DELETE");
        Assert.False(Directory.Exists(_fleet["projects/alpha"]));
        Assert.Equal(Fleet, _fleet.Fleet);
    }

    [Fact]
    public void A_failed_push_deletes_the_empty_repository_this_run_created()
    {
        var failed = Run(["CreateProject", "--name", "alpha", "--register", "--github", "operator"], WithPrePushHook("echo 'pushes are frozen' >&2\nexit 1"));
        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("step 'push main to GitHub' failed", failed.Err);
        Assert.Contains("nothing was left behind", failed.Err);
        Assert.Contains("the GitHub repository operator/alpha deleted", failed.Err);
        Assert.Contains(_github.Requests, r => r is { Method: "DELETE", Path: "/api/v3/repos/operator/alpha" });
        Assert.False(_github.Exists("operator", "alpha"));
        Assert.False(Directory.Exists(_fleet["projects/alpha"]));
        Assert.Equal(Fleet, _fleet.Fleet);
    }

    [Fact]
    public void A_repository_with_pushed_work_is_left_with_how_to_finish_by_hand()
    {
        // The push goes through, but meanwhile another run registered the name, so the registration fails after it.
        var failed = Run(["CreateProject", "--name", "alpha", "--register", "--github", "operator"],
            WithPrePushHook($"printf '[[project]]\\nname = \"alpha\"\\nlocation = \"elsewhere\"\\n' >> '{_fleet.FleetFile}'"));
        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("step 'register in fleet.toml' failed", failed.Err);
        Assert.Contains("but the GitHub repository operator/alpha was left (it has 1 branch (main)): to finish by hand, git clone --recurse-submodules", failed.Err);
        Assert.Contains($"or delete it on GitHub ({_github.Api}/operator/alpha/settings)", failed.Err);
        Assert.True(_github.Exists("operator", "alpha"));
        Assert.DoesNotContain(_github.Requests, r => r.Method == "DELETE");
        Assert.False(Directory.Exists(_fleet["projects/alpha"]));
    }

    [Fact]
    public void A_pull_request_proposes_the_bump_and_leaves_main_and_the_registry_alone()
    {
        var project = ProjectOnGitHub("api");
        var registry = _fleet.Fleet;
        var remote = _github.RepositoryPath("operator", "api");
        var main = Git(remote, "rev-parse", "main");

        var title = $"Bump engine from v0.1.0 ({Short("v0.1.0")}) to v0.2.0 ({Short("v0.2.0")})";
        var planned = Run("UpdateEngine", "--project", "api", "--ref", "v0.2.0", "--pull-request", "--dry-run");
        Succeeded(planned);
        Assert.Contains($"api: would push engine/bump-v0.2.0 and open a pull request to main: {title}", planned.Out);
        Assert.DoesNotContain(_github.Requests, r => r.Method != "GET");
        Assert.Equal("", Git(remote, "branch", "--list", "engine/*"));

        var opened = Run("UpdateEngine", "--project", "api", "--ref", "v0.2.0", "--pull-request");
        Succeeded(opened);
        Assert.Contains($"api: opened pull request #1 ({_github.Api}/operator/api/pull/1): {title}", opened.Out);

        var pr = Assert.Single(_github.PullRequests("operator", "api"));
        Assert.Equal(("engine/bump-v0.2.0", "main", title), (pr.Head, pr.Base, pr.Title));
        Assert.Contains($"git log --oneline {Short("v0.1.0")}..{Short("v0.2.0")}", pr.Body);
        Assert.Contains(Shell.Git(_fleet.Engine.Url, "log", "--oneline", "-1", "v0.2.0"), pr.Body);
        Assert.Equal(title, Git(remote, "log", "-1", "--format=%s", "engine/bump-v0.2.0"));
        Assert.Equal(main, Git(remote, "rev-parse", "engine/bump-v0.2.0^"));
        Assert.Equal("engine", Git(remote, "diff", "--name-only", "main", "engine/bump-v0.2.0"));
        Assert.Equal($"160000 commit {_fleet.Engine.CommitOf("v0.2.0")}\tengine", Git(remote, "ls-tree", "engine/bump-v0.2.0", "engine"));

        Assert.Equal(main, Git(remote, "rev-parse", "main"));
        Assert.Equal(main, Git(project, "rev-parse", "HEAD"));
        Assert.Equal(_fleet.Engine.CommitOf("v0.1.0"), Git(project + "/engine", "rev-parse", "HEAD"));
        Assert.Equal("", Git(project, "status", "--porcelain"));
        Assert.Equal(registry, _fleet.Fleet);

        var again = Run("UpdateEngine", "--project", "api", "--ref", "v0.2.0", "--pull-request");
        Succeeded(again);
        Assert.Contains("api: pull request #1 already proposes it", again.Out);
        Assert.Single(_github.PullRequests("operator", "api"));
    }

    [Fact]
    public void An_open_bump_pull_request_is_updated_not_duplicated_however_many_pages_the_list_has()
    {
        ProjectOnGitHub("api");
        var remote = _github.RepositoryPath("operator", "api");
        Succeeded(Run("UpdateEngine", "--project", "api", "--ref", "v0.2.0", "--pull-request"));
        // People's pull requests, newer than the bump's, push it to the last page of two.
        _github.PageSize = 2;
        for (var i = 0; i < 4; i++)
        {
            Git(remote, "branch", $"feature-{i}", "main");
            _github.OpenPullRequest("operator", "api", $"feature-{i}", $"Feature {i}");
        }

        var updated = Run("UpdateEngine", "--project", "api", "--ref", "broken-init", "--pull-request");
        Succeeded(updated);
        var title = $"Bump engine from v0.1.0 ({Short("v0.1.0")}) to broken-init ({Short("broken-init")})";
        Assert.Contains($"api: updated pull request #1 ({_github.Api}/operator/api/pull/1): {title}", updated.Out);
        Assert.Equal(5, _github.PullRequests("operator", "api").Count);
        var bump = _github.PullRequests("operator", "api").Single(p => p.Head.StartsWith("engine/bump-"));
        Assert.Equal(title, bump.Title);
        Assert.Contains("an engine whose init fails", bump.Body);
        Assert.Equal($"160000 commit {_fleet.Engine.CommitOf("broken-init")}\tengine", Git(remote, "ls-tree", "engine/bump-v0.2.0", "engine"));
        Assert.Contains(_github.Requests, r => r.Path.Contains("/pulls?") && r.Path.Contains("page=3"));
        Assert.Contains(_github.Requests, r => r is { Method: "PATCH", Path: "/api/v3/repos/operator/api/pulls/1" } && r.Json!["title"]!.GetValue<string>() == title);
    }

    [Fact]
    public void Secondary_rate_limits_are_waited_out_and_server_errors_fail_only_their_project()
    {
        ProjectOnGitHub("api");
        ProjectOnGitHub("worker");
        _github.FailWithSecondaryRateLimit("POST", "/repos/operator/api/pulls$", times: 2);
        _github.Fail("GET", "/repos/operator/worker$", 500, "Server Error");

        var outcome = Run("UpdateEngine", "--project", "api", "worker", "--ref", "v0.2.0", "--pull-request", "--parallel", "2");
        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("api: opened pull request #1", outcome.Out);
        Assert.Contains("api: GitHub's secondary rate limit: waiting 1 s before retrying (1 of 4 retries)", outcome.Err);
        Assert.Equal(3, _github.Requests.Count(r => r is { Method: "POST", Path: "/api/v3/repos/operator/api/pulls" }));
        Assert.Contains("worker: failed: GitHub failed (500 Server Error); retry later", outcome.Out);
        Assert.Contains("fix what is said above, then run again: ./build.sh UpdateEngine --project worker --ref v0.2.0 --pull-request", outcome.Err);
        Assert.Empty(_github.PullRequests("operator", "worker"));
    }

    [Fact]
    public void FleetStatus_shows_the_open_pull_request_and_its_CI_then_notices_the_merge()
    {
        ProjectOnGitHub("api");
        Succeeded(Run("UpdateEngine", "--project", "api", "--ref", "v0.2.0", "--pull-request"));
        var remote = _github.RepositoryPath("operator", "api");
        _github.SetStatus(Git(remote, "rev-parse", "engine/bump-v0.2.0"), "success");

        var open = Run("FleetStatus", "--github");
        Succeeded(open);
        Assert.Contains($"api: engine pull request #1 \"Bump engine from v0.1.0 ({Short("v0.1.0")}) to v0.2.0 ({Short("v0.2.0")})\", CI success: {_github.Api}/operator/api/pull/1", open.Out);
        var head = Git(remote, "rev-parse", "engine/bump-v0.2.0");
        _github.AddCheckRun(head, "completed", "success");
        _github.AddCheckRun(head, "in_progress");
        Assert.Contains("CI pending", Run("FleetStatus", "--github").Out);
        _github.AddCheckRun(head, "completed", "failure");
        Assert.Contains("CI failure", Run("FleetStatus", "--github").Out);
        var json = Run("FleetStatus", "--github", "--json");
        Succeeded(json);
        Assert.Contains("\"number\": 1", json.Out);
        Assert.Contains("\"ci\": \"failure\"", json.Out);
        Assert.DoesNotContain("\"github\"", Run("FleetStatus", "--json").Out);

        _github.Merge("operator", "api", 1);
        var merged = Run("FleetStatus", "--github");
        Succeeded(merged);
        Assert.Contains($"api: no open engine pull request; main pins the engine at v0.2.0 ({Short("v0.2.0")}), not fleet.toml's ref v0.1.0", merged.Out);

        Succeeded(Run("SyncFleet", "--pull"));
        Succeeded(Run("UpdateEngine", "--project", "api", "--ref", "v0.2.0"));
        Assert.Contains("ref = \"v0.2.0\"", _fleet.Fleet);
        Assert.Contains("api: no open engine pull request", Run("FleetStatus", "--github").Out);
        Assert.DoesNotContain("not fleet.toml's ref", Run("FleetStatus", "--github").Out);
    }

    [Fact]
    public void Pull_requests_and_GitHub_status_need_the_token_too_and_an_unreachable_api_is_one_line_per_project()
    {
        ProjectOnGitHub("api");
        var withoutToken = new Dictionary<string, string> { ["GITHUB_TOKEN"] = "" };
        var bump = _fleet.Run(["UpdateEngine", "--project", "api", "--ref", "v0.2.0", "--pull-request", "--github-api", _github.Api], withoutToken);
        Assert.Equal(2, bump.ExitCode);
        Assert.Contains("UpdateEngine --pull-request needs a GitHub token", bump.Err);
        var status = _fleet.Run(["FleetStatus", "--github", "--github-api", _github.Api], withoutToken);
        Assert.Equal(2, status.ExitCode);
        Assert.Contains("FleetStatus --github needs a GitHub token", status.Err);
        Assert.Empty(_github.Requests);
        Assert.Equal("main", Git(_github.RepositoryPath("operator", "api"), "branch", "--format=%(refname:short)"));

        var unreachable = _fleet.Run(["FleetStatus", "--github", "--github-api", "http://127.0.0.1:1"], WithToken());
        Succeeded(unreachable);
        Assert.Contains("api: operator/api: GitHub could not be reached: Connection refused", unreachable.Out);
    }

    [Fact]
    public void SyncFleet_clones_missing_projects_fetches_the_others_and_pulls_only_clean_ones()
    {
        var api = ProjectOnGitHub("api");
        var web = ProjectOnGitHub("web");
        var worker = ProjectOnGitHub("worker");
        File.AppendAllText(_fleet.FleetFile, "[[project]]\nname = \"local\"\nlocation = \"local\"\nref = \"v0.1.0\"\n\n");
        Directory.Delete(worker, recursive: true);
        // Someone else moves api's and web's engine on GitHub; web has local work.
        foreach (var name in new[] { "api", "web" })
        {
            var other = _fleet[$"elsewhere-{name}"];
            Shell.Git(_fleet.Path, "-c", "protocol.file.allow=always", "clone", "-q", "--recurse-submodules", _github.RepositoryPath("operator", name), other);
            Git(other + "/engine", "checkout", "-q", "v0.2.0");
            Git(other, "commit", "-q", "-am", "Bump engine");
            Git(other, "push", "-q", "origin", "main");
        }
        File.WriteAllText(Path.Combine(web, "agents.toml"), "# local edit\n");

        var fetched = Run("SyncFleet");
        Assert.True(fetched.ExitCode == 1, fetched.ToString());
        Assert.Contains("api: fetched; 0 ahead, 1 behind origin/main", fetched.Out);
        Assert.Contains($"worker: cloned from {_github.RepositoryPath("operator", "worker")} into worker", fetched.Out);
        Assert.Contains("local: not cloned at local, and fleet.toml gives it no remote", fetched.Out);
        Assert.Equal(_fleet.Engine.CommitOf("v0.1.0"), Git(worker + "/engine", "rev-parse", "HEAD"));
        Assert.Equal(_fleet.Engine.CommitOf("v0.1.0"), Git(api + "/engine", "rev-parse", "HEAD"));

        var pulled = Run("SyncFleet", "--pull", "--project", "api", "web", "worker");
        Succeeded(pulled);
        Assert.Contains("api: pulled; main fast-forwarded 1 commit to", pulled.Out);
        Assert.Contains("web: fetched; not pulled: 1 uncommitted change", pulled.Out);
        Assert.Contains("worker: fetched; up to date with origin/main", pulled.Out);
        Assert.Equal(_fleet.Engine.CommitOf("v0.2.0"), Git(api + "/engine", "rev-parse", "HEAD"));
        Assert.Equal("", Git(api, "status", "--porcelain"));
        Assert.Equal(_fleet.Engine.CommitOf("v0.1.0"), Git(web + "/engine", "rev-parse", "HEAD"));
    }
}
