using System.Globalization;
using System.Text.Json;
using Engine.Toml;

/// <summary>Writes values the way toml-test expects them: tables as objects, arrays as arrays, and
/// every scalar as <c>{"type": ..., "value": ...}</c> with its value as a string.</summary>
static class TaggedJson
{
    /// <remarks>Walks with an explicit stack, so documents nested thousands of levels deep print too.</remarks>
    public static void Write(Utf8JsonWriter writer, TomlValue root)
    {
        var open = new Stack<(IEnumerator<(string? Key, TomlValue Value)> Children, bool IsArray)>();
        Start(writer, open, null, root);
        while (open.TryPeek(out var container))
        {
            if (container.Children.MoveNext())
            {
                Start(writer, open, container.Children.Current.Key, container.Children.Current.Value);
                continue;
            }
            open.Pop();
            if (container.IsArray)
                writer.WriteEndArray();
            else
                writer.WriteEndObject();
        }
    }

    /// <summary>Writes a scalar whole, or opens a table or array and pushes its children.</summary>
    static void Start(Utf8JsonWriter writer, Stack<(IEnumerator<(string? Key, TomlValue Value)> Children, bool IsArray)> open, string? key, TomlValue value)
    {
        if (key is not null)
            writer.WritePropertyName(key);
        switch (value)
        {
            case TomlTable table:
                writer.WriteStartObject();
                open.Push((table.Select(entry => ((string?)entry.Key, entry.Value)).GetEnumerator(), false));
                break;
            case TomlArray array:
                writer.WriteStartArray();
                open.Push((array.Select(element => ((string?)null, element)).GetEnumerator(), true));
                break;
            default:
                writer.WriteStartObject();
                writer.WriteString("type", TypeOf(value.Kind));
                writer.WriteString("value", ValueOf(value));
                writer.WriteEndObject();
                break;
        }
    }

    static string TypeOf(TomlKind kind) => kind switch
    {
        TomlKind.String => "string",
        TomlKind.Integer => "integer",
        TomlKind.Float => "float",
        TomlKind.Boolean => "bool",
        TomlKind.OffsetDateTime => "datetime",
        TomlKind.LocalDateTime => "datetime-local",
        TomlKind.LocalDate => "date-local",
        _ => "time-local",
    };

    static string ValueOf(TomlValue value) => value switch
    {
        TomlString text => text.Value,
        TomlInteger integer => integer.Value.ToString(CultureInfo.InvariantCulture),
        TomlFloat number => FormatFloat(number.Value),
        TomlBoolean boolean => boolean.Value ? "true" : "false",
        // Date-times keep their written precision; only the spellings TOML allows beyond RFC 3339
        // (a space or 't' between date and time, a lowercase 'z') are normalised.
        _ => value.ToString().Replace(' ', 'T').Replace('t', 'T').Replace('z', 'Z'),
    };

    static string FormatFloat(double value) =>
        double.IsNaN(value) ? "nan"
        : double.IsPositiveInfinity(value) ? "inf"
        : double.IsNegativeInfinity(value) ? "-inf"
        : value.ToString("R", CultureInfo.InvariantCulture);
}
