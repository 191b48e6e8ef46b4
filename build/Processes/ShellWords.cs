namespace Orchestrator.Processes;

/// <summary>Arguments spelled as an operator would type them in a POSIX shell: for messages and plans, never to run.</summary>
internal static class ShellWords
{
    public static string Join(IEnumerable<string> words) => string.Join(" ", words.Select(Quote));

    /// <summary>The word as is when sh, bash and zsh would read it back unchanged, else in single quotes (zsh expands a leading '=').</summary>
    public static string Quote(string word) =>
        word.Length > 0 && word[0] != '=' && word.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,+@%".Contains(c))
            ? word
            : "'" + word.Replace("'", "'\\''") + "'";
}
