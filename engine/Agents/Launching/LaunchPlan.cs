using Engine.Agents.Config;
using Engine.Agents.State;
using Engine.Agents.Tmux;

namespace Engine.Agents.Launching;

/// <summary>How each backend is started: the argv tmux runs and the environment it gets.</summary>
internal static class LaunchPlan
{
    // The prompt is read from its file when the agent starts rather than passed through tmux, whose
    // command size is limited; these fixed scripts take all their data from "$@" and the environment.
    private const string ExecArguments = "exec \"$@\"";
    private const string ExecWithPromptLast = "exec \"$@\" \"$(cat -- \"$AGENTS_PROMPT_FILE\")\"";

    public static AgentLaunch For(ProjectConfig config, AgentSpec agent, StateLayout state, string? callerPath)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        // Agents get the caller's PATH, which preflight checked, not the one the tmux server started with.
        if (callerPath is not null)
            environment["PATH"] = callerPath;
        environment["AGENTS_NAME"] = agent.Name;
        environment["AGENTS_PROJECT_DIR"] = config.ProjectDir;
        if (agent.Prompt is not null)
            environment["AGENTS_PROMPT_FILE"] = config.Resolve(agent.Prompt);
        foreach (var (name, value) in agent.Env)
            environment[name] = value;

        return new AgentLaunch(
            Session: config.SessionName(agent),
            Agent: agent.Name,
            WorkingDirectory: config.Resolve(agent.Workdir ?? "."),
            Argv: Argv(agent),
            Environment: environment,
            LogFile: state.LogFile(agent.Name));
    }

    /// <summary>The program preflight must find on PATH (or at its path) for this agent.</summary>
    public static string Program(AgentSpec agent) => agent.Backend switch
    {
        Backend.Claude => "claude",
        Backend.Codex => "codex",
        _ => agent.Command[0],
    };

    private static IReadOnlyList<string> Argv(AgentSpec agent)
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
        // "sh -c SCRIPT NAME ARGS..." also keeps tmux from handing a one-word command to a shell.
        return ["sh", "-c", script, "agents-" + agent.Name, .. program];
    }
}
