using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Engine.Toml;

/// <summary>Reads TOML 1.0 text into a <see cref="TomlDocument"/>: values, tables and the text around
/// them, so the document prints back byte for byte.</summary>
/// <remarks>Hand-written over the source string: no regular expressions and no copying of text that is
/// only sliced. Arrays and inline tables are parsed with an explicit stack of open containers, so deep
/// nesting cannot overflow the call stack.</remarks>
internal sealed class TomlParser
{
    const string ControlsButTab =
        "\0\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000a\u000b\u000c\u000d\u000e\u000f" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f\u007f";

    static readonly SearchValues<char> CommentStops = SearchValues.Create(ControlsButTab);
    static readonly SearchValues<char> BasicStringStops = SearchValues.Create(ControlsButTab + "\"\\");
    static readonly SearchValues<char> LiteralStringStops = SearchValues.Create(ControlsButTab + "'");
    static readonly SearchValues<char> MultiLineBasicStops = SearchValues.Create(ControlsButTab.Replace("\n", "") + "\"\\");
    static readonly SearchValues<char> MultiLineLiteralStops = SearchValues.Create(ControlsButTab.Replace("\n", "") + "'");

    /// <summary>An array or inline table whose closing bracket has not been reached yet.</summary>
    struct Frame
    {
        public TomlArray? Array;
        public TomlTable? Table;

        /// <summary>Array: the text before the element being parsed.</summary>
        public Fragment Before;

        /// <summary>Inline table: the entry being parsed, up to its value.</summary>
        public Fragment Leading;
        public KeyPath Key;
        public int KeyStart;
        public int KeyEnd;
        public int ValueStart;
    }

    readonly TomlDocument document;
    readonly SourceText source;
    readonly string text;
    readonly Dictionary<string, string> keyPool = new();
    readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> keyLookup;
    readonly List<KeySegment> segmentScratch = [];
    readonly List<Frame> frames = [];
    int pos;
    int keyEnd;
    int sectionId;
    bool keepSpacing;
    TomlTable currentTable;
    Section currentSection = null!;

    TomlParser(TomlDocument document)
    {
        this.document = document;
        source = document.Source;
        text = source.Text;
        keyLookup = keyPool.GetAlternateLookup<ReadOnlySpan<char>>();
        currentTable = document.Root;
    }

    public static void Parse(TomlDocument document) => new TomlParser(document).ParseDocument();

    /// <summary>Parses a key such as <c>a."b.c".d</c> on its own, for the paths given to edits.</summary>
    /// <exception cref="ArgumentException">The text is not a TOML key.</exception>
    public static KeyPath ParseKeyPath(string key)
    {
        var parser = new TomlParser(new TomlDocument(new SourceText(key, "key")));
        try
        {
            parser.SkipWhitespace();
            var path = parser.ParseKey();
            if (parser.pos != key.Length)
                throw parser.Error(parser.pos, $"unexpected {parser.DescribeCurrent()}");
            return path;
        }
        catch (TomlException error)
        {
            throw new ArgumentException($"'{key}' is not a TOML key: {error.Reason} at column {error.Column}", nameof(key));
        }
    }

    void ParseDocument()
    {
        pos = text.StartsWith('\uFEFF') ? 1 : 0;
        document.Prefix = new Fragment(text, 0, pos);
        var root = document.Root;
        currentSection = new Section(root) { BodyStart = pos, BodyEnd = pos };
        root.Section = currentSection;
        document.Sections.Add(currentSection);
        while (true)
        {
            var leading = pos;
            SkipBlankAndCommentLines();
            if (pos >= text.Length)
            {
                document.Trailer = Slice(leading);
                return;
            }
            if (text[pos] == '[')
                ParseHeader(leading);
            else
                ParseKeyValueLine(leading);
        }
    }

    /// <summary>Reads the text around the elements of a parsed array, for its first edit.</summary>
    public static void ReadSpacing(TomlDocument document, TomlArray array)
    {
        var parser = new TomlParser(document) { pos = array.Offset, keepSpacing = true };
        var copy = (TomlArray)parser.ParseValue();
        array.Spacings = copy.Spacings;
        array.TrailingComma = copy.TrailingComma;
        array.Trailing = copy.Trailing;
    }

    void ParseHeader(int leading)
    {
        var start = pos;
        var isArray = At(pos + 1) == '[';
        pos += isArray ? 2 : 1;
        SkipWhitespace();
        var key = ParseKey();
        if (Peek() != ']')
            throw Error(pos, $"expected ']' to close the table header, found {DescribeCurrent()}");
        pos++;
        if (isArray)
        {
            if (Peek() != ']')
                throw Error(pos, $"expected ']]' to close the array of tables header, found {DescribeCurrent()}");
            pos++;
        }
        var header = Slice(start);
        var trailing = pos;
        ExpectLineEnd("the table header");

        sectionId++;
        var table = isArray ? DefineArrayEntry(key, start) : DefineTable(key, start);
        var section = new Section(table)
        {
            Leading = new Fragment(text, leading, start - leading),
            Header = header,
            Trailing = Slice(trailing),
            BodyStart = pos,
            BodyEnd = pos,
        };
        table.Section = section;
        document.Sections.Add(section);
        currentTable = table;
        currentSection = section;
    }

    void ParseKeyValueLine(int leading)
    {
        var key = ParseKey();
        ExpectEquals(key);
        var value = ParseValue();
        ExpectLineEnd("the value");
        InsertKeyValue(currentTable, key, value, entry: null);
        currentSection.BodyEnd = pos;
    }

    /// <summary>Reads the key/value lines of a section again, this time keeping their text, and links
    /// each to the value already in the document.</summary>
    public static List<KeyValueSyntax> ReadLines(TomlDocument document, Section section)
    {
        var parser = new TomlParser(document) { pos = section.BodyStart };
        var text = parser.text;
        var lines = new List<KeyValueSyntax>();
        while (parser.pos < section.BodyEnd)
        {
            var leading = parser.pos;
            parser.SkipBlankAndCommentLines();
            var keyStart = parser.pos;
            var key = parser.ParseKey();
            var keyEnd = parser.keyEnd;
            parser.ExpectEquals(key);
            var valueStart = parser.pos;
            parser.ParseValue();
            var trailing = parser.pos;
            parser.ExpectLineEnd("the value");

            var owner = section.Table;
            for (var i = 0; i < key.Count - 1; i++)
                owner = (TomlTable)owner.SlotAt(owner.IndexOf(key[i].Name)).Value;
            var slot = owner.SlotAt(owner.IndexOf(key.Last.Name));
            var line = new KeyValueSyntax(
                key.Last.Name,
                new Fragment(text, leading, keyStart - leading),
                new Fragment(text, keyStart, keyEnd - keyStart),
                new Fragment(text, keyEnd, valueStart - keyEnd),
                slot.Value,
                parser.Slice(trailing)) { Owner = owner };
            lines.Add(line);
        }
        return lines;
    }

    void ExpectEquals(KeyPath key)
    {
        if (Peek() != '=')
        {
            throw Error(pos, Peek() is '\n' or '\r' or -1
                ? $"key '{key}' has no value; expected '=' after it"
                : $"expected '=' after key '{key}', found {DescribeCurrent()}");
        }
        pos++;
        SkipWhitespace();
    }

    // ---- semantics: where keys and tables go, and the rules against redefining them

    TomlTable DefineTable(KeyPath key, int headerStart)
    {
        var parent = OpenHeaderParents(key);
        var last = key.Last;
        var at = parent.IndexOf(last.Name);
        if (at < 0)
        {
            var table = new TomlTable(TableOrigin.Header, source, headerStart, parent, last.Name, document) { ExplicitNest = true };
            parent.AddSlot(last.Name, last.Offset, table);
            return table;
        }
        var slot = parent.SlotAt(at);
        if (slot.Value is TomlTable { Origin: TableOrigin.Implicit } existing && !IsClosed(existing))
        {
            existing.Origin = TableOrigin.Header;
            existing.ExplicitNest = true;
            existing.Offset = headerStart;
            return existing;
        }
        throw Error(last.Offset, slot.Value switch
        {
            TomlTable { IsInline: true } => $"key '{key}' is already an inline table (defined at {PositionText(slot.KeyOffset)})",
            TomlTable => $"table '{key}' is already defined at {PositionText(slot.KeyOffset)}",
            TomlArray { IsTableArray: true } => $"'{key}' is already an array of tables (defined at {PositionText(slot.KeyOffset)}); use [[{key}]] to add an entry",
            var value => $"key '{key}' is already {TomlValue.Describe(value.Kind)} (defined at {PositionText(slot.KeyOffset)})",
        });
    }

    TomlTable DefineArrayEntry(KeyPath key, int headerStart)
    {
        var parent = OpenHeaderParents(key);
        var last = key.Last;
        var at = parent.IndexOf(last.Name);
        TomlArray array;
        if (at < 0)
        {
            array = new TomlArray(source, headerStart, isTableArray: true) { Parent = parent, Name = last.Name };
            parent.AddSlot(last.Name, last.Offset, array);
        }
        else if (parent.SlotAt(at).Value is TomlArray { IsTableArray: true } existing)
        {
            array = existing;
        }
        else
        {
            var slot = parent.SlotAt(at);
            throw Error(last.Offset, slot.Value switch
            {
                TomlArray => $"cannot append to '{key}' with [[{key}]]: it is a static array (defined at {PositionText(slot.KeyOffset)})",
                TomlTable { IsInline: false } => $"cannot define '{key}' as an array of tables: it is already a table (defined at {PositionText(slot.KeyOffset)})",
                var value => $"key '{key}' is already {TomlValue.Describe(value.Kind)} (defined at {PositionText(slot.KeyOffset)})",
            });
        }
        var entry = new TomlTable(TableOrigin.ArrayEntry, source, headerStart, parent, last.Name, document)
        {
            ExplicitNest = true,
            HoldingArray = array,
        };
        array.Append(entry);
        return entry;
    }

    /// <summary>Walks a header's key to the table that will hold its last segment, creating implicit
    /// tables on the way and stepping into the last entry of arrays of tables.</summary>
    TomlTable OpenHeaderParents(KeyPath key)
    {
        var table = document.Root;
        for (var i = 0; i < key.Count - 1; i++)
        {
            var segment = key[i];
            var at = table.IndexOf(segment.Name);
            if (at < 0)
            {
                var child = new TomlTable(TableOrigin.Implicit, source, segment.Offset, table, segment.Name, document);
                table.AddSlot(segment.Name, segment.Offset, child);
                table = child;
                continue;
            }
            var slot = table.SlotAt(at);
            switch (slot.Value)
            {
                case TomlTable { IsInline: false } existing:
                    table = existing;
                    break;
                case TomlArray { IsTableArray: true } entries:
                    table = (TomlTable)entries[^1];
                    break;
                default:
                    throw Error(segment.Offset, CannotHoldTableReason(key.Display(i + 1), slot));
            }
        }
        return table;
    }

    /// <summary>Adds a key/value to a section's table, or with its <paramref name="entry"/> to an inline
    /// table, creating the tables that its dotted key names.</summary>
    void InsertKeyValue(TomlTable table, KeyPath key, TomlValue value, KeyValueSyntax? entry)
    {
        var inline = entry is not null;
        var home = table;
        for (var i = 0; i < key.Count - 1; i++)
        {
            var segment = key[i];
            var at = table.IndexOf(segment.Name);
            if (at < 0)
            {
                var child = new TomlTable(TableOrigin.Dotted, source, segment.Offset, table, segment.Name, document)
                {
                    Home = home,
                    PendingSection = inline ? -1 : sectionId,
                };
                table.AddSlot(segment.Name, segment.Offset, child);
                table = child;
                continue;
            }
            var slot = table.SlotAt(at);
            if (slot.Value is TomlTable existing && CanExtendWithDottedKeys(existing, inline))
            {
                if (!inline)
                    existing.PendingSection = sectionId;
                table = existing;
                continue;
            }
            throw Error(segment.Offset, slot.Value is TomlTable { IsInline: false } closed
                ? $"table '{closed.DisplayPath}' is already defined at {PositionText(slot.KeyOffset)}; dotted keys cannot add to it here"
                : CannotHoldTableReason(key.Display(i + 1), slot));
        }

        var last = key.Last;
        var lastAt = table.IndexOf(last.Name);
        if (lastAt >= 0)
            throw Error(last.Offset, $"duplicate key '{key}' (first defined at {PositionText(table.SlotAt(lastAt).KeyOffset)})");
        if (entry is not null)
            entry.Owner = table;
        table.AddSlot(last.Name, last.Offset, value);
        TomlTable.Adopt(table, last.Name, value);
    }

    bool CanExtendWithDottedKeys(TomlTable table, bool inline) => inline
        ? table.Origin == TableOrigin.Dotted
        : table.Origin is TableOrigin.Dotted or TableOrigin.Implicit && !IsClosed(table);

    /// <summary>Whether a table is closed to headers and to dotted keys of the current section: defined
    /// by a header, or opened by dotted keys in an earlier section.</summary>
    bool IsClosed(TomlTable table) =>
        table.ExplicitNest || (table.PendingSection >= 0 && table.PendingSection != sectionId);

    string CannotHoldTableReason(string key, TomlTable.Slot slot) => slot.Value switch
    {
        TomlTable => $"cannot add to '{key}': it is an inline table (defined at {PositionText(slot.KeyOffset)}), and inline tables are complete as written",
        TomlArray { IsTableArray: true } => $"cannot add to '{key}' with dotted keys: it is an array of tables (defined at {PositionText(slot.KeyOffset)})",
        var value => $"key '{key}' is already {TomlValue.Describe(value.Kind)} (defined at {PositionText(slot.KeyOffset)}), not a table",
    };

    // ---- keys

    KeyPath ParseKey()
    {
        var first = ParseKeySegment();
        var end = keyEnd;
        SkipWhitespace();
        if (Peek() != '.')
        {
            keyEnd = end;
            return new KeyPath(first);
        }
        segmentScratch.Clear();
        segmentScratch.Add(first);
        while (Peek() == '.')
        {
            pos++;
            SkipWhitespace();
            segmentScratch.Add(ParseKeySegment());
            end = keyEnd;
            SkipWhitespace();
        }
        keyEnd = end;
        return new KeyPath(segmentScratch.ToArray());
    }

    KeySegment ParseKeySegment()
    {
        var start = pos;
        string name;
        switch (Peek())
        {
            case '"':
                if (At(pos + 1) == '"' && At(pos + 2) == '"')
                    throw Error(pos, "a multi-line string cannot be a key");
                var escapes = ScanBasicString(start);
                name = StringDecoder.Decode(text.AsSpan(start, pos - start), StringStyle.Basic, escapes);
                break;
            case '\'':
                if (At(pos + 1) == '\'' && At(pos + 2) == '\'')
                    throw Error(pos, "a multi-line string cannot be a key");
                ScanLiteralString(start);
                name = text.Substring(start + 1, pos - start - 2);
                break;
            default:
                while (pos < text.Length && TomlFormat.IsBareKeyChar(text[pos]))
                    pos++;
                if (pos == start)
                    throw Error(pos, $"expected a key, found {DescribeCurrent()}");
                name = Intern(text.AsSpan(start, pos - start));
                break;
        }
        keyEnd = pos;
        return new KeySegment(name, start);
    }

    string Intern(ReadOnlySpan<char> key)
    {
        if (keyLookup.TryGetValue(key, out var interned))
            return interned;
        var name = key.ToString();
        keyPool[name] = name;
        return name;
    }

    // ---- values

    TomlValue ParseValue()
    {
        var depth = frames.Count;
        while (true)
        {
            var value = OpenValue();
            while (value is not null)
            {
                if (frames.Count == depth)
                    return value;
                value = frames[^1].Array is not null ? ContinueArray(value) : ContinueInlineTable(value);
            }
        }
    }

    /// <summary>Parses a scalar, or opens an array or inline table (returning null while it waits for
    /// its first element).</summary>
    TomlValue? OpenValue()
    {
        var start = pos;
        switch (Peek())
        {
            case '[':
                pos++;
                var array = new TomlArray(source, start, isTableArray: false);
                if (keepSpacing)
                    array.Spacings = [];
                var before = pos;
                SkipArrayWhitespace();
                if (Peek() == ']')
                {
                    array.Trailing = Slice(before);
                    pos++;
                    array.End = pos;
                    return array;
                }
                frames.Add(new Frame { Array = array, Before = Slice(before) });
                return null;
            case '{':
                pos++;
                var table = new TomlTable(TableOrigin.Inline, source, start, null, "", document);
                var leading = pos;
                SkipWhitespace();
                if (Peek() == '}')
                {
                    table.InlineInterior = Slice(leading);
                    pos++;
                    return table;
                }
                frames.Add(new Frame { Table = table });
                BeginInlineEntry(leading);
                return null;
            default:
                return ParseScalar();
        }
    }

    TomlValue? ContinueArray(TomlValue element)
    {
        ref var frame = ref CollectionsMarshal.AsSpan(frames)[^1];
        var array = frame.Array!;
        var after = pos;
        SkipArrayWhitespace();
        array.Append(element);
        array.Spacings?.Add(new TomlArray.Spacing(frame.Before, Slice(after)));
        TomlArray.Hold(array, element);
        switch (Peek())
        {
            case ',':
                pos++;
                var before = pos;
                SkipArrayWhitespace();
                if (Peek() != ']')
                {
                    frame.Before = Slice(before);
                    return null;
                }
                array.TrailingComma = true;
                array.Trailing = Slice(before);
                pos++;
                break;
            case ']':
                pos++;
                break;
            default:
                throw Error(pos, $"expected ',' or ']' after an array element, found {DescribeCurrent()}");
        }
        array.End = pos;
        frames.RemoveAt(frames.Count - 1);
        return array;
    }

    TomlValue? ContinueInlineTable(TomlValue value)
    {
        var frame = frames[^1];
        var table = frame.Table!;
        var trailing = pos;
        SkipWhitespace();
        var entry = new KeyValueSyntax(
            frame.Key.Last.Name,
            frame.Leading,
            new Fragment(text, frame.KeyStart, frame.KeyEnd - frame.KeyStart),
            new Fragment(text, frame.KeyEnd, frame.ValueStart - frame.KeyEnd),
            value,
            Slice(trailing));
        InsertKeyValue(table, frame.Key, value, entry);
        table.Body!.Add(entry);
        switch (Peek())
        {
            case ',':
                pos++;
                var leading = pos;
                SkipWhitespace();
                if (Peek() == '}')
                    throw Error(pos, "an inline table cannot end with a comma");
                BeginInlineEntry(leading);
                return null;
            case '}':
                pos++;
                frames.RemoveAt(frames.Count - 1);
                return table;
            case '\n' or '\r' or '#':
                throw Error(pos, "an inline table must be written on one line; expected ',' or '}'");
            default:
                throw Error(pos, $"expected ',' or '}}' after an inline table entry, found {DescribeCurrent()}");
        }
    }

    void BeginInlineEntry(int leading)
    {
        var keyStart = pos;
        var key = ParseKey();
        var end = keyEnd;
        ExpectEquals(key);
        ref var frame = ref CollectionsMarshal.AsSpan(frames)[^1];
        frame.Leading = new Fragment(text, leading, keyStart - leading);
        frame.Key = key;
        frame.KeyStart = keyStart;
        frame.KeyEnd = end;
        frame.ValueStart = pos;
    }

    TomlValue ParseScalar()
    {
        var start = pos;
        switch (Peek())
        {
            case '"':
                if (At(pos + 1) == '"' && At(pos + 2) == '"')
                {
                    var multiLineEscapes = ScanMultiLineBasicString(start);
                    return new TomlString(source, start, pos - start, StringStyle.MultiLineBasic, multiLineEscapes);
                }
                var escapes = ScanBasicString(start);
                return new TomlString(source, start, pos - start, StringStyle.Basic, escapes);
            case '\'':
                if (At(pos + 1) == '\'' && At(pos + 2) == '\'')
                {
                    ScanMultiLineLiteralString(start);
                    return new TomlString(source, start, pos - start, StringStyle.MultiLineLiteral, false);
                }
                ScanLiteralString(start);
                return new TomlString(source, start, pos - start, StringStyle.Literal, false);
            case 't' when text.AsSpan(pos).StartsWith("true"):
                pos += 4;
                return new TomlBoolean(source, start, pos - start, true);
            case 'f' when text.AsSpan(pos).StartsWith("false"):
                pos += 5;
                return new TomlBoolean(source, start, pos - start, false);
            case (>= '0' and <= '9') or '+' or '-' or 'i' or 'n':
                return ParseNumberOrDateTime();
            case -1:
                throw Error(pos, "expected a value, found the end of the file");
            case '\n' or '\r' or '#':
                throw Error(pos, "expected a value after '='");
            default:
                var token = Token(start);
                throw Error(pos, token.Length == 0 ? $"expected a value, found {DescribeCurrent()}" : $"invalid value '{token}'");
        }
    }

    // ---- strings

    bool ScanBasicString(int start)
    {
        pos++;
        var escapes = false;
        while (true)
        {
            var stop = text.AsSpan(pos).IndexOfAny(BasicStringStops);
            if (stop < 0)
                throw Error(start, "unterminated string");
            pos += stop;
            switch (text[pos])
            {
                case '"':
                    pos++;
                    return escapes;
                case '\\':
                    ScanEscape(multiLine: false);
                    escapes = true;
                    break;
                case '\n' or '\r':
                    throw Error(start, "unterminated string: a \"...\" string must end on the line it starts; use \"\"\" for text on several lines");
                default:
                    throw Error(pos, $"{DescribeChar(text[pos])} must be escaped in a string");
            }
        }
    }

    bool ScanMultiLineBasicString(int start)
    {
        pos += 3;
        var escapes = false;
        while (true)
        {
            var stop = text.AsSpan(pos).IndexOfAny(MultiLineBasicStops);
            if (stop < 0)
                throw Error(start, "unterminated multi-line string");
            pos += stop;
            switch (text[pos])
            {
                case '"':
                    if (ScanClosingQuotes('"'))
                        return escapes;
                    break;
                case '\\':
                    ScanEscape(multiLine: true);
                    escapes = true;
                    break;
                case '\r' when At(pos + 1) == '\n':
                    pos += 2;
                    break;
                default:
                    throw Error(pos, $"{DescribeChar(text[pos])} must be escaped in a string");
            }
        }
    }

    void ScanLiteralString(int start)
    {
        pos++;
        var stop = text.AsSpan(pos).IndexOfAny(LiteralStringStops);
        if (stop < 0)
            throw Error(start, "unterminated string");
        pos += stop;
        switch (text[pos])
        {
            case '\'':
                pos++;
                return;
            case '\n' or '\r':
                throw Error(start, "unterminated string: a '...' string must end on the line it starts; use ''' for text on several lines");
            default:
                throw Error(pos, $"{DescribeChar(text[pos])} is not allowed in a literal string");
        }
    }

    void ScanMultiLineLiteralString(int start)
    {
        pos += 3;
        while (true)
        {
            var stop = text.AsSpan(pos).IndexOfAny(MultiLineLiteralStops);
            if (stop < 0)
                throw Error(start, "unterminated multi-line string");
            pos += stop;
            switch (text[pos])
            {
                case '\'':
                    if (ScanClosingQuotes('\''))
                        return;
                    break;
                case '\r' when At(pos + 1) == '\n':
                    pos += 2;
                    break;
                default:
                    throw Error(pos, $"{DescribeChar(text[pos])} is not allowed in a literal string");
            }
        }
    }

    /// <summary>At a quote inside a multi-line string: one or two quotes are text; three close the
    /// string, and up to two more just before them are still text.</summary>
    bool ScanClosingQuotes(char quote)
    {
        var run = 0;
        while (At(pos + run) == quote)
            run++;
        if (run > 5)
            throw Error(pos + 5, $"too many {quote} characters at the end of a multi-line string");
        pos += run;
        return run >= 3;
    }

    void ScanEscape(bool multiLine)
    {
        var start = pos;
        pos++;
        switch (Peek())
        {
            case 'b' or 't' or 'n' or 'f' or 'r' or '"' or '\\':
                pos++;
                return;
            case 'u':
                ScanUnicodeEscape(start, 4);
                return;
            case 'U':
                ScanUnicodeEscape(start, 8);
                return;
            case ' ' or '\t' or '\n' or '\r' when multiLine && IsLineEndingBackslash():
                return;
            case -1:
                throw Error(start, "a backslash at the end of the file");
            case var c when c <= ' ' || c == '\u007f':
                throw Error(start, $"a backslash followed by {DescribeChar((char)c)} is not a valid escape sequence");
            case var c:
                throw Error(start, $"invalid escape sequence '\\{(char)c}'");
        }
    }

    /// <summary>A backslash followed by spaces and a newline joins lines: skips to the next text.</summary>
    bool IsLineEndingBackslash()
    {
        var at = pos;
        while (At(at) is ' ' or '\t')
            at++;
        if (At(at) != '\n' && !(At(at) == '\r' && At(at + 1) == '\n'))
            return false;
        pos = at;
        while (true)
        {
            switch (Peek())
            {
                case ' ' or '\t' or '\n':
                    pos++;
                    break;
                case '\r' when At(pos + 1) == '\n':
                    pos += 2;
                    break;
                default:
                    return true;
            }
        }
    }

    void ScanUnicodeEscape(int start, int digits)
    {
        pos++;
        if (pos + digits > text.Length || !int.TryParse(text.AsSpan(pos, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var codePoint))
            throw Error(start, $"invalid escape sequence: \\{text[start + 1]} needs {digits} hexadecimal digits");
        if (codePoint is >= 0xD800 and <= 0xDFFF || (uint)codePoint > 0x10FFFF)
            throw Error(start, $"invalid escape sequence '{text.AsSpan(start, digits + 2)}': not a Unicode scalar value");
        pos += digits;
    }

    // ---- numbers, dates and times

    TomlValue ParseNumberOrDateTime()
    {
        var start = pos;
        if (IsDigit(At(pos)) && IsDigit(At(pos + 1)))
        {
            if (IsDigit(At(pos + 2)) && IsDigit(At(pos + 3)) && At(pos + 4) == '-')
                return ParseDateOrDateTime();
            if (At(pos + 2) == ':')
            {
                var time = ParseTimeOfDay(start);
                return new TomlLocalTime(source, start, pos - start, time);
            }
        }
        while (pos < text.Length && (char.IsAsciiLetterOrDigit(text[pos]) || text[pos] is '_' or '.' or '+' or '-'))
            pos++;
        var token = text.AsSpan(start, pos - start);
        var raw = pos - start;

        var unsigned = token[0] is '+' or '-' ? token[1..] : token;
        var negative = token[0] == '-';
        if (unsigned is "inf")
            return new TomlFloat(source, start, raw, negative ? double.NegativeInfinity : double.PositiveInfinity);
        if (unsigned is "nan")
            return new TomlFloat(source, start, raw, double.NaN);
        if (unsigned.Length > 1 && unsigned[0] == '0' && unsigned[1] is 'x' or 'o' or 'b')
        {
            if (unsigned.Length != token.Length)
                throw Error(start, $"invalid number '{token}': hexadecimal, octal and binary integers cannot have a sign");
            var radix = unsigned[1] switch { 'x' => 16, 'o' => 8, _ => 2 };
            return new TomlInteger(source, start, raw, ParseRadixInteger(start, token, radix));
        }

        var at = token.Length - unsigned.Length;
        var integerStart = at;
        if (!ScanDigits(token, ref at))
            throw Error(start, $"invalid number '{token}'");
        if (token[integerStart] == '0' && at - integerStart > 1)
            throw Error(start, $"invalid number '{token}': leading zeros are not allowed");
        var isFloat = false;
        if (at < token.Length && token[at] == '.')
        {
            at++;
            if (!ScanDigits(token, ref at))
                throw Error(start, $"invalid number '{token}': a decimal point must have digits on both sides");
            isFloat = true;
        }
        if (at < token.Length && token[at] is 'e' or 'E')
        {
            at++;
            if (at < token.Length && token[at] is '+' or '-')
                at++;
            if (!ScanDigits(token, ref at))
                throw Error(start, $"invalid number '{token}': an exponent needs digits");
            isFloat = true;
        }
        if (at != token.Length)
            throw Error(start, $"invalid number '{token}'");

        Span<char> digits = token.Length <= 128 ? stackalloc char[token.Length] : new char[token.Length];
        var length = 0;
        foreach (var c in token)
        {
            if (c != '_')
                digits[length++] = c;
        }
        digits = digits[..length];
        if (isFloat)
            return new TomlFloat(source, start, raw, double.Parse(digits, NumberStyles.Float, CultureInfo.InvariantCulture));
        if (!long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
            throw Error(start, $"integer '{token}' is out of range for a 64-bit integer");
        return new TomlInteger(source, start, raw, integer);
    }

    /// <summary>Digits with single underscores between them; false when there is no digit first.</summary>
    static bool ScanDigits(ReadOnlySpan<char> token, ref int at)
    {
        if (at >= token.Length || !char.IsAsciiDigit(token[at]))
            return false;
        at++;
        while (at < token.Length)
        {
            if (char.IsAsciiDigit(token[at]))
                at++;
            else if (token[at] == '_' && at + 1 < token.Length && char.IsAsciiDigit(token[at + 1]))
                at += 2;
            else
                break;
        }
        return true;
    }

    long ParseRadixInteger(int start, ReadOnlySpan<char> token, int radix)
    {
        var digits = token[2..];
        ulong value = 0;
        var previousWasDigit = false;
        for (var i = 0; i < digits.Length; i++)
        {
            var c = digits[i];
            if (c == '_' && previousWasDigit && i + 1 < digits.Length && digits[i + 1] != '_')
            {
                previousWasDigit = false;
                continue;
            }
            var digit = char.IsAsciiDigit(c) ? c - '0' : char.IsAsciiHexDigit(c) ? (c | 0x20) - 'a' + 10 : radix;
            if (digit >= radix)
                throw Error(start, $"invalid number '{token}'");
            if (value > (ulong)(long.MaxValue - digit) / (ulong)radix)
                throw Error(start, $"integer '{token}' is out of range for a 64-bit integer");
            value = value * (ulong)radix + (ulong)digit;
            previousWasDigit = true;
        }
        if (!previousWasDigit)
            throw Error(start, $"invalid number '{token}'");
        return (long)value;
    }

    TomlValue ParseDateOrDateTime()
    {
        var start = pos;
        var year = ReadDigits(start, 4);
        ExpectDateTimeChar(start, '-');
        var month = ReadDigits(start, 2);
        ExpectDateTimeChar(start, '-');
        var day = ReadDigits(start, 2);
        if (month is < 1 or > 12)
            throw Error(start, $"invalid date '{Token(start)}': the month must be 01 to 12");
        if (year < 1 || day < 1 || day > DateTime.DaysInMonth(year, month))
            throw Error(start, $"invalid date '{Token(start)}': {year:0000}-{month:00} has no day {day:00}");
        var date = new DateOnly(year, month, day);

        var separator = Peek();
        var hasTime = separator is 'T' or 't'
            || (separator == ' ' && IsDigit(At(pos + 1)) && IsDigit(At(pos + 2)) && At(pos + 3) == ':');
        if (!hasTime)
            return new TomlLocalDate(source, start, pos - start, date);
        pos++;
        var time = ParseTimeOfDay(start);
        var localDateTime = date.ToDateTime(time);

        TimeSpan offset;
        switch (Peek())
        {
            case 'Z' or 'z':
                pos++;
                offset = TimeSpan.Zero;
                break;
            case '+' or '-':
                var sign = Peek() == '-' ? -1 : 1;
                pos++;
                var hours = ReadDigits(start, 2);
                ExpectDateTimeChar(start, ':');
                var minutes = ReadDigits(start, 2);
                if (hours > 23 || minutes > 59)
                    throw Error(start, $"invalid date-time '{Token(start)}': the offset must be between -23:59 and +23:59");
                offset = sign * new TimeSpan(hours, minutes, 0);
                break;
            default:
                return new TomlLocalDateTime(source, start, pos - start, localDateTime);
        }
        try
        {
            return new TomlOffsetDateTime(source, start, pos - start, new DateTimeOffset(localDateTime, offset));
        }
        catch (ArgumentOutOfRangeException)
        {
            throw Error(start, $"date-time '{Token(start)}' is out of range");
        }
    }

    TimeOnly ParseTimeOfDay(int start)
    {
        var hour = ReadDigits(start, 2);
        ExpectDateTimeChar(start, ':');
        var minute = ReadDigits(start, 2);
        ExpectDateTimeChar(start, ':');
        var second = ReadDigits(start, 2);
        if (hour > 23 || minute > 59 || second > 59)
            throw Error(start, $"invalid time '{Token(start)}': hours must be 00 to 23, minutes and seconds 00 to 59");
        long ticks = 0;
        if (Peek() == '.')
        {
            pos++;
            var digits = 0;
            while (IsDigit(Peek()))
            {
                // Precision beyond 100 ns is truncated, as the specification allows.
                if (digits < 7)
                    ticks = ticks * 10 + (text[pos] - '0');
                digits++;
                pos++;
            }
            if (digits == 0)
                throw Error(start, $"invalid time '{Token(start)}': a decimal point must be followed by digits");
            for (; digits < 7; digits++)
                ticks *= 10;
        }
        return new TimeOnly(hour, minute, second).Add(TimeSpan.FromTicks(ticks));
    }

    int ReadDigits(int start, int count)
    {
        var value = 0;
        for (var i = 0; i < count; i++)
        {
            if (!IsDigit(Peek()))
                throw Error(start, $"invalid date-time '{Token(start)}'");
            value = value * 10 + (text[pos++] - '0');
        }
        return value;
    }

    void ExpectDateTimeChar(int start, char expected)
    {
        if (Peek() != expected)
            throw Error(start, $"invalid date-time '{Token(start)}'");
        pos++;
    }

    // ---- whitespace, comments and line ends

    void SkipWhitespace()
    {
        while (pos < text.Length && text[pos] is ' ' or '\t')
            pos++;
    }

    void SkipBlankAndCommentLines()
    {
        while (pos < text.Length)
        {
            switch (text[pos])
            {
                case ' ' or '\t' or '\n':
                    pos++;
                    break;
                case '\r':
                    SkipCarriageReturn();
                    break;
                case '#':
                    SkipComment();
                    break;
                default:
                    return;
            }
        }
    }

    /// <summary>Inside an array, newlines and comments may stand between the elements.</summary>
    void SkipArrayWhitespace() => SkipBlankAndCommentLines();

    void SkipComment()
    {
        var stop = text.AsSpan(pos + 1).IndexOfAny(CommentStops);
        if (stop < 0)
        {
            pos = text.Length;
            return;
        }
        pos += 1 + stop;
        if (text[pos] == '\n' || (text[pos] == '\r' && At(pos + 1) == '\n'))
            return;
        throw Error(pos, $"{DescribeChar(text[pos])} is not allowed in a comment");
    }

    void SkipCarriageReturn()
    {
        if (At(pos + 1) != '\n')
            throw Error(pos, "a carriage return must be followed by a newline");
        pos += 2;
    }

    void ExpectLineEnd(string after)
    {
        SkipWhitespace();
        if (Peek() == '#')
            SkipComment();
        switch (Peek())
        {
            case -1:
                return;
            case '\n':
                pos++;
                return;
            case '\r':
                SkipCarriageReturn();
                return;
            default:
                throw Error(pos, $"expected a newline after {after}, found {DescribeCurrent()}");
        }
    }

    // ---- helpers

    int Peek() => pos < text.Length ? text[pos] : -1;

    int At(int index) => index < text.Length ? text[index] : -1;

    static bool IsDigit(int c) => c is >= '0' and <= '9';

    Fragment Slice(int start) => new(text, start, pos - start);

    /// <summary>The text of a malformed value, up to where a value would end, for error messages.</summary>
    string Token(int start)
    {
        var end = start;
        while (end < text.Length && text[end] is not (' ' or '\t' or '\n' or '\r' or ',' or ']' or '}' or '#'))
            end++;
        return text[start..end];
    }

    string DescribeCurrent() => pos >= text.Length ? "the end of the file" : DescribeChar(text[pos]);

    static string DescribeChar(char c) => c switch
    {
        '\n' => "a newline",
        '\r' => "a carriage return",
        '\t' => "a tab",
        '\uFEFF' => "a byte order mark",
        < ' ' or '\u007f' => $"control character U+{(int)c:X4}",
        _ when char.IsWhiteSpace(c) => $"whitespace character U+{(int)c:X4}",
        _ when char.IsSurrogate(c) => $"character U+{(int)c:X4}",
        _ => $"'{c}'",
    };

    string PositionText(int offset)
    {
        var (line, column) = source.PositionOf(offset);
        return $"{line}:{column}";
    }

    TomlException Error(int offset, string reason) => new(TomlValue.ErrorAt(source, offset, reason));
}
