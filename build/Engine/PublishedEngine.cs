namespace Orchestrator.Engine;

/// <summary>Where the engine is published by default: a bare repository on this machine, outside any project and
/// outside the orchestrator's checkout (a project's .gitmodules points at it, so its path must say nothing of the fleet).</summary>
internal static class PublishedEngine
{
    public static string DefaultRepository
    {
        get
        {
            var data = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
            if (string.IsNullOrEmpty(data))
                data = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
            return Path.Combine(data, "agents-engine", "engine.git");
        }
    }
}
