using System.Collections.Concurrent;

namespace Orchestrator.Git;

/// <summary>The tags and branches of a repository, as <c>git ls-remote</c> lists them, with annotated tags peeled to their commits.</summary>
internal sealed class RemoteRefs
{
    private readonly Dictionary<string, string> _commitByRef;

    private RemoteRefs(Dictionary<string, string> commitByRef, IReadOnlyList<string> tags)
    {
        _commitByRef = commitByRef;
        Tags = tags;
    }

    /// <summary>Tag names, in the order git lists them.</summary>
    public IReadOnlyList<string> Tags { get; }

    public static RemoteRefs List(string url, string workingDirectory)
    {
        var output = GitCli.Run(workingDirectory, "ls-remote", "--tags", "--heads", "--", url);
        var commitByRef = new Dictionary<string, string>();
        var tags = new List<string>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var (sha, name) = (line[..line.IndexOf('\t')], line[(line.IndexOf('\t') + 1)..]);
            if (name.EndsWith("^{}"))
                commitByRef[name[..^3]] = sha; // the peeled commit of an annotated tag wins over the tag object
            else
            {
                commitByRef.TryAdd(name, sha);
                if (name.StartsWith("refs/tags/"))
                    tags.Add(name["refs/tags/".Length..]);
            }
        }
        return new RemoteRefs(commitByRef, tags);
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
