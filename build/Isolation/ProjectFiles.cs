using Orchestrator.Git;

namespace Orchestrator.Isolation;

/// <summary>What a listed path is, as far as git says without looking at the work tree.</summary>
internal enum ListedKind
{
    TrackedFile,
    TrackedLink,
    /// <summary>A submodule or an untracked repository: only its name is checked.</summary>
    Folder,
    /// <summary>Not in the index, so a file or a link; reading tells.</summary>
    Untracked,
}

internal readonly record struct ListedPath(string Path, ListedKind Kind);

/// <summary>
/// The paths of a project that git sees, relative to its root: tracked, plus untracked files that are not ignored,
/// without engine/ (the vendored harness, not the project's to change) and .git. Listed by <c>git ls-files</c>, the one
/// read not made in process (see build/Git): for tens of thousands of paths it is several times faster.
/// </summary>
internal static class ProjectFiles
{
    /// <summary>Tracked paths with their kinds, from the index alone (<c>git ls-files -z --stage</c>): fast.</summary>
    public static List<ListedPath> Tracked(string projectDirectory)
    {
        var paths = new List<ListedPath>();
        var previous = "";
        foreach (var entry in Git(projectDirectory, "ls-files", "-z", "--stage"))
        {
            var path = entry[(entry.IndexOf('\t') + 1)..];
            if (path == previous || !Visible(path))
                continue; // a conflicted path is listed once per stage, one after the other
            previous = path;
            var mode = entry.AsSpan(0, entry.IndexOf(' '));
            paths.Add(new ListedPath(path, mode is "120000" ? ListedKind.TrackedLink : mode is "160000" ? ListedKind.Folder : ListedKind.TrackedFile));
        }
        return paths;
    }

    /// <summary>Untracked paths that are not ignored (<c>git ls-files -z --others --exclude-standard</c>): git walks the work tree.</summary>
    public static List<ListedPath> Untracked(string projectDirectory)
    {
        var paths = new List<ListedPath>();
        foreach (var entry in Git(projectDirectory, "ls-files", "-z", "--others", "--exclude-standard"))
        {
            var path = entry.TrimEnd('/'); // an untracked repository is listed as a folder
            if (Visible(path))
                paths.Add(new ListedPath(path, path.Length < entry.Length ? ListedKind.Folder : ListedKind.Untracked));
        }
        return paths;
    }

    private static bool Visible(string path) =>
        path != "engine" && !path.StartsWith("engine/") && path != ".git" && !path.StartsWith(".git/") && !path.EndsWith("/.git") && !path.Contains("/.git/");

    private static string[] Git(string projectDirectory, params string[] arguments)
    {
        try
        {
            return GitCli.Run(projectDirectory, arguments).Split('\0', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (GitException e)
        {
            throw new IsolationScanException(e.Message);
        }
    }
}
