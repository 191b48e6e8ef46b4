using System.Text.Json.Serialization;

namespace Orchestrator.GitHub;

/// <summary>
/// What the GitHub bridge answers on stdout, one JSON document per run: the verb's result (exit 0) or a
/// <see cref="BridgeError"/> (exit 3). Compiled into both the bridge and the runbook, so both sides read and write the
/// same records through the same generated code.
/// </summary>
internal static class BridgeProtocol
{
    /// <summary>GitHub answered, and the answer was a refusal or an error (the document is a <see cref="BridgeError"/>).</summary>
    public const int GitHubRefused = 3;

    /// <summary>The environment variable the token travels in: never an argument, which any user could read in ps.</summary>
    public const string TokenVariable = "GITHUB_TOKEN";
}

/// <param name="Kind">unauthorized, forbidden, rate-limited, exists, not-found, invalid, server, api, unreachable, unreadable.</param>
/// <param name="Status">The HTTP status GitHub answered, when it answered.</param>
internal sealed record BridgeError(string Kind, int? Status, string Message);

internal sealed record GitHubAccount(string Login);

internal sealed record GitHubRepository(string FullName, string CloneUrl, string HtmlUrl, string DefaultBranch, bool Private);

/// <param name="Deleted">False when the repository was left: it has branches (something was pushed), or the token may not delete it.</param>
internal sealed record RepositoryRemoval(bool Deleted, string Reason);

/// <param name="State">As GitHub spells it (open, closed): a string, so a value this code does not know reads as itself.</param>
internal sealed record GitHubPullRequest(int Number, string Title, string HtmlUrl, string HeadRef, string HeadSha, string BaseRef, string State);

/// <param name="PullRequest">The open pull request from a branch whose name starts with the prefix asked for; null when there is none.</param>
internal sealed record PullRequestLookup(string DefaultBranch, GitHubPullRequest? PullRequest);

/// <summary>What FleetStatus --github shows of one project: the engine pin on the default branch, and the open engine pull request with its CI.</summary>
/// <param name="PinnedCommit">The commit the default branch records for the engine submodule; null when it has none (or the branch does not exist yet).</param>
/// <param name="CiState">The head commit's CI, from its commit statuses and check runs: success, pending, failure, or none when
/// nothing reported; null without an open pull request.</param>
internal sealed record EngineOnGitHub(string DefaultBranch, string? PinnedCommit, GitHubPullRequest? PullRequest, string? CiState);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(BridgeError))]
[JsonSerializable(typeof(GitHubAccount))]
[JsonSerializable(typeof(GitHubRepository))]
[JsonSerializable(typeof(RepositoryRemoval))]
[JsonSerializable(typeof(GitHubPullRequest))]
[JsonSerializable(typeof(PullRequestLookup))]
[JsonSerializable(typeof(EngineOnGitHub))]
internal sealed partial class BridgeJson : JsonSerializerContext;
