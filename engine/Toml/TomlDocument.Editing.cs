namespace Engine.Toml;

public sealed partial class TomlDocument
{
    /// <summary>Sets the value at a dotted key such as <c>servers.alpha.ip</c> (TOML key syntax, so
    /// quoted segments work), replacing an existing value in place or adding the key, and the tables on
    /// the way when they are missing.</summary>
    public void Set(string path, TomlValue value)
    {
        var key = TomlParser.ParseKeyPath(path);
        var (table, missing) = Walk(key);
        if (missing == key.Count - 1)
        {
            table.Set(key.Last.Name, value);
            return;
        }
        for (var i = key.Count - 1; i > missing; i--)
            value = new TomlTable { [key[i].Name] = value };
        table.Add(key[missing].Name, value);
    }

    /// <summary>Removes the key at a dotted path with its line (or its table's sections) and the comment
    /// lines directly above; false when there is no such key.</summary>
    public bool Remove(string path)
    {
        var key = TomlParser.ParseKeyPath(path);
        var (table, missing) = Walk(key);
        return missing == key.Count - 1 && table.Remove(key.Last.Name);
    }

    /// <summary>Appends a <c>[[path]]</c> entry after the last entry of that array of tables (and after
    /// its sub-tables), spaced and indented like it; creates the array at the end of its parent table
    /// when it does not exist yet.</summary>
    public void AppendTableArrayEntry(string path, TomlTable entry)
    {
        var key = TomlParser.ParseKeyPath(path);
        var (table, missing) = Walk(key);
        for (; missing < key.Count - 1; missing++)
        {
            var child = new TomlTable();
            table.Add(key[missing].Name, child);
            table = child;
        }
        if (!table.TryGetValue(key.Last.Name, out var existing))
            table.AddTableArray(key.Last.Name, entry);
        else if (existing is TomlArray array)
            array.Add(entry);
        else
            throw new InvalidOperationException($"'{path}' is {TomlValue.Describe(existing.Kind)}, not an array of tables");
    }

    /// <summary>Removes entry <paramref name="index"/> (0-based) of the <c>[[path]]</c> array of tables,
    /// with its sub-tables and the comment lines directly above its header.</summary>
    public void RemoveTableArrayEntry(string path, int index)
    {
        var key = TomlParser.ParseKeyPath(path);
        var (table, missing) = Walk(key);
        if (missing < key.Count - 1 || !table.TryGetValue(key.Last.Name, out var value))
            throw new KeyNotFoundException($"no array of tables '{path}'");
        if (value is not TomlArray { IsTableArray: true } array)
            throw new InvalidOperationException($"'{path}' is {TomlValue.Describe(value.Kind)}, not an array of tables");
        array.RemoveAt(index);
    }

    /// <summary>The deepest existing table along all but the last segment of a key, and the index of
    /// the first segment that does not exist (the last segment's index when all tables exist).</summary>
    (TomlTable Table, int Missing) Walk(KeyPath key)
    {
        var table = Root;
        for (var i = 0; i < key.Count - 1; i++)
        {
            if (!table.TryGetValue(key[i].Name, out var value))
                return (table, i);
            table = value switch
            {
                TomlTable child => child,
                TomlArray { IsTableArray: true } => throw new InvalidOperationException(
                    $"'{key.Display(i + 1)}' is an array of tables; pick an entry first, as in Root[\"{key[i].Name}\"].AsArray()[0]"),
                _ => throw new InvalidOperationException($"'{key.Display(i + 1)}' is {TomlValue.Describe(value.Kind)}, not a table"),
            };
        }
        return (table, key.Count - 1);
    }

    // ---- lines

    /// <summary>The section whose lines hold a table's own keys: none for a table that lives in braces
    /// or has no lines of its own (an implicit table).</summary>
    internal static Section? LineSectionOf(TomlTable table) => table.Origin switch
    {
        TableOrigin.Root or TableOrigin.Header or TableOrigin.ArrayEntry => table.Section,
        TableOrigin.Dotted => LineSectionOf(table.Home!),
        _ => null,
    };

    /// <summary>Before a value changes, reads the text of what holds it: the lines of its section and
    /// the spacing of the arrays around it, which print from the source only while nothing in them
    /// has changed.</summary>
    internal void PrepareEdit(TomlValue value)
    {
        for (TomlValue? current = value; current is not null;)
        {
            switch (current)
            {
                case TomlTable { Origin: TableOrigin.Root or TableOrigin.Header or TableOrigin.ArrayEntry } table:
                    LinesOf(table.Section!);
                    return;
                case TomlTable { Origin: TableOrigin.Dotted } table:
                    current = table.Home;
                    break;
                case TomlTable table:
                    current = (TomlValue?)table.HoldingArray ?? table.Parent;
                    break;
                case TomlArray array:
                    if (array.Spacings is null && !array.IsTableArray)
                        TomlParser.ReadSpacing(this, array);
                    current = (TomlValue?)array.HoldingArray ?? array.Parent;
                    break;
                default:
                    return;
            }
        }
    }

    /// <summary>Adds <c>key = value</c> after the last line of a table (for a dotted table, after the
    /// last line under it), indented and separated like the line before it.</summary>
    internal KeyValueSyntax AddLine(TomlTable owner, string key, string keyText, TomlValue value)
    {
        var section = LineSectionOf(owner)!;
        var lines = LinesOf(section);
        var index = owner.Origin == TableOrigin.Dotted ? lines.FindLastIndex(line => line.Owner.IsWithin(owner)) + 1 : 0;
        if (index == 0)
            index = lines.Count;
        var previous = index > 0 ? lines[index - 1] : null;
        var line = new KeyValueSyntax(
            key,
            previous is null ? LineIndentation(section) : Trivia.Indentation(previous.Leading),
            new Fragment(keyText),
            previous?.Separator ?? new Fragment(" = "),
            value,
            new Fragment(NewLine)) { Owner = owner };
        if (previous is not null)
            previous.Trailing = Trivia.EndWithNewline(previous.Trailing, NewLine);
        else if (section.Table.Origin != TableOrigin.Root)
            section.Trailing = Trivia.EndWithNewline(section.Trailing, NewLine);
        else
            PlaceFirstRootLine(line);
        lines.Insert(index, line);
        return line;
    }

    /// <summary>A first key of the root table goes below the file's opening comment, and above the
    /// first header's own comment, with a blank line before that header.</summary>
    void PlaceFirstRootLine(KeyValueSyntax line)
    {
        if (Sections.Count == 1)
        {
            line.Leading = Trailer.IsEmpty ? Fragment.Empty : Trivia.EndWithNewline(Trailer, NewLine);
            Trailer = Fragment.Empty;
            return;
        }
        var next = Sections[1];
        var (detached, attached) = Trivia.Split(next.Leading);
        var blankLines = Trivia.TrailingBlankLines(detached);
        line.Leading = detached;
        next.Leading = Fragment.Concat(blankLines.IsEmpty ? new Fragment(NewLine) : blankLines, attached);
    }

    /// <summary>Removes a line with the comment lines directly above it; other lines above it stay.</summary>
    internal void RemoveLine(KeyValueSyntax line)
    {
        var section = LineSectionOf(line.Owner)!;
        var lines = LinesOf(section);
        var index = lines.IndexOf(line);
        var (detached, _) = Trivia.Split(line.Leading);
        lines.RemoveAt(index);
        if (index < lines.Count)
        {
            lines[index].Leading = Trivia.MergeDetached(detached, lines[index].Leading);
            return;
        }
        MergeIntoNextSection(Sections.IndexOf(section) + 1, detached);
    }

    /// <summary>Hands the lines that stood apart above a removed item to what now follows it, the
    /// section at <paramref name="index"/> or the end of the file, where blank lines alone are dropped.</summary>
    void MergeIntoNextSection(int index, Fragment detached)
    {
        if (index >= Sections.Count)
        {
            if (Trivia.HasComment(detached))
                Trailer = Trivia.MergeDetached(detached, Trailer);
            return;
        }
        var next = Sections[index];
        next.Leading = Trivia.MergeDetached(detached, next.Leading);
        if (StartsFile(index))
            next.Leading = next.Leading.Slice(Trivia.LeadingBlankLines(next.Leading).Length);
    }

    /// <summary>Whether the section at <paramref name="index"/> is the first text of the file.</summary>
    bool StartsFile(int index) => index == 1 && !HasLines(Sections[0]);

    internal void RemoveLines(Section section, Predicate<KeyValueSyntax> match)
    {
        var lines = LinesOf(section);
        for (var i = lines.Count - 1; i >= 0; i--)
        {
            if (match(lines[i]))
                RemoveLine(lines[i]);
        }
    }

    /// <summary>The indentation of a section's first line, else of the first indented section's.</summary>
    Fragment LineIndentation(Section section)
    {
        foreach (var candidate in Sections.Prepend(section))
        {
            if (candidate.Table.Origin != TableOrigin.Root && HasLines(candidate))
                return Trivia.Indentation(LinesOf(candidate)[0].Leading);
        }
        return Fragment.Empty;
    }

    static bool HasLines(Section section) => section.Lines?.Count > 0 || (section.Lines is null && section.BodyEnd > section.BodyStart);

    // ---- sections

    /// <summary>The sections that print a new table and the tables inside it, under <paramref name="path"/>.
    /// A table holding only tables gets no header of its own, as a person would write it.</summary>
    internal List<Section> NewSections(TomlTable table, List<string> path, bool arrayEntry, SectionStyle style)
    {
        var (separator, headerIndentation, lineIndentation) = style;
        var sections = new List<Section>();
        Build(table, path, arrayEntry);
        return sections;

        void Build(TomlTable current, List<string> currentPath, bool isEntry)
        {
            current.Document = this;
            var slots = current.Slots.ToArray();
            var isImplicit = !isEntry && slots.Length > 0 && slots.All(slot => IsSectionTable(slot.Value));
            if (isImplicit)
            {
                current.Origin = TableOrigin.Implicit;
            }
            else
            {
                current.Origin = isEntry ? TableOrigin.ArrayEntry : TableOrigin.Header;
                current.ExplicitNest = true;
                var keys = TomlFormat.FormatKeyPath(currentPath);
                var section = new Section(current)
                {
                    Leading = Fragment.Concat(separator, headerIndentation),
                    Header = new Fragment(isEntry ? $"[[{keys}]]" : $"[{keys}]"),
                    Trailing = new Fragment(NewLine),
                    Lines = [],
                };
                for (var i = 0; i < slots.Length; i++)
                {
                    if (IsSectionTable(slots[i].Value))
                        continue;
                    var value = slots[i].Value;
                    var line = new KeyValueSyntax(slots[i].Key, lineIndentation, new Fragment(TomlFormat.FormatKey(slots[i].Key)), new Fragment(" = "), value, new Fragment(NewLine)) { Owner = current };
                    section.Lines.Add(line);
                    Attach(value);
                }
                current.Section = section;
                sections.Add(section);
            }
            foreach (var slot in slots)
            {
                if (IsSectionTable(slot.Value))
                    Build((TomlTable)slot.Value, [.. currentPath, slot.Key], false);
            }
        }
    }

    static bool IsSectionTable(TomlValue value) => value is TomlTable { Origin: TableOrigin.Detached };

    /// <summary>How new sections look: the blank lines above a header, its indentation and its lines'
    /// indentation, copied from a section of the file.</summary>
    internal SectionStyle StyleOf(Section? reference)
    {
        reference ??= Sections.LastOrDefault(section => section.Table.Origin != TableOrigin.Root);
        if (reference is null)
            return new SectionStyle(new Fragment(NewLine), Fragment.Empty, LineIndentation(Sections[0]));
        var separator = StartsFile(Sections.IndexOf(reference)) ? new Fragment(NewLine) : Trivia.LeadingBlankLines(reference.Leading);
        return new SectionStyle(separator, Trivia.Indentation(reference.Leading), LineIndentation(reference));
    }

    /// <summary>Inserts sections before <c>Sections[index]</c>. Comment lines directly above the next
    /// header stay with it; lines that stand apart stay where they are, above the new sections.</summary>
    internal void InsertSections(int index, List<Section> sections, SectionStyle style)
    {
        if (sections.Count == 0)
            return;
        EndPreviousLine(index);
        var first = sections[0];
        var startsFile = StartsFile(index);
        if (index < Sections.Count)
        {
            var next = Sections[index];
            var (detached, attached) = Trivia.Split(next.Leading);
            if (detached.IsEmpty)
            {
                next.Leading = Fragment.Concat(style.Separator, attached);
            }
            else
            {
                first.Leading = Fragment.Concat(detached, style.HeaderIndentation);
                next.Leading = Fragment.Concat(Trivia.TrailingBlankLines(detached), attached);
                startsFile = false;
            }
        }
        if (startsFile)
            first.Leading = style.HeaderIndentation;
        if (startsFile && index == Sections.Count && Trivia.HasComment(Trailer))
        {
            // A file of comments only: they open the file, so its first table goes below them.
            var opening = Trivia.EndWithNewline(Trailer, NewLine);
            var gap = Trivia.TrailingBlankLines(opening).IsEmpty ? new Fragment(NewLine) : Fragment.Empty;
            first.Leading = Fragment.Concat(Fragment.Concat(opening, gap), style.HeaderIndentation);
            Trailer = Fragment.Empty;
        }
        Sections.InsertRange(index, sections);
    }

    /// <summary>Makes sure the text before <c>Sections[index]</c> ends with a newline.</summary>
    void EndPreviousLine(int index)
    {
        var previous = Sections[index - 1];
        if (HasLines(previous))
        {
            if (previous.Lines is null && Source.Text[previous.BodyEnd - 1] == '\n')
                return;
            var last = LinesOf(previous)[^1];
            last.Trailing = Trivia.EndWithNewline(last.Trailing, NewLine);
        }
        else if (previous.Table.Origin != TableOrigin.Root)
        {
            previous.Trailing = Trivia.EndWithNewline(previous.Trailing, NewLine);
        }
    }

    /// <summary>Removes the sections that match, each with the comment lines directly above its header.</summary>
    internal void RemoveSections(Func<Section, bool> match)
    {
        for (var i = Sections.Count - 1; i >= 1; i--)
        {
            if (!match(Sections[i]))
                continue;
            var (detached, _) = Trivia.Split(Sections[i].Leading);
            Sections.RemoveAt(i);
            MergeIntoNextSection(i, detached);
        }
    }

    /// <summary>Where new sections of a table go: after its last section, or after the section that
    /// holds its lines.</summary>
    internal int IndexAfterSubtree(TomlTable table)
    {
        if (table.Origin == TableOrigin.Root)
            return Sections.Count;
        for (var i = Sections.Count - 1; i >= 1; i--)
        {
            if (Sections[i].Table.IsWithin(table))
                return i + 1;
        }
        var home = LineSectionOf(table);
        return home is null ? Sections.Count : Sections.IndexOf(home) + 1;
    }

    /// <summary>Gives an implicit table (one only named by headers below it) a header of its own, just
    /// above the first of those headers, so that keys can be added to it.</summary>
    internal void AddHeader(TomlTable table)
    {
        var index = Sections.FindIndex(section => section.Table.IsWithin(table));
        var style = StyleOf(Sections[index]);
        table.Origin = TableOrigin.Header;
        table.ExplicitNest = true;
        var section = new Section(table)
        {
            Leading = Fragment.Concat(style.Separator, style.HeaderIndentation),
            Header = new Fragment($"[{table.DisplayPath}]"),
            Trailing = new Fragment(NewLine),
            Lines = [],
        };
        table.Section = section;
        InsertSections(index, [section], style);
    }

    /// <summary>Makes the tables inside a value added by an edit part of this document.</summary>
    internal void Attach(TomlValue value)
    {
        var pending = new Stack<TomlValue>();
        pending.Push(value);
        while (pending.TryPop(out var current))
        {
            switch (current)
            {
                case TomlTable table:
                    table.Document = this;
                    foreach (var slot in table.Slots)
                        pending.Push(slot.Value);
                    break;
                case TomlArray array:
                    foreach (var element in array)
                        pending.Push(element);
                    break;
            }
        }
    }
}

/// <summary>How new sections look, copied from a section of the file: the blank lines above a header,
/// the header's indentation and its lines' indentation.</summary>
internal readonly record struct SectionStyle(Fragment Separator, Fragment HeaderIndentation, Fragment LineIndentation);
