using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using TestSupport;

namespace EndToEnd.Tests;

/// <summary>One request as the fake received it, for tests to check bodies and the Authorization header.</summary>
public sealed record RecordedRequest(string Method, string Path, string? Authorization, string Body)
{
    public JsonNode? Json => Body.Length == 0 ? null : JsonNode.Parse(Body);
}

/// <summary>A pull request the fake keeps in memory; its head commit is read from the repository when asked.</summary>
public sealed class FakePullRequest
{
    public required int Number { get; init; }
    public required string Title { get; set; }
    public required string Body { get; set; }
    public required string Head { get; init; }
    public required string Base { get; init; }
    public string State { get; set; } = "open";
    public bool Merged { get; set; }
}

/// <summary>
/// A stateful GitHub API on 127.0.0.1 (port 0), under /api/v3/ as GitHub Enterprise serves it: repositories are local
/// bare repositories (their clone_url), pull requests and commit statuses live in memory, every answer has Content-Type
/// exactly application/json (Octokit reads anything else as null), lists are paginated with real Link headers, errors
/// can be injected, and every request is recorded. Only what the runbook's bridge calls is served; anything else is a 404.
/// </summary>
public sealed class FakeGitHub : IDisposable
{
    private readonly TemporaryFolder _folder = new();
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly List<(string Method, Regex Path, int Status, string Message, Dictionary<string, string> Headers)> _failures = [];
    private readonly Dictionary<string, List<FakePullRequest>> _pullRequests = new();
    private readonly Dictionary<string, string> _statuses = new();
    private readonly Dictionary<string, List<(string Status, string? Conclusion)>> _checkRuns = new();
    private readonly Lock _gate = new();

    public const string Token = "ghp_FakeGitHubToken0123456789abcdef";

    /// <summary>The token's own account.</summary>
    public string Login { get; } = "operator";

    /// <summary>Organisations the token may create repositories in.</summary>
    public HashSet<string> Organisations { get; } = ["acme"];

    /// <summary>How many items a list page holds when the client does not say (GitHub: 30).</summary>
    public int PageSize { get; set; } = 30;

    public string Api { get; }

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToList();

    public FakeGitHub()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.Run(Handle);
        _app.StartAsync().GetAwaiter().GetResult();
        Api = _app.Urls.First().TrimEnd('/');
    }

    /// <summary>The bare repository standing for OWNER/NAME on GitHub (its clone_url).</summary>
    public string RepositoryPath(string owner, string name) => _folder[$"{owner}/{name}.git"];

    public bool Exists(string owner, string name) => Directory.Exists(RepositoryPath(owner, name));

    /// <summary>A repository made outside the runbook, empty or with main pushed from <paramref name="from"/>.</summary>
    public string CreateRepository(string owner, string name, string? from = null)
    {
        var path = RepositoryPath(owner, name);
        Directory.CreateDirectory(path);
        Shell.Git(path, "init", "-q", "--bare", "-b", "main");
        if (from is not null)
            Shell.Git(from, "push", "-q", path, "HEAD:refs/heads/main");
        return path;
    }

    public IReadOnlyList<FakePullRequest> PullRequests(string owner, string name)
    {
        lock (_gate)
            return _pullRequests.GetValueOrDefault($"{owner}/{name}")?.ToList() ?? [];
    }

    /// <summary>A pull request opened by someone else (a person), from a branch that must exist.</summary>
    public FakePullRequest OpenPullRequest(string owner, string name, string head, string title, string @base = "main")
    {
        lock (_gate)
        {
            var list = PullRequestList($"{owner}/{name}");
            var pr = new FakePullRequest { Number = list.Count + 1, Title = title, Body = "", Head = head, Base = @base };
            list.Add(pr);
            return pr;
        }
    }

    /// <summary>Merges a pull request as GitHub's merge button would when its branch is on top of the base: fast-forward.</summary>
    public void Merge(string owner, string name, int number)
    {
        var pr = PullRequests(owner, name).Single(p => p.Number == number);
        var path = RepositoryPath(owner, name);
        Shell.Git(path, "update-ref", $"refs/heads/{pr.Base}", Shell.Git(path, "rev-parse", $"refs/heads/{pr.Head}"));
        pr.State = "closed";
        pr.Merged = true;
    }

    /// <summary>The combined CI status GitHub reports for a commit (success, pending, failure, error).</summary>
    public void SetStatus(string sha, string state)
    {
        lock (_gate)
            _statuses[sha] = state;
    }

    /// <summary>A check run (as GitHub Actions reports) on a commit: status queued, in_progress or completed, and its conclusion.</summary>
    public void AddCheckRun(string sha, string status, string? conclusion = null)
    {
        lock (_gate)
        {
            if (!_checkRuns.TryGetValue(sha, out var runs))
                _checkRuns[sha] = runs = [];
            runs.Add((status, conclusion));
        }
    }

    /// <summary>The next <paramref name="times"/> requests matching METHOD and the path pattern get this error instead.</summary>
    public void Fail(string method, string pathPattern, int status, string message, int times = 1, Dictionary<string, string>? headers = null)
    {
        lock (_gate)
            for (var i = 0; i < times; i++)
                _failures.Add((method, new Regex(pathPattern), status, message, headers ?? new Dictionary<string, string>()));
    }

    /// <summary>GitHub's secondary rate limit: 403, the message Octokit recognises, Retry-After.</summary>
    public void FailWithSecondaryRateLimit(string method, string pathPattern, int times = 1) =>
        Fail(method, pathPattern, 403, "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.", times,
            new Dictionary<string, string> { ["Retry-After"] = "1" });

    private List<FakePullRequest> PullRequestList(string repository)
    {
        if (!_pullRequests.TryGetValue(repository, out var list))
            _pullRequests[repository] = list = [];
        return list;
    }

    private async Task Handle(HttpContext context)
    {
        var request = context.Request;
        var body = await new StreamReader(request.Body, Encoding.UTF8).ReadToEndAsync();
        var path = request.Path.Value ?? "";
        var authorization = request.Headers.Authorization.FirstOrDefault();
        _requests.Enqueue(new RecordedRequest(request.Method, path + request.QueryString, authorization, body));
        var (status, document, headers) = Answer(request.Method, path, request.Query, body, authorization);
        context.Response.StatusCode = status;
        foreach (var (name, value) in headers)
            context.Response.Headers[name] = value;
        if (document is null)
            return;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(document.ToJsonString());
    }

    private (int Status, JsonNode? Document, Dictionary<string, string> Headers) Answer(string method, string path, IQueryCollection query, string body, string? authorization)
    {
        var none = new Dictionary<string, string>();
        lock (_gate)
        {
            var failure = _failures.FindIndex(f => f.Method == method && f.Path.IsMatch(path));
            if (failure >= 0)
            {
                var (_, _, status, message, headers) = _failures[failure];
                _failures.RemoveAt(failure);
                return (status, Error(message), headers);
            }
        }
        // The scheme is case-insensitive (RFC 9110); GitHub takes "token" and "Bearer", Octokit sends "Token".
        if (authorization?.Split(' ') is not [var scheme, Token] || !(scheme.Equals("token", StringComparison.OrdinalIgnoreCase) || scheme.Equals("bearer", StringComparison.OrdinalIgnoreCase)))
            return (401, Error("Bad credentials"), none);
        if (!path.StartsWith("/api/v3/"))
            return (404, Error("Not Found"), none);
        var route = path["/api/v3".Length..];
        var input = body.Length > 0 ? JsonNode.Parse(body)!.AsObject() : new JsonObject();

        if (method == "GET" && route == "/user")
            return (200, new JsonObject { ["login"] = Login, ["id"] = 1, ["type"] = "User" }, none);
        if (method == "POST" && route == "/user/repos")
            return Create(Login, input);
        if (Match(route, @"^/orgs/([^/]+)/repos$") is [var org] && method == "POST")
            return Organisations.Contains(org) ? Create(org, input) : (404, Error("Not Found"), none);
        if (Match(route, @"^/repos/([^/]+)/([^/]+)(/.*)?$") is not [var owner, var name, var rest])
            return (404, Error("Not Found"), none);
        if (!Exists(owner, name))
            return (404, Error("Not Found"), none);
        var repository = RepositoryPath(owner, name);
        switch (method, rest)
        {
            case ("GET", ""):
                return (200, RepositoryDocument(owner, name), none);
            case ("DELETE", ""):
                Directory.Delete(repository, recursive: true);
                return (204, null, none);
            case ("GET", "/branches"):
                return Page(Branches(repository).Select(b => (JsonNode)new JsonObject
                {
                    ["name"] = b.Name,
                    ["commit"] = new JsonObject { ["sha"] = b.Sha, ["url"] = $"{Api}/api/v3/repos/{owner}/{name}/commits/{b.Sha}" },
                    ["protected"] = false,
                }).ToList(), path, query);
            case ("GET", "/pulls"):
            {
                var state = query["state"].FirstOrDefault() ?? "open";
                List<FakePullRequest> listed;
                lock (_gate)
                    listed = PullRequestList($"{owner}/{name}").Where(p => state == "all" || p.State == state).OrderByDescending(p => p.Number).ToList();
                return Page(listed.Select(p => PullRequestDocument(owner, name, p)).ToList(), path, query);
            }
            case ("POST", "/pulls"):
                return OpenFromRequest(owner, name, input);
            case ("GET", _) when Match(rest, @"^/commits/([^/]+)/status$") is [var reference]:
            {
                var sha = Resolve(repository, reference) ?? reference;
                string? state;
                lock (_gate)
                    state = _statuses.GetValueOrDefault(sha);
                return (200, new JsonObject
                {
                    ["state"] = state ?? "pending",
                    ["sha"] = sha,
                    ["total_count"] = state is null ? 0 : 1,
                    ["statuses"] = state is null ? new JsonArray() : new JsonArray(new JsonObject { ["state"] = state, ["context"] = "ci", ["id"] = 1 }),
                }, none);
            }
            case ("GET", _) when Match(rest, @"^/commits/([^/]+)/check-runs$") is [var reference]:
            {
                var sha = Resolve(repository, reference) ?? reference;
                List<(string Status, string? Conclusion)> runs;
                lock (_gate)
                    runs = _checkRuns.GetValueOrDefault(sha)?.ToList() ?? [];
                return (200, new JsonObject
                {
                    ["total_count"] = runs.Count,
                    ["check_runs"] = new JsonArray(runs.Select((run, i) => (JsonNode)new JsonObject
                    {
                        ["id"] = i + 1,
                        ["head_sha"] = sha,
                        ["name"] = $"build {i + 1}",
                        ["status"] = run.Status,
                        ["conclusion"] = run.Conclusion,
                    }).ToArray()),
                }, none);
            }
            case ("GET", _) when Match(rest, @"^/contents/(.+)$") is [var contentPath]:
                return Content(owner, name, repository, contentPath, query["ref"].FirstOrDefault());
            case ("PATCH", _) when Match(rest, @"^/pulls/(\d+)$") is [var number]:
            {
                lock (_gate)
                {
                    var pr = PullRequestList($"{owner}/{name}").FirstOrDefault(p => p.Number == int.Parse(number));
                    if (pr is null)
                        return (404, Error("Not Found"), none);
                    if (input["title"] is { } title)
                        pr.Title = title.GetValue<string>();
                    if (input["body"] is { } text)
                        pr.Body = text.GetValue<string>();
                    return (200, PullRequestDocument(owner, name, pr), none);
                }
            }
        }
        return (404, Error("Not Found"), none);
    }

    private (int, JsonNode?, Dictionary<string, string>) Create(string owner, JsonObject input)
    {
        var name = input["name"]?.GetValue<string>() ?? "";
        if (Exists(owner, name))
            return (422, new JsonObject
            {
                ["message"] = "Repository creation failed.",
                ["errors"] = new JsonArray(new JsonObject { ["resource"] = "Repository", ["code"] = "custom", ["field"] = "name", ["message"] = "name already exists on this account" }),
                ["documentation_url"] = "https://docs.github.com/rest/repos/repos#create-a-repository-for-the-authenticated-user",
            }, new Dictionary<string, string>());
        CreateRepository(owner, name);
        if (input["private"]?.GetValue<bool>() == true)
            File.WriteAllText(Path.Combine(RepositoryPath(owner, name), "private"), "");
        return (201, RepositoryDocument(owner, name), new Dictionary<string, string>());
    }

    private (int, JsonNode?, Dictionary<string, string>) OpenFromRequest(string owner, string name, JsonObject input)
    {
        var head = input["head"]!.GetValue<string>();
        var @base = input["base"]!.GetValue<string>();
        var repository = RepositoryPath(owner, name);
        lock (_gate)
        {
            var list = PullRequestList($"{owner}/{name}");
            if (Resolve(repository, $"refs/heads/{head}") is null || Resolve(repository, $"refs/heads/{@base}") is null)
                return (422, new JsonObject
                {
                    ["message"] = "Validation Failed",
                    ["errors"] = new JsonArray(new JsonObject { ["resource"] = "PullRequest", ["field"] = "head", ["code"] = "invalid" }),
                }, new Dictionary<string, string>());
            if (list.Any(p => p.State == "open" && p.Head == head))
                return (422, new JsonObject
                {
                    ["message"] = "Validation Failed",
                    ["errors"] = new JsonArray(new JsonObject { ["resource"] = "PullRequest", ["code"] = "custom", ["message"] = $"A pull request already exists for {owner}:{head}." }),
                }, new Dictionary<string, string>());
            var pr = new FakePullRequest
            {
                Number = list.Count + 1,
                Title = input["title"]!.GetValue<string>(),
                Body = input["body"]?.GetValue<string>() ?? "",
                Head = head,
                Base = @base,
            };
            list.Add(pr);
            return (201, PullRequestDocument(owner, name, pr), new Dictionary<string, string>());
        }
    }

    private (int, JsonNode?, Dictionary<string, string>) Content(string owner, string name, string repository, string path, string? reference)
    {
        var tree = Shell.Run(repository, "git", ["ls-tree", reference ?? "HEAD", "--", path]);
        var fields = tree.Out.Trim().Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (tree.ExitCode != 0 || fields.Length < 4)
            return (404, Error(tree.ExitCode != 0 ? "This repository is empty." : "Not Found"), new Dictionary<string, string>());
        var (type, sha) = (fields[1] switch { "commit" => "submodule", "tree" => "dir", _ => "file" }, fields[2]);
        return (200, new JsonObject
        {
            ["type"] = type,
            ["name"] = Path.GetFileName(path),
            ["path"] = path,
            ["sha"] = sha,
            ["size"] = 0,
            ["url"] = $"{Api}/api/v3/repos/{owner}/{name}/contents/{path}",
            ["git_url"] = $"{Api}/api/v3/repos/{owner}/{name}/git/trees/{sha}",
            ["html_url"] = null,
            ["download_url"] = null,
        }, new Dictionary<string, string>());
    }

    private JsonObject RepositoryDocument(string owner, string name)
    {
        var path = RepositoryPath(owner, name);
        return new JsonObject
        {
            ["id"] = Math.Abs(path.GetHashCode()),
            ["name"] = name,
            ["full_name"] = $"{owner}/{name}",
            ["owner"] = new JsonObject { ["login"] = owner, ["id"] = 1, ["type"] = owner == Login ? "User" : "Organization" },
            ["private"] = File.Exists(Path.Combine(path, "private")),
            ["html_url"] = $"{Api}/{owner}/{name}",
            ["clone_url"] = path,
            ["default_branch"] = "main",
        };
    }

    private JsonObject PullRequestDocument(string owner, string name, FakePullRequest pr)
    {
        var repository = RepositoryPath(owner, name);
        var self = new JsonObject { ["full_name"] = $"{owner}/{name}", ["name"] = name, ["id"] = 1 };
        return new JsonObject
        {
            ["id"] = pr.Number,
            ["number"] = pr.Number,
            ["state"] = pr.State,
            ["merged"] = pr.Merged,
            ["title"] = pr.Title,
            ["body"] = pr.Body,
            ["html_url"] = $"{Api}/{owner}/{name}/pull/{pr.Number}",
            ["head"] = new JsonObject { ["ref"] = pr.Head, ["sha"] = Resolve(repository, $"refs/heads/{pr.Head}") ?? "", ["label"] = $"{owner}:{pr.Head}", ["repo"] = self },
            ["base"] = new JsonObject { ["ref"] = pr.Base, ["sha"] = Resolve(repository, $"refs/heads/{pr.Base}") ?? "", ["label"] = $"{owner}:{pr.Base}", ["repo"] = self.DeepClone() },
        };
    }

    /// <summary>A page of a list with GitHub's Link header: per_page and page from the query, rel="next" and rel="last".</summary>
    private (int, JsonNode?, Dictionary<string, string>) Page(IReadOnlyList<JsonNode> items, string path, IQueryCollection query)
    {
        var size = int.TryParse(query["per_page"].FirstOrDefault(), out var perPage) ? perPage : PageSize;
        var page = int.TryParse(query["page"].FirstOrDefault(), out var number) ? number : 1;
        var last = Math.Max(1, (items.Count + size - 1) / size);
        var headers = new Dictionary<string, string>();
        string Link(int p) => $"{Api}{path}?{string.Join("&", query.Where(q => q.Key is not ("page" or "per_page")).Select(q => $"{q.Key}={q.Value}").Append($"per_page={size}").Append($"page={p}"))}";
        var links = new List<string>();
        if (page < last)
            links.Add($"<{Link(page + 1)}>; rel=\"next\"");
        if (page > 1)
            links.Add($"<{Link(page - 1)}>; rel=\"prev\"");
        if (last > 1)
            links.Add($"<{Link(last)}>; rel=\"last\"");
        if (links.Count > 0)
            headers["Link"] = string.Join(", ", links);
        return (200, new JsonArray(items.Skip((page - 1) * size).Take(size).Select(i => i.DeepClone()).ToArray()), headers);
    }

    private static IEnumerable<(string Name, string Sha)> Branches(string repository) =>
        Shell.Run(repository, "git", ["for-each-ref", "--format=%(refname:short) %(objectname)", "refs/heads/"]).Out
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' '))
            .Select(parts => (parts[0], parts[1]));

    private static string? Resolve(string repository, string reference)
    {
        var result = Shell.Run(repository, "git", ["rev-parse", "--verify", "-q", $"{reference}^{{commit}}"]);
        return result.ExitCode == 0 ? result.Out.Trim() : null;
    }

    private static string[]? Match(string text, string pattern)
    {
        var match = Regex.Match(text, pattern);
        return match.Success ? match.Groups.Cast<Group>().Skip(1).Select(g => g.Value).ToArray() : null;
    }

    private static JsonObject Error(string message) =>
        new() { ["message"] = message, ["documentation_url"] = "https://docs.github.com/rest" };

    public void Dispose()
    {
        _app.StopAsync().GetAwaiter().GetResult();
        ((IDisposable)_app).Dispose();
        _folder.Dispose();
    }
}
