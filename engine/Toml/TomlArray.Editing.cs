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
            var last = (TomlTable)this[count - 1];
            AddEntry(entry, Parent!.Document!.IndexAfterSubtree(last), last.Section);
            return;
        }

        var document = FindDocument();
        document?.PrepareEdit(this);
        value = TomlTable.Inlined(value);
        var spacings = Spacings!;
        if (spacings.Count == 0)
        {
            spacings.Add(new Spacing(Fragment.Empty, Fragment.Empty));
        }
        else
        {
            ref var last = ref CollectionsMarshal.AsSpan(spacings)[^1];
            var before = last.Before.Span.Contains('\n')
                ? Fragment.Concat(new Fragment(document?.NewLine ?? "\n"), Trivia.Indentation(last.Before))
                : spacings.Count > 1 ? last.Before : Space;
            var after = last.After;
            last.After = Fragment.Empty;
            spacings.Add(new Spacing(before, after));
        }
        Append(value);
        Hold(this, value);
        document?.Attach(value);
    }

    /// <summary>Removes the element at <paramref name="index"/>; for an array of tables, its sections
    /// with the comment lines directly above its header. An emptied array of tables leaves its table.</summary>
    public void RemoveAt(int index)
    {
        var removed = this[index];
        if (IsTableArray)
        {
            var entry = (TomlTable)removed;
            Parent!.Document!.RemoveSections(section => section.Table.IsWithin(entry));
            RemoveValueAt(index);
            if (count == 0)
                Parent.Remove(Name);
            return;
        }

        FindDocument()?.PrepareEdit(this);
        RemoveValueAt(index);
        var spacings = Spacings!;
        var removedSpacing = spacings[index];
        spacings.RemoveAt(index);
        var rest = CollectionsMarshal.AsSpan(spacings);
        if (rest.Length == 0)
            TrailingComma = false;
        else if (index == rest.Length)
            rest[^1].After = removedSpacing.After;
        else if (index == 0)
            rest[0].Before = removedSpacing.Before;
    }

    internal void AddEntry(TomlTable entry, int sectionIndex, Section? reference)
    {
        var parent = Parent!;
        var document = parent.Document!;
        entry.Parent = parent;
        entry.Name = Name;
        entry.HoldingArray = this;
        Append(entry);
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
