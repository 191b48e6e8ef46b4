using Orchestrator.Engine;
using Orchestrator.Git;
using Orchestrator.Output;

namespace Orchestrator;

partial class Build
{
    [Parameter("PublishEngine: the engine repository to publish to, a path or URL (default: the local one, see docs/manage-projects.md)")]
    readonly string? EngineRepo;

    [Parameter("PublishEngine: the version to publish, vX.Y.Z (default: engine/VERSION)")]
    readonly string? Version;

    Target PublishEngine => _ => _
        .Description("Publish engine/ at HEAD as a tagged version of the standalone engine repository")
        .Executes(() =>
        {
            var version = Version is null ? null : EngineVersion.Parse(Version, "--version");
            var publisher = new EnginePublisher(RootDirectory, EngineRepo ?? PublishedEngine.DefaultRepository);
            var result = publisher.Publish(version, DryRun, Console.Out);
            if (!DryRun)
                Console.WriteLine(result.AlreadyPublished
                    ? $"{result.Version} ({result.Commit[..7]}) is already published in {result.Repository}"
                    : $"published {result.Version} ({result.Commit[..7]}) to {result.Repository}");
            using var orchestrator = GitRepository.OpenWorkTree(RootDirectory);
            if (orchestrator?.ChangesUnder("engine") is { } changes and > 0)
                Console.WriteLine($"engine/ has {Counted.Of(changes, "uncommitted change")}, not published: PublishEngine takes engine/ as committed at HEAD; "
                    + "commit them, bump engine/VERSION and run PublishEngine again");
        });
}
