namespace Engine.Toml;

/// <summary>Reads the blank and comment lines that stand before a line or header, to decide what an
/// edit takes along and what it leaves in place.</summary>
/// <remarks>A leading fragment is whole lines followed by the indentation of the item's own line.
/// Comment lines directly above an item (no blank line between) belong to it; what is above the last
/// blank line stands apart, such as a file's opening comment.</remarks>
internal static class Trivia
{
    public static (Fragment Detached, Fragment Attached) Split(Fragment leading)
    {
        var span = leading.Span;
        var attachedStart = span.LastIndexOf('\n') + 1;
        while (attachedStart > 0)
        {
            var lineEnd = attachedStart - 1;
            var lineStart = span[..lineEnd].LastIndexOf('\n') + 1;
            var line = span[lineStart..lineEnd].Trim(" \t\r");
            if (line.IsEmpty || line[0] != '#')
                break;
            attachedStart = lineStart;
        }
        return (leading.Slice(0, attachedStart), leading.Slice(attachedStart));
    }

    /// <summary>The indentation of the item's own line: what follows the last newline.</summary>
    public static Fragment Indentation(Fragment leading) => leading.Slice(leading.Span.LastIndexOf('\n') + 1);

    /// <summary>The whole blank lines at the start.</summary>
    public static Fragment LeadingBlankLines(Fragment text)
    {
        var span = text.Span;
        var end = 0;
        while (true)
        {
            var newline = span[end..].IndexOf('\n');
            if (newline < 0 || !span.Slice(end, newline).Trim(" \t\r").IsEmpty)
                return text.Slice(0, end);
            end += newline + 1;
        }
    }

    /// <summary>The whole blank lines at the end of text that ends with a newline.</summary>
    public static Fragment TrailingBlankLines(Fragment text)
    {
        var span = text.Span;
        var start = span.Length;
        while (start > 0)
        {
            var lineStart = span[..(start - 1)].LastIndexOf('\n') + 1;
            if (!span[lineStart..(start - 1)].Trim(" \t\r").IsEmpty)
                break;
            start = lineStart;
        }
        return text.Slice(start);
    }

    public static bool HasComment(Fragment text) => text.Span.Contains('#');

    /// <summary>What should stand before the next item once the item above it is removed, given the
    /// detached lines of the removed item: comments are kept, blank lines are not doubled.</summary>
    public static Fragment MergeDetached(Fragment detached, Fragment next)
    {
        if (detached.IsEmpty)
            return next;
        var nextBlankLines = LeadingBlankLines(next);
        if (!HasComment(detached))
            return nextBlankLines.IsEmpty ? Fragment.Concat(detached, next) : next;
        return TrailingBlankLines(detached).IsEmpty
            ? Fragment.Concat(detached, next)
            : Fragment.Concat(detached, next.Slice(nextBlankLines.Length));
    }

    /// <summary>The text of a line's end, completed with a newline when it ends the file without one.</summary>
    public static Fragment EndWithNewline(Fragment text, string newline) =>
        text.EndsWithNewline ? text : Fragment.Concat(text, new Fragment(newline));
}
