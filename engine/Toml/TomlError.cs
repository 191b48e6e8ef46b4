namespace Engine.Toml;

/// <summary>One problem in a TOML file, at a 1-based line and column.</summary>
public sealed record TomlError(string FileName, int Line, int Column, string Reason)
{
    /// <summary>The problem as one line: <c>config.toml:12:9: duplicate key 'ref' (first defined at 10:1)</c>.</summary>
    public override string ToString() => $"{FileName}:{Line}:{Column}: {Reason}";
}
