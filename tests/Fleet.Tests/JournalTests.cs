using System.Text.Json;
using System.Text.Json.Serialization;
using Orchestrator.Fleet;
using Orchestrator.Journal;
using Runbook;
using TestSupport;

namespace Fleet.Tests;

public sealed class JournalTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();
    private readonly OperationJournal _journal;

    public JournalTests() => _journal = new OperationJournal(AbsolutePath.Create(_folder["fleet.toml"]));

    public void Dispose() => _folder.Dispose();

    private JournalEntry Begin(string subject, string note = "n") => _journal.Begin("Op", subject, new Note(note), NoteJson.Default.Note);

    [Fact]
    public void A_completed_run_leaves_nothing()
    {
        var entry = Begin("api");
        Assert.True(File.Exists(_folder[".fleet.toml.journal/Op-api.json"]));
        entry.Complete();
        entry.Dispose();
        Assert.False(Directory.Exists(_folder[".fleet.toml.journal"]));
    }

    [Fact]
    public void A_live_run_holds_its_subject_and_is_not_taken_for_an_abandoned_one()
    {
        using var entry = Begin("api");
        var busy = Assert.Throws<TargetFailedException>(() => Begin("api"));
        Assert.Equal(2, busy.ExitCode);
        Assert.Equal("Op of 'api' is already running in another runbook; wait for it to finish, then run again", busy.Message);
        Assert.Throws<TargetFailedException>(() => _journal.ThrowIfRunning("Op", "api"));
        Assert.Empty(_journal.Abandoned());
        Begin("web").Complete();
    }

    [Fact]
    public void A_run_that_ended_without_completing_is_abandoned_with_what_it_meant_to_do()
    {
        Begin("api", "bump to v0.2.0").Dispose();
        _journal.ThrowIfRunning("Op", "api");
        var refused = Assert.Throws<TargetFailedException>(() => Begin("api"));
        Assert.Contains("an interrupted Op of 'api' is waiting to be finished or rolled back", refused.Message);

        var abandoned = Assert.Single(_journal.Abandoned());
        Assert.Equal(("Op", "api", Environment.ProcessId), (abandoned.Record.Operation, abandoned.Record.Subject, abandoned.Record.Pid));
        Assert.Equal("bump to v0.2.0", abandoned.Intent(NoteJson.Default.Note).Text);
        // Held now: another recovery does not take it too.
        Assert.Empty(_journal.Abandoned());
        abandoned.Complete();
        Assert.Empty(_journal.Abandoned());
        Assert.False(Directory.Exists(_folder[".fleet.toml.journal"]));
    }

    [Fact]
    public void A_record_cut_short_before_the_first_change_is_dropped()
    {
        _folder.Write(".fleet.toml.journal/Op-api.json", "{\"operation\": \"Op\", \"subj");
        Assert.Empty(_journal.Abandoned());
        Assert.False(File.Exists(_folder[".fleet.toml.journal/Op-api.json"]));
    }

    [Fact]
    public void Restoring_an_inherited_ref_removes_the_key_the_bump_added()
    {
        const string fleet = "[defaults]\nengine_url = \"../engine.git\"\nref = \"v0.1.0\"\n\n# API\n[[project]]\nname = \"api\"\nlocation = \"api\"   # here\n\n[[project]]\nname = \"web\"\nlocation = \"web\"\n";
        var file = AbsolutePath.Create(_folder.Write("fleet.toml", fleet));
        Assert.Null(FleetEdits.OwnRef(file, "api"));
        FleetEdits.SetRef(file, "api", "v0.2.0", dryRun: false);
        Assert.Equal("v0.2.0", FleetEdits.OwnRef(file, "api"));
        FleetEdits.SetRef(file, "api", null, dryRun: false);
        Assert.Equal(fleet, File.ReadAllText(file));
    }
}

public sealed record Note(string Text);

[JsonSerializable(typeof(Note))]
public sealed partial class NoteJson : JsonSerializerContext;
