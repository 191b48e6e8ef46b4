using Orchestrator.Git;

namespace Orchestrator.Engine;

/// <summary>A ref as the operator gives it: a tag, a branch, a commit, or <c>latest</c>, the newest version tag.</summary>
internal static class EngineRef
{
    public const string Latest = "latest";

    /// <summary>
    /// The ref to pin: <paramref name="reference"/> itself, or for <c>latest</c> the newest vX.Y.Z tag of the engine
    /// repository in version order (v0.10.0 after v0.9.0); other tags are not versions and never chosen.
    /// </summary>
    public static string Resolve(string reference, RemoteRefs refs, string repository) =>
        reference != Latest
            ? reference
            : EngineVersion.Latest(refs.Tags)?.Tag
              ?? throw new TargetFailedException($"the engine repository {repository} has no version tag (vX.Y.Z) to take as the latest; pass --ref with a tag, branch or commit", 2);

    /// <summary>The newest version tag of the repository at <paramref name="url"/>, as <c>git ls-remote</c> lists its tags.</summary>
    public static string LatestOf(string url, AbsolutePath workingDirectory)
    {
        try
        {
            return Resolve(Latest, RemoteRefs.List(url, workingDirectory), url);
        }
        catch (GitException e)
        {
            throw new TargetFailedException($"the engine repository {url} cannot be read: {e.Message}", 2);
        }
    }
}
