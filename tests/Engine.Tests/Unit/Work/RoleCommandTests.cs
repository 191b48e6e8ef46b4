using Engine.Agents.Config;
using Engine.Agents.Work.Backends;
using Engine.Agents.Work.Config;
using Engine.Toml;
using static Engine.Tests.Unit.Work.Tasks;

namespace Engine.Tests.Unit.Work;

public sealed class RoleCommandTests
{
    private static readonly Dictionary<string, string> Markers = new() { ["AGENTS_WORK_CYCLE"] = "c1" };

    private static WorkConfig Work(string keys) =>
        ConfigLoader.Read(TomlDocument.Parse("session_prefix = \"p-\"\n[work]\n" + keys, "agents.toml").Root, "/p/agents.toml", "agents.toml", "/p", TimeZoneInfo.Utc).Work!;

    [Fact]
    public void Claude_runs_headless_with_stream_json_and_the_prompt_on_stdin()
    {
        var work = Work("backend = \"claude\"\nmodel = \"sonnet\"\nplanner_model = \"opus\"\nmax_budget_per_task = 0.5\nmax_turns = 30\n");

        var worker = RoleCommand.For(work, "/p", WorkRole.Worker, "do it", "/p/.ao-state/work/worktrees/t3", Task(3), Markers);
        var planner = RoleCommand.For(work, "/p", WorkRole.Planner, "plan", "/wt", null, Markers);

        Assert.Equal(["claude", "-p", "--output-format", "stream-json", "--verbose", "--permission-mode", "acceptEdits",
            "--model", "sonnet", "--max-budget-usd", "0.5", "--max-turns", "30"], worker.Argv);
        Assert.Equal("do it", worker.Stdin);
        Assert.Equal("/p/.ao-state/work/worktrees/t3", worker.WorkingDirectory);
        Assert.Equal(("worker", "t3", "task 3", "c1"), (worker.Environment["AGENTS_ROLE"], worker.Environment["AGENTS_TASK_ID"],
            worker.Environment["AGENTS_TASK_TITLE"], worker.Environment["AGENTS_WORK_CYCLE"]));
        // The budget is per task: the planner works for no task.
        Assert.Equal(["claude", "-p", "--output-format", "stream-json", "--verbose", "--permission-mode", "acceptEdits",
            "--model", "opus", "--max-turns", "30"], planner.Argv);
        Assert.False(planner.Environment.ContainsKey("AGENTS_TASK_ID"));
    }

    [Fact]
    public void Codex_runs_exec_json_in_the_workspace_sandbox_reading_stdin()
    {
        var launch = RoleCommand.For(Work("backend = \"codex\"\nmodel = \"o4-mini\"\n"), "/p", WorkRole.Worker, "do it", "/wt", Task(1), Markers);

        Assert.Equal(["codex", "exec", "--json", "--sandbox", "workspace-write", "-m", "o4-mini", "-"], launch.Argv);
        Assert.Equal("do it", launch.Stdin);
    }

    [Fact]
    public void A_command_role_runs_its_array_with_paths_from_the_project_folder()
    {
        var work = Work("backend = \"command\"\nworker_command = [\"./bin/work\", \"--fast\"]\nplanner_command = [\"plan-it\"]\nmax_budget_per_task = 2\n");

        var worker = RoleCommand.For(work, "/p", WorkRole.Worker, "do it", "/wt", Task(1), Markers);

        Assert.Equal(["/p/bin/work", "--fast"], worker.Argv);
        Assert.Equal("2", worker.Environment["AGENTS_MAX_BUDGET_USD"]);
        Assert.Equal(["plan-it"], RoleCommand.For(work, "/p", WorkRole.Planner, "", "/wt", null, Markers).Argv);
        Assert.Equal("/p/bin/work", RoleCommand.Program(work, "/p", WorkRole.Worker));
        Assert.Null(RoleCommand.Program(work, "/p", WorkRole.Resolver));
    }
}
