namespace TestSupport;

/// <summary>A local bare repository standing in for a published engine: v0.1.0 (annotated tag) and v0.2.0 (lightweight tag).</summary>
public sealed class EngineRepository
{
    public string Url { get; }
    private readonly string _work;

    private EngineRepository(string url, string work)
    {
        Url = url;
        _work = work;
    }

    public static EngineRepository Create(string folder)
    {
        var work = Path.Combine(folder, "engine-work");
        var bare = Path.Combine(folder, "engine.git");
        Directory.CreateDirectory(work);
        Shell.Git(work, "init", "-q", "-b", "main");
        File.WriteAllText(Path.Combine(work, "VERSION"), "0.1.0\n");
        Shell.Git(work, "add", "-A");
        Shell.Git(work, "commit", "-q", "-m", "engine 0.1.0");
        Shell.Git(work, "tag", "-a", "v0.1.0", "-m", "v0.1.0");
        File.WriteAllText(Path.Combine(work, "VERSION"), "0.2.0\n");
        Shell.Git(work, "commit", "-q", "-am", "engine 0.2.0");
        Shell.Git(work, "tag", "v0.2.0");
        Shell.Git(folder, "clone", "-q", "--bare", work, bare);
        return new EngineRepository(bare, work);
    }

    public string CommitOf(string reference) => Shell.Git(Url, "rev-parse", $"{reference}^{{commit}}");
}

public static class ProjectRepository
{
    /// <summary>A project as CreateProject makes it: engine/ submodule at <paramref name="reference"/>, agents.toml, one commit.</summary>
    public static string Create(string directory, EngineRepository engine, string reference, string agentsToml = "session_prefix = \"p-\"\n")
    {
        Directory.CreateDirectory(directory);
        Shell.Git(directory, "init", "-q", "-b", "main");
        Shell.Git(directory, "submodule", "add", "-q", engine.Url, "engine");
        Shell.Git(Path.Combine(directory, "engine"), "checkout", "-q", reference);
        File.WriteAllText(Path.Combine(directory, "agents.toml"), agentsToml);
        Shell.Git(directory, "add", "-A");
        Shell.Git(directory, "commit", "-q", "-m", "initial");
        return directory;
    }
}
