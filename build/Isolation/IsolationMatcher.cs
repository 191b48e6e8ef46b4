namespace Orchestrator.Isolation;

/// <summary>Finds the orchestrator's patterns in one file's text and in one path's names; no I/O.</summary>
internal static class IsolationMatcher
{
    private const int LongestLine = 200;
    private const int ContextAround = 60;

    /// <summary>One violation per line that holds a pattern, the first match on the line naming the rule; null when none.</summary>
    public static List<IsolationViolation>? Content(string path, ReadOnlySpan<char> text, OrchestratorFacts facts, string? allowedBy)
    {
        List<IsolationViolation>? violations = null;
        int line = 1, countedUpTo = 0, searchFrom = 0;
        while (searchFrom < text.Length && text[searchFrom..].IndexOfAny(facts.Search) is var found and >= 0)
        {
            var index = searchFrom + found;
            if (facts.MatchAt(text, index) is not { } pattern)
            {
                searchFrom = index + 1;
                continue;
            }
            // Line numbers are counted only from here on: files without a match never pay for them.
            line += text[countedUpTo..index].Count('\n');
            var lineStart = text[..index].LastIndexOf('\n') + 1;
            var lineEnd = text[index..].IndexOf('\n') is var newline and >= 0 ? index + newline : text.Length;
            var excerpt = Excerpt(text[lineStart..lineEnd], index - lineStart, pattern.Text.Length);
            (violations ??= []).Add(new IsolationViolation(path, line, excerpt, text.Slice(index, pattern.Text.Length).ToString(), pattern.Rule, allowedBy));
            line++;
            countedUpTo = searchFrom = lineEnd + 1;
        }
        return violations;
    }

    /// <summary>
    /// Each match in <paramref name="path"/>'s names, reported at the path up to the name where the match ends, so a
    /// folder is one violation however many files it holds.
    /// </summary>
    public static IEnumerable<IsolationViolation> Names(string path, OrchestratorFacts facts, IsolationAllowList allow)
    {
        var searchFrom = 0;
        while (searchFrom < path.Length && path.AsSpan(searchFrom).IndexOfAny(facts.Search) is var found and >= 0)
        {
            var index = searchFrom + found;
            if (facts.MatchAt(path, index) is not { } pattern)
            {
                searchFrom = index + 1;
                continue;
            }
            var end = path.IndexOf('/', index + pattern.Text.Length) is var slash and >= 0 ? slash : path.Length;
            var named = path[..end];
            yield return new IsolationViolation(named, null, named[(named.LastIndexOf('/') + 1)..], path.Substring(index, pattern.Text.Length), pattern.Rule, allow.Covering(named));
            searchFrom = end + 1;
        }
    }

    private static string Excerpt(ReadOnlySpan<char> line, int matchStart, int matchLength)
    {
        var trimmed = line.Trim();
        if (trimmed.Length <= LongestLine)
            return trimmed.ToString();
        var from = Math.Max(0, matchStart - ContextAround);
        var to = Math.Min(line.Length, matchStart + matchLength + ContextAround);
        return $"{(from > 0 ? "..." : "")}{line[from..to].Trim()}{(to < line.Length ? "..." : "")}";
    }
}
