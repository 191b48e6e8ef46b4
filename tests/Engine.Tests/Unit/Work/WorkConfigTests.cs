using Engine.Agents.Config;
using Engine.Agents.Work.Config;
using Engine.Toml;

namespace Engine.Tests.Unit.Work;

public sealed class WorkConfigTests
{
    private static ProjectConfig Read(string toml) =>
        ConfigLoader.Read(TomlDocument.Parse(toml, "agents.toml").Root, "/p/agents.toml", "agents.toml", "/p", TimeZoneInfo.Utc);

    private static string ErrorOf(string work) =>
        Assert.Throws<ConfigException>(() => Read("session_prefix = \"p-\"\n\n[work]\n" + work)).Message;

    [Fact]
    public void Every_key_of_the_contract_is_read()
    {
        var work = Read("""
            session_prefix = "p-"

            [work]
            backend = "claude"
            model = "sonnet"
            planner_model = "opus"
            reviewer_model = "haiku"
            max_workers = 4
            task_timeout = "20m"
            max_budget_per_task = 0.50
            max_budget_per_day = 10
            test = ["dotnet", "test"]
            lint = ["dotnet", "format", "--verify-no-changes"]
            ai_review = true
            context = ["README.md", "docs/design.md"]
            backlog = "BACKLOG.md"
            interval = "30m"
            pause_after_failures = 3
            gate_timeout = "5m"
            max_turns = 40
            permission_mode = "bypassPermissions"
            main_branch = "trunk"
            stale_after = "5m"
            stopped_after = "30m"
            """).Work!;

        Assert.Equal(Backend.Claude, work.Backend);
        Assert.Equal(("sonnet", "opus", "haiku", "sonnet"), (work.ModelFor(WorkRole.Worker), work.ModelFor(WorkRole.Planner), work.ModelFor(WorkRole.Reviewer), work.ModelFor(WorkRole.Resolver)));
        Assert.Equal(4, work.MaxWorkers);
        Assert.Equal(TimeSpan.FromMinutes(20), work.TaskTimeout);
        Assert.Equal((0.5, 10.0), (work.MaxBudgetPerTask, work.MaxBudgetPerDay));
        Assert.Equal([("test", ["dotnet", "test"]), ("lint", ["dotnet", "format", "--verify-no-changes"])],
            work.Gate().Select(g => (g.Name, g.Argv.ToArray())));
        Assert.True(work.AiReview);
        Assert.Equal(["README.md", "docs/design.md"], work.Context);
        Assert.Equal("BACKLOG.md", work.Backlog);
        Assert.Equal(TimeSpan.FromMinutes(30), work.Interval);
        Assert.Equal(3, work.PauseAfterFailures);
        Assert.Equal(TimeSpan.FromMinutes(5), work.GateTimeout);
        Assert.Equal(40, work.MaxTurns);
        Assert.Equal("bypassPermissions", work.PermissionMode);
        Assert.Equal("trunk", work.MainBranch);
        Assert.Equal((TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30)), (work.Heartbeat.StaleAfter, work.Heartbeat.StoppedAfter));
    }

    [Fact]
    public void A_minimal_work_table_gets_the_defaults_and_needs_no_agent()
    {
        var config = Read("session_prefix = \"p-\"\n\n[work]\nbackend = \"command\"\nworker_command = [\"./work.sh\"]\n");

        Assert.Empty(config.Agents);
        var work = config.Work!;
        Assert.Equal((3, TimeSpan.FromMinutes(15), 5, "acceptEdits"), (work.MaxWorkers, work.TaskTimeout, work.PauseAfterFailures, work.PermissionMode));
        Assert.Empty(work.Gate());
        Assert.Null(work.Interval);
        Assert.Equal(["./work.sh"], work.CommandFor(WorkRole.Worker));
        Assert.Null(work.CommandFor(WorkRole.Planner));
    }

    [Fact]
    public void Without_work_a_project_still_needs_an_agent() =>
        Assert.Contains("no [[agent]] table", Assert.Throws<ConfigException>(() => Read("session_prefix = \"p-\"\n")).Message);

    [Theory]
    [InlineData("backend = \"gpt\"", "agents.toml:4:11: backend must be 'claude' or 'codex' or 'command', not 'gpt'")]
    [InlineData("model = \"sonnet\"", "agents.toml:3:1: [work] has no backend")]
    [InlineData("backend = \"command\"", "agents.toml:3:1: [work] has backend \"command\" but no worker_command")]
    [InlineData("backend = \"claude\"\nworker_command = [\"x\"]", "agents.toml:5:18: worker_command is only for backend \"command\"")]
    [InlineData("backend = \"claude\"\nmax_workers = 0", "agents.toml:5:15: max_workers must be from 1 to 64, not 0")]
    [InlineData("backend = \"claude\"\nmax_workers = \"3\"", "agents.toml:5:15: max_workers must be a whole number")]
    [InlineData("backend = \"claude\"\ntask_timeout = \"soon\"", "agents.toml:5:16: task_timeout 'soon' is not a duration")]
    [InlineData("backend = \"claude\"\ntest = \"dotnet test\"", "agents.toml:5:8: test must be an array of strings")]
    [InlineData("backend = \"claude\"\ntest = []", "agents.toml:5:8: test must name a program")]
    [InlineData("backend = \"claude\"\nmax_budget_per_day = -1", "agents.toml:5:22: max_budget_per_day must be more than 0")]
    [InlineData("backend = \"claude\"\nai_review = \"yes\"", "agents.toml:5:13: ai_review must be true or false")]
    [InlineData("backend = \"claude\"\ninterval = \"500ms\"", "agents.toml:5:12: interval must be at least 1s")]
    [InlineData("backend = \"claude\"\nstale_after = \"2h\"", "stale_after must be shorter than stopped_after")]
    [InlineData("backend = \"command\"\nworker_command = [\"w\"]\nai_review = true", "agents.toml:6:13: [work] has ai_review = true but no reviewer_command")]
    [InlineData("backend = \"claude\"\nworkers = 3", "agents.toml:5:1: unknown [work] key 'workers'; the keys are backend, model")]
    public void Mistakes_are_reported_at_their_line_and_column(string work, string message) =>
        Assert.Contains(message, ErrorOf(work));
}
