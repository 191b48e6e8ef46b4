using System.Collections;

namespace Engine.Toml;

/// <summary>A TOML array: a <c>[ ... ]</c> value, or the entries of a <c>[[header]]</c> array of tables
/// (<see cref="IsTableArray"/>).</summary>
public sealed partial class TomlArray : TomlValue, IReadOnlyList<TomlValue>
{
    /// <summary>The text around an element: spaces, newlines and comments before the value, and before
    /// the comma or bracket that follows it.</summary>
    internal struct Spacing(Fragment before, Fragment after)
    {
        public Fragment Before = before;
        public Fragment After = after;
    }

    TomlValue[] values = [];
    int count;

    /// <summary>The text around each element. A parsed array prints as its slice of the source and reads
    /// this on its first edit (see <see cref="TomlDocument.PrepareEdit"/>); an array created in code
    /// always has it. Arrays of tables have none: their entries are sections.</summary>
    internal List<Spacing>? Spacings;
    internal bool TrailingComma;

    /// <summary>The text between the last comma (or the opening bracket) and the closing bracket.</summary>
    internal Fragment Trailing;

    /// <summary>Where a parsed array ends in the source, after its closing bracket.</summary>
    internal int End;

    /// <summary>The table that holds this array, and its key there.</summary>
    internal TomlTable? Parent;
    internal string Name = "";

    /// <summary>For an array inside an array: that array.</summary>
    internal TomlArray? HoldingArray;

    /// <summary>A new, empty <c>[ ... ]</c> array.</summary>
    public TomlArray()
    {
        Spacings = [];
    }

    internal TomlArray(SourceText? source, int offset, bool isTableArray) : base(source, offset)
    {
        IsTableArray = isTableArray;
    }

    public override TomlKind Kind => TomlKind.Array;

    /// <summary>True for the entries of a <c>[[header]]</c> array of tables.</summary>
    public bool IsTableArray { get; }

    public int Count => count;

    public TomlValue this[int index] =>
        (uint)index < (uint)count ? values[index] : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<TomlValue> GetEnumerator()
    {
        for (var i = 0; i < count; i++)
            yield return values[i];
    }

    internal void Append(TomlValue value)
    {
        if (count == values.Length)
            Array.Resize(ref values, Math.Max(4, count * 2));
        values[count++] = value;
    }

    internal void RemoveValueAt(int index)
    {
        Array.Copy(values, index + 1, values, index, count - index - 1);
        values[--count] = null!;
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Records that an array or table value now lives in <paramref name="array"/>.</summary>
    internal static void Hold(TomlArray array, TomlValue element)
    {
        switch (element)
        {
            case TomlTable table:
                table.HoldingArray = array;
                break;
            case TomlArray inner:
                inner.HoldingArray = array;
                break;
        }
    }
}
