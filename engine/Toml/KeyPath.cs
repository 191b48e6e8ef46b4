namespace Engine.Toml;

/// <summary>A key as parsed: one segment, or several for a dotted key.</summary>
/// <remarks>Most keys have one segment, which is kept inline so that parsing them allocates nothing.</remarks>
internal readonly struct KeyPath
{
    readonly KeySegment single;
    readonly KeySegment[]? segments;

    public KeyPath(KeySegment single) => this.single = single;

    public KeyPath(KeySegment[] segments) => this.segments = segments;

    public int Count => segments?.Length ?? 1;

    public KeySegment this[int index] => segments is null ? single : segments[index];

    public KeySegment Last => this[Count - 1];

    /// <summary>The first <paramref name="count"/> segments, spelled as in a TOML file.</summary>
    public string Display(int count)
    {
        var path = this;
        return TomlFormat.FormatKeyPath(Enumerable.Range(0, count).Select(i => path[i].Name));
    }

    public override string ToString() => Display(Count);
}
