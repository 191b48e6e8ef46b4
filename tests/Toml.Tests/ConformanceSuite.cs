namespace Engine.Toml.Tests;

/// <summary>The official toml-test cases for TOML 1.0.0, from ../shared/toml-test beside the repository.</summary>
public static class ConformanceSuite
{
    static readonly Lazy<string> directory = new(Locate);

    public static string Directory => directory.Value;

    public static IReadOnlyList<string> Cases { get; } = ListCases();

    public static TheoryData<string> Valid() => new(Cases.Where(path => path.StartsWith("valid/")));

    public static TheoryData<string> Invalid() => new(Cases.Where(path => path.StartsWith("invalid/")));

    public static byte[] Read(string relativePath) => File.ReadAllBytes(Path.Combine(Directory, relativePath));

    static IReadOnlyList<string> ListCases() =>
        File.ReadLines(Path.Combine(Directory, "files-toml-1.0.0"))
            .Where(line => line.EndsWith(".toml"))
            .ToList();

    static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "toml-test", "tests"));
            if (File.Exists(Path.Combine(candidate, "files-toml-1.0.0")))
                return candidate;
        }
        throw new InvalidOperationException(
            "toml-test suite not found: expected ../shared/toml-test/tests/files-toml-1.0.0 relative to the repository root");
    }
}
