using Engine.Agents.Config;
using Engine.Agents.State;
using Engine.Agents.Tmux;

namespace Engine.Agents.Launching;

/// <summary>How each backend is started: the argv tmux runs and the environment it gets.</summary>
internal static class LaunchPlan
{
    // bash reads the environment the engine handed over (see EnvironmentHandoff) from the file named
    // by its first argument, deletes the file, and execs the agent's argv: the rest of "$@". The
    // prompt is read from its file when the agent starts rather than passed through tmux, whose
    // command size is limited. These fixed scripts take all their data from "$@" and the file.
    private const string TakeEnvironment = """
        exec 3<"$1" || exit 126
        rm -f -- "$1"
        shift
        while IFS= read -r -d '' variable <&3; do export -- "$variable"; done
        exec 3<&-

        """;
    private const string ExecArguments = TakeEnvironment + "exec \"$@\"";
    private const string ExecWithPromptLast = TakeEnvironment + "exec \"$@\" \"$(< \"$AGENTS_PROMPT_FILE\")\"";

    public static AgentLaunch For(ProjectConfig config, AgentSpec agent, StateLayout state, string? callerPath)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        // Agents get the caller's PATH, which preflight checked, not the one the tmux server started with.
        if (callerPath is not null)
            environment["PATH"] = callerPath;
        environment["AGENTS_PROJECT_DIR"] = config.ProjectDir;
        if (agent.Prompt is not null)
            environment["AGENTS_PROMPT_FILE"] = config.Resolve(agent.Prompt);
        foreach (var (name, value) in agent.Env)
            environment[name] = value;
        environment[AgentMarker.Name] = agent.Name;
        environment[AgentMarker.Owner] = config.ProjectDir;

        var environmentFile = state.EnvironmentFile(agent.Name);
        return new AgentLaunch(
            Session: config.SessionName(agent),
            Agent: agent.Name,
            WorkingDirectory: config.Resolve(agent.Workdir ?? "."),
            Argv: Argv(agent, environmentFile),
            Environment: environment,
            EnvironmentFile: environmentFile,
            LogFile: state.LogFile(agent.Name));
    }

    /// <summary>The program preflight must find on PATH (or at its path) for this agent.</summary>
    public static string Program(AgentSpec agent) => agent.Backend switch
    {
        Backend.Claude => "claude",
        Backend.Codex => "codex",
        _ => agent.Command[0],
    };

    private static IReadOnlyList<string> Argv(AgentSpec agent, string environmentFile)
    {
        IEnumerable<string> program = (agent.Backend, agent.Kind) switch
        {
            (Backend.Command, _) => agent.Command,
            (Backend.Claude, AgentKind.Persistent) => ["claude", .. agent.Args],
            (Backend.Claude, AgentKind.Oneshot) => ["claude", "-p", .. agent.Args],
            (Backend.Codex, AgentKind.Persistent) => ["codex", .. agent.Args],
            (Backend.Codex, AgentKind.Oneshot) => ["codex", "exec", .. agent.Args],
            _ => throw new ArgumentOutOfRangeException(nameof(agent)),
        };
        var script = agent.Backend == Backend.Command ? ExecArguments : ExecWithPromptLast;
        // "bash -c SCRIPT NAME ARGS..." also keeps tmux from handing a one-word command to a shell.
        return ["bash", "-c", script, "agents-" + agent.Name, environmentFile, .. program];
    }
}
