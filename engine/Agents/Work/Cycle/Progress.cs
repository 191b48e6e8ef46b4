namespace Engine.Agents.Work.Cycle;

/// <summary>One line per event of a cycle, as it happens, for a person watching (or a log).</summary>
internal sealed class Progress(TextWriter output)
{
    private readonly Lock _gate = new();

    public void Line(string message)
    {
        lock (_gate)
        {
            output.WriteLine($"{DateTimeOffset.Now:HH:mm:ss} {message}");
            output.Flush();
        }
    }
}
