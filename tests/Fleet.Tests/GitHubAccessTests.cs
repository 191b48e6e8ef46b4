using System.Text;
using Orchestrator.GitHub;
using Runbook;

namespace Fleet.Tests;

public sealed class GitHubAccessTests
{
    [Theory]
    [InlineData("https://github.com/acme/api.git", "acme", "api")]
    [InlineData("https://github.com/acme/api", "acme", "api")]
    [InlineData("https://github.example.com/acme/api.git/", "acme", "api")]
    [InlineData("git@github.com:acme/api.git", "acme", "api")]
    [InlineData("ssh://git@github.com/acme/api", "acme", "api")]
    [InlineData("/srv/git/acme/api.git", "acme", "api")]
    public void A_remote_names_its_repository_by_its_last_two_parts(string remote, string owner, string name) =>
        Assert.Equal(new RepositoryName(owner, name), RepositoryName.FromRemote(remote));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("https://github.com/api.git")]
    [InlineData("api.git")]
    public void A_remote_without_an_owner_names_none(string? remote) => Assert.Null(RepositoryName.FromRemote(remote));

    [Theory]
    [InlineData("v0.2.0", "engine/bump-v0.2.0")]
    [InlineData("release/1.0", "engine/bump-release-1.0")]
    [InlineData("v1.0.0^{}~", "engine/bump-v1.0.0")]
    public void A_bump_branch_is_named_after_its_ref_in_characters_git_allows(string reference, string branch) =>
        Assert.Equal(branch, EnginePullRequest.BranchFor(reference));

    [Fact]
    public void The_token_reaches_git_only_as_a_header_for_the_remotes_https_host()
    {
        var environment = GitHubAccess.GitCredentials("https://github.example.com/acme/api.git", "ghp_secret");
        Assert.Equal("1", environment["GIT_CONFIG_COUNT"]);
        Assert.Equal("http.https://github.example.com/.extraHeader", environment["GIT_CONFIG_KEY_0"]);
        var header = environment["GIT_CONFIG_VALUE_0"];
        Assert.StartsWith("Authorization: Basic ", header);
        Assert.Equal("x-access-token:ghp_secret", Encoding.UTF8.GetString(Convert.FromBase64String(header["Authorization: Basic ".Length..])));
        Assert.DoesNotContain("ghp_secret", string.Join(" ", environment.Keys));
    }

    [Theory]
    [InlineData("git@github.com:acme/api.git", "ghp_secret")]
    [InlineData("/srv/git/acme/api.git", "ghp_secret")]
    [InlineData("https://github.com/acme/api.git", null)]
    public void Without_an_https_remote_or_a_token_git_keeps_its_own_credentials(string remote, string? token) =>
        Assert.Empty(GitHubAccess.GitCredentials(remote, token));

    [Fact]
    public void A_missing_token_or_a_bad_api_url_is_refused_before_anything_runs()
    {
        var missing = Assert.Throws<TargetFailedException>(() => GitHubAccess.Require(null, "", "FleetStatus --github"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Equal("FleetStatus --github needs a GitHub token: set GITHUB_TOKEN (or pass --github-token); nothing was changed", missing.Message);

        var badUrl = Assert.Throws<TargetFailedException>(() => GitHubAccess.Require("ftp://example.com", "t", "x"));
        Assert.Contains("--github-api: 'ftp://example.com' is not an http(s) URL", badUrl.Message);

        Assert.Equal(GitHubAccess.DefaultApi, GitHubAccess.Require(null, "t", "x").Api);
        Assert.Equal("https://github.example.com", GitHubAccess.Require("https://github.example.com", "t", "x").Api);
    }
}
