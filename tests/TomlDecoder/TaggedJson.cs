using System.Globalization;
using System.Text.Json;
using Engine.Toml;

/// <summary>Writes values the way toml-test expects them: tables as objects, arrays as arrays, and
/// every scalar as <c>{"type": ..., "value": ...}</c> with its value as a string.</summary>
static class TaggedJson
{
    public static void Write(Utf8JsonWriter writer, TomlValue value)
    {
        switch (value)
        {
            case TomlTable table:
                writer.WriteStartObject();
                foreach (var entry in table)
                {
                    writer.WritePropertyName(entry.Key);
                    Write(writer, entry.Value);
                }
                writer.WriteEndObject();
                break;
            case TomlArray array:
                writer.WriteStartArray();
                foreach (var element in array)
                    Write(writer, element);
                writer.WriteEndArray();
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
