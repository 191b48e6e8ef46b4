using System.Net;
using System.Text.Json;
using Orchestrator.Dashboard;
using TestSupport;

namespace Dashboard.Tests;

/// <summary>The JSON API on a real Kestrel (port 0) over the real fleet of <see cref="DashboardFleet"/>.</summary>
[Collection(DashboardCollection.Name)]
public sealed class ApiTests(DashboardFleet fleet)
{
    private static JsonElement ProjectIn(JsonElement state, string name) =>
        state.GetProperty("projects").EnumerateArray().Single(p => p.GetProperty("name").GetString() == name);

    [Fact]
    public async Task The_state_shows_every_project_as_its_harness_and_git_say()
    {
        var (status, state) = await fleet.GetAsync("/api/v1/state");

        Assert.Equal(200, status);
        Assert.Equal(["web", "api", "work", "slow", "idle", "away"], state.GetProperty("projects").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        var web = ProjectIn(state, "web");
        Assert.True(web.GetProperty("enabled").GetBoolean());
        Assert.Equal("v0.1.0", web.GetProperty("engine").GetProperty("ref").GetString());
        Assert.True(web.GetProperty("engine").GetProperty("in_sync").GetBoolean(), web.ToString());
        Assert.Equal(2, web.GetProperty("agents").GetProperty("total").GetInt32());
        Assert.Equal(["talker", "sleeper"], web.GetProperty("agents").GetProperty("list").EnumerateArray().Select(a => a.GetProperty("name").GetString()));
        Assert.Equal(JsonValueKind.Null, web.GetProperty("work").ValueKind);

        var work = ProjectIn(state, "work").GetProperty("work");
        Assert.Equal("stopped", work.GetProperty("heartbeat").GetString());
        Assert.False(work.GetProperty("paused").GetBoolean());
        // t1 merged by the fixture's cycle; t2 queued, unless another test's cycle merged it already.
        var merged = work.GetProperty("tasks").GetProperty("merged").GetInt32();
        Assert.InRange(merged, 1, 2);
        Assert.Equal(2 - merged, work.GetProperty("tasks").GetProperty("queued").GetInt32());
        Assert.Equal(0.25 * merged, work.GetProperty("cost_usd_today").GetDouble(), 6);
        Assert.Equal("succeeded", work.GetProperty("last_cycle").GetProperty("state").GetString());

        // Disabled and not cloned: in the list, with no harness asked.
        var idle = ProjectIn(state, "idle");
        Assert.False(idle.GetProperty("enabled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, idle.GetProperty("agents").ValueKind);
        var away = ProjectIn(state, "away");
        Assert.False(away.GetProperty("cloned").GetBoolean());
        Assert.False(away.GetProperty("engine").GetProperty("in_sync").GetBoolean());

        var totals = state.GetProperty("totals");
        Assert.Equal(6, totals.GetProperty("projects").GetInt32());
        Assert.Equal(5, totals.GetProperty("enabled").GetInt32());
        Assert.Equal(0.25 * merged, totals.GetProperty("cost_usd_today").GetDouble(), 6);
    }

    [Fact]
    public async Task A_project_its_tasks_and_its_history()
    {
        var (status, web) = await fleet.GetAsync("/api/v1/projects/web");
        Assert.Equal(200, status);
        var talker = web.GetProperty("agents").GetProperty("list").EnumerateArray().Single(a => a.GetProperty("name").GetString() == "talker");
        Assert.Equal(JsonValueKind.Number, talker.GetProperty("restarts").ValueKind);
        Assert.True(talker.TryGetProperty("last_output", out _));

        var (tasksStatus, tasks) = await fleet.GetAsync("/api/v1/projects/work/tasks");
        Assert.Equal(200, tasksStatus);
        Assert.True(tasks.GetProperty("work_cycles").GetBoolean());
        var list = tasks.GetProperty("tasks").EnumerateArray().ToList();
        Assert.Equal(["t1", "t2"], list.Select(t => t.GetProperty("id").GetString()));
        Assert.Equal("merged", list[0].GetProperty("state").GetString());
        Assert.Equal(["t1"], list[1].GetProperty("depends_on").EnumerateArray().Select(d => d.GetString()));

        var (historyStatus, history) = await fleet.GetAsync("/api/v1/projects/work/history");
        Assert.Equal(200, historyStatus);
        var cycle = history.GetProperty("cycles").EnumerateArray().Last();
        Assert.Equal("succeeded", cycle.GetProperty("state").GetString());
        Assert.Equal(0.25, cycle.GetProperty("cost_usd").GetDouble(), 6);

        // A project without work cycles has no tasks, and that is no error.
        var (noWorkStatus, noWork) = await fleet.GetAsync("/api/v1/projects/web/tasks");
        Assert.Equal(200, noWorkStatus);
        Assert.False(noWork.GetProperty("work_cycles").GetBoolean());
    }

    [Fact]
    public async Task Errors_are_json_with_a_message_and_the_right_status()
    {
        var (unknown, body) = await fleet.GetAsync("/api/v1/projects/nobody");
        Assert.Equal(404, unknown);
        Assert.Equal($"no project 'nobody' in {fleet.FleetFile}", body.GetProperty("message").GetString());
        Assert.Equal(404, (await fleet.GetAsync("/api/v1/projects/nobody/tasks")).Status);
        Assert.Equal(404, (await fleet.GetAsync("/api/v2/state")).Status);
        var (action, actionBody) = await fleet.PostAsync("/api/v1/projects/web/explode");
        Assert.Equal(404, action);
        Assert.Contains("the actions are start, stop, cycle, pause, resume", actionBody.GetProperty("message").GetString());
        var (away, awayBody) = await fleet.PostAsync("/api/v1/projects/away/start");
        Assert.Equal(409, away);
        Assert.Equal("refused", awayBody.GetProperty("state").GetString());
        Assert.Contains("has no local clone", awayBody.GetProperty("message").GetString());
        var (idle, idleBody) = await fleet.PostAsync("/api/v1/projects/idle/start");
        Assert.Equal(409, idle);
        Assert.Contains("is disabled in fleet.toml", idleBody.GetProperty("message").GetString());
        var (idleCycle, idleCycleBody) = await fleet.PostAsync("/api/v1/projects/idle/cycle");
        Assert.Equal(409, idleCycle);
        Assert.Contains("is disabled in fleet.toml", idleCycleBody.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_post_without_the_csrf_token_is_refused_and_changes_nothing()
    {
        var (status, body) = await fleet.PostAsync("/api/v1/projects/api/stop", csrf: false);

        Assert.Equal(403, status);
        Assert.Contains("CSRF token", body.GetProperty("message").GetString());
        Assert.Equal("running", fleet.AgentStates("api")["sleeper"]);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/projects/api/stop");
        request.Headers.Add("X-Dashboard-Csrf", "0000");
        using var forged = await fleet.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal("running", fleet.AgentStates("api")["sleeper"]);
    }

    [Fact]
    public async Task Stop_and_start_run_the_projects_harness_and_the_state_follows()
    {
        var (stopped, stop) = await fleet.PostAsync("/api/v1/projects/api/stop");
        Assert.True(stopped == 200, stop.ToString());
        Assert.Equal("succeeded", stop.GetProperty("state").GetString());
        Assert.Equal("stopped", fleet.AgentStates("api")["sleeper"]);
        var after = await Poll.UntilAsync(async () =>
        {
            var (_, state) = await fleet.GetAsync("/api/v1/projects/api");
            return state.GetProperty("agents").GetProperty("running").GetInt32() == 0 ? (object)state : null;
        }, "the state to show api's agents stopped");
        Assert.Equal("stop", ((JsonElement)after).GetProperty("action").GetProperty("action").GetString());

        var (started, start) = await fleet.PostAsync("/api/v1/projects/api/start");
        Assert.True(started == 200, start.ToString());
        Assert.Equal("running", fleet.AgentStates("api")["sleeper"]);
    }

    [Fact]
    public async Task Pause_resume_and_a_cycle_go_through_the_harness()
    {
        var (paused, pause) = await fleet.PostAsync("/api/v1/projects/work/pause");
        Assert.True(paused == 200, pause.ToString());
        Assert.True(fleet.Status("work").GetProperty("work").GetProperty("paused").GetBoolean());
        var (refused, cycleWhilePaused) = await fleet.PostAsync("/api/v1/projects/work/cycle?no_plan=1");
        Assert.True(refused == 409, cycleWhilePaused.ToString());
        Assert.Contains("paused", cycleWhilePaused.GetProperty("message").GetString());

        var (resumed, resume) = await fleet.PostAsync("/api/v1/projects/work/resume");
        Assert.True(resumed == 200, resume.ToString());
        Assert.False(fleet.Status("work").GetProperty("work").GetProperty("paused").GetBoolean());

        // A cycle answers at once or says it runs; either way its result ends up in the project's state.
        var (code, cycle) = await fleet.PostAsync("/api/v1/projects/work/cycle?no_plan=1");
        Assert.True(code is 200 or 202, cycle.ToString());
        var done = (JsonElement)await Poll.UntilAsync(async () =>
        {
            var (_, state) = await fleet.GetAsync("/api/v1/projects/work");
            return state.GetProperty("action") is { ValueKind: JsonValueKind.Object } action && action.GetProperty("state").GetString() != "running" ? (object)action : null;
        }, "the cycle to end");
        Assert.Equal("succeeded", done.GetProperty("state").GetString());
        Assert.Contains("merged t2", done.GetProperty("message").GetString());
        var (_, tasks) = await fleet.GetAsync("/api/v1/projects/work/tasks");
        Assert.All(tasks.GetProperty("tasks").EnumerateArray(), t => Assert.Equal("merged", t.GetProperty("state").GetString()));
    }

    [Fact]
    public async Task Concurrent_requests_share_one_gathering()
    {
        await fleet.GetAsync("/api/v1/state");
        // Past the freshness of the last answer (a gathering may be under way), then after an action (every request
        // must wait for a new one): fifty requests at once start one gathering at most, and get one answer.
        await Task.Delay(fleet.Server.State.Fresh + TimeSpan.FromMilliseconds(200));
        await FiftyAtOnceShareOneGathering();
        fleet.Server.State.Invalidate();
        await FiftyAtOnceShareOneGathering();
    }

    private async Task FiftyAtOnceShareOneGathering()
    {
        var before = fleet.Server.State.Gatherings;
        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => fleet.GetAsync("/api/v1/state")));
        Assert.All(answers, a => Assert.Equal(200, a.Status));
        Assert.InRange(fleet.Server.State.Gatherings - before, 0, 1);
        Assert.Single(answers.Select(a => a.Body.GetProperty("gathered_at").GetString()).Distinct());
    }
}
