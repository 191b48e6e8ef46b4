namespace Engine.Toml;

/// <summary>A <c>key = value</c> line of a table section, or one entry of an inline table: the key as
/// written, the value, and the text around them, so the entry prints back exactly as it was read.</summary>
/// <remarks>In a section, <see cref="Leading"/> holds the blank and comment lines above the key and its
/// indentation, and <see cref="Trailing"/> the spaces, comment and newline after the value. In an inline
/// table they hold the spaces between the entry and its commas or braces.</remarks>
internal sealed class KeyValueSyntax(Fragment leading, Fragment key, Fragment separator, TomlValue value, Fragment trailing)
{
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
internal sealed class Section(TomlTable table)
{
    public TomlTable Table = table;

    /// <summary>Blank and comment lines above the header and its indentation.</summary>
    public Fragment Leading;

    /// <summary>The header as written, brackets included.</summary>
    public Fragment Header;

    /// <summary>Spaces, comment and newline after the header.</summary>
    public Fragment Trailing;

    public bool IsRoot => Header.IsEmpty;
}

internal readonly record struct KeySegment(string Name, int Offset);
