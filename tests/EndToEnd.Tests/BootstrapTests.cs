using TestSupport;

namespace EndToEnd.Tests;

[Collection(FreshCloneCollection.Name)]
public sealed class BootstrapTests(FreshClone clone)
{
    [Fact]
    public void Build_sh_runs_the_jit_build_at_once_then_the_native_binary_it_published_in_the_background()
    {
        var cold = clone.FirstRun;
        var warm = clone.SecondRun;
        var native = clone.NativeRun;

        Assert.True(cold.ExitCode == 0, cold.ToString());
        Assert.Contains("building the runbook for the first time", cold.Err);
        Assert.Contains("publishing the native runbook in the background", cold.Err);
        Assert.True(warm.ExitCode == 0, warm.ToString());
        Assert.Contains("FleetStatus (default)", warm.Out);
        Assert.Equal("", warm.Err);
        Assert.Equal(cold.Out, warm.Out);
        Assert.True(File.Exists(Path.Combine(clone.RunbookBuilds, "native", "_build")), clone.NativePublish);
        // With no dotnet on PATH only the native binary can answer, and the warm path asks for nothing else.
        Assert.True(native.ExitCode == 0, native + "\n--- native.log\n" + clone.NativePublish);
        Assert.Equal(cold.Out, native.Out);
        Assert.Equal("", native.Err);
        Assert.False(Directory.Exists(Path.Combine(clone.Root, "build", "obj")), "the runbook's build must not write into build/");
    }

    [Fact]
    public void An_added_a_deleted_and_an_edited_file_under_build_are_each_picked_up_by_the_next_run()
    {
        // No C compiler: each run uses the JIT build it compiled at once, and says what would make start-up faster.
        using var noCompiler = new RestrictedPath("gcc", "clang", "cc");
        Outcome Run() => clone.Run(clone.Root, ["--help"], noCompiler.Environment);
        var build = Path.Combine(clone.Root, "build");
        var fleetTargets = Path.Combine(build, "Build.Fleet.cs");
        var original = File.ReadAllText(fleetTargets);
        var times = new[] { build, fleetTargets }.ToDictionary(p => p, p => File.GetLastWriteTimeUtc(p));
        try
        {
            var added = Path.Combine(build, "Added.cs");
            File.WriteAllText(added, "class Added {\n");
            var withAdded = Run();
            Assert.True(withAdded.ExitCode == 2, withAdded.ToString());
            Assert.Contains("Added.cs", withAdded.Err);
            Assert.Contains("the runbook did not compile", withAdded.Err);

            File.Delete(added);
            var afterDelete = Run();
            Assert.True(afterDelete.ExitCode == 0, afterDelete.ToString());
            Assert.Contains("building the runbook (its sources changed", afterDelete.Err);
            Assert.Contains("no C compiler (clang or gcc) on PATH", afterDelete.Err);
            Assert.Equal(clone.FirstRun.Out, afterDelete.Out);

            File.WriteAllText(fleetTargets, original.Replace("List the projects: ", "List the edited projects: "));
            var edited = Run();
            Assert.True(edited.ExitCode == 0, edited.ToString());
            Assert.Contains("building the runbook (its sources changed", edited.Err);
            Assert.Contains("List the edited projects: ", edited.Out);

            // Nothing changed since: the JIT build runs at once, with no hint and no build.
            var warm = Run();
            Assert.True(warm.ExitCode == 0, warm.ToString());
            Assert.Contains("List the edited projects: ", warm.Out);
            Assert.Equal("", warm.Err);
        }
        finally
        {
            // As before the test, times included: the native runbook the other tests run is current again.
            File.WriteAllText(fleetTargets, original);
            foreach (var (path, time) in times)
                File.SetLastWriteTimeUtc(path, time);
        }
        var restored = clone.BuildSh("--help");
        Assert.True(restored.ExitCode == 0, restored.ToString());
        Assert.Equal(clone.FirstRun.Out, restored.Out);
        Assert.Equal("", restored.Err);
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
