namespace Orchestrator.Git;

internal sealed record Submodule(string Name, string Path, string Url);

/// <summary>Where a branch stands: its upstream, how far ahead and behind, and how many paths are changed.</summary>
internal sealed record WorkingTreeStatus(string? Branch, string? Upstream, int Ahead, int Behind, int Changes);

/// <summary>Typed questions about one local repository, each answered by one git command.</summary>
internal sealed class Repository(string directory)
{
    public string Directory { get; } = directory;

    /// <summary>True when the folder is the top of a git work tree (not merely inside another repository).</summary>
    public bool Exists()
    {
        if (!System.IO.Directory.Exists(Directory))
            return false;
        var result = GitCli.Try(Directory, "rev-parse", "--show-toplevel");
        return result.Succeeded && Path.GetFullPath(result.Output.Trim()) == Path.GetFullPath(Directory).TrimEnd('/');
    }

    /// <summary>The submodules declared in .gitmodules at HEAD's work tree; empty without one.</summary>
    public IReadOnlyList<Submodule> Submodules()
    {
        if (!File.Exists(Path.Combine(Directory, ".gitmodules")))
            return [];
        var result = GitCli.Try(Directory, "config", "--file", ".gitmodules", "--get-regexp", @"^submodule\..*\.(path|url)$");
        var entries = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', 2))
            .Where(parts => parts.Length == 2)
            .Select(parts => (Key: parts[0], Value: parts[1]))
            .ToList();
        var names = entries.Select(e => e.Key["submodule.".Length..e.Key.LastIndexOf('.')]).Distinct();
        return names.Select(name => new Submodule(
                name,
                entries.FirstOrDefault(e => e.Key == $"submodule.{name}.path").Value ?? "",
                entries.FirstOrDefault(e => e.Key == $"submodule.{name}.url").Value ?? ""))
            .ToList();
    }

    /// <summary>The commit HEAD records for a submodule path (the gitlink), read from the tree, never from the submodule's own HEAD.</summary>
    public string? PinnedCommit(string path)
    {
        var result = GitCli.Try(Directory, "ls-tree", "HEAD", "--", path);
        var fields = result.Output.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        return result.Succeeded && fields.Length >= 3 && fields[1] == "commit" ? fields[2] : null;
    }

    /// <summary>Whether <paramref name="ancestor"/> is in the history of <paramref name="descendant"/> (a commit is its own ancestor).</summary>
    public bool IsAncestor(string ancestor, string descendant) =>
        GitCli.Try(Directory, "merge-base", "--is-ancestor", ancestor, descendant).ExitCode == 0;

    /// <summary>How many paths under <paramref name="path"/> differ from HEAD: changed, staged or untracked.</summary>
    public int ChangesUnder(string path) =>
        GitCli.Run(Directory, "status", "--porcelain", "--", path).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;

    public WorkingTreeStatus Status()
    {
        var output = GitCli.Run(Directory, "status", "--porcelain=v2", "--branch");
        string? branch = null, upstream = null;
        int ahead = 0, behind = 0, changes = 0;
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("# branch.head "))
                branch = line["# branch.head ".Length..];
            else if (line.StartsWith("# branch.upstream "))
                upstream = line["# branch.upstream ".Length..];
            else if (line.StartsWith("# branch.ab "))
            {
                var counts = line["# branch.ab ".Length..].Split(' ');
                ahead = int.Parse(counts[0].TrimStart('+'));
                behind = int.Parse(counts[1].TrimStart('-'));
            }
            else if (!line.StartsWith('#'))
                changes++;
        }
        return new WorkingTreeStatus(branch is "(detached)" ? null : branch, upstream, ahead, behind, changes);
    }
}
