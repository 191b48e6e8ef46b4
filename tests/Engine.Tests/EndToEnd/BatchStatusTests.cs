using System.Text.Json;
using TestSupport;

namespace Engine.Tests.EndToEnd;

/// <summary>One <c>status --json</c> call reporting several projects, as a fleet-wide status asks for.</summary>
public sealed class BatchStatusTests : IDisposable
{
    private const string Sleeper = """
        [[agent]]
        name = "sleeper"
        backend = "command"
        command = ["sleep", "1000"]
        """;

    private readonly EngineProject _running = new(Sleeper);
    private readonly EngineProject _stopped = new(Sleeper);

    public void Dispose()
    {
        _running.Dispose();
        _stopped.Dispose();
    }

    [Fact]
    public void Several_configs_give_one_report_each_in_the_order_given()
    {
        _running.Succeeds("up");
        var configs = new[] { _stopped, _running }.SelectMany(p => new[] { "--config", Path.Combine(p.Dir, "agents.toml") });

        var batch = _running.Succeeds(["status", "--json", .. configs]);

        var reports = JsonDocument.Parse(batch.Out).RootElement.EnumerateArray().ToList();
        Assert.Equal([_stopped.Dir, _running.Dir], reports.Select(r => r.GetProperty("project").GetString()));
        Assert.Equal("stopped", EngineProject.State(reports[0].GetProperty("agents")[0]));
        Assert.Equal("running", EngineProject.State(reports[1].GetProperty("agents")[0]));
        Assert.Equal(_running.Status().GetProperty("agents")[0].GetProperty("pid").GetInt32(),
            reports[1].GetProperty("agents")[0].GetProperty("pid").GetInt32());
    }

    [Fact]
    public void A_broken_config_fails_the_whole_call_with_its_position()
    {
        _stopped.Write("agents.toml", "session_prefix = \n");
        var failed = _running.Run("status", "--json", "--config", Path.Combine(_running.Dir, "agents.toml"), "--config", Path.Combine(_stopped.Dir, "agents.toml"));
        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("agents.toml:1:", failed.Err);
    }
}
