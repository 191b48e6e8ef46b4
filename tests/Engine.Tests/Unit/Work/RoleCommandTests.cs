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
    public void Claude_runs_headless_with_stream_json_and_the_prompt_as_its_argument()
    {
        var work = Work("backend = \"claude\"\nmodel = \"sonnet\"\nplanner_model = \"opus\"\nmax_budget_per_task = 0.5\nmax_turns = 30\n");

        var worker = RoleCommand.For(work, "/p", WorkRole.Worker, "do it", "/p/.ao-state/work/worktrees/t3", Task(3), Markers);
        var planner = RoleCommand.For(work, "/p", WorkRole.Planner, "plan", "/wt", null, Markers);

        Assert.Equal(["claude", "-p", "do it", "--output-format", "stream-json", "--verbose", "--model", "sonnet",
            "--permission-mode", "acceptEdits", "--max-budget-usd", "0.5", "--max-turns", "30"], worker.Argv);
        Assert.Null(worker.Stdin);
        Assert.Equal("/p/.ao-state/work/worktrees/t3", worker.WorkingDirectory);
        Assert.Equal(("worker", "t3", "task 3", "c1"), (worker.Environment["AGENTS_ROLE"], worker.Environment["AGENTS_TASK_ID"],
            worker.Environment["AGENTS_TASK_TITLE"], worker.Environment["AGENTS_WORK_CYCLE"]));
        // The budget is per task: the planner works for no task.
        Assert.Equal(["claude", "-p", "plan", "--output-format", "stream-json", "--verbose", "--model", "opus",
            "--permission-mode", "acceptEdits", "--max-turns", "30"], planner.Argv);
        Assert.False(planner.Environment.ContainsKey("AGENTS_TASK_ID"));
    }

    [Fact]
    public void Codex_runs_exec_json_in_the_workspace_sandbox_with_the_prompt_last()
    {
        var launch = RoleCommand.For(Work("backend = \"codex\"\nmodel = \"o4-mini\"\n"), "/p", WorkRole.Worker, "do it", "/wt", Task(1), Markers);

        Assert.Equal(["codex", "exec", "--json", "--sandbox", "workspace-write", "-m", "o4-mini", "do it"], launch.Argv);
        Assert.Null(launch.Stdin);
    }

    /// <summary>One argument holds at most 128 KiB, and a leading '-' would read as an option: stdin takes those.</summary>
    [Theory]
    [InlineData("claude")]
    [InlineData("codex")]
    public void A_prompt_that_cannot_be_an_argument_goes_on_stdin(string backend)
    {
        var work = Work($"backend = \"{backend}\"\n");
        var huge = "You are the planner.\n" + new string('x', 200 * 1024);

        foreach (var prompt in new[] { huge, "--help me" })
        {
            var launch = RoleCommand.For(work, "/p", WorkRole.Planner, prompt, "/wt", null, Markers);

            Assert.Equal(prompt, launch.Stdin);
            Assert.DoesNotContain(prompt, launch.Argv);
            Assert.Equal(backend == "claude" ? ["claude", "-p", "--output-format", "stream-json", "--verbose", "--permission-mode", "acceptEdits"]
                : ["codex", "exec", "--json", "--sandbox", "workspace-write", "-"], launch.Argv);
        }
    }

    [Fact]
    public void A_command_role_runs_its_array_with_paths_from_the_project_folder()
    {
        var work = Work("backend = \"command\"\nworker_command = [\"./bin/work\", \"--fast\"]\nplanner_command = [\"plan-it\"]\nmax_budget_per_task = 2\n");

        var worker = RoleCommand.For(work, "/p", WorkRole.Worker, "do it", "/wt", Task(1), Markers);

        Assert.Equal(["/p/bin/work", "--fast"], worker.Argv);
        Assert.Equal("do it", worker.Stdin);
        Assert.Equal("2", worker.Environment["AGENTS_MAX_BUDGET_USD"]);
        Assert.Equal(["plan-it"], RoleCommand.For(work, "/p", WorkRole.Planner, "", "/wt", null, Markers).Argv);
        Assert.Equal("/p/bin/work", RoleCommand.Program(work, "/p", WorkRole.Worker));
        Assert.Null(RoleCommand.Program(work, "/p", WorkRole.Resolver));
    }
}
