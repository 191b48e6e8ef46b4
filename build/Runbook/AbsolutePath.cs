namespace Runbook;

/// <summary>A rooted, normalized file-system path; <c>RootDirectory / "fleet.toml"</c> reads like the path it makes.</summary>
public sealed class AbsolutePath : IEquatable<AbsolutePath>
{
    private readonly string _path;

    private AbsolutePath(string path) => _path = path;

    public static AbsolutePath Create(string path, string? relativeTo = null)
    {
        var full = relativeTo is null ? Path.GetFullPath(path) : Path.GetFullPath(path, relativeTo);
        return new AbsolutePath(Path.TrimEndingDirectorySeparator(full) is { Length: > 0 } trimmed ? trimmed : full);
    }

    public static AbsolutePath operator /(AbsolutePath left, string right) => Create(Path.Combine(left._path, right));

    public static implicit operator string(AbsolutePath path) => path._path;

    public string Name => Path.GetFileName(_path);
    public AbsolutePath? Parent => Path.GetDirectoryName(_path) is { } parent ? new AbsolutePath(parent) : null;

    public bool FileExists() => File.Exists(_path);
    public bool DirectoryExists() => Directory.Exists(_path);

    /// <summary>This path as seen from <paramref name="directory"/>, e.g. for messages and registry entries.</summary>
    public string RelativeTo(AbsolutePath directory) => Path.GetRelativePath(directory, _path);

    public override string ToString() => _path;
    public bool Equals(AbsolutePath? other) => other is not null && string.Equals(_path, other._path, StringComparison.Ordinal);
    public override bool Equals(object? obj) => obj is AbsolutePath other && Equals(other);
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_path);
}
