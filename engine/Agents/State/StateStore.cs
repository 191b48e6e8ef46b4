using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Engine.Agents.State;

/// <summary>
/// Reads and writes the state files. Every write goes to a temporary file renamed over the old one,
/// so a reader (or a watchdog killed mid-write) never sees half a file.
/// </summary>
internal sealed class StateStore(StateLayout layout)
{
    public StateLayout Layout { get; } = layout;

    public AgentRecord? ReadAgent(string name) => Read(Layout.AgentFile(name), StateJson.Default.AgentRecord);

    public void WriteAgent(AgentRecord record) =>
        Write(Layout.AgentFile(record.Name), record, StateJson.Default.AgentRecord, durable: true);

    public WatchdogHeartbeat? ReadHeartbeat() => Read(Layout.Heartbeat, StateJson.Default.WatchdogHeartbeat);

    /// <summary>The heartbeat is rewritten every few seconds, so it skips the flush to disk.</summary>
    public void WriteHeartbeat(WatchdogHeartbeat heartbeat) =>
        Write(Layout.Heartbeat, heartbeat, StateJson.Default.WatchdogHeartbeat, durable: false);

    public void DeleteHeartbeat() => File.Delete(Layout.Heartbeat);

    private static T? Read<T>(string path, JsonTypeInfo<T> type) where T : class
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize(stream, type);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
        catch (JsonException)
        {
            // Only a crash of the machine between write and rename leaves a bad file; start afresh.
            return null;
        }
    }

    private static void Write<T>(string path, T value, JsonTypeInfo<T> type, bool durable)
    {
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, value, type);
            if (durable)
                stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }
}
