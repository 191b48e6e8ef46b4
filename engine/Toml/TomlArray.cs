using System.Collections;

namespace Engine.Toml;

/// <summary>A TOML array: a <c>[ ... ]</c> value, or the entries of a <c>[[header]]</c> array of tables
/// (<see cref="IsTableArray"/>).</summary>
public sealed partial class TomlArray : TomlValue, IReadOnlyList<TomlValue>
{
    /// <summary>An element with the text around it: spaces, newlines and comments before the value, and
    /// before the comma or bracket that follows it.</summary>
    internal struct Element(Fragment before, TomlValue value, Fragment after)
    {
        public Fragment Before = before;
        public readonly TomlValue Value = value;
        public Fragment After = after;
    }

    internal readonly List<Element> Items = [];
    internal bool TrailingComma;

    /// <summary>The text between the last comma (or the opening bracket) and the closing bracket.</summary>
    internal Fragment Trailing;

    /// <summary>The table that holds this array, and its key there.</summary>
    internal TomlTable? Parent;
    internal string Name = "";

    /// <summary>For an array inside an array: that array.</summary>
    internal TomlArray? HoldingArray;

    /// <summary>A new, empty <c>[ ... ]</c> array.</summary>
    public TomlArray() { }

    internal TomlArray(SourceText? source, int offset, bool isTableArray) : base(source, offset)
    {
        IsTableArray = isTableArray;
    }

    public override TomlKind Kind => TomlKind.Array;

    /// <summary>True for the entries of a <c>[[header]]</c> array of tables.</summary>
    public bool IsTableArray { get; }

    public int Count => Items.Count;

    public TomlValue this[int index] => Items[index].Value;

    public IEnumerator<TomlValue> GetEnumerator()
    {
        for (var i = 0; i < Items.Count; i++)
            yield return Items[i].Value;
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
