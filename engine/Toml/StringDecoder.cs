using System.Globalization;
using System.Text;

namespace Engine.Toml;

/// <summary>Turns the spelling of a string that the parser has already validated into its text.</summary>
internal static class StringDecoder
{
    public static string Decode(ReadOnlySpan<char> raw, StringStyle style, bool hasEscapes)
    {
        var multiLine = style is StringStyle.MultiLineBasic or StringStyle.MultiLineLiteral;
        var delimiter = multiLine ? 3 : 1;
        var content = raw[delimiter..^delimiter];
        if (multiLine)
            content = SkipFirstNewline(content);
        if (!hasEscapes)
            return new string(content);
        return Unescape(content);
    }

    static ReadOnlySpan<char> SkipFirstNewline(ReadOnlySpan<char> content) =>
        content.StartsWith("\r\n") ? content[2..] : content.StartsWith("\n") ? content[1..] : content;

    static string Unescape(ReadOnlySpan<char> content)
    {
        var builder = new StringBuilder(content.Length);
        var at = 0;
        while (at < content.Length)
        {
            var backslash = content[at..].IndexOf('\\');
            if (backslash < 0)
            {
                builder.Append(content[at..]);
                break;
            }
            builder.Append(content.Slice(at, backslash));
            at += backslash + 1;
            var escape = content[at++];
            switch (escape)
            {
                case 'b': builder.Append('\b'); break;
                case 't': builder.Append('\t'); break;
                case 'n': builder.Append('\n'); break;
                case 'f': builder.Append('\f'); break;
                case 'r': builder.Append('\r'); break;
                case '"': builder.Append('"'); break;
                case '\\': builder.Append('\\'); break;
                case 'u':
                    builder.Append(char.ConvertFromUtf32(int.Parse(content.Slice(at, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
                    at += 4;
                    break;
                case 'U':
                    builder.Append(char.ConvertFromUtf32(int.Parse(content.Slice(at, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
                    at += 8;
                    break;
                default:
                    // A backslash at the end of a line: drop it with all whitespace and newlines after it.
                    while (at < content.Length && content[at] is ' ' or '\t' or '\r' or '\n')
                        at++;
                    break;
            }
        }
        return builder.ToString();
    }
}
