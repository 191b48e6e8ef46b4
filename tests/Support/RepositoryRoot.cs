namespace TestSupport;

public static class RepositoryRoot
{
    /// <summary>The checkout the tests were built from: the nearest folder above the test assembly with build.sh and .nuke/.</summary>
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "build.sh")) && Directory.Exists(System.IO.Path.Combine(folder.FullName, ".nuke")))
                return folder.FullName;
        throw new InvalidOperationException("the tests run from outside the repository");
    }
}
