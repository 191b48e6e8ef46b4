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
    public const string NoDotnet = "GitHub operations need the .NET SDK (dotnet) on PATH: the GitHub bridge runs on it (Octokit cannot be compiled natively; see docs/github.md)";

    private readonly ProgramBuild _build = new(root, "github", "the GitHub bridge", " (Octokit)", root / "build" / "GitHub" / "Bridge" / "Bridge.csproj",
        "github-bridge.dll", [root / "build" / "GitHub" / "Bridge", root / "build" / "GitHub" / "Protocol"], NoDotnet);

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
            throw new TargetFailedException(NoDotnet, 2);
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
