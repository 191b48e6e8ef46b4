using System.Globalization;
using Engine.Agents.Config;
using Engine.Agents.Work.Config;
using Engine.Agents.Work.Model;

namespace Engine.Agents.Work.Backends;

/// <summary>How each backend runs a role headless: the argv, the environment and the prompt on stdin.</summary>
internal static class RoleCommand
{
    /// <summary>
    /// The prompt always goes on stdin: a planner's prompt carries whole context files, and one
    /// argument may hold at most 128 KiB (and would show in every process listing).
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

        return new ProcessLaunch(Argv(work, projectDir, role, model, budget), workingDirectory, environment, prompt);
    }

    /// <summary>The program that must be found for a role to run: "claude", "codex", or the role's command.</summary>
    public static string? Program(WorkConfig work, string projectDir, WorkRole role) => work.Backend switch
    {
        Backend.Claude => "claude",
        Backend.Codex => "codex",
        _ => work.CommandFor(role) is { } command ? Resolve(command[0], projectDir) : null,
    };

    private static IReadOnlyList<string> Argv(WorkConfig work, string projectDir, WorkRole role, string? model, double? budget)
    {
        var argv = new List<string>();
        switch (work.Backend)
        {
            case Backend.Claude:
                argv.AddRange(["claude", "-p", "--output-format", "stream-json", "--verbose", "--permission-mode", work.PermissionMode]);
                if (model is not null)
                    argv.AddRange(["--model", model]);
                if (budget is { } usd)
                    argv.AddRange(["--max-budget-usd", Number(usd)]);
                if (work.MaxTurns is { } turns)
                    argv.AddRange(["--max-turns", turns.ToString(CultureInfo.InvariantCulture)]);
                break;
            case Backend.Codex:
                argv.AddRange(["codex", "exec", "--json", "--sandbox", "workspace-write"]);
                if (model is not null)
                    argv.AddRange(["-m", model]);
                argv.Add("-");
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
