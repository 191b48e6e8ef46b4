using Engine.Agents.Config;
using Engine.Agents.Launching;
using Engine.Agents.Processes;
using Engine.Agents.Supervision;
using Engine.Agents.Tmux;

namespace Engine.Agents.Commands;

/// <summary>Everything <c>up</c> checks before it starts anything; one line per problem.</summary>
internal static class Preflight
{
    public static IReadOnlyList<string> Check(Project project, IReadOnlyList<AgentSpec> agents, IReadOnlyList<TmuxPane>? panes)
    {
        var config = project.Config;
        var problems = new List<string>();
        if (Exec.FindOnPath("tmux") is null)
            problems.Add("tmux is not on PATH; install it (e.g. 'apt-get install tmux') and run 'agents up' again");

        foreach (var agent in agents)
        {
            var workdir = config.Resolve(agent.Workdir ?? ".");
            if (!Directory.Exists(workdir))
                problems.Add($"{agent.Where("workdir")}: agent '{agent.Name}': workdir '{agent.Workdir}' does not exist; create it or fix 'workdir'");
            else
                CheckProgram(agent, workdir, problems);

            CheckFile(config, agent, "prompt", agent.Prompt, problems);
            CheckFile(config, agent, "wake_prompt", agent.WakePrompt, problems);

            if (panes is not null && project.Observe(panes, agent) is PaneObservation.Foreign foreign)
                problems.Add($"{config.DisplayPath}: agent '{agent.Name}': tmux session '{config.SessionName(agent)}' already exists and was not started by this project ({Describe(foreign.Owner)}); "
                    + "change session_prefix or end that session yourself");
        }
        return problems;
    }

    private static void CheckProgram(AgentSpec agent, string workdir, List<string> problems)
    {
        var program = LaunchPlan.Program(agent);
        var key = agent.Backend == Backend.Command ? "command" : "backend";
        if (program.Contains('/'))
        {
            var path = Path.GetFullPath(program, workdir);
            if (!File.Exists(path))
                problems.Add($"{agent.Where(key)}: agent '{agent.Name}': program '{program}' does not exist (looked in {workdir}); fix 'command'");
            else if (!Exec.IsExecutable(path))
                problems.Add($"{agent.Where(key)}: agent '{agent.Name}': program '{program}' is not executable; run 'chmod +x {program}'");
        }
        else if (Exec.FindOnPath(program) is null)
        {
            var hint = agent.Backend switch
            {
                Backend.Claude => "install Claude Code and put 'claude' on PATH",
                Backend.Codex => "install the Codex CLI and put 'codex' on PATH",
                _ => "install it or fix 'command'",
            };
            problems.Add($"{agent.Where(key)}: agent '{agent.Name}': '{program}' is not on PATH; {hint}");
        }
    }

    private static void CheckFile(ProjectConfig config, AgentSpec agent, string key, string? file, List<string> problems)
    {
        if (file is not null && !File.Exists(config.Resolve(file)))
            problems.Add($"{agent.Where(key)}: agent '{agent.Name}': {key} file '{file}' does not exist; create it or fix '{key}'");
    }

    private static string Describe(string owner) => owner.Length == 0 ? "it has no owner mark" : $"it belongs to {owner}";
}
