namespace Engine.Toml;

public sealed partial class TomlTable
{
    static readonly Fragment Space = new(" ");

    /// <summary>Adds a key. In a document, a scalar, array or inline table becomes a <c>key = value</c>
    /// line after the table's last line; a new table (not inline) becomes a <c>[header]</c> section
    /// after this table's last section. New lines use the file's newline and indentation.</summary>
    /// <exception cref="ArgumentException">The key exists: use <see cref="Set"/>.</exception>
    public void Add(string key, TomlValue value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (ContainsKey(key))
            throw new ArgumentException($"key '{key}' is already in the table; use Set to change its value", nameof(key));
        RequireDetached(value);

        if (Origin == TableOrigin.Detached)
        {
            AddSlot(key, -1, value);
            Adopt(this, key, value);
            return;
        }
        Document?.PrepareEdit(this);
        if (BraceHome is { } braces)
        {
            value = Inlined(value);
            AddBraceEntry(braces, this, key, KeyText(key), value);
            AddSlot(key, -1, value);
            Adopt(this, key, value);
            Document?.Attach(value);
            return;
        }

        var document = Document!;
        if (value is TomlTable { Origin: TableOrigin.Detached } table)
        {
            var index = document.IndexAfterSubtree(this);
            AddSlot(key, -1, table);
            Adopt(this, key, table);
            var style = document.StyleOf(document.Sections[index - 1] is { Table.Origin: not TableOrigin.Root } previous ? previous : null);
            document.InsertSections(index, document.NewSections(table, [.. PathFromRoot(), key], arrayEntry: false, style), style);
            return;
        }
        if (Origin == TableOrigin.Implicit)
            document.AddHeader(this);
        document.AddLine(this, key, KeyText(key), value);
        AddSlot(key, -1, value);
        Adopt(this, key, value);
        document.Attach(value);
    }

    /// <summary>Sets a key's value. An existing <c>key = value</c> keeps its line: the comment lines
    /// above it, its indentation and the comment after the value; a missing key is added.</summary>
    public void Set(string key, TomlValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var at = IndexOf(key);
        if (at < 0)
        {
            Add(key, value);
            return;
        }
        if (ReferenceEquals(slots[at].Value, value))
            return;
        RequireDetached(value);
        if (Origin == TableOrigin.Detached)
        {
            slots[at].Value = value;
            Adopt(this, key, value);
            return;
        }
        var inBraces = BraceHome is not null;
        Document?.PrepareEdit(this);
        var line = FindLine(key);
        if (line is null || (!inBraces && value is TomlTable { Origin: TableOrigin.Detached }))
        {
            RemoveKey(key, removeEmptiedTable: false);
            Add(key, value);
            return;
        }
        value = Inlined(value);
        line.Value = value;
        slots[at].Value = value;
        Adopt(this, key, value);
        Document?.Attach(value);
    }

    /// <summary>Removes a key: its line with the comment lines directly above it, or for a table, its
    /// sections and lines. A table that existed only through its keys goes with the last of them.
    /// Returns false when the key is missing.</summary>
    public bool Remove(string key) => RemoveKey(key, removeEmptiedTable: true);

    bool RemoveKey(string key, bool removeEmptiedTable)
    {
        var at = IndexOf(key);
        if (at < 0)
            return false;
        var value = slots[at].Value;
        Document?.PrepareEdit(this);
        if (BraceHome is { } braces)
        {
            RemoveBraceEntries(braces, FindLine(key), value as TomlTable);
        }
        else if (Origin != TableOrigin.Detached)
        {
            var document = Document!;
            if (FindLine(key) is { } line)
                document.RemoveLine(line);
            if (value is TomlTable table)
            {
                if (table.Origin == TableOrigin.Dotted)
                    document.RemoveLines(TomlDocument.LineSectionOf(table)!, line => line.Owner.IsWithin(table));
                document.RemoveSections(section => section.Table.IsWithin(table));
            }
            else if (value is TomlArray { IsTableArray: true } array)
            {
                document.RemoveSections(section => section.Table.IsWithinEntryOf(array));
            }
        }
        RemoveSlotAt(at);
        if (removeEmptiedTable && count == 0 && Origin is TableOrigin.Implicit or TableOrigin.Dotted)
            Parent!.Remove(Name);
        return true;
    }

    /// <summary>Creates a <c>[[key]]</c> array of tables with its first entry, after this table's sections.</summary>
    internal void AddTableArray(string key, TomlTable entry)
    {
        RequireDetached(entry);
        if (Origin == TableOrigin.Detached || BraceHome is not null || entry.Origin != TableOrigin.Detached)
        {
            Add(key, new TomlArray { entry });
            return;
        }
        var document = Document!;
        document.PrepareEdit(this);
        var index = document.IndexAfterSubtree(this);
        var array = new TomlArray(null, 0, isTableArray: true) { Parent = this, Name = key };
        AddSlot(key, -1, array);
        array.AddEntry(entry, index, reference: null);
    }

    /// <summary>The table whose braces hold this table's keys, when it is inline or inside an inline table.</summary>
    TomlTable? BraceHome => Origin switch
    {
        TableOrigin.Inline => this,
        TableOrigin.Dotted when Home!.IsInline => Home,
        _ => null,
    };

    /// <summary>How a key of this table is written where its lines are: with the dotted path from the
    /// section's (or braces') table for a table made by dotted keys.</summary>
    string KeyText(string key)
    {
        if (Origin != TableOrigin.Dotted)
            return TomlFormat.FormatKey(key);
        var names = new List<string> { key };
        for (var table = this; table.Origin == TableOrigin.Dotted; table = table.Parent!)
            names.Add(table.Name);
        names.Reverse();
        return TomlFormat.FormatKeyPath(names);
    }

    /// <summary>The <c>key = value</c> that holds one of this table's keys, in its section or braces;
    /// none for a key whose value is a table with its own header or dotted keys.</summary>
    KeyValueSyntax? FindLine(string key)
    {
        var lines = BraceHome is { } braces ? braces.Body!
            : TomlDocument.LineSectionOf(this) is { } section ? Document!.LinesOf(section)
            : null;
        return lines?.Find(line => line.Owner == this && line.Name == key);
    }

    static void AddBraceEntry(TomlTable braces, TomlTable owner, string key, string keyText, TomlValue value)
    {
        var body = braces.Body!;
        var index = owner == braces ? body.Count : body.FindLastIndex(entry => entry.Owner.IsWithin(owner)) + 1;
        if (index == 0)
            index = body.Count;
        var entry = new KeyValueSyntax(key, Space, new Fragment(keyText), body.Count > 0 ? body[0].Separator : new Fragment(" = "), value, Fragment.Empty)
        {
            Owner = owner,
        };
        if (body.Count == 0)
        {
            entry.Trailing = Space;
            braces.InlineInterior = Fragment.Empty;
        }
        else if (index == body.Count)
        {
            var last = body[^1];
            entry.Leading = last.Leading.IsEmpty ? Fragment.Empty : Space;
            entry.Trailing = last.Trailing;
            last.Trailing = Fragment.Empty;
        }
        body.Insert(index, entry);
    }

    static void RemoveBraceEntries(TomlTable braces, KeyValueSyntax? entry, TomlTable? table)
    {
        var body = braces.Body!;
        for (var i = body.Count - 1; i >= 0; i--)
        {
            if (body[i] != entry && (table is null || !body[i].Owner.IsWithin(table)))
                continue;
            var removed = body[i];
            body.RemoveAt(i);
            if (body.Count == 0)
                continue;
            if (i == body.Count)
                body[^1].Trailing = removed.Trailing;
            else if (i == 0)
                body[0].Leading = removed.Leading;
        }
    }

    /// <summary>The form a value takes inside braces, an array or a <c>key = value</c> line: a new table
    /// that is not inline becomes inline, with the tables inside it.</summary>
    internal static TomlValue Inlined(TomlValue value)
    {
        if (value is not TomlTable { Origin: TableOrigin.Detached } table)
            return value;
        table.Origin = TableOrigin.Inline;
        table.Body = [];
        for (var i = 0; i < table.count; i++)
        {
            ref var slot = ref table.slots[i];
            slot.Value = Inlined(slot.Value);
            AddBraceEntry(table, table, slot.Key, TomlFormat.FormatKey(slot.Key), slot.Value);
        }
        return table;
    }

    /// <summary>Tables and arrays can be in one place only: a value already in a document or in another
    /// value cannot be added again (scalars can, they never change).</summary>
    internal static void RequireDetached(TomlValue value)
    {
        var attached = value switch
        {
            TomlTable table => table.Origin is not (TableOrigin.Detached or TableOrigin.Inline)
                || table.Document is not null || table.Parent is not null || table.HoldingArray is not null,
            TomlArray array => array.IsTableArray || array.Parent is not null || array.HoldingArray is not null,
            _ => false,
        };
        if (attached)
            throw new InvalidOperationException("this table or array already belongs to a document or another value; add a new one instead");
    }

    internal bool IsWithinEntryOf(TomlArray array)
    {
        for (var table = this; table is not null; table = table.Parent)
        {
            if (table.HoldingArray == array)
                return true;
        }
        return false;
    }
}
