using System.Text;

namespace Engine.Toml;

/// <summary>A piece of document text: a slice of the parsed source, or text written by an edit.</summary>
/// <remarks>Slicing instead of copying keeps parsing cheap and makes printing an unedited document
/// give back exactly the bytes that were read.</remarks>
internal readonly struct Fragment
{
    public static readonly Fragment Empty = new("");

    readonly string? text;
    readonly int start;

    public Fragment(string text, int start, int length)
    {
        this.text = text;
        this.start = start;
        Length = length;
    }

    public Fragment(string text) : this(text, 0, text.Length) { }

    public int Length { get; }

    public ReadOnlySpan<char> Span => text.AsSpan(start, Length);

    public bool IsEmpty => Length == 0;

    public bool EndsWithNewline => Length > 0 && text![start + Length - 1] == '\n';

    public void AppendTo(StringBuilder builder) => builder.Append(text, start, Length);

    public Fragment Slice(int offset, int length) => new(text!, start + offset, length);

    public Fragment Slice(int offset) => Slice(offset, Length - offset);

    public static Fragment Concat(Fragment first, Fragment second) =>
        first.IsEmpty ? second : second.IsEmpty ? first : new Fragment(string.Concat(first.Span, second.Span));

    public override string ToString() => new(Span);
}
