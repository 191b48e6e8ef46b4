using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Orchestrator.Fleet;

namespace Orchestrator.Journal;

/// <summary>
/// The runs in flight against one registry, as records in a hidden folder beside it (<c>.fleet.toml.journal/</c>). A
/// run holds its record open with an exclusive lock, which the OS drops when the process dies however it dies: a
/// locked record is a live run, an unlocked one a killed run for the next run to finish or roll back. Records are made,
/// claimed and removed under the registry's lock, so two runs never take the same one.
/// </summary>
internal sealed class OperationJournal(AbsolutePath registryFile)
{
    /// <summary>Beside the file a symbolic link names, as the registry's lock is: every link to one registry shares one journal.</summary>
    public AbsolutePath Folder
    {
        get
        {
            var file = RegistryFile.Resolve(registryFile);
            return file.Parent! / $".{file.Name}.journal";
        }
    }

    /// <summary>
    /// Records that the run is about to change <paramref name="subject"/>; fails (exit 2) while another live run
    /// holds the same operation and subject, or a killed run's record waits to be recovered.
    /// </summary>
    public JournalEntry Begin<T>(string operation, string subject, T intent, JsonTypeInfo<T> intentJson)
    {
        var record = new JournalRecord(operation, subject, Environment.ProcessId, DateTimeOffset.Now, JsonSerializer.SerializeToElement(intent, intentJson));
        var path = RecordPath(operation, subject);
        return UnderRegistryLock(() =>
        {
            Directory.CreateDirectory(Folder);
            FileStream held;
            try
            {
                held = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (File.Exists(path))
            {
                ThrowIfRunning(operation, subject);
                throw new TargetFailedException($"an interrupted {operation} of '{subject}' is waiting to be finished or rolled back; run the command again", 2);
            }
            held.Write(JsonSerializer.SerializeToUtf8Bytes(record, JournalJson.Default.JournalRecord));
            held.Flush(flushToDisk: true);
            return new JournalEntry(this, path, record, held);
        });
    }

    /// <summary>Fails (exit 2) while another live run holds the operation on the subject.</summary>
    public void ThrowIfRunning(string operation, string subject)
    {
        if (IsHeld(RecordPath(operation, subject)))
            throw new TargetFailedException($"{operation} of '{subject}' is already running in another runbook; wait for it to finish, then run again", 2);
    }

    /// <summary>Records of runs that died, each now held by this run until it completes or disposes it.</summary>
    public IReadOnlyList<JournalEntry> Abandoned()
    {
        if (!Folder.DirectoryExists())
            return [];
        return UnderRegistryLock(() =>
        {
            var entries = new List<JournalEntry>();
            foreach (var path in Directory.EnumerateFiles(Folder, "*.json").Order(StringComparer.Ordinal))
            {
                FileStream held;
                try
                {
                    held = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
                }
                catch (IOException e) when (RegistryFile.IsHeldByAnotherProcess(e) || !File.Exists(path))
                {
                    continue; // a live run's, or gone
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new TargetFailedException($"{path} cannot be read: {RegistryFile.Reason(e)}; fix that, or remove it if no runbook runs", 2);
                }
                var record = Read(held);
                if (record is null)
                {
                    // Killed while writing its record, so before its first change: nothing to recover.
                    File.Delete(path);
                    held.Dispose();
                    continue;
                }
                entries.Add(new JournalEntry(this, AbsolutePath.Create(path), record, held));
            }
            return entries;
        });
    }

    /// <summary>Removes a finished run's record, and the folder with the last one.</summary>
    internal void Remove(AbsolutePath path, FileStream held) =>
        UnderRegistryLock(() =>
        {
            File.Delete(path);
            held.Dispose();
            if (!Directory.EnumerateFileSystemEntries(Folder).Any())
                Directory.Delete(Folder);
            return true;
        });

    private static JournalRecord? Read(FileStream held)
    {
        try
        {
            return JsonSerializer.Deserialize(held, JournalJson.Default.JournalRecord);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private AbsolutePath RecordPath(string operation, string subject) => Folder / $"{operation}-{subject}.json";

    /// <summary>Held by a live run: the record exists and its lock is taken.</summary>
    private static bool IsHeld(string path)
    {
        if (!File.Exists(path))
            return false;
        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None);
            return false;
        }
        catch (IOException e) when (RegistryFile.IsHeldByAnotherProcess(e))
        {
            return true;
        }
        catch (FileNotFoundException)
        {
            return false; // finished meanwhile
        }
    }

    private T UnderRegistryLock<T>(Func<T> action)
    {
        Directory.CreateDirectory(Folder.Parent!);
        return RegistryFile.UnderLock(registryFile, action);
    }
}

/// <summary>One run's record, held (locked) by this process: completed when the run is done or undone, else left for recovery.</summary>
internal sealed class JournalEntry(OperationJournal journal, AbsolutePath path, JournalRecord record, FileStream held) : IDisposable
{
    private bool _closed;

    public JournalRecord Record { get; } = record;

    public T Intent<T>(JsonTypeInfo<T> intentJson) =>
        Record.Intent.Deserialize(intentJson) ?? throw new JsonException($"{path} holds no intent");

    /// <summary>The run finished or undid its work: the record goes.</summary>
    public void Complete()
    {
        if (_closed)
            return;
        _closed = true;
        journal.Remove(path, held);
    }

    /// <summary>Without <see cref="Complete"/>, the record stays for the next run to recover; only the lock is let go.</summary>
    public void Dispose()
    {
        if (_closed)
            return;
        _closed = true;
        held.Dispose();
    }
}
