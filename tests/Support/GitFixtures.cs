namespace TestSupport;

/// <summary>A local bare repository standing in for a published engine: v0.1.0 (annotated tag) and v0.2.0 (lightweight tag).</summary>
public sealed class EngineRepository
{
    public string Url { get; }

    private EngineRepository(string url) => Url = url;

    /// <summary>A stand-in harness: the init, up and status verbs of the harness command line, as a project's engine/agents.</summary>
    private const string Harness = """
        #!/usr/bin/env bash
        set -euo pipefail
        # up stands for a harness that takes its time: it records its pid, so a test can end it.
        [ "${1:-}" = up ] && { echo $$ > .harness-up.pid; exec sleep 120; }
        # status loads each config as the engine would, checking its session prefix: no agents, a stopped watchdog.
        if [ "${1:-}" = status ]; then
          configs=()
          while [ $# -gt 0 ]; do [ "$1" = --config ] && { configs+=("$2"); shift; }; shift; done
          [ ${#configs[@]} -gt 0 ] || configs=(agents.toml)
          for config in "${configs[@]}"; do
            grep -q '^session_prefix = "' "$config" || { echo "$config:1:1: session_prefix must be a string, e.g. session_prefix = \"p-\"" >&2; exit 1; }
            prefix="$(sed -n 's/^session_prefix = "\([^"]*\)".*/\1/p' "$config")"
            [[ "$prefix" =~ ^[A-Za-z0-9_-]*$ ]] || { echo "$config:1:18: session_prefix '$prefix' may hold only letters, digits, '_' and '-' (tmux session names)" >&2; exit 1; }
          done
          report='{"agents": [], "watchdog": {"state": "stopped"}}'
          if [ ${#configs[@]} -gt 1 ]; then printf '[%s' "$report"; for _ in "${configs[@]:1}"; do printf ', %s' "$report"; done; echo ']'; else echo "$report"; fi
          exit 0
        fi
        [ "${1:-}" = init ] || { echo "agents: only init, up and status are implemented here" >&2; exit 2; }
        cd "$2"
        prefix="$(basename "$PWD")-"
        mkdir -p prompts
        [ -e agents.toml ] || printf '# agents of this project\nsession_prefix = "%s"  # tmux sessions\n\n[[agent]]\nname = "main"\nkind = "persistent"\nbackend = "claude"\nprompt = "prompts/main.md"\nwatch = "heal"\n' "$prefix" > agents.toml
        [ -e prompts/main.md ] || echo "You are the main agent." > prompts/main.md
        """;

    public static EngineRepository Create(string folder)
    {
        var work = Path.Combine(folder, "engine-work");
        var bare = Path.Combine(folder, "engine.git");
        Directory.CreateDirectory(work);
        Shell.Git(work, "init", "-q", "-b", "main");
        File.WriteAllText(Path.Combine(work, "agents"), Harness.Replace("\r", "") + "\n");
        File.SetUnixFileMode(Path.Combine(work, "agents"), (UnixFileMode)0b111_101_101);
        File.WriteAllText(Path.Combine(work, "VERSION"), "0.1.0\n");
        Shell.Git(work, "add", "-A");
        Shell.Git(work, "commit", "-q", "-m", "engine 0.1.0");
        Shell.Git(work, "tag", "-a", "v0.1.0", "-m", "v0.1.0");
        File.WriteAllText(Path.Combine(work, "VERSION"), "0.2.0\n");
        Shell.Git(work, "commit", "-q", "-am", "engine 0.2.0");
        Shell.Git(work, "tag", "v0.2.0");
        File.WriteAllText(Path.Combine(work, "agents"), "#!/usr/bin/env bash\necho 'agents: init failed: disk full' >&2\nexit 1\n");
        Shell.Git(work, "commit", "-q", "-am", "an engine whose init fails");
        Shell.Git(work, "tag", "broken-init");
        Shell.Git(work, "reset", "-q", "--hard", "v0.2.0");
        Shell.Git(folder, "clone", "-q", "--bare", work, bare);
        return new EngineRepository(bare);
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
