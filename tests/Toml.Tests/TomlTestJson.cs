using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Engine.Toml.Tests;

/// <summary>Compares a parsed document with toml-test's expected tagged JSON, the way toml-test does:
/// floats numerically (nan equals nan, infinities by sign), date-times as instants or as local values
/// after normalisation, everything else by its exact text.</summary>
public static partial class TomlTestJson
{
    /// <summary>Null when equal, else where and how they differ.</summary>
    public static string? Difference(JsonElement expected, TomlValue actual, string path = "")
    {
        switch (expected.ValueKind)
        {
            case JsonValueKind.Array:
                if (actual is not TomlArray array)
                    return $"{path}: expected an array, found {actual.Kind}";
                if (array.Count != expected.GetArrayLength())
                    return $"{path}: expected {expected.GetArrayLength()} elements, found {array.Count}";
                return expected.EnumerateArray()
                    .Select((element, i) => Difference(element, array[i], $"{path}[{i}]"))
                    .FirstOrDefault(difference => difference is not null);
            case JsonValueKind.Object when !IsTagged(expected):
                if (actual is not TomlTable table)
                    return $"{path}: expected a table, found {actual.Kind}";
                var keys = expected.EnumerateObject().Select(property => property.Name).ToList();
                if (!keys.Order(StringComparer.Ordinal).SequenceEqual(table.Keys.Order(StringComparer.Ordinal)))
                    return $"{path}: expected keys [{string.Join(", ", keys)}], found [{string.Join(", ", table.Keys)}]";
                return expected.EnumerateObject()
                    .Select(property => Difference(property.Value, table[property.Name], $"{path}.{property.Name}"))
                    .FirstOrDefault(difference => difference is not null);
            default:
                var type = expected.GetProperty("type").GetString()!;
                var value = expected.GetProperty("value").GetString()!;
                return ScalarMatches(type, value, actual) ? null : $"{path}: expected {type} '{value}', found {actual.Kind} '{actual}'";
        }
    }

    static bool IsTagged(JsonElement element) =>
        element.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
        && element.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.String
        && element.EnumerateObject().Count() == 2;

    static bool ScalarMatches(string type, string value, TomlValue actual) => (type, actual) switch
    {
        ("string", TomlString text) => text.Value == value,
        ("integer", TomlInteger integer) => long.Parse(value, CultureInfo.InvariantCulture) == integer.Value,
        ("float", TomlFloat number) => FloatMatches(value, number.Value),
        ("bool", TomlBoolean boolean) => value == (boolean.Value ? "true" : "false"),
        ("datetime", TomlOffsetDateTime dateTime) => ParseDateTime(value) is { Offset: { } offset } expected
            && new DateTimeOffset(expected.Local, offset) == dateTime.Value,
        ("datetime-local", TomlLocalDateTime dateTime) => ParseDateTime(value) is { Offset: null } expected
            && expected.Local == dateTime.Value,
        ("date-local", TomlLocalDate date) => DateOnly.ParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture) == date.Value,
        ("time-local", TomlLocalTime time) => ParseDateTime("0001-01-01T" + value) is { Offset: null } expected
            && TimeOnly.FromDateTime(expected.Local) == time.Value,
        _ => false,
    };

    static bool FloatMatches(string expected, double actual) => expected switch
    {
        "nan" or "+nan" or "-nan" => double.IsNaN(actual),
        "inf" or "+inf" => double.IsPositiveInfinity(actual),
        "-inf" => double.IsNegativeInfinity(actual),
        _ => double.Parse(expected, CultureInfo.InvariantCulture) == actual,
    };

    [GeneratedRegex(@"^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})?$")]
    private static partial Regex DateTimePattern();

    /// <summary>Fractions beyond 100 ns are truncated, as the parser does.</summary>
    static (DateTime Local, TimeSpan? Offset)? ParseDateTime(string text)
    {
        var match = DateTimePattern().Match(text);
        if (!match.Success)
            return null;
        var date = DateOnly.ParseExact(match.Groups[1].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var fraction = match.Groups[5].Value.PadRight(7, '0')[..7];
        var time = new TimeOnly(int.Parse(match.Groups[2].Value), int.Parse(match.Groups[3].Value), int.Parse(match.Groups[4].Value))
            .Add(TimeSpan.FromTicks(long.Parse(fraction, CultureInfo.InvariantCulture)));
        var offsetText = match.Groups[6].Value;
        TimeSpan? offset = offsetText switch
        {
            "" => null,
            "Z" or "z" => TimeSpan.Zero,
            _ => (offsetText[0] == '-' ? -1 : 1) * TimeSpan.ParseExact(offsetText[1..], @"hh\:mm", CultureInfo.InvariantCulture),
        };
        return (date.ToDateTime(time), offset);
    }
}
