using Orchestrator.Fleet;

namespace Orchestrator.Isolation;

/// <summary>
/// A project's known false positives, from its isolation_allow in fleet.toml (never from the project itself): path
/// globs relative to the project root, where <c>*</c> matches any run of characters, '/' included.
/// </summary>
internal sealed class IsolationAllowList(IReadOnlyList<string> globs)
{
    private readonly IReadOnlyList<string> _globs = globs.Select(g => g.StartsWith("./") ? g[2..] : g).ToList();

    /// <summary>The glob that allows matches in <paramref name="path"/>, or null when they are violations.</summary>
    public string? Covering(string path) => _globs.FirstOrDefault(glob => Glob.Matches(glob, path));
}
