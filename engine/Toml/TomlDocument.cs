using System.Text;
using System.Text.Unicode;

namespace Engine.Toml;

/// <summary>A parsed TOML file that keeps its formatting: <see cref="ToString"/> gives back the exact
/// text that was read, and edits change only the lines they concern.</summary>
public sealed partial class TomlDocument
{
    internal readonly List<Section> Sections = [];

    /// <summary>A byte order mark at the start of the file, kept so it prints back.</summary>
    internal Fragment Prefix;

    /// <summary>Blank and comment lines after the last key or header.</summary>
    internal Fragment Trailer;

    internal TomlDocument(SourceText source)
    {
        Source = source;
        Root = new TomlTable(TableOrigin.Root, source, 0, null, "", this) { ExplicitNest = true };
        NewLine = DetectNewLine(source.Text);
    }

    internal SourceText Source { get; }

    public TomlTable Root { get; }

    /// <summary>The name given at parse time, used in every error message.</summary>
    public string FileName => Source.FileName;

    /// <summary>The file's newline, <c>"\n"</c> or <c>"\r\n"</c>, used for every line an edit adds.</summary>
    public string NewLine { get; }

    /// <summary>Parses TOML text. <paramref name="fileName"/> is only used in error messages.</summary>
    /// <exception cref="TomlException">The text is not valid TOML 1.0.</exception>
    public static TomlDocument Parse(string text, string fileName)
    {
        var document = new TomlDocument(new SourceText(text, fileName));
        TomlParser.Parse(document);
        return document;
    }

    /// <summary>Parses UTF-8 bytes, rejecting invalid UTF-8 with its position.</summary>
    /// <exception cref="TomlException">The bytes are not valid UTF-8, or not valid TOML 1.0.</exception>
    public static TomlDocument Parse(ReadOnlySpan<byte> utf8, string fileName)
    {
        if (!Utf8.IsValid(utf8))
            throw new TomlException(InvalidUtf8Error(utf8, fileName));
        return Parse(Encoding.UTF8.GetString(utf8), fileName);
    }

    /// <summary>Reads and parses a file; errors name the file by <paramref name="path"/> as given.</summary>
    public static TomlDocument Load(string path) => Parse(File.ReadAllBytes(path), path);

    /// <summary>The document as TOML text: the exact text that was read, with edits applied.</summary>
    public override string ToString() => Renderer.Render(this);

    /// <summary>A section's key/value lines, read from the source the first time an edit needs them.</summary>
    internal List<KeyValueSyntax> LinesOf(Section section) => section.Lines ??= TomlParser.ReadLines(this, section);

    static TomlError InvalidUtf8Error(ReadOnlySpan<byte> utf8, string fileName)
    {
        var decoded = new char[utf8.Length];
        Utf8.ToUtf16(utf8, decoded, out var validBytes, out var validChars, replaceInvalidSequences: false);
        var prefix = decoded.AsSpan(0, validChars);
        var line = prefix.Count('\n') + 1;
        var column = validChars - (prefix.LastIndexOf('\n') + 1) + 1;
        return new TomlError(fileName, line, column, $"invalid UTF-8 byte 0x{utf8[validBytes]:X2}; the file must be UTF-8 encoded");
    }

    static string DetectNewLine(string text)
    {
        var newline = text.IndexOf('\n');
        return newline > 0 && text[newline - 1] == '\r' ? "\r\n" : "\n";
    }
}
