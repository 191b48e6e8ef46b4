using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Engine.Toml;

/// <summary>A TOML table: the document root, a <c>[header]</c> table, an entry of a <c>[[header]]</c>
/// array, a table made by dotted keys, or an inline <c>{ ... }</c> table. Keys keep their order.</summary>
/// <remarks>Tables that belong to a document are edited in place by <see cref="Add"/>, <see cref="Set"/>
/// and <see cref="Remove"/>, which change only the lines they concern.</remarks>
public sealed partial class TomlTable : TomlValue, IEnumerable<TomlEntry>
{
    internal struct Slot(string key, int keyOffset, TomlValue value)
    {
        public readonly string Key = key;
        public readonly int KeyOffset = keyOffset;
        public TomlValue Value = value;
    }

    // Most tables have a handful of keys, where a scan beats hashing; a dictionary takes over beyond.
    const int LinearSearchLimit = 8;

    Slot[] slots = [];
    int count;
    Dictionary<string, int>? index;

    internal TableOrigin Origin;
    internal TomlTable? Parent;
    internal string Name = "";
    internal TomlDocument? Document;
    internal Section? Section;

    /// <summary>For an inline table: the entries between its braces.</summary>
    internal List<KeyValueSyntax>? Body;

    /// <summary>For a table inside an array: that array.</summary>
    internal TomlArray? HoldingArray;

    /// <summary>The spaces between the braces of an empty inline table.</summary>
    internal Fragment InlineInterior;

    /// <summary>For a table made by dotted keys: the table whose section or braces hold those keys.</summary>
    internal TomlTable? Home;

    // The TOML 1.0 rules against redefinition: a table defined by a header, or opened by dotted keys in
    // an earlier section, is closed to other headers and to dotted keys of other sections.
    internal bool ExplicitNest;
    internal int PendingSection = -1;

    /// <summary>A new table, printed as a <c>[header]</c> section when added to a document table, or as
    /// <c>{ ... }</c> when <paramref name="inline"/> or when placed in an array or inline table.</summary>
    public TomlTable(bool inline = false)
    {
        Origin = inline ? TableOrigin.Inline : TableOrigin.Detached;
        if (inline)
            Body = [];
    }

    internal TomlTable(TableOrigin origin, SourceText? source, int offset, TomlTable? parent, string name, TomlDocument? document)
        : base(source, offset)
    {
        Origin = origin;
        Parent = parent;
        Name = name;
        Document = document;
        if (origin == TableOrigin.Inline)
            Body = [];
    }

    /// <summary>Records where a table or array value now lives, for paths in messages and for edits.</summary>
    internal static void Adopt(TomlTable parent, string key, TomlValue value)
    {
        switch (value)
        {
            case TomlTable table:
                table.Parent = parent;
                table.Name = key;
                break;
            case TomlArray array:
                array.Parent = parent;
                array.Name = key;
                break;
        }
    }

    public override TomlKind Kind => TomlKind.Table;

    /// <summary>True for a <c>{ ... }</c> table.</summary>
    public bool IsInline => Origin == TableOrigin.Inline;

    public int Count => count;

    public IEnumerable<string> Keys => slots.Take(count).Select(slot => slot.Key);

    /// <summary>The value of <paramref name="key"/>; a missing key throws a <see cref="TomlException"/>
    /// located at the table. Setting is <see cref="Set"/>.</summary>
    public TomlValue this[string key]
    {
        get => TryGetValue(key, out var value) ? value : throw new TomlException(Error(MissingKeyReason(key)));
        set => Set(key, value);
    }

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out TomlValue value)
    {
        var at = IndexOf(key);
        value = at >= 0 ? slots[at].Value : null;
        return at >= 0;
    }

    public IEnumerator<TomlEntry> GetEnumerator()
    {
        for (var i = 0; i < count; i++)
        {
            var slot = slots[i];
            yield return new TomlEntry(slot.Key, slot.Value, slot.KeyOffset >= 0 ? Source : null, slot.KeyOffset);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The table's key path from the root, as written in a header: <c>servers.alpha</c>.</summary>
    internal string DisplayPath => TomlFormat.FormatKeyPath(PathFromRoot());

    internal List<string> PathFromRoot()
    {
        var path = new List<string>();
        for (var table = this; table.Parent is not null; table = table.Parent)
            path.Add(table.Name);
        path.Reverse();
        return path;
    }

    internal string MissingKeyReason(string key) =>
        Parent is null ? $"missing key '{key}'" : $"missing key '{key}' in table '{DisplayPath}'";

    internal int IndexOf(string key)
    {
        if (index is not null)
            return index.TryGetValue(key, out var at) ? at : -1;
        for (var i = 0; i < count; i++)
        {
            if ((object)slots[i].Key == key || slots[i].Key == key)
                return i;
        }
        return -1;
    }

    internal ref Slot SlotAt(int at) => ref slots[at];

    internal ReadOnlySpan<Slot> Slots => slots.AsSpan(0, count);

    internal void AddSlot(string key, int keyOffset, TomlValue value)
    {
        if (count == slots.Length)
            Array.Resize(ref slots, count > 0 ? count * 2 : Origin is TableOrigin.ArrayEntry or TableOrigin.Header ? 8 : 4);
        slots[count++] = new Slot(key, keyOffset, value);
        if (index is not null)
            index[key] = count - 1;
        else if (count > LinearSearchLimit)
            RebuildIndex();
    }

    internal void RemoveSlotAt(int at)
    {
        Array.Copy(slots, at + 1, slots, at, count - at - 1);
        slots[--count] = default;
        index = null;
        if (count > LinearSearchLimit)
            RebuildIndex();
    }

    void RebuildIndex()
    {
        index = new Dictionary<string, int>(count * 2);
        for (var i = 0; i < count; i++)
            index[slots[i].Key] = i;
    }

    /// <summary>Whether this table is <paramref name="ancestor"/> or lies below it.</summary>
    internal bool IsWithin(TomlTable ancestor)
    {
        for (var table = this; table is not null; table = table.Parent)
        {
            if (table == ancestor)
                return true;
        }
        return false;
    }
}

internal enum TableOrigin : byte
{
    /// <summary>Created in code and not yet part of a document.</summary>
    Detached,
    Root,
    Header,
    ArrayEntry,

    /// <summary>Created by a header of a table below it, such as <c>a</c> for <c>[a.b]</c>.</summary>
    Implicit,
    Dotted,
    Inline,
}
