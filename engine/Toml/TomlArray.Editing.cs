using System.Runtime.InteropServices;

namespace Engine.Toml;

public sealed partial class TomlArray
{
    static readonly Fragment Space = new(" ");

    /// <summary>Appends a value. In a <c>[ ... ]</c> array it is spaced like the elements before it; in
    /// an array of tables it must be a new table, printed as a <c>[[header]]</c> section after the last
    /// entry and its sub-tables.</summary>
    public void Add(TomlValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        TomlTable.RequireDetached(value);
        if (IsTableArray)
        {
            if (value is not TomlTable { Origin: TableOrigin.Detached } entry)
                throw new ArgumentException("an entry of an array of tables must be a new table that is not inline", nameof(value));
            var last = (TomlTable)Items[^1].Value;
            AddEntry(entry, Parent!.Document!.IndexAfterSubtree(last), last.Section);
            return;
        }

        var document = FindDocument();
        document?.ReadLinesAround(this);
        value = TomlTable.Inlined(value);
        if (Items.Count == 0)
        {
            Items.Add(new Element(Fragment.Empty, value, Fragment.Empty));
        }
        else
        {
            ref var last = ref CollectionsMarshal.AsSpan(Items)[^1];
            var before = last.Before.Span.Contains('\n')
                ? Fragment.Concat(new Fragment(document?.NewLine ?? "\n"), Trivia.Indentation(last.Before))
                : Items.Count > 1 ? last.Before : Space;
            var after = last.After;
            last.After = Fragment.Empty;
            Items.Add(new Element(before, value, after));
        }
        Hold(this, value);
        document?.Attach(value);
    }

    /// <summary>Removes the element at <paramref name="index"/>; for an array of tables, its sections
    /// with the comment lines directly above its header. An emptied array of tables leaves its table.</summary>
    public void RemoveAt(int index)
    {
        var removed = Items[index];
        if (IsTableArray)
        {
            var entry = (TomlTable)removed.Value;
            Parent!.Document!.RemoveSections(section => section.Table.IsWithin(entry));
            Items.RemoveAt(index);
            if (Items.Count == 0)
                Parent.Remove(Name);
            return;
        }

        FindDocument()?.ReadLinesAround(this);
        Items.RemoveAt(index);
        var items = CollectionsMarshal.AsSpan(Items);
        if (items.Length == 0)
            TrailingComma = false;
        else if (index == items.Length)
            items[^1].After = removed.After;
        else if (index == 0)
            items[0].Before = removed.Before;
    }

    internal void AddEntry(TomlTable entry, int sectionIndex, Section? reference)
    {
        var parent = Parent!;
        var document = parent.Document!;
        entry.Parent = parent;
        entry.Name = Name;
        entry.HoldingArray = this;
        Items.Add(new Element(default, entry, default));
        var style = document.StyleOf(reference);
        document.InsertSections(sectionIndex, document.NewSections(entry, [.. parent.PathFromRoot(), Name], arrayEntry: true, style), style);
    }

    TomlDocument? FindDocument()
    {
        for (TomlValue? current = this; current is not null;)
        {
            switch (current)
            {
                case TomlTable table:
                    return table.Document;
                case TomlArray array:
                    current = (TomlValue?)array.HoldingArray ?? array.Parent;
                    break;
            }
        }
        return null;
    }
}
