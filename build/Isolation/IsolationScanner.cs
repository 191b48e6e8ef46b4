using System.Runtime.CompilerServices;

namespace Orchestrator.Isolation;

/// <summary>The result of scanning one project: every violation (allowed ones included) and how many files were read.</summary>
internal sealed record IsolationScan(IReadOnlyList<IsolationViolation> Violations, int FilesScanned)
{
    /// <summary>The violations that fail the check: those no isolation_allow glob covers.</summary>
    public IReadOnlyList<IsolationViolation> Failures { get; } = Violations.Where(v => !v.Allowed).ToList();
}

/// <summary>A project could not be scanned (missing, not a git repository, unreadable); the message says which and why.</summary>
internal sealed class IsolationScanException(string message) : Exception(message);

/// <summary>
/// Scans one project for anything that reveals the orchestrator. The API, also for CreateProject on a fresh project:
/// <code>
/// var facts = OrchestratorFacts.Gather(RootDirectory, FleetFile);       // once per run
/// var scan = IsolationScanner.Scan(projectDirectory, facts, project.IsolationAllow);
/// if (scan.Failures.Count > 0) ...                                       // scan.Violations also holds the allowed ones
/// </code>
/// It scans what git sees (tracked files, plus untracked files that are not ignored; see <see cref="ProjectFiles"/>),
/// skipping <c>engine/</c> and <c>.git</c>: every path's names are matched, and every file's text unless it is binary
/// (a NUL byte in its first 8 KB). A symbolic link is matched by its target, as git stores it, never followed.
/// Violations come sorted by path, lines ascending. Throws <see cref="IsolationScanException"/> when the directory is
/// missing or not a git repository of its own (a folder inside another repository is not one), or a file cannot be read.
/// </summary>
internal static class IsolationScanner
{
    // Files are searched a batch at a time: their texts joined by NUL, which no pattern contains. One long search
    // instead of one per file lets the runtime optimize the vectorized search early, and only a file with a match is
    // searched again on its own for its lines.
    private const int FilesPerBatch = 256;

    public static IsolationScan Scan(AbsolutePath projectDirectory, OrchestratorFacts facts, IReadOnlyList<string> allow)
    {
        if (!projectDirectory.DirectoryExists())
            throw new IsolationScanException($"{projectDirectory} does not exist");
        // A .git of its own, not git's answer from inside some other repository, whose files ls-files would list.
        if (!(projectDirectory / ".git").DirectoryExists() && !(projectDirectory / ".git").FileExists())
            throw new IsolationScanException($"{projectDirectory} is not a git repository; run git init there");

        // Git's walk of the work tree for untracked files takes as long as reading thousands of files: it runs
        // meanwhile, on its own thread rather than one the parallel reads need.
        var untrackedListing = Task.Factory.StartNew(() => ProjectFiles.Untracked(projectDirectory), TaskCreationOptions.LongRunning);
        var allowList = new IsolationAllowList(allow);
        var violations = new List<IsolationViolation>();
        var tracked = ProjectFiles.Tracked(projectDirectory);
        var filesScanned = ScanContents(projectDirectory, tracked, facts, allowList, violations);
        var untracked = untrackedListing.GetAwaiter().GetResult();
        filesScanned += ScanContents(projectDirectory, untracked, facts, allowList, violations);
        violations.AddRange(NameViolations(tracked.Concat(untracked).Select(p => p.Path).ToList(), facts, allowList));

        violations.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path) is var byPath and not 0 ? byPath : (a.Line ?? 0).CompareTo(b.Line ?? 0));
        return new IsolationScan(violations, filesScanned);
    }

    /// <summary>Reads and matches the files in parallel; adds their violations and returns how many were text files.</summary>
    private static int ScanContents(AbsolutePath projectDirectory, List<ListedPath> paths, OrchestratorFacts facts, IsolationAllowList allow, List<IsolationViolation> violations)
    {
        var contents = new List<IsolationViolation>?[paths.Count];
        var scanned = new bool[paths.Count];
        var batches = (paths.Count + FilesPerBatch - 1) / FilesPerBatch;
        var nextBatch = -1;
        Parallel.For(0, Math.Min(Environment.ProcessorCount, batches), _ =>
        {
            var batch = new TextBatch();
            for (var b = Interlocked.Increment(ref nextBatch); b < batches; b = Interlocked.Increment(ref nextBatch))
            {
                batch.Clear();
                for (var i = b * FilesPerBatch; i < Math.Min(paths.Count, (b + 1) * FilesPerBatch); i++)
                    scanned[i] = Read(Path.Combine(projectDirectory, paths[i].Path), paths[i].Kind, i, batch);
                batch.ForEachMatch(facts, (i, text) => contents[i] = IsolationMatcher.Content(paths[i].Path, text, facts, allow.Covering(paths[i].Path)));
            }
        });
        foreach (var found in contents)
            violations.AddRange(found ?? []);
        return scanned.Count(s => s);
    }

    /// <summary>Names are searched all at once too (paths joined by NUL); only the paths with a match are split into names.</summary>
    private static List<IsolationViolation> NameViolations(List<string> paths, OrchestratorFacts facts, IsolationAllowList allow)
    {
        var joined = string.Join('\0', paths);
        var starts = new int[paths.Count];
        for (var i = 1; i < paths.Count; i++)
            starts[i] = starts[i - 1] + paths[i - 1].Length + 1;

        var violations = new List<IsolationViolation>();
        var seen = new HashSet<string>();
        var searchFrom = 0;
        while (searchFrom < joined.Length && joined.AsSpan(searchFrom).IndexOfAny(facts.Search) is var found and >= 0)
        {
            var at = Array.BinarySearch(starts, searchFrom + found);
            var index = at >= 0 ? at : ~at - 1;
            violations.AddRange(IsolationMatcher.Names(paths[index], facts, allow).Where(v => seen.Add(v.Path)));
            searchFrom = starts[index] + paths[index].Length + 1;
        }
        return violations;
    }

    /// <summary>
    /// Adds a text file's content to the batch and says true; says false for binary files and for paths that are no
    /// file to read: a folder, a tracked file deleted from the work tree.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // as FileReader.Read
    private static bool Read(string fullPath, ListedKind kind, int index, TextBatch batch)
    {
        if (kind == ListedKind.Folder)
            return false;
        if (kind == ListedKind.TrackedFile || new FileInfo(fullPath).LinkTarget is not { } target)
            return batch.AddFile(index, fullPath);
        batch.Add(index, target);
        return true;
    }
}
