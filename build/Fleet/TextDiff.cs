using System.Text;

namespace Orchestrator.Fleet;

/// <summary>A unified diff of two versions of a text, for --dry-run previews of registry edits.</summary>
internal static class TextDiff
{
    public static string Unified(string before, string after, string fileName, int context = 2)
    {
        var old = SplitLines(before);
        var @new = SplitLines(after);
        // Registry edits touch one place: strip the common head and tail so the comparison stays small on big files.
        var head = 0;
        while (head < old.Length && head < @new.Length && old[head] == @new[head])
            head++;
        var tail = 0;
        while (tail < old.Length - head && tail < @new.Length - head && old[^(tail + 1)] == @new[^(tail + 1)])
            tail++;
        if (head == old.Length && head == @new.Length)
            return "";

        var edits = Middle(old[head..^tail], @new[head..^tail]);
        var from = Math.Max(0, head - context);
        var to = Math.Min(tail, context);
        var diff = new StringBuilder();
        diff.Append($"--- {fileName}\n+++ {fileName}\n");
        var oldCount = head - from + (old.Length - head - tail) + to;
        var newCount = head - from + (@new.Length - head - tail) + to;
        diff.Append($"@@ -{from + 1},{oldCount} +{from + 1},{newCount} @@\n");
        for (var i = from; i < head; i++)
            diff.Append(' ').Append(old[i]).Append('\n');
        foreach (var line in edits)
            diff.Append(line).Append('\n');
        for (var i = old.Length - tail; i < old.Length - tail + to; i++)
            diff.Append(' ').Append(old[i]).Append('\n');
        return diff.ToString();
    }

    /// <summary>The changed middle as '-' and '+' lines, kept lines as ' ', by longest common subsequence.</summary>
    private static List<string> Middle(string[] old, string[] @new)
    {
        var lengths = new int[old.Length + 1, @new.Length + 1];
        for (var i = old.Length - 1; i >= 0; i--)
            for (var j = @new.Length - 1; j >= 0; j--)
                lengths[i, j] = old[i] == @new[j] ? lengths[i + 1, j + 1] + 1 : Math.Max(lengths[i + 1, j], lengths[i, j + 1]);
        var lines = new List<string>();
        int x = 0, y = 0;
        while (x < old.Length || y < @new.Length)
        {
            if (x < old.Length && y < @new.Length && old[x] == @new[y])
            {
                lines.Add(" " + old[x++]);
                y++;
            }
            else if (y < @new.Length && (x == old.Length || lengths[x, y + 1] >= lengths[x + 1, y]))
                lines.Add("+" + @new[y++]);
            else
                lines.Add("-" + old[x++]);
        }
        return lines;
    }

    private static string[] SplitLines(string text) =>
        text.Length == 0 ? [] : text.TrimEnd('\n').Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
}
