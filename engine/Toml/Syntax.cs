namespace Engine.Toml;

/// <summary>A <c>key = value</c> line of a table section, or one entry of an inline table: the key as
/// written, the value, and the text around them, so the entry prints back exactly as it was read.</summary>
/// <remarks>In a section, <see cref="Leading"/> holds the blank and comment lines above the key and its
/// indentation, and <see cref="Trailing"/> the spaces, comment and newline after the value. In an inline
/// table they hold the spaces between the entry and its commas or braces.</remarks>
internal sealed class KeyValueSyntax(string name, Fragment leading, Fragment key, Fragment separator, TomlValue value, Fragment trailing)
{
    /// <summary>The last segment of the key: the key's name in <see cref="Owner"/>.</summary>
    public readonly string Name = name;

    public Fragment Leading = leading;
    public Fragment Key = key;
    public Fragment Separator = separator;
    public TomlValue Value = value;
    public Fragment Trailing = trailing;

    /// <summary>The table that holds the entry's last key: with dotted keys, a table below the section's.</summary>
    public TomlTable Owner = null!;
}

/// <summary>A table header line (<c>[a.b]</c> or <c>[[a]]</c>) and the key/value lines below it; the
/// document's first section has no header and holds the root table's lines.</summary>
/// <remarks>The key/value lines are kept as a slice of the source until an edit concerns them: most
/// documents are only read, and not building their line objects saves a third of what a parse allocates.</remarks>
internal sealed class Section(TomlTable table)
{
    public TomlTable Table = table;

    /// <summary>Blank and comment lines above the header and its indentation.</summary>
    public Fragment Leading;

    /// <summary>The header as written, brackets included; empty for the root section.</summary>
    public Fragment Header;

    /// <summary>Spaces, comment and newline after the header.</summary>
    public Fragment Trailing;

    /// <summary>Where the key/value lines are in the source, while <see cref="Lines"/> is unread.</summary>
    public int BodyStart;
    public int BodyEnd;

    /// <summary>The key/value lines, once an edit needed them (see <see cref="TomlDocument.LinesOf"/>).</summary>
    public List<KeyValueSyntax>? Lines;
}

internal readonly record struct KeySegment(string Name, int Offset);
