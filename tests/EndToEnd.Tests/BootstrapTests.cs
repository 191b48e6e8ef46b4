using TestSupport;

namespace EndToEnd.Tests;

[Collection(FreshCloneCollection.Name)]
public sealed class BootstrapTests(FreshClone clone)
{
    [Fact]
    public void Build_sh_builds_once_then_runs_the_compiled_runbook_directly()
    {
        var cold = clone.FirstRun;
        var warm = clone.SecondRun;

        Assert.True(cold.ExitCode == 0, cold.ToString());
        Assert.Contains("building the runbook", cold.Err);
        Assert.True(warm.ExitCode == 0, warm.ToString());
        Assert.Contains("FleetStatus (default)", warm.Out);
        Assert.DoesNotContain("building the runbook", warm.Err);
        Assert.Equal(cold.Out, warm.Out);
        Assert.False(Directory.Exists(Path.Combine(clone.Root, "build", "obj")), "the runbook's build must not write into build/");
    }

    [Fact]
    public void A_changed_source_rebuilds_the_runbook()
    {
        clone.BuildSh("--help");
        var source = Path.Combine(clone.Root, "build", "Build.cs");
        File.SetLastWriteTimeUtc(source, DateTime.UtcNow);
        var rebuilt = clone.BuildSh("--help");
        Assert.True(rebuilt.ExitCode == 0, rebuilt.ToString());
        Assert.Contains("building the runbook", rebuilt.Err);
    }

    [Fact]
    public void Build_cmd_hands_over_to_build_sh_from_a_posix_shell()
    {
        var outcome = Shell.Run(clone.Root, "sh", [Path.Combine(clone.Root, "build.cmd"), "--help"]);
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Contains("Usage: ./build.sh", outcome.Out);
    }

    [Fact]
    public void Usage_errors_exit_2_and_name_what_is_wrong()
    {
        var unknown = clone.BuildSh("ListFleat");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("Unknown target 'ListFleat'. Did you mean ListFleet?", unknown.Err);

        var missing = clone.BuildSh("GetProject");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("GetProject requires --project", missing.Err);

        var badValue = clone.BuildSh("ValidateFleet", "--parallel", "lots");
        Assert.Equal(2, badValue.ExitCode);
        Assert.Contains("--parallel: 'lots' is not a whole number", badValue.Err);
    }

    [Fact]
    public void Runs_from_a_subfolder_and_with_the_root_elsewhere()
    {
        var fromSubfolder = clone.Run(Path.Combine(clone.Root, "docs"), ["--help"]);
        Assert.True(fromSubfolder.ExitCode == 0, fromSubfolder.ToString());
    }

    [Fact]
    public void Files_that_must_run_everywhere_are_committed_executable_with_lf()
    {
        foreach (var script in new[] { "build.sh", "build.cmd", ".ci/run" })
        {
            var mode = Shell.Git(RepositoryRoot.Path, "ls-files", "-s", "--", script);
            Assert.StartsWith("100755", mode);
            Assert.DoesNotContain("\r", File.ReadAllText(Path.Combine(RepositoryRoot.Path, script)));
        }
    }
}
