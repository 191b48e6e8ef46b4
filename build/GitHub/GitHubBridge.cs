using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Orchestrator.Processes;

namespace Orchestrator.GitHub;

/// <summary>GitHub refused or failed an operation; <see cref="Kind"/> says how (unauthorized, exists, not-found, rate-limited...).</summary>
internal sealed class GitHubException(string kind, string message) : Exception(message)
{
    public string Kind { get; } = kind;
}

/// <summary>
/// The runbook's way to GitHub: the bridge program (build/GitHub/Bridge, Octokit, run by the .NET host because Octokit
/// cannot be compiled natively), started once per operation with an argument array and the token in its environment,
/// answering one JSON document. Built on the first GitHub operation after its sources change, so runs that never touch
/// GitHub never build or start it.
/// </summary>
internal sealed class GitHubBridge(AbsolutePath root, GitHubAccess access, TextWriter progress)
{
    private readonly BridgeBuild _build = new(root);

    public GitHubAccess Access => access;

    /// <summary>Runs one verb and reads its answer; GitHub's refusals throw <see cref="GitHubException"/>.</summary>
    /// <param name="label">Said before each line the bridge shows while it works (a rate-limit wait), e.g. the project's name.</param>
    public T Call<T>(JsonTypeInfo<T> answer, string verb, IEnumerable<string> arguments, string label = "github")
    {
        var program = _build.Ensure(progress);
        CommandResult result;
        try
        {
            result = Command.Run("dotnet", [program, verb, "--api", access.Api, .. arguments], root,
                new Dictionary<string, string> { [BridgeProtocol.TokenVariable] = access.Token, ["DOTNET_NOLOGO"] = "1" },
                showErrors: new PrefixedWriter(progress, $"{label}: "));
        }
        catch (Win32Exception)
        {
            throw new TargetFailedException(BridgeBuild.NoDotnet, 2);
        }
        if (result.ExitCode == 0)
            return Read(result.Output, answer);
        if (result.ExitCode == BridgeProtocol.GitHubRefused)
        {
            var error = Read(result.Output, BridgeJson.Default.BridgeError);
            throw new GitHubException(error.Kind, error.Message);
        }
        throw new GitHubException("bridge", $"the GitHub bridge failed (exit {result.ExitCode}): {result.FirstErrorLine}");
    }

    private static T Read<T>(string output, JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.Deserialize(output, type) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new GitHubException("bridge", $"the GitHub bridge answered something unreadable ({e.Message})");
        }
    }

    /// <summary>Each line the bridge says on stderr, labelled, as it comes.</summary>
    private sealed class PrefixedWriter(TextWriter inner, string prefix) : TextWriter
    {
        public override System.Text.Encoding Encoding => inner.Encoding;

        public override void WriteLine(string? value) => inner.WriteLine(prefix + value);
    }
}

/// <summary>
/// Builds the bridge into .nuke/temp/github/ when its sources are newer than the last build (as build.sh does for the
/// runbook), one build at a time across processes, saying so since it takes a while.
/// </summary>
internal sealed class BridgeBuild(AbsolutePath root)
{
    public const string NoDotnet = "GitHub operations need the .NET SDK (dotnet) on PATH: the GitHub bridge runs on it (Octokit cannot be compiled natively; see docs/github.md)";
    private static readonly TimeSpan LockTimeout = TimeSpan.FromMinutes(10);

    private AbsolutePath Output => root / ".nuke" / "temp" / "github";
    private AbsolutePath Program => Output / "bin" / "github-bridge.dll";
    private AbsolutePath Stamp => Output / "bridge.stamp";
    private AbsolutePath Project => root / "build" / "GitHub" / "Bridge" / "Bridge.csproj";
    private IEnumerable<AbsolutePath> Sources => [root / "build" / "GitHub" / "Bridge", root / "build" / "GitHub" / "Protocol"];

    /// <summary>The bridge's program, built first when missing or older than its sources.</summary>
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
        progress.WriteLine($"github: building the GitHub bridge (Octokit) on first use after a change ({estimate}; log: .nuke/temp/github/build.log)...");
        var started = System.Diagnostics.Stopwatch.StartNew();
        var next = Output / "bridge.stamp.next";
        File.WriteAllText(next, "");
        CommandResult result;
        try
        {
            result = Command.Run("dotnet", ["build", Project, "--configuration", "Release", "--artifacts-path", Output / "artifacts",
                "--output", Output / "bin", "--nologo", "--verbosity", "quiet"], root,
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
            throw new TargetFailedException($"the GitHub bridge did not build (.nuke/temp/github/build.log): {string.Join("; ", errors.DefaultIfEmpty(result.FirstErrorLine))}", 2);
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
