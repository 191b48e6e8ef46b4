using System.Text;

namespace Engine.Toml.Tests;

/// <summary>A document's data as text, without its formatting, to check that an edited document
/// parses back to the model that was edited.</summary>
public static class Model
{
    public static string Of(TomlValue value)
    {
        var builder = new StringBuilder();
        Write(value, builder);
        return builder.ToString();
    }

    public static void AssertReparses(TomlDocument document)
    {
        var reparsed = TomlDocument.Parse(document.ToString(), "reparsed.toml");
        Assert.Equal(Of(document.Root), Of(reparsed.Root));
    }

    static void Write(TomlValue value, StringBuilder builder)
    {
        switch (value)
        {
            case TomlTable table:
                builder.Append('{');
                foreach (var entry in table.OrderBy(entry => entry.Key, StringComparer.Ordinal))
                {
                    builder.Append(entry.Key).Append('=');
                    Write(entry.Value, builder);
                    builder.Append(';');
                }
                builder.Append('}');
                break;
            case TomlArray array:
                builder.Append('[');
                foreach (var element in array)
                {
                    Write(element, builder);
                    builder.Append(',');
                }
                builder.Append(']');
                break;
            case TomlString text:
                builder.Append("s:").Append(text.Value);
                break;
            default:
                builder.Append(value.Kind).Append(':').Append(value);
                break;
        }
    }
}
