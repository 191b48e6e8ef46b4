using Orchestrator.Fleet;
using Runbook;
using TestSupport;

namespace Fleet.Tests;

/// <summary>Registry edits on files that are not plain writable files: links, read-only files, folders, failing writes.</summary>
public sealed class RegistryFileTests : IDisposable
{
    private const string Fleet = """
        # The fleet.
        [defaults]
        engine_url = "./engine.git"
        ref = "v0.1.0"

        """;

    private static readonly ProjectEntry Api = new("api", "api", null, null, null, []);

    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private AbsolutePath Path(string relative) => AbsolutePath.Create(_folder[relative]);

    [Fact]
    public void An_edit_through_a_symbolic_link_changes_the_file_it_points_at_and_keeps_the_link()
    {
        _folder.Write("shared/fleet.toml", Fleet);
        File.CreateSymbolicLink(_folder["fleet.toml"], "shared/fleet.toml");

        FleetEdits.Save(Path("fleet.toml"), Api, dryRun: false);

        Assert.Equal("shared/fleet.toml", new FileInfo(_folder["fleet.toml"]).LinkTarget);
        Assert.Contains("name = \"api\"", File.ReadAllText(_folder["shared/fleet.toml"]));
        Assert.Equal("api", Assert.Single(FleetRegistry.Load(Path("fleet.toml")).Projects).Name);
        Assert.True(File.Exists(_folder["shared/fleet.toml.lock"]), "the lock belongs beside the file edited, so every link to it shares one lock");
    }

    [Fact]
    public void A_read_only_registry_is_refused_even_for_root_and_left_as_it_was()
    {
        var file = _folder.Write("fleet.toml", Fleet);
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var refused = Assert.Throws<TargetFailedException>(() => FleetEdits.Save(Path("fleet.toml"), Api, dryRun: false));

        Assert.Equal(2, refused.ExitCode);
        Assert.Equal($"{_folder["fleet.toml"]} is read-only, so the runbook leaves it as it is; make it writable (chmod u+w {_folder["fleet.toml"]}) to let the runbook edit it", refused.Message);
        Assert.Equal(Fleet, File.ReadAllText(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(file));
    }

    [Fact]
    public void A_failing_write_is_reported_at_once_as_what_it_is_not_as_a_held_lock()
    {
        var file = _folder.Write("fleet.toml", Fleet);
        // The file the edit writes first is made unwritable: a link that loops, so the OS refuses it with an I/O error.
        File.CreateSymbolicLink(_folder[$".fleet.toml.tmp-{Environment.ProcessId}"], $".fleet.toml.tmp-{Environment.ProcessId}");

        var failed = Assert.Throws<TargetFailedException>(() => FleetEdits.Save(Path("fleet.toml"), Api, dryRun: false));

        Assert.Equal(2, failed.ExitCode);
        Assert.Equal($"{_folder["fleet.toml"]} cannot be edited: too many levels of symbolic links (writing .fleet.toml.tmp-{Environment.ProcessId} beside it); nothing was changed", failed.Message);
        Assert.Equal(Fleet, File.ReadAllText(file));
    }

    [Fact]
    public void A_lock_held_by_another_writer_is_waited_for()
    {
        _folder.Write("fleet.toml", Fleet);
        var held = new FileStream(_folder["fleet.toml.lock"], FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        var editing = Task.Run(() => FleetEdits.Save(Path("fleet.toml"), Api, dryRun: false));
        Assert.False(editing.Wait(TimeSpan.FromMilliseconds(300)), "the edit went ahead while another writer held the lock");

        held.Dispose();

        Assert.Contains("+name = \"api\"", editing.GetAwaiter().GetResult());
    }

    [Fact]
    public void A_link_that_loops_is_one_sentence_and_could_not_run()
    {
        File.CreateSymbolicLink(_folder["fleet.toml"], "fleet.toml");

        foreach (var attempt in new Action[] { () => FleetRegistry.Load(Path("fleet.toml")), () => FleetEdits.Save(Path("fleet.toml"), Api, dryRun: false) })
        {
            var failed = Assert.Throws<TargetFailedException>(attempt);
            Assert.Equal(2, failed.ExitCode);
            Assert.Equal($"{_folder["fleet.toml"]} is a symbolic link that never reaches a file (it points at fleet.toml, which loops back); point it at the registry file", failed.Message);
        }
        Assert.Equal("fleet.toml", new FileInfo(_folder["fleet.toml"]).LinkTarget);
    }

    [Fact]
    public void A_folder_given_as_the_registry_says_so()
    {
        Directory.CreateDirectory(_folder["fleets"]);

        foreach (var attempt in new Action[] { () => FleetRegistry.Load(Path("fleets")), () => FleetRegistry.LoadOrEmpty(Path("fleets")), () => FleetEdits.Save(Path("fleets"), Api, dryRun: false) })
        {
            var failed = Assert.Throws<TargetFailedException>(attempt);
            Assert.Equal(2, failed.ExitCode);
            Assert.Equal($"{_folder["fleets"]} is a folder, not a registry file; pass the file, e.g. --fleet {_folder["fleets/fleet.toml"]}", failed.Message);
        }
    }

    [Fact]
    public void A_link_to_a_file_not_made_yet_is_where_the_first_edit_writes()
    {
        Directory.CreateDirectory(_folder["shared"]);
        File.CreateSymbolicLink(_folder["fleet.toml"], "shared/fleet.toml");

        Assert.Empty(FleetRegistry.LoadOrEmpty(Path("fleet.toml")).Projects);
        FleetEdits.Save(Path("fleet.toml"), Api with { EngineUrl = "./engine.git", Ref = "v0.1.0" }, dryRun: false);

        Assert.Equal("shared/fleet.toml", new FileInfo(_folder["fleet.toml"]).LinkTarget);
        Assert.Contains("name = \"api\"", File.ReadAllText(_folder["shared/fleet.toml"]));
    }
}
