using Orchestrator.Git;
using Orchestrator.Output;

namespace Orchestrator.Engine;

internal sealed record PublishResult(string Version, string Commit, bool AlreadyPublished, string Repository);

/// <summary>
/// Makes the tree of engine/ at HEAD a commit of the standalone engine repository (parent: the latest published
/// version) and tags it. The commit is made in a scratch repository that borrows the orchestrator's objects, so
/// nothing of the orchestrator's history reaches the engine repository, and it carries the date of the
/// orchestrator's HEAD, so the same inputs always give the same commit.
/// </summary>
internal sealed class EnginePublisher(AbsolutePath root, string repository)
{
    private static readonly string[] AllowFile = GitCli.AllowFileProtocol;

    public PublishResult Publish(EngineVersion? requested, bool dryRun, TextWriter log)
    {
        using var orchestrator = GitRepository.Open(root);
        var engineTree = orchestrator.ObjectId("HEAD:engine")
            ?? throw new TargetFailedException("engine/ is not in HEAD of this repository; commit it first", 2);
        var version = requested ?? EngineVersion.Parse(
            orchestrator.FileText("HEAD:engine/VERSION") ?? throw new TargetFailedException("engine/VERSION is not in HEAD of this repository; commit it first", 2),
            "engine/VERSION at HEAD");

        var scratch = Directory.CreateTempSubdirectory("engine-publish-").FullName;
        try
        {
            GitCli.Run(scratch, "init", "-q", "--bare");
            // Borrow the orchestrator's objects instead of copying them.
            var objects = Path.Combine(orchestrator.CommonDirectory, "objects");
            File.WriteAllText(Path.Combine(scratch, "objects", "info", "alternates"), objects + "\n");

            var isNew = EnsureRepository(dryRun, log);
            if (!isNew)
                GitCli.Run(scratch, [.. AllowFile, "fetch", "-q", "--", repository, "+refs/tags/*:refs/tags/*", "+refs/heads/*:refs/heads/*"]);
            using var published = GitRepository.Open(scratch);
            var tags = published.TagNames();

            if (tags.Contains(version.Tag))
            {
                var publishedTree = published.ObjectId($"{version.Tag}^{{tree}}");
                if (publishedTree != engineTree)
                    throw new TargetFailedException($"{version.Tag} is already published with other content; bump engine/VERSION or pass another --version", 1);
                return new PublishResult(version.Tag, published.ObjectId($"{version.Tag}^{{commit}}")!, true, repository);
            }
            var latest = EngineVersion.Latest(tags);
            if (latest is { } previous && published.ObjectId($"{previous.Tag}^{{tree}}") == engineTree)
            {
                log.WriteLine($"engine content is already published as {previous.Tag}; nothing to do");
                return new PublishResult(previous.Tag, published.ObjectId($"{previous.Tag}^{{commit}}")!, true, repository);
            }
            if (latest is { } newest && newest.Version.CompareTo(version) > 0)
                throw new TargetFailedException($"{version.Tag} is older than the latest published {newest.Tag}; bump engine/VERSION past it", 1);

            var parent = latest is { } last ? ["-p", published.ObjectId($"{last.Tag}^{{commit}}")!] : Array.Empty<string>();
            var date = orchestrator.CommitDate("HEAD")!;
            var commit = GitCli.Run(scratch, ["commit-tree", engineTree, .. parent, "-m", $"Engine {version.Tag}"],
                DatedAt(date));
            if (dryRun)
            {
                log.WriteLine($"would publish {version.Tag} ({commit[..7]}) to {repository}{(latest is { } p ? $" after {p.Tag}" : "")}");
                return new PublishResult(version.Tag, commit, false, repository);
            }
            GitCli.Run(scratch, ["tag", "-a", version.Tag, "-m", $"Engine {version.Tag}", commit], DatedAt(date));
            GitCli.Run(scratch, [.. AllowFile, "push", "-q", "--atomic", "--", repository, $"refs/tags/{version.Tag}", $"{commit}:refs/heads/main"]);
            PointUnbornHeadAtMain();
            return new PublishResult(version.Tag, commit, false, repository);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>Creates the default repository on first publish; any other repository must exist already.</summary>
    private bool EnsureRepository(bool dryRun, TextWriter log)
    {
        var isLocalPath = !repository.Contains("://") && !repository.Contains('@');
        if (!isLocalPath || Directory.Exists(repository))
            return RemoteRefs.List(repository, Environment.CurrentDirectory).IsEmpty;
        if (repository != PublishedEngine.DefaultRepository)
            throw new TargetFailedException($"--engine-repo {repository} does not exist; create it with: git init --bare {ShellWords.Quote(repository)}", 2);
        log.WriteLine($"{(dryRun ? "would create" : "creating")} the engine repository {repository}");
        if (!dryRun)
        {
            Directory.CreateDirectory(repository);
            GitCli.Run(repository, "init", "-q", "--bare", "--initial-branch", "main");
        }
        return true;
    }

    /// <summary>A bare repository made with a plain <c>git init --bare</c> may name an unborn default branch, which makes
    /// every clone of it (and so every submodule add) fail; a local one is pointed at the published main.</summary>
    private void PointUnbornHeadAtMain()
    {
        if (!Directory.Exists(repository))
            return;
        using (var published = GitRepository.Open(repository))
            if (published.ObjectId("HEAD") is not null)
                return;
        GitCli.Run(repository, "symbolic-ref", "HEAD", "refs/heads/main");
    }

    private static Dictionary<string, string> DatedAt(string date) => new()
    {
        ["GIT_AUTHOR_DATE"] = date,
        ["GIT_COMMITTER_DATE"] = date,
    };
}
