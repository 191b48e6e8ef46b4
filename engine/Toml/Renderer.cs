using System.Text;

namespace Engine.Toml;

/// <summary>Prints documents and values from their parts.</summary>
/// <remarks>Works from an explicit stack rather than recursion, so values nested a thousand levels deep
/// print as safely as they parse.</remarks>
internal static class Renderer
{
    static readonly Fragment OpenBracket = new("[");
    static readonly Fragment CloseBracket = new("]");
    static readonly Fragment OpenBrace = new("{");
    static readonly Fragment CloseBrace = new("}");
    static readonly Fragment Comma = new(",");
    static readonly Fragment Space = new(" ");
    static readonly Fragment KeySeparator = new(" = ");

    /// <summary>Either text to print or a node to expand into its parts.</summary>
    readonly record struct Work(Fragment Text, object? Node);

    public static string Render(TomlDocument document)
    {
        var builder = new StringBuilder(document.Source.Text.Length + 256);
        var work = new Stack<Work>();
        document.Prefix.AppendTo(builder);
        foreach (var section in document.Sections)
        {
            section.Leading.AppendTo(builder);
            section.Header.AppendTo(builder);
            section.Trailing.AppendTo(builder);
            if (section.Lines is { } lines)
            {
                foreach (var line in lines)
                    Render(line, builder, work);
            }
            else
            {
                builder.Append(document.Source.Text, section.BodyStart, section.BodyEnd - section.BodyStart);
            }
        }
        document.Trailer.AppendTo(builder);
        return builder.ToString();
    }

    public static string Render(TomlValue value)
    {
        var builder = new StringBuilder();
        Render(value, builder, new Stack<Work>());
        return builder.ToString();
    }

    static void Render(object node, StringBuilder builder, Stack<Work> work)
    {
        work.Push(new Work(default, node));
        while (work.TryPop(out var item))
        {
            switch (item.Node)
            {
                case null:
                    item.Text.AppendTo(builder);
                    break;
                case KeyValueSyntax entry:
                    PushText(work, entry.Trailing);
                    work.Push(new Work(default, entry.Value));
                    PushText(work, entry.Separator);
                    PushText(work, entry.Key);
                    PushText(work, entry.Leading);
                    break;
                case TomlArray array:
                    PushArray(work, array);
                    break;
                case TomlTable { Body: { } body } inline:
                    PushInlineTable(work, body, inline.InlineInterior);
                    break;
                case TomlTable table:
                    PushTableAsInline(work, table);
                    break;
                case TomlValue scalar:
                    builder.Append(scalar.Raw);
                    break;
            }
        }
    }

    // Parts are pushed last to first, so that they pop in reading order.

    static void PushArray(Stack<Work> work, TomlArray array)
    {
        if (array.Spacings is null && !array.IsTableArray)
        {
            PushText(work, new Fragment(array.Source!.Text, array.Offset, array.End - array.Offset));
            return;
        }
        PushText(work, CloseBracket);
        PushText(work, array.Trailing);
        if (array.TrailingComma)
            PushText(work, Comma);
        for (var i = array.Count - 1; i >= 0; i--)
        {
            var spacing = array.Spacings?[i] ?? new TomlArray.Spacing(i > 0 ? Space : Fragment.Empty, Fragment.Empty);
            PushText(work, spacing.After);
            work.Push(new Work(default, array[i]));
            PushText(work, spacing.Before);
            if (i > 0)
                PushText(work, Comma);
        }
        PushText(work, OpenBracket);
    }

    static void PushInlineTable(Stack<Work> work, List<KeyValueSyntax> body, Fragment interior)
    {
        PushText(work, CloseBrace);
        if (body.Count == 0)
            PushText(work, interior);
        for (var i = body.Count - 1; i >= 0; i--)
        {
            work.Push(new Work(default, body[i]));
            if (i > 0)
                PushText(work, Comma);
        }
        PushText(work, OpenBrace);
    }

    /// <summary>A table without braces of its own (a section, or one created in code) as <c>{ k = v }</c>.</summary>
    static void PushTableAsInline(Stack<Work> work, TomlTable table)
    {
        var slots = table.Slots;
        PushText(work, CloseBrace);
        if (slots.Length > 0)
            PushText(work, Space);
        for (var i = slots.Length - 1; i >= 0; i--)
        {
            work.Push(new Work(default, slots[i].Value));
            PushText(work, KeySeparator);
            PushText(work, new Fragment(TomlFormat.FormatKey(slots[i].Key)));
            PushText(work, i > 0 ? new Fragment(", ") : Space);
        }
        PushText(work, OpenBrace);
    }

    static void PushText(Stack<Work> work, Fragment text)
    {
        if (!text.IsEmpty)
            work.Push(new Work(text, null));
    }
}
