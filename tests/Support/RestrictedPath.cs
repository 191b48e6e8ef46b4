namespace TestSupport;

/// <summary>
/// A PATH with every program of this one but some, as on a machine without them (no C compiler, no .NET SDK):
/// a folder of links to the programs kept, deleted with it.
/// </summary>
public sealed class RestrictedPath : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public RestrictedPath(params string[] without)
    {
        var searchPath = System.Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var directory in searchPath.Split(':', StringSplitOptions.RemoveEmptyEntries).Where(Directory.Exists))
            foreach (var program in Directory.EnumerateFiles(directory))
            {
                var name = System.IO.Path.GetFileName(program);
                var link = _folder[name];
                if (!without.Any(w => name == w || name.StartsWith(w + "-")) && !File.Exists(link) && !Directory.Exists(link))
                    File.CreateSymbolicLink(link, program);
            }
    }

    /// <summary>The environment for a run on such a machine.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string> { ["PATH"] = _folder.Path };

    public void Dispose() => _folder.Dispose();
}
