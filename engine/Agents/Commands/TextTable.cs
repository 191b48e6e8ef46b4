namespace Engine.Agents.Commands;

/// <summary>Columns padded to their widest cell, for people reading a terminal.</summary>
internal static class TextTable
{
    public static void Print(IReadOnlyList<string> header, IReadOnlyList<string[]> rows)
    {
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        foreach (var row in rows.Prepend([.. header]))
            Console.WriteLine(string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
    }
}
