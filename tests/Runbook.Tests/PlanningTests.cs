using Runbook;

namespace Runbook.Tests;

public sealed class PlanningTests : IDisposable
{
    private readonly BuildHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private sealed class Pipeline : NukeBuild
    {
        public readonly List<string> Ran = [];

        Target Restore => _ => _.Executes(() => Ran.Add(nameof(Restore)));
        Target Compile => _ => _.DependsOn(Restore).Executes(() => Ran.Add(nameof(Compile)));
        Target Test => _ => _.DependsOn(Compile).Executes(() => Ran.Add(nameof(Test)));
        Target Pack => _ => _.DependsOn(Compile).Executes(() => Ran.Add(nameof(Pack)));
        Target Publish => _ => _.DependsOn(Pack).Executes(() => Ran.Add(nameof(Publish)));
        Target Clean => _ => _.Before(Restore).Executes(() => Ran.Add(nameof(Clean)));
        Target Lint => _ => _.After(Test).Executes(() => Ran.Add(nameof(Lint)));
        Target Announce => _ => _.TriggeredBy(Publish).Executes(() => Ran.Add(nameof(Announce)));
        Target Notify => _ => _.Executes(() => Ran.Add(nameof(Notify)));
        Target Deploy => _ => _.Triggers(Notify).DependsOn(Pack).Executes(() => Ran.Add(nameof(Deploy)));
        Target Docs => _ => _.DependentFor(Pack).Executes(() => Ran.Add(nameof(Docs)));
    }

    private List<string> Ran(string commandLine, string[]? defaults = null)
    {
        var result = _harness.Run<Pipeline>(commandLine, defaults: defaults);
        Assert.True(result.ExitCode == 0, result.Err);
        return result.Build.Ran;
    }

    [Fact]
    public void Dependencies_run_first_and_transitively() =>
        Assert.Equal(["Restore", "Compile", "Test"], Ran("Test"));

    [Fact]
    public void Independent_targets_run_in_the_order_typed()
    {
        Assert.Equal(["Notify", "Restore"], Ran("Notify Restore"));
        Assert.Equal(["Restore", "Notify"], Ran("Restore Notify"));
    }

    [Fact]
    public void Ordering_edges_order_but_never_pull_a_target_in()
    {
        Assert.Equal(["Restore", "Compile", "Test"], Ran("Test"));
        Assert.Equal(["Clean", "Restore"], Ran("Restore Clean"));
        Assert.Equal(["Restore", "Compile", "Test", "Lint"], Ran("Lint Test"));
    }

    [Fact]
    public void Triggered_targets_join_the_plan_and_run_after_their_trigger()
    {
        Assert.Equal(["Restore", "Compile", "Docs", "Pack", "Publish", "Announce"], Ran("Publish"));
        Assert.Equal(["Restore", "Compile", "Docs", "Pack", "Deploy", "Notify"], Ran("Deploy"));
    }

    [Fact]
    public void Dependent_for_makes_the_target_a_dependency() =>
        Assert.Equal(["Restore", "Compile", "Docs", "Pack"], Ran("Pack"));

    [Fact]
    public void Names_match_ignoring_case_and_dashes() =>
        Assert.Equal(["Restore", "Compile"], Ran("COM-PILE"));

    [Fact]
    public void Target_option_and_default_target_select_what_runs()
    {
        Assert.Equal(["Notify", "Restore"], Ran("--target notify restore"));
        Assert.Equal(["Restore", "Compile"], Ran("", defaults: ["Compile"]));
    }

    [Fact]
    public void Unknown_target_fails_with_the_available_ones_and_runs_nothing()
    {
        var result = _harness.Run<Pipeline>("Compil Test");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Unknown target 'Compil'. Did you mean Compile? Available targets: Restore, Compile, Test", result.Err);
        Assert.Empty(result.Build.Ran);
    }

    private sealed class Cyclic : NukeBuild
    {
        public bool Ran;
        Target A => _ => _.DependsOn(B).Executes(() => Ran = true);
        Target B => _ => _.After(C).Executes(() => Ran = true);
        Target C => _ => _.DependsOn(A).Executes(() => Ran = true);
        Target Unrelated => _ => _.Executes(() => Ran = true);
    }

    [Fact]
    public void A_cycle_fails_before_anything_runs_and_is_spelled_out()
    {
        var result = _harness.Run<Cyclic>("Unrelated");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Circular dependency: A -> C -> B -> A", result.Err);
        Assert.False(result.Build.Ran);
    }

    [Fact]
    public void Skip_cascades_to_dependencies_nothing_else_needs()
    {
        var result = _harness.Run<Pipeline>("Publish --skip Pack");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["Publish", "Announce"], result.Build.Ran);
        Assert.Matches(@"Compile\s+Skipped\s+// needed only by skipped Pack", result.Err);
        Assert.Matches(@"Pack\s+Skipped\s+// --skip", result.Err);
    }

    [Fact]
    public void Skip_keeps_a_dependency_another_target_still_needs() =>
        Assert.Equal(["Restore", "Compile", "Publish", "Announce", "Test"], Ran("Publish Test --skip Pack"));

    [Fact]
    public void Bare_skip_runs_only_the_invoked_targets() =>
        Assert.Equal(["Test", "Notify"], Ran("Test Notify --skip"));

    private sealed class Conditional : NukeBuild
    {
        public readonly List<string> Ran = [];
        public bool Enabled;
        bool Ready;

        Target Prepare => _ => _.Executes(() => Ran.Add(nameof(Prepare)));
        Target Static => _ => _.DependsOn(Prepare).OnlyWhenStatic(() => Enabled).Executes(() => Ran.Add(nameof(Static)));
        Target StaticCascading => _ => _.DependsOn(Prepare).OnlyWhenStatic(() => Enabled).WhenSkipped(DependencyBehavior.Skip)
            .Executes(() => Ran.Add(nameof(StaticCascading)));
        Target MakeReady => _ => _.Executes(() => Ready = true);
        Target Dynamic => _ => _.After(MakeReady).OnlyWhenDynamic(() => Ready).Executes(() => Ran.Add(nameof(Dynamic)));
    }

    [Fact]
    public void A_false_static_condition_skips_the_target_but_runs_its_dependencies_by_default()
    {
        var result = _harness.Run<Conditional>("Static");
        Assert.Equal(["Prepare"], result.Build.Ran);
        Assert.Matches(@"Static\s+Skipped\s+// condition false: Enabled", result.Err);
    }

    [Fact]
    public void When_skipped_skip_cascades_to_dependencies() =>
        Assert.Empty(_harness.Run<Conditional>("StaticCascading").Build.Ran);

    [Fact]
    public void A_dynamic_condition_is_evaluated_just_before_the_target()
    {
        Assert.Equal(["Dynamic"], _harness.Run<Conditional>("MakeReady Dynamic").Build.Ran);
        Assert.Empty(_harness.Run<Conditional>("Dynamic").Build.Ran);
    }

    [Fact]
    public void Plan_prints_the_order_and_writes_a_mermaid_graph_without_running()
    {
        var result = _harness.Run<Pipeline>("Publish --plan --skip Docs");
        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Build.Ran);
        Assert.Contains("1. Restore", result.Out);
        Assert.Contains("3. Docs  (skipped: --skip)", result.Out);
        Assert.Contains("6. Announce", result.Out);
        var graph = File.ReadAllText(Path.Combine(_harness.Root, ".nuke", "temp", "plan.mmd"));
        Assert.Contains("Compile --> Pack", graph);
        Assert.Contains("Publish == triggers ==> Announce", graph);
        Assert.Contains("Docs[\"Docs\"]:::skipped", graph);
    }
}
