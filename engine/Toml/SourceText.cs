namespace Engine.Toml;

/// <summary>The text a document was parsed from, with its file name, for turning offsets into
/// 1-based line and column numbers.</summary>
/// <remarks>Line starts are indexed on first use only: most parses never report a position.</remarks>
internal sealed class SourceText(string text, string fileName)
{
    int[]? lineStarts;

    public string Text { get; } = text;

    public string FileName { get; } = fileName;

    /// <summary>Text written by code rather than read from a file: it has no positions to report.</summary>
    public bool IsCreated { get; private init; }

    public static SourceText Created(string text) => new(text, "(created in code)") { IsCreated = true };

    public (int Line, int Column) PositionOf(int offset)
    {
        var starts = lineStarts ??= IndexLineStarts(Text);
        var index = Array.BinarySearch(starts, offset);
        var line = index >= 0 ? index : ~index - 1;
        var column = offset - starts[line] + 1;
        if (line == 0 && Text.Length > 0 && Text[0] == '\uFEFF' && offset > 0)
            column--;
        return (line + 1, column);
    }

    static int[] IndexLineStarts(string text)
    {
        var starts = new List<int> { 0 };
        for (var at = text.IndexOf('\n'); at >= 0; at = text.IndexOf('\n', at + 1))
            starts.Add(at + 1);
        return starts.ToArray();
    }
}
