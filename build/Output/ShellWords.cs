using System.Text.RegularExpressions;

namespace Orchestrator.Output;

/// <summary>Commands printed for the operator to copy and run: every word survives the shell as it is meant.</summary>
internal static partial class ShellWords
{
    /// <summary>A word as a POSIX shell reads it back: bare when only safe characters, else in single quotes.</summary>
    public static string Quote(string word) =>
        SafeWord().IsMatch(word) ? word : "'" + word.Replace("'", "'\\''") + "'";

    /// <summary>
    /// <c>./build.sh TARGET --flag value...</c> with every word quoted. A value that starts with '-' is written
    /// <c>--flag=value</c>, since quoting alone would not stop the runbook from taking it for an option.
    /// </summary>
    public static string Runbook(string target, params (string Flag, IReadOnlyList<string> Values)[] options)
    {
        var words = new List<string> { "./build.sh", target };
        foreach (var (flag, values) in options)
        {
            if (values.Any(v => v.StartsWith('-')))
                words.AddRange(values.Select(v => Quote($"{flag}={v}")));
            else
                words.AddRange([flag, .. values.Select(Quote)]);
        }
        return string.Join(" ", words);
    }

    [GeneratedRegex(@"^[A-Za-z0-9_./:@%+=,-]+$")]
    private static partial Regex SafeWord();
}
