using System.Buffers;
using Orchestrator.Git;

namespace Orchestrator.Isolation;

/// <summary>What a project must never contain, and why: the rule a match breaks.</summary>
internal sealed record IsolationPattern(string Text, IsolationRule Rule);

/// <summary>
/// Everything that would reveal this orchestrator inside a project: the words that name it and its own facts
/// (the registry's path, the root's path, the remote URLs). Matching ignores case.
/// </summary>
internal sealed class OrchestratorFacts
{
    public static readonly IReadOnlyList<string> Words = ["fleet", "project-orchestrator", "project orchestrator"];

    public OrchestratorFacts(IEnumerable<string> paths, IEnumerable<string> remotes)
    {
        Patterns = Words.Select(w => new IsolationPattern(w, IsolationRule.OrchestratorName))
            .Concat(paths.Select(p => new IsolationPattern(p, IsolationRule.OrchestratorPath)))
            .Concat(remotes.Select(r => new IsolationPattern(r, IsolationRule.OrchestratorRemote)))
            .Where(p => p.Text.Length > 0)
            .DistinctBy(p => p.Text, StringComparer.OrdinalIgnoreCase)
            .ToList();
        Search = SearchValues.Create(Patterns.Select(p => p.Text).ToArray(), StringComparison.OrdinalIgnoreCase);
    }

    public IReadOnlyList<IsolationPattern> Patterns { get; }

    /// <summary>All patterns at once, for a vectorized search; <see cref="MatchAt"/> says which one matched.</summary>
    public SearchValues<string> Search { get; }

    /// <summary>
    /// The facts of the orchestrator at <paramref name="rootDirectory"/> using the registry <paramref name="fleetFile"/>:
    /// the words, the registry's absolute path (and its file name when no word covers it), the root's absolute path,
    /// and every remote URL <c>git remote -v</c> would list there (none when the root is not a git repository).
    /// </summary>
    public static OrchestratorFacts Gather(AbsolutePath rootDirectory, AbsolutePath fleetFile)
    {
        var paths = new List<string> { fleetFile, rootDirectory };
        if (!Words.Any(w => fleetFile.Name.Contains(w, StringComparison.OrdinalIgnoreCase)))
            paths.Add(fleetFile.Name);
        return new OrchestratorFacts(paths, RemoteUrls(rootDirectory).SelectMany(url => RemoteForms(url, rootDirectory)));
    }

    /// <summary>
    /// The longest pattern that matches at <paramref name="index"/>, where <see cref="Search"/> found one; null when none
    /// does. Words match anywhere; a path or a remote only as a whole name: <c>/srv/po</c> is in <c>/srv/po/x</c> and
    /// <c>/srv/po.git</c>, not in <c>/srv/po-data</c> or <c>/var/srv/po</c>.
    /// </summary>
    public IsolationPattern? MatchAt(ReadOnlySpan<char> text, int index)
    {
        IsolationPattern? longest = null;
        foreach (var pattern in Patterns)
            if (text[index..].StartsWith(pattern.Text, StringComparison.OrdinalIgnoreCase)
                && pattern.Text.Length > (longest?.Text.Length ?? 0)
                && (pattern.Rule == IsolationRule.OrchestratorName || StandsAlone(text, index, pattern.Text.Length)))
                longest = pattern;
        return longest;
    }

    private static bool StandsAlone(ReadOnlySpan<char> text, int index, int length) =>
        (index == 0 || !ContinuesName(text[index - 1])) && (index + length == text.Length || !ContinuesName(text[index + length]));

    private static bool ContinuesName(char c) => char.IsLetterOrDigit(c) || c is '-' or '_';

    private static IReadOnlyList<string> RemoteUrls(AbsolutePath rootDirectory)
    {
        using var repository = GitRepository.OpenWorkTree(rootDirectory);
        return repository?.RemoteUrls() ?? [];
    }

    /// <summary>
    /// The ways a project could mention a remote: without scheme, user (which may carry a token) or ".git", and with
    /// host and path joined both by '/' (https) and ':' (scp-style ssh), so either spelling of the same repository matches.
    /// A local remote becomes its absolute path.
    /// </summary>
    internal static IEnumerable<string> RemoteForms(string url, string rootDirectory)
    {
        static string Bare(string path)
        {
            var trimmed = path.TrimEnd('/');
            return trimmed.EndsWith(".git") ? trimmed[..^4] : trimmed;
        }

        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme != "file" && uri.Host.Length > 0)
        {
            var path = Bare(Uri.UnescapeDataString(uri.AbsolutePath).TrimStart('/'));
            return [$"{uri.Host}/{path}", $"{uri.Host}:{path}"];
        }
        if (uri is { Scheme: "file" })
            return [Bare(uri.LocalPath)];
        var colon = url.IndexOf(':');
        if (colon > 0 && url.IndexOf('/') is var slash && (slash < 0 || colon < slash))
        {
            var host = url[..colon][(url.LastIndexOf('@', colon) + 1)..];
            var path = Bare(url[(colon + 1)..].TrimStart('/'));
            return [$"{host}/{path}", $"{host}:{path}"];
        }
        return [Bare(Path.GetFullPath(url, rootDirectory))];
    }
}
