using System.Globalization;

namespace Runbook;

/// <summary>Turns the text of a parameter's value(s) into the member's type, or says which parameter and type did not fit.</summary>
internal static class ValueConverter
{
    /// <param name="relativeTo">The folder relative paths are resolved against (current folder on the command line, root in files).</param>
    public static object? Convert(BuildParameter parameter, IReadOnlyList<string> values, string relativeTo, string source)
    {
        if (parameter.Type.IsArray)
        {
            var array = Array.CreateInstanceFromArrayType(parameter.Type, values.Count);
            for (var i = 0; i < values.Count; i++)
                array.SetValue(ConvertOne(parameter, values[i], relativeTo, source), i);
            return array;
        }
        return values.Count switch
        {
            0 when parameter.IsFlag => true,
            0 => throw new UsageException($"{parameter.Flag} needs a value ({Describe(parameter.ElementType)}){From(source)}"),
            1 => ConvertOne(parameter, values[0], relativeTo, source),
            _ => throw new UsageException(
                $"{parameter.Flag} takes one value but got {values.Count}: {string.Join(" ", values.Select(v => $"'{Shown(parameter, v)}'"))}{From(source)}; quote a value that contains spaces"),
        };
    }

    private static object ConvertOne(BuildParameter parameter, string text, string relativeTo, string source)
    {
        var type = parameter.ElementType;
        object? value = type switch
        {
            _ when type == typeof(string) => text,
            _ when type == typeof(AbsolutePath) => text.Length > 0 ? AbsolutePath.Create(text, relativeTo) : null,
            _ when type == typeof(bool) => bool.TryParse(text, out var b) ? b : null,
            _ when type == typeof(int) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : null,
            _ when type == typeof(long) => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? l : null,
            _ when type == typeof(double) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null,
            _ when type.IsEnum => ParseEnum(type, text),
            _ => throw new InvalidOperationException($"{parameter.Flag}: parameters of type {type.Name} are not supported"),
        };
        return value ?? throw new UsageException($"{parameter.Flag}: '{Shown(parameter, text)}' is not {Describe(type)}{From(source)}");
    }

    private static object? ParseEnum(Type type, string text)
    {
        var wanted = Names.Normalize(text);
        return Enum.GetNames(type).FirstOrDefault(n => Names.Normalize(n) == wanted) is { } name ? Enum.Parse(type, name) : null;
    }

    public static string Describe(Type type) => type switch
    {
        _ when type == typeof(bool) => "true or false",
        _ when type == typeof(int) || type == typeof(long) => "a whole number",
        _ when type == typeof(double) => "a number",
        _ when type == typeof(AbsolutePath) => "a path",
        _ when type.IsEnum => "one of " + string.Join(", ", Enum.GetNames(type).Select(Names.ToKebabCase)),
        _ => "a text",
    };

    private static string Shown(BuildParameter parameter, string text) => parameter.IsSecret ? "***" : text;

    private static string From(string source) => source.Length == 0 ? "" : $" (from {source})";
}
