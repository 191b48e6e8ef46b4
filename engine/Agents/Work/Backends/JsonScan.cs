using System.Text;
using System.Text.Json;

namespace Engine.Agents.Work.Backends;

/// <summary>Finds JSON objects inside free text: an agent's answer may wrap them in prose or a code fence.</summary>
internal static class JsonScan
{
    private const int LongestText = 4 * 1024 * 1024;

    /// <summary>The first object in <paramref name="text"/> that has <paramref name="property"/> of the given kind (a clone, free of the text).</summary>
    public static JsonElement? FirstObjectWith(string text, string property, JsonValueKind kind)
    {
        var bytes = Encoding.UTF8.GetBytes(text.Length > LongestText ? text[..LongestText] : text);
        var at = 0;
        while ((at = Array.IndexOf(bytes, (byte)'{', at)) >= 0)
        {
            var reader = new Utf8JsonReader(bytes.AsSpan(at), isFinalBlock: true, state: default);
            if (!TryRead(ref reader, out var document))
            {
                at++;
                continue;
            }
            using (document)
            {
                var root = document.RootElement;
                if (root.TryGetProperty(property, out var value) && value.ValueKind == kind)
                    return root.Clone();
            }
            // A whole object that is not the one: skip it rather than look inside it.
            at += (int)reader.BytesConsumed;
        }
        return null;
    }

    private static bool TryRead(ref Utf8JsonReader reader, out JsonDocument document)
    {
        try
        {
            return JsonDocument.TryParseValue(ref reader, out document!);
        }
        catch (JsonException)
        {
            document = null!;
            return false;
        }
    }

    /// <summary>Each line of <paramref name="output"/> that is a JSON object, parsed; other lines are skipped.</summary>
    public static IEnumerable<JsonElement> ObjectLines(string output)
    {
        foreach (var raw in output.Split('\n'))
        {
            var line = raw.Trim();
            if (!line.StartsWith('{'))
                continue;
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(line);
            }
            catch (JsonException)
            {
                continue;
            }
            using (document)
                if (document.RootElement.ValueKind == JsonValueKind.Object)
                    yield return document.RootElement.Clone();
        }
    }

    public static string? String(this JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static double? Number(this JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    public static long Count(this JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var count) ? count : 0;

    public static bool? Boolean(this JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;
}
