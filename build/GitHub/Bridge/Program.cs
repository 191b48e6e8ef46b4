using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Octokit;
using Orchestrator.GitHub;

// github-bridge VERB --api URL [--owner O --repository N ...], the token in GITHUB_TOKEN: one GitHub operation through
// Octokit, answered as one JSON document on stdout (BridgeMessages.cs). Exit 0: the result; 3: GitHub's refusal as a
// BridgeError; 2: a bad command line.
try
{
    var request = BridgeRequest.Parse(args);
    var token = Environment.GetEnvironmentVariable(BridgeProtocol.TokenVariable);
    if (string.IsNullOrEmpty(token))
        return Refuse(new BridgeError("unauthorized", null, $"{BridgeProtocol.TokenVariable} is not set; the runbook passes --github-token in it"));
    var github = new GitHubClient(new ProductHeaderValue("project-orchestrator"), new Uri(request.Required("api")))
    {
        Credentials = new Credentials(token),
    };
    var bridge = new Bridge(github, request);
    return request.Verb switch
    {
        "account" => Answer(await bridge.Account(), BridgeJson.Default.GitHubAccount),
        "repository" => Answer(await bridge.Repository(), BridgeJson.Default.GitHubRepository),
        "create-repository" => Answer(await bridge.CreateRepository(), BridgeJson.Default.GitHubRepository),
        "delete-repository-if-empty" => Answer(await bridge.DeleteRepositoryIfEmpty(), BridgeJson.Default.RepositoryRemoval),
        "find-pull-request" => Answer(await bridge.LookUpPullRequest(), BridgeJson.Default.PullRequestLookup),
        "open-pull-request" => Answer(await bridge.OpenPullRequest(), BridgeJson.Default.GitHubPullRequest),
        "update-pull-request" => Answer(await bridge.UpdatePullRequest(), BridgeJson.Default.GitHubPullRequest),
        "engine-status" => Answer(await bridge.EngineStatus(), BridgeJson.Default.EngineOnGitHub),
        _ => throw new BridgeUsageException($"unknown verb '{request.Verb}'"),
    };
}
catch (BridgeUsageException e)
{
    Console.Error.WriteLine($"github-bridge: {e.Message}");
    return 2;
}
catch (Exception e) when (Failures.Describe(e) is { } error)
{
    return Refuse(error);
}

static int Answer<T>(T value, JsonTypeInfo<T> type)
{
    Console.Out.WriteLine(JsonSerializer.Serialize(value, type));
    return 0;
}

static int Refuse(BridgeError error)
{
    Console.Out.WriteLine(JsonSerializer.Serialize(error, BridgeJson.Default.BridgeError));
    return BridgeProtocol.GitHubRefused;
}

/// <summary>The verbs, each a few Octokit calls.</summary>
internal sealed class Bridge(GitHubClient github, BridgeRequest request)
{
    private string Owner => request.Required("owner");
    private string Name => request.Required("repository");

    public async Task<GitHubAccount> Account() => new((await Backoff.Retry(() => github.User.Current())).Login);

    public async Task<GitHubRepository> Repository() => Describe(await Backoff.Retry(() => github.Repository.Get(Owner, Name)));

    /// <summary>For the token's own account when OWNER is its login, else for the organisation OWNER.</summary>
    public async Task<GitHubRepository> CreateRepository()
    {
        var login = (await Backoff.Retry(() => github.User.Current())).Login;
        var wanted = new NewRepository(Name) { Private = request.Flag("private"), AutoInit = false };
        var created = string.Equals(login, Owner, StringComparison.OrdinalIgnoreCase)
            ? await Backoff.Retry(() => github.Repository.Create(wanted))
            : await Backoff.Retry(() => github.Repository.Create(Owner, wanted));
        return Describe(created);
    }

    /// <summary>Deletes the repository only while it has no branch: nothing was pushed to it, by this run or anyone else.</summary>
    public async Task<RepositoryRemoval> DeleteRepositoryIfEmpty()
    {
        var branches = await Backoff.Retry(() => github.Repository.Branch.GetAll(Owner, Name));
        if (branches.Count > 0)
            return new RepositoryRemoval(false, $"it has {branches.Count} branch{(branches.Count == 1 ? "" : "es")} ({string.Join(", ", branches.Select(b => b.Name))})");
        try
        {
            await Backoff.Retry(async () => { await github.Repository.Delete(Owner, Name); return true; });
        }
        catch (ForbiddenException e)
        {
            return new RepositoryRemoval(false, $"the token may not delete it ({e.Message}; deleting needs the delete_repo scope)");
        }
        return new RepositoryRemoval(true, "it was empty");
    }

    public async Task<PullRequestLookup> LookUpPullRequest()
    {
        var repository = await Backoff.Retry(() => github.Repository.Get(Owner, Name));
        return new PullRequestLookup(repository.DefaultBranch, await FindPullRequest());
    }

    /// <summary>The open pull request from a branch of this repository whose name starts with --head-prefix; the newest when several are.</summary>
    private async Task<GitHubPullRequest?> FindPullRequest()
    {
        var prefix = request.Required("head-prefix");
        var open = await Backoff.Retry(() => github.PullRequest.GetAllForRepository(Owner, Name, new PullRequestRequest { State = ItemStateFilter.Open }));
        var full = $"{Owner}/{Name}";
        return open
            .Where(pr => pr.Head.Ref.StartsWith(prefix, StringComparison.Ordinal)
                && string.Equals(pr.Head.Repository?.FullName ?? full, full, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(pr => pr.Number)
            .Select(Describe)
            .FirstOrDefault();
    }

    public async Task<GitHubPullRequest> OpenPullRequest()
    {
        var wanted = new NewPullRequest(request.Required("title"), request.Required("head"), request.Required("base")) { Body = request.Required("body") };
        return Describe(await Backoff.Retry(() => github.PullRequest.Create(Owner, Name, wanted)));
    }

    public async Task<GitHubPullRequest> UpdatePullRequest()
    {
        var number = int.TryParse(request.Required("number"), out var n) ? n : throw new BridgeUsageException("--number takes a whole number");
        var change = new PullRequestUpdate { Title = request.Required("title"), Body = request.Required("body") };
        return Describe(await Backoff.Retry(() => github.PullRequest.Update(Owner, Name, number, change)));
    }

    public async Task<EngineOnGitHub> EngineStatus()
    {
        var repository = await Backoff.Retry(() => github.Repository.Get(Owner, Name));
        var pinned = await PinnedCommit(repository.DefaultBranch, request.Required("path"));
        var pullRequest = await FindPullRequest();
        var ci = pullRequest is null ? null : await CiState(pullRequest.HeadSha);
        return new EngineOnGitHub(repository.DefaultBranch, pinned, pullRequest, ci);
    }

    /// <summary>
    /// A commit's CI as one word, from both ways CI reports to GitHub: commit statuses (the combined status) and check
    /// runs (GitHub Actions). failure when any failed, else pending when any is still running, else success; none
    /// when nothing reported at all (where GitHub's combined status alone would say pending).
    /// </summary>
    private async Task<string> CiState(string sha)
    {
        var combined = await Backoff.Retry(() => github.Repository.Status.GetCombined(Owner, Name, sha));
        var checks = await Backoff.Retry(() => github.Check.Run.GetAllForReference(Owner, Name, sha));
        var states = checks.CheckRuns.Select(run => run.Status.StringValue != "completed" ? "pending"
                : run.Conclusion?.StringValue is "success" or "neutral" or "skipped" ? "success"
                : "failure")
            .ToList();
        if (combined.TotalCount > 0)
            states.Add(combined.State.StringValue is "error" ? "failure" : combined.State.StringValue);
        return states.Count == 0 ? "none"
            : states.Contains("failure") ? "failure"
            : states.Contains("pending") ? "pending"
            : "success";
    }

    private async Task<string?> PinnedCommit(string branch, string path)
    {
        try
        {
            var contents = await Backoff.Retry(() => github.Repository.Content.GetAllContentsByRef(Owner, Name, path, branch));
            return contents.FirstOrDefault(c => c.Type.StringValue == "submodule")?.Sha;
        }
        catch (NotFoundException)
        {
            return null; // an empty repository, or no such path on the branch
        }
    }

    private static GitHubRepository Describe(Repository repository) =>
        new(repository.FullName, repository.CloneUrl, repository.HtmlUrl, repository.DefaultBranch ?? "main", repository.Private);

    private static GitHubPullRequest Describe(PullRequest pr) =>
        new(pr.Number, pr.Title, pr.HtmlUrl, pr.Head.Ref, pr.Head.Sha, pr.Base.Ref, pr.State.StringValue);
}

/// <summary>
/// GitHub's secondary rate limits (too many requests at once, or content created too fast) answer 403 (whose body
/// Octokit reads as a secondary or abuse limit) or 429, with Retry-After: wait that long (else 1, 2, 4... s) and retry, a few times; a primary limit that resets within a minute
/// is waited for too. Each wait is said on stderr, which the runbook shows as progress.
/// </summary>
internal static class Backoff
{
    private const int Attempts = 5;
    private static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(60);

    public static async Task<T> Retry<T>(Func<Task<T>> call)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // Octokit answers null, not an error, for a body it cannot read: not JSON, another Content-Type, or {}.
                return await call() ?? throw new UnreadableAnswerException();
            }
            catch (ApiException e) when (attempt < Attempts && (e is SecondaryRateLimitExceededException or AbuseException || (int)e.StatusCode == 429))
            {
                await Wait(RetryAfter(e) ?? TimeSpan.FromSeconds(1 << (attempt - 1)), "secondary rate limit", attempt);
            }
            catch (RateLimitExceededException e) when (attempt < Attempts && e.GetRetryAfterTimeSpan() <= LongestWait)
            {
                await Wait(e.GetRetryAfterTimeSpan(), "rate limit", attempt);
            }
        }
    }

    private static TimeSpan? RetryAfter(ApiException e) =>
        e.HttpResponse?.Headers.FirstOrDefault(h => string.Equals(h.Key, "Retry-After", StringComparison.OrdinalIgnoreCase)).Value is { } value
        && int.TryParse(value, out var seconds)
            ? TimeSpan.FromSeconds(Math.Clamp(seconds, 0, (int)LongestWait.TotalSeconds))
            : null;

    private static async Task Wait(TimeSpan wait, string limit, int attempt)
    {
        Console.Error.WriteLine($"GitHub's {limit}: waiting {Math.Ceiling(wait.TotalSeconds):0} s before retrying ({attempt} of {Attempts - 1} retries)");
        await Task.Delay(wait);
    }
}

/// <summary>Octokit's exceptions as one-line errors the runbook can act on.</summary>
internal static class Failures
{
    public static BridgeError? Describe(Exception e) => e switch
    {
        AuthorizationException a => new("unauthorized", Status(a), $"GitHub refused the token ({Reason(a)}); set GITHUB_TOKEN to a valid token"),
        ApiException r when r is SecondaryRateLimitExceededException or AbuseException || Status(r) == 429 =>
            new("rate-limited", Status(r), $"GitHub's secondary rate limit persisted after retries ({Reason(r)}); wait a few minutes and retry, or lower --parallel"),
        RateLimitExceededException r => new("rate-limited", Status(r), $"GitHub's rate limit is exhausted until {r.Reset.ToUniversalTime():HH:mm} UTC ({r.Remaining} of {r.Limit} requests left)"),
        RepositoryExistsException x => new("exists", 422, x.Message),
        ForbiddenException f => new("forbidden", Status(f), $"GitHub forbade it ({Reason(f)}); check the token's scopes"),
        NotFoundException n => new("not-found", 404, $"not found on GitHub ({Reason(n)})"),
        ApiValidationException v => new("invalid", Status(v), $"GitHub refused the request ({Validation(v)})"),
        ApiException a when Status(a) >= 500 => new("server", Status(a), $"GitHub failed ({Status(a)} {Reason(a)}); retry later"),
        ApiException a => new("api", Status(a), $"GitHub answered {Status(a)} ({Reason(a)})"),
        HttpRequestException h => new("unreachable", null, $"GitHub could not be reached: {h.Message}"),
        UnreadableAnswerException => new("unreadable", null, "GitHub's answer could not be read (not JSON, or empty); check that --github-api is GitHub's API"),
        TaskCanceledException => new("unreachable", null, "GitHub did not answer in time"),
        _ => null,
    };

    private static int Status(ApiException e) => (int)e.StatusCode;

    private static string Reason(ApiException e) =>
        string.IsNullOrWhiteSpace(e.ApiError?.Message) ? ((HttpStatusCode)Status(e)).ToString() : e.ApiError.Message.Trim();

    private static string Validation(ApiValidationException e)
    {
        var details = e.ApiError?.Errors?.Select(error => error.Message ?? $"{error.Field} {error.Code}").Where(m => !string.IsNullOrEmpty(m)).ToList() ?? [];
        return details.Count == 0 ? Reason(e) : $"{Reason(e)}: {string.Join("; ", details)}";
    }
}

internal sealed class BridgeUsageException(string message) : Exception(message);

internal sealed class UnreadableAnswerException : Exception;

/// <summary>VERB followed by --name value pairs and bare --flags.</summary>
internal sealed class BridgeRequest
{
    private static readonly HashSet<string> Flags = ["private"];
    private readonly Dictionary<string, string> _values = new();
    private readonly HashSet<string> _flags = [];

    private BridgeRequest(string verb) => Verb = verb;

    public string Verb { get; }

    public static BridgeRequest Parse(string[] args)
    {
        if (args.Length == 0)
            throw new BridgeUsageException("usage: github-bridge VERB --api URL [--owner OWNER --repository NAME ...]");
        var request = new BridgeRequest(args[0]);
        for (var i = 1; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
                throw new BridgeUsageException($"unexpected '{args[i]}'");
            var name = args[i][2..];
            if (Flags.Contains(name))
                request._flags.Add(name);
            else if (i + 1 < args.Length)
                request._values[name] = args[++i];
            else
                throw new BridgeUsageException($"--{name} needs a value");
        }
        return request;
    }

    public string Required(string name) => _values.TryGetValue(name, out var value) ? value : throw new BridgeUsageException($"{Verb} needs --{name}");

    public bool Flag(string name) => _flags.Contains(name);
}
