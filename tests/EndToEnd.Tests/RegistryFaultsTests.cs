using TestSupport;

namespace EndToEnd.Tests;

/// <summary>Registries the runbook cannot use or cannot change: each is one sentence and exit 2, never an exception's text.</summary>
[Collection(FreshCloneCollection.Name)]
public sealed class RegistryFaultsTests(FreshClone clone) : IDisposable
{
    private const string Fleet = """
        [defaults]
        engine_url = "./engine.git"
        ref = "v0.1.0"

        """;

    private readonly FleetWorkspace _fleet = new(clone, Fleet);
    private readonly List<string> _mounts = [];

    public void Dispose()
    {
        foreach (var mount in _mounts)
            Shell.Run("/", "umount", [mount]);
        _fleet.Dispose();
    }

    private Outcome Run(string fleet, params string[] arguments) =>
        clone.Run(_fleet.Path, [.. arguments, "--fleet", fleet, "--no-logo"]);

    private static void CouldNotRun(Outcome outcome, string sentence)
    {
        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        var error = Assert.Single(outcome.Err.Split('\n'), line => line.StartsWith("error: "));
        Assert.Contains(sentence, error);
        Assert.DoesNotContain("Exception", outcome.Err);
    }

    [Fact]
    public void A_registry_linked_to_itself_is_one_sentence_and_exit_2()
    {
        File.CreateSymbolicLink(_fleet["loop.toml"], "loop.toml");
        var sentence = "loop.toml is a symbolic link that never reaches a file (it points at loop.toml, which loops back); point it at the registry file";
        CouldNotRun(Run("loop.toml", "ValidateFleet"), sentence);
        CouldNotRun(Run("loop.toml", "ListFleet"), sentence);
        CouldNotRun(Run("loop.toml", "RegisterProject", "--name", "api", "--location", "api"), sentence);
    }

    [Fact]
    public void A_folder_given_as_the_registry_is_named_as_one()
    {
        Directory.CreateDirectory(_fleet["fleets"]);
        var sentence = "fleets is a folder, not a registry file; pass the file, e.g. --fleet fleets/fleet.toml";
        CouldNotRun(Run("fleets", "ValidateFleet"), sentence);
        CouldNotRun(Run("fleets", "RegisterProject", "--name", "api", "--location", "api"), sentence);
    }

    [Fact]
    public void A_symlinked_registry_gets_the_entry_and_stays_a_link()
    {
        Directory.CreateDirectory(_fleet["shared"]);
        File.Move(_fleet.FleetFile, _fleet["shared/fleet.toml"]);
        File.CreateSymbolicLink(_fleet.FleetFile, "shared/fleet.toml");

        var registered = _fleet.Run("RegisterProject", "--name", "api", "--location", "api");

        Assert.True(registered.ExitCode == 0, registered.ToString());
        Assert.Equal("shared/fleet.toml", new FileInfo(_fleet.FleetFile).LinkTarget);
        Assert.Contains("name = \"api\"", File.ReadAllText(_fleet["shared/fleet.toml"]));
    }

    [Fact]
    public void A_read_only_registry_is_refused_with_a_sentence()
    {
        File.SetUnixFileMode(_fleet.FleetFile, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var sentence = "fleet.toml is read-only, so the runbook leaves it as it is; make it writable (chmod u+w fleet.toml) to let the runbook edit it";
        CouldNotRun(_fleet.Run("RegisterProject", "--name", "api", "--location", "api"), sentence);
        CouldNotRun(_fleet.Run("CreateProject", "--name", "api", "--register"), sentence);
        Assert.False(Directory.Exists(_fleet["projects"]), "CreateProject --register made the project before finding the registry read-only");
        Assert.Equal(Fleet, _fleet.Fleet);
    }

    [MountFact]
    public void A_registry_on_a_read_only_mount_is_refused_with_a_sentence()
    {
        var folder = Mount("ro", "size=64k");
        File.WriteAllText(Path.Combine(folder, "fleet.toml"), Fleet);
        Assert.Equal(0, Shell.Run("/", "mount", ["-o", "remount,ro", folder]).ExitCode);

        CouldNotRun(Run(Path.Combine(folder, "fleet.toml"), "RegisterProject", "--name", "api", "--location", "api"),
            "ro/fleet.toml cannot be edited: read-only file system (taking the lock fleet.toml.lock); nothing was changed");
        Assert.Equal(Fleet, File.ReadAllText(Path.Combine(folder, "fleet.toml")));
    }

    [MountFact]
    public void A_full_disk_is_reported_at_once_not_as_a_held_lock()
    {
        var folder = Mount("full", "size=64k");
        File.WriteAllText(Path.Combine(folder, "fleet.toml"), Fleet);
        using (var filler = File.Create(Path.Combine(folder, "filler")))
        {
            try
            {
                while (true)
                    filler.Write(new byte[4096]);
            }
            catch (IOException)
            {
                // The disk is full.
            }
        }

        CouldNotRun(Run(Path.Combine(folder, "fleet.toml"), "RegisterProject", "--name", "api", "--location", "api"),
            "full/fleet.toml cannot be edited: no space left on device (writing .fleet.toml.tmp-");
        Assert.Equal(Fleet, File.ReadAllText(Path.Combine(folder, "fleet.toml")));
    }

    private string Mount(string name, string options)
    {
        var folder = _fleet[name];
        Directory.CreateDirectory(folder);
        var mounted = Shell.Run("/", "mount", ["-t", "tmpfs", "-o", options, "tmpfs", folder]);
        Assert.True(mounted.ExitCode == 0, mounted.ToString());
        _mounts.Add(folder);
        return folder;
    }
}

/// <summary>A test that needs to mount a small tmpfs (root, or the capability to mount): skipped, saying so, where that is impossible.</summary>
public sealed class MountFactAttribute : FactAttribute
{
    private static readonly Lazy<bool> CanMount = new(() =>
    {
        var folder = Directory.CreateTempSubdirectory("po-mount-probe-").FullName;
        try
        {
            var mounted = Shell.Run("/", "mount", ["-t", "tmpfs", "-o", "size=16k", "tmpfs", folder]).ExitCode == 0;
            if (mounted)
                Shell.Run("/", "umount", [folder]);
            return mounted;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
        finally
        {
            Directory.Delete(folder);
        }
    });

    public MountFactAttribute()
    {
        if (!CanMount.Value)
            Skip = "needs to mount a tmpfs (root or CAP_SYS_ADMIN), which this machine does not allow";
    }
}
