using System.ComponentModel;

namespace Orchestrator.Processes;

/// <summary>
/// A program of the runbook's own that runs on the .NET host rather than in the native runbook (the GitHub bridge,
/// the dashboard server), built into .nuke/temp/NAME/ when its sources are newer than the last build (as build.sh
/// does for the runbook), one build at a time across processes, saying so since it takes a while. Runs that never
/// use the program never build it.
/// </summary>
/// <param name="Name">The folder under .nuke/temp/ and the label of its progress line (github, dashboard).</param>
/// <param name="Title">What it is, in messages: "the GitHub bridge".</param>
/// <param name="Detail">Said after the title while it builds: " (Octokit)".</param>
/// <param name="Assembly">The program's file name, e.g. github-bridge.dll.</param>
/// <param name="NoDotnet">The refusal when dotnet is not on PATH.</param>
internal sealed record ProgramBuild(AbsolutePath Root, string Name, string Title, string Detail, AbsolutePath Project, string Assembly,
    IReadOnlyList<AbsolutePath> Sources, string NoDotnet)
{
    private static readonly TimeSpan LockTimeout = TimeSpan.FromMinutes(10);

    private AbsolutePath Output => Root / ".nuke" / "temp" / Name;
    private AbsolutePath Program => Output / "bin" / Assembly;
    private AbsolutePath Stamp => Output / "build.stamp";

    /// <summary>The program, built first when missing or older than its sources.</summary>
    public AbsolutePath Ensure(TextWriter progress)
    {
        if (IsCurrent())
            return Program;
        Directory.CreateDirectory(Output);
        using var held = Lock();
        if (IsCurrent())
            return Program;
        var seconds = Output / "build.seconds";
        var estimate = seconds.FileExists() && int.TryParse(File.ReadAllText(seconds).Trim(), out var last) ? $"about {last} s" : "about a minute";
        progress.WriteLine($"{Name}: building {Title}{Detail} on first use after a change ({estimate}; log: .nuke/temp/{Name}/build.log)...");
        var started = System.Diagnostics.Stopwatch.StartNew();
        var next = Output / "build.stamp.next";
        File.WriteAllText(next, "");
        CommandResult result;
        try
        {
            result = Command.Run("dotnet", ["build", Project, "--configuration", "Release", "--artifacts-path", Output / "artifacts",
                "--output", Output / "bin", "--nologo", "--verbosity", "quiet"], Root,
                new Dictionary<string, string> { ["DOTNET_NOLOGO"] = "1", ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" });
        }
        catch (Win32Exception)
        {
            throw new TargetFailedException(NoDotnet, 2);
        }
        File.WriteAllText(Output / "build.log", result.Output + result.Error);
        if (!result.Succeeded)
        {
            var errors = (result.Output + "\n" + result.Error).Split('\n').Where(l => l.Contains(": error ")).Distinct().Take(3);
            throw new TargetFailedException($"{Title} did not build (.nuke/temp/{Name}/build.log): {string.Join("; ", errors.DefaultIfEmpty(result.FirstErrorLine))}", 2);
        }
        File.Move(next, Stamp, overwrite: true);
        File.WriteAllText(seconds, $"{(int)started.Elapsed.TotalSeconds}\n");
        return Program;
    }

    private bool IsCurrent()
    {
        if (!Program.FileExists() || !Stamp.FileExists())
            return false;
        var built = File.GetLastWriteTimeUtc(Stamp);
        return !Sources.Any(source => NewerThan(source, built));
    }

    /// <summary>A file written after the build started, or a folder whose entries changed (a file added or removed); bin/ and obj/ of an IDE's build are no sources.</summary>
    private static bool NewerThan(string entry, DateTime built)
    {
        if (Path.GetFileName(entry) is "bin" or "obj")
            return false;
        if (File.Exists(entry))
            return File.GetLastWriteTimeUtc(entry) > built;
        return Directory.Exists(entry)
            && (Directory.GetLastWriteTimeUtc(entry) > built || Directory.EnumerateFileSystemEntries(entry).Any(e => NewerThan(e, built)));
    }

    private FileStream Lock()
    {
        var path = Output / "build.lock";
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                // FileShare.None takes an exclusive advisory lock; the OS drops it when the process dies.
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (waited.Elapsed < LockTimeout)
            {
                Thread.Sleep(200);
            }
        }
    }
}
