using System.Text;

namespace Orchestrator.GitHub;

/// <summary>Where GitHub's API is and the token for it. The token goes to the bridge and to git only in their environment.</summary>
internal sealed record GitHubAccess(string Api, string Token)
{
    public const string DefaultApi = "https://api.github.com";

    /// <summary>The access a GitHub operation needs, or a refusal before anything is made.</summary>
    /// <param name="purpose">What needs it, for the message: "CreateProject --github".</param>
    public static GitHubAccess Require(string? api, string? token, string purpose)
    {
        if (string.IsNullOrEmpty(token))
            throw new TargetFailedException($"{purpose} needs a GitHub token: set GITHUB_TOKEN (or pass --github-token); nothing was changed", 2);
        var url = string.IsNullOrEmpty(api) ? DefaultApi : api;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("https" or "http"))
            throw new TargetFailedException($"--github-api: '{url}' is not an http(s) URL; pass the API's URL, such as {DefaultApi} or https://github.example.com for GitHub Enterprise", 2);
        return new GitHubAccess(url, token);
    }

    /// <summary>
    /// git's environment for talking to <paramref name="remote"/> with the token: an Authorization header for that https
    /// host only, through GIT_CONFIG_COUNT/KEY/VALUE (added after any the operator set), never in git's arguments or the
    /// remote URL. Empty for a remote that is not https (ssh, a local path: git's own credentials apply).
    /// </summary>
    public static IReadOnlyDictionary<string, string> GitCredentials(string remote, string? token)
    {
        if (string.IsNullOrEmpty(token) || !Uri.TryCreate(remote, UriKind.Absolute, out var uri) || uri.Scheme != "https")
            return new Dictionary<string, string>();
        var count = int.TryParse(Environment.GetEnvironmentVariable("GIT_CONFIG_COUNT"), out var existing) && existing > 0 ? existing : 0;
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"x-access-token:{token}"));
        return new Dictionary<string, string>
        {
            ["GIT_CONFIG_COUNT"] = $"{count + 1}",
            [$"GIT_CONFIG_KEY_{count}"] = $"http.{uri.Scheme}://{uri.Authority}/.extraHeader",
            [$"GIT_CONFIG_VALUE_{count}"] = $"Authorization: Basic {basic}",
        };
    }
}

/// <summary>A GitHub repository as OWNER/NAME.</summary>
internal sealed record RepositoryName(string Owner, string Name)
{
    public override string ToString() => $"{Owner}/{Name}";

    /// <summary>
    /// The repository a remote names: the last two parts of its path, without .git, for https://host/OWNER/NAME.git,
    /// git@host:OWNER/NAME.git, ssh://git@host/OWNER/NAME and the like; null when it has fewer parts.
    /// </summary>
    public static RepositoryName? FromRemote(string? remote)
    {
        if (string.IsNullOrWhiteSpace(remote))
            return null;
        var path = Uri.TryCreate(remote, UriKind.Absolute, out var uri) && !uri.IsFile ? uri.AbsolutePath
            : remote.Contains(':') && !remote.StartsWith('/') ? remote[(remote.IndexOf(':') + 1)..]
            : remote;
        var parts = path.TrimEnd('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2)
            return null;
        var name = parts[^1].EndsWith(".git", StringComparison.Ordinal) ? parts[^1][..^4] : parts[^1];
        return name.Length == 0 ? null : new RepositoryName(parts[^2], name);
    }
}
