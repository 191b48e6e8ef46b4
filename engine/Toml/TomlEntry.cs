namespace Engine.Toml;

/// <summary>A key of a table with its value, and where the key was written (line 0 when created in code).</summary>
/// <remarks>Lets callers enumerate keys with positions for their own checks (unknown keys, did-you-mean).</remarks>
public readonly struct TomlEntry
{
    readonly SourceText? source;
    readonly int offset;

    internal TomlEntry(string key, TomlValue value, SourceText? source, int offset)
    {
        Key = key;
        Value = value;
        this.source = source;
        this.offset = offset;
    }

    public string Key { get; }

    public TomlValue Value { get; }

    public int Line => source is { IsCreated: false } ? source.PositionOf(offset).Line : 0;

    public int Column => source is { IsCreated: false } ? source.PositionOf(offset).Column : 0;

    /// <summary>An error located at this key, for a caller's own validation.</summary>
    public TomlError Error(string reason) => TomlValue.ErrorAt(source, offset, reason);
}
