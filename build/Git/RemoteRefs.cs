using System.Collections.Concurrent;

namespace Orchestrator.Git;

/// <summary>
/// The tags and branches of a repository, as <c>git ls-remote --tags --heads</c> lists them, with annotated tags peeled to
/// their commits. A repository on this machine is read in process; any other URL is asked with git, which brings its
/// protocols, credential helpers and url.&lt;base&gt;.insteadOf.
/// </summary>
internal sealed class RemoteRefs
{
    private readonly Dictionary<string, string> _commitByRef = new();
    private readonly List<string> _tags = [];

    /// <param name="refs">Ref names with the commit each names, in git's order; an annotated tag's peeled commit after the tag object.</param>
    private RemoteRefs(IEnumerable<(string Name, string Commit)> refs)
    {
        foreach (var (name, commit) in refs)
        {
            if (name.EndsWith("^{}"))
                _commitByRef[name[..^3]] = commit; // the peeled commit of an annotated tag wins over the tag object
            else if (_commitByRef.TryAdd(name, commit) && name.StartsWith("refs/tags/"))
                _tags.Add(name["refs/tags/".Length..]);
        }
    }

    /// <summary>Tag names, in the order git lists them.</summary>
    public IReadOnlyList<string> Tags => _tags;

    /// <summary>No branch and no tag: a repository nothing was pushed to yet.</summary>
    public bool IsEmpty => _commitByRef.Count == 0;

    public static RemoteRefs List(string url, string workingDirectory)
    {
        if (LocalPath(url, workingDirectory) is { } path)
        {
            using var repository = GitRepository.Open(path);
            return new RemoteRefs(repository.BranchesAndTags());
        }
        var output = GitCli.Run(workingDirectory, "ls-remote", "--tags", "--heads", "--", url);
        return new RemoteRefs(output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => (line[(line.IndexOf('\t') + 1)..], line[..line.IndexOf('\t')])));
    }

    /// <summary>
    /// The folder a URL names when git would read it as a local repository (a path, absolute or relative to
    /// <paramref name="workingDirectory"/>, or a file:// URL) and it exists; null for anything git reaches over a network
    /// (<c>scheme://</c>, or scp-like <c>host:path</c>) or that is not there (git then says why).
    /// </summary>
    internal static string? LocalPath(string url, string workingDirectory)
    {
        var (colon, slash) = (url.IndexOf(':'), url.IndexOf('/'));
        var scpLike = colon > 0 && (slash < 0 || colon < slash);
        if (!url.StartsWith("file://") && (url.Contains("://") || scpLike))
            return null;
        var path = url.StartsWith("file://") ? new Uri(url).LocalPath : Path.GetFullPath(url, workingDirectory);
        return Directory.Exists(path) ? path : null;
    }

    /// <summary>The commit a ref names: a tag, a branch, a full ref name, or a full commit id; null when none matches.</summary>
    public string? Resolve(string reference)
    {
        foreach (var candidate in new[] { reference, $"refs/tags/{reference}", $"refs/heads/{reference}" })
            if (_commitByRef.TryGetValue(candidate, out var commit))
                return commit;
        return reference.Length == 40 && reference.All(Uri.IsHexDigit) ? reference.ToLowerInvariant() : null;
    }

    /// <summary>The tags that point at a commit, to show a pin as "1a2b3c4 (v0.1.0)".</summary>
    public IEnumerable<string> TagsAt(string commit) =>
        Tags.Where(tag => _commitByRef.GetValueOrDefault($"refs/tags/{tag}") == commit);

    /// <summary>The tags closest in spelling to a ref that does not exist, for "nearest tags" lists: those sharing the
    /// longest beginning with it, newest first; any tags when none shares a beginning.</summary>
    public IReadOnlyList<string> Nearest(string reference, int count = 3)
    {
        var ranked = Tags.Select(tag => (Tag: tag, Shared: CommonPrefix(tag, reference))).ToList();
        var related = ranked.Any(t => t.Shared > 0) ? ranked.Where(t => t.Shared > 0) : ranked;
        return related.OrderByDescending(t => t.Shared)
            .ThenByDescending(t => t.Tag, StringComparer.Ordinal)
            .Select(t => t.Tag)
            .Take(count)
            .ToList();
    }

    private static int CommonPrefix(string a, string b)
    {
        var length = 0;
        while (length < a.Length && length < b.Length && a[length] == b[length])
            length++;
        return length;
    }
}

/// <summary>Each engine repository listed once per run, however many projects use it, even when checked in parallel.</summary>
internal sealed class RemoteRefsCache(string workingDirectory)
{
    private readonly ConcurrentDictionary<string, Lazy<RemoteRefs>> _byUrl = new();

    public RemoteRefs For(string url) => _byUrl.GetOrAdd(url, u => new Lazy<RemoteRefs>(() => RemoteRefs.List(u, workingDirectory))).Value;
}
