using System.Globalization;
using System.Text;

namespace Engine.Toml;

/// <summary>Spells values created in code as valid TOML.</summary>
internal static class TomlFormat
{
    public static string QuoteString(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\b': builder.Append("\\b"); break;
                case '\t': builder.Append("\\t"); break;
                case '\n': builder.Append("\\n"); break;
                case '\f': builder.Append("\\f"); break;
                case '\r': builder.Append("\\r"); break;
                case < ' ' or '\u007f': builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture)); break;
                default: builder.Append(c); break;
            }
        }
        return builder.Append('"').ToString();
    }

    public static string FormatKey(string key) => IsBareKey(key) ? key : QuoteString(key);

    public static string FormatKeyPath(IEnumerable<string> keys) => string.Join('.', keys.Select(FormatKey));

    public static bool IsBareKey(ReadOnlySpan<char> key)
    {
        if (key.IsEmpty)
            return false;
        foreach (var c in key)
        {
            if (!IsBareKeyChar(c))
                return false;
        }
        return true;
    }

    public static bool IsBareKeyChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-';

    public static string FormatInteger(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string FormatFloat(double value)
    {
        if (double.IsNaN(value))
            return "nan";
        if (double.IsInfinity(value))
            return value > 0 ? "inf" : "-inf";
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.AsSpan().ContainsAny('.', 'E') ? text : text + ".0";
    }

    public static string FormatOffsetDateTime(DateTimeOffset value)
    {
        var local = FormatLocalDateTime(value.DateTime);
        if (value.Offset == TimeSpan.Zero)
            return local + "Z";
        var sign = value.Offset < TimeSpan.Zero ? '-' : '+';
        var offset = value.Offset.Duration();
        return $"{local}{sign}{offset.Hours:00}:{offset.Minutes:00}";
    }

    public static string FormatLocalDateTime(DateTime value) =>
        FormatLocalDate(DateOnly.FromDateTime(value)) + "T" + FormatLocalTime(TimeOnly.FromDateTime(value));

    public static string FormatLocalDate(DateOnly value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string FormatLocalTime(TimeOnly value)
    {
        var seconds = value.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        var fraction = value.Ticks % TimeSpan.TicksPerSecond;
        return fraction == 0
            ? seconds
            : seconds + "." + fraction.ToString("0000000", CultureInfo.InvariantCulture).TrimEnd('0');
    }
}
