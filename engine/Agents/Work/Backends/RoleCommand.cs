using System.Globalization;
using System.Text;
using Engine.Agents.Config;
using Engine.Agents.Work.Config;
using Engine.Agents.Work.Model;

namespace Engine.Agents.Work.Backends;

/// <summary>How each backend runs a role headless: the argv, the environment and the prompt on stdin.</summary>
internal static class RoleCommand
{
    /// <summary>
    /// claude and codex get the prompt as their argument (<c>claude -p PROMPT</c>, <c>codex exec ... PROMPT</c>)
    /// when it can be one, else on stdin; a command always reads it on stdin.
    /// </summary>
    public static ProcessLaunch For(WorkConfig work, string projectDir, WorkRole role, string prompt, string workingDirectory,
        WorkTask? task, IReadOnlyDictionary<string, string> markers)
    {
        var model = work.ModelFor(role);
        var budget = task is null ? null : work.MaxBudgetPerTask;
        var environment = new Dictionary<string, string>(markers, StringComparer.Ordinal)
        {
            ["AGENTS_ROLE"] = role.Name(),
            ["AGENTS_PROJECT_DIR"] = projectDir,
        };
        if (task is not null)
        {
            environment["AGENTS_TASK_ID"] = task.Id;
            environment["AGENTS_TASK_TITLE"] = task.Title;
        }
        if (model is not null)
            environment["AGENTS_MODEL"] = model;
        if (budget is { } usd)
            environment["AGENTS_MAX_BUDGET_USD"] = Number(usd);

        var asArgument = work.Backend != Backend.Command && FitsAnArgument(prompt);
        return new ProcessLaunch(Argv(work, projectDir, role, model, budget, asArgument ? prompt : null), workingDirectory, environment,
            asArgument ? null : prompt);
    }

    /// <summary>
    /// One argument holds at most 128 KiB on Linux (a planner's prompt carries whole context files), and
    /// a prompt that starts with '-' would read as an option: such a prompt goes on stdin, where
    /// <c>claude -p</c> without a prompt and <c>codex exec -</c> read it.
    /// </summary>
    private static bool FitsAnArgument(string prompt) =>
        prompt.Length > 0 && prompt[0] != '-' && !prompt.Contains('\0') && Encoding.UTF8.GetByteCount(prompt) <= LongestPromptArgument;

    private const int LongestPromptArgument = 100 * 1024;

    /// <summary>The program that must be found for a role to run: "claude", "codex", or the role's command.</summary>
    public static string? Program(WorkConfig work, string projectDir, WorkRole role) => work.Backend switch
    {
        Backend.Claude => "claude",
        Backend.Codex => "codex",
        _ => work.CommandFor(role) is { } command ? Resolve(command[0], projectDir) : null,
    };

    /// <param name="prompt">The prompt as an argument; null when it goes on stdin.</param>
    private static IReadOnlyList<string> Argv(WorkConfig work, string projectDir, WorkRole role, string? model, double? budget, string? prompt)
    {
        var argv = new List<string>();
        switch (work.Backend)
        {
            case Backend.Claude:
                argv.AddRange(["claude", "-p"]);
                if (prompt is not null)
                    argv.Add(prompt);
                argv.AddRange(["--output-format", "stream-json", "--verbose"]);
                if (model is not null)
                    argv.AddRange(["--model", model]);
                argv.AddRange(["--permission-mode", work.PermissionMode]);
                if (budget is { } usd)
                    argv.AddRange(["--max-budget-usd", Number(usd)]);
                if (work.MaxTurns is { } turns)
                    argv.AddRange(["--max-turns", turns.ToString(CultureInfo.InvariantCulture)]);
                break;
            case Backend.Codex:
                argv.AddRange(["codex", "exec", "--json", "--sandbox", "workspace-write"]);
                if (model is not null)
                    argv.AddRange(["-m", model]);
                argv.Add(prompt ?? "-");
                break;
            default:
                var command = work.CommandFor(role)
                    ?? throw new InvalidOperationException($"no {role.Name()}_command; the cycle checks this before it starts");
                argv.Add(Resolve(command[0], projectDir));
                argv.AddRange(command.Skip(1));
                break;
        }
        return argv;
    }

    /// <summary>A program with a '/' is relative to the project folder (roles run in worktrees elsewhere); others are looked up on PATH.</summary>
    private static string Resolve(string program, string projectDir) =>
        program.Contains('/') ? Path.GetFullPath(program, projectDir) : program;

    private static string Number(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);
}
