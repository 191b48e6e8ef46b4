using System.Text;

namespace Runbook;

/// <summary>How the runner spells and compares names of targets and parameters.</summary>
public static class Names
{
    /// <summary>Case, dashes and underscores ignored: <c>update-engine</c>, <c>UPDATE_ENGINE</c> and <c>UpdateEngine</c> are one name.</summary>
    public static string Normalize(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
            if (c is not ('-' or '_'))
                builder.Append(char.ToLowerInvariant(c));
        return builder.ToString();
    }

    /// <summary><c>EngineUrl</c> becomes <c>engine-url</c>, <c>HTTPServer</c> becomes <c>http-server</c>.</summary>
    public static string ToKebabCase(string name)
    {
        var builder = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0)
            {
                var previous = name[i - 1];
                var nextIsLower = i + 1 < name.Length && char.IsLower(name[i + 1]);
                if (char.IsLower(previous) || char.IsDigit(previous) || (char.IsUpper(previous) && nextIsLower))
                    builder.Append('-');
            }
            builder.Append(char.ToLowerInvariant(c));
        }
        return builder.ToString();
    }

    /// <summary>The candidate closest to <paramref name="name"/>, when it is close enough to be a likely typo.</summary>
    public static string? DidYouMean(string name, IEnumerable<string> candidates)
    {
        var wanted = Normalize(name);
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = EditDistance(wanted, Normalize(candidate));
            if (distance < bestDistance)
                (best, bestDistance) = (candidate, distance);
        }
        var tolerance = Math.Max(1, Math.Min(3, wanted.Length / 3));
        if (bestDistance <= tolerance)
            return best;
        // A truncated name ("engine" for "engine_url") is as telling as a typo.
        return wanted.Length >= 3 ? candidates.FirstOrDefault(c => Normalize(c).StartsWith(wanted, StringComparison.Ordinal)) : null;
    }

    /// <summary>The <paramref name="count"/> candidates closest in spelling to <paramref name="name"/>, closest first.</summary>
    public static IReadOnlyList<string> Nearest(string name, IEnumerable<string> candidates, int count)
    {
        var wanted = Normalize(name);
        return candidates.Select(c => (Candidate: c, Distance: EditDistance(wanted, Normalize(c))))
            .OrderBy(c => c.Distance)
            .Take(count)
            .Select(c => c.Candidate)
            .ToList();
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
            previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
