namespace Orchestrator.Fleet;

/// <summary>The fleet-wide defaults that projects inherit.</summary>
internal sealed record FleetDefaults(string? Harness, string? EngineUrl, string? Ref);

/// <summary>One <c>[[project]]</c> entry with the defaults resolved.</summary>
internal sealed record FleetProject(
    string Name,
    string Location,
    AbsolutePath Directory,
    string? Remote,
    string Harness,
    string EngineUrl,
    string Ref,
    bool Enabled,
    IReadOnlyList<string> Tags,
    IReadOnlyList<string> IsolationAllow,
    int Line,
    int Column)
{
    /// <summary>The engine URL as git must see it: a relative path is relative to fleet.toml's folder, not to a superproject's remote.</summary>
    public string ResolvedEngineUrl(AbsolutePath fleetFolder) => EngineUrls.Resolve(EngineUrl, fleetFolder);

    public bool IsCloned => (Directory / ".git").DirectoryExists() || (Directory / ".git").FileExists();
}

/// <summary>Engine URLs as written in the registry and as git records them in .gitmodules.</summary>
internal static class EngineUrls
{
    public static string Resolve(string url, AbsolutePath relativeTo) =>
        url.StartsWith("./") || url.StartsWith("../") ? AbsolutePath.Create(url, relativeTo) : url;

    /// <summary>Whether the URL holds a password or token (<c>https://bot:TOKEN@host</c>); an ssh user name alone is not one.</summary>
    public static bool CarriesCredentials(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0 && (uri.UserInfo.Contains(':') || !uri.Scheme.Contains("ssh"));

    /// <summary>Equal for git: ignoring a trailing slash, a trailing .git and a file:// prefix.</summary>
    public static bool SameRepository(string left, string right) => Canonical(left) == Canonical(right);

    private static string Canonical(string url)
    {
        var canonical = url.StartsWith("file://") ? url["file://".Length..] : url;
        canonical = canonical.TrimEnd('/');
        return canonical.EndsWith(".git") ? canonical[..^4] : canonical;
    }
}
