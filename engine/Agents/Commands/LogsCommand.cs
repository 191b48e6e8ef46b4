using Engine.Agents.Cli;

namespace Engine.Agents.Commands;

/// <summary><c>logs AGENT [--follow]</c>: the agent's output log, and with --follow what it prints next.</summary>
internal static class LogsCommand
{
    private static readonly TimeSpan FollowPoll = TimeSpan.FromMilliseconds(200);

    public static int Run(Invocation invocation)
    {
        var project = Project.Load(invocation);
        var agent = project.Select(invocation.Operands)[0];
        var path = project.Store.Layout.LogFile(agent.Name);
        if (!File.Exists(path) && !invocation.Follow)
            throw new CommandFailedException($"agent '{agent.Name}' has no log yet ({path}); start it with 'agents up {agent.Name}'");

        using var output = Console.OpenStandardOutput();
        var position = Copy(path, 0, output);
        if (!invocation.Follow)
            return 0;

        using var interrupted = new ManualResetEventSlim();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            interrupted.Set();
        };
        while (!interrupted.Wait(FollowPoll))
            position = Copy(path, position, output);
        return 0;
    }

    /// <summary>Copies the log from <paramref name="position"/> on; starts over when the log was rotated.</summary>
    private static long Copy(string path, long position, Stream output)
    {
        try
        {
            using var log = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (log.Length < position)
                position = 0;
            log.Position = position;
            log.CopyTo(output);
            output.Flush();
            return log.Position;
        }
        catch (FileNotFoundException)
        {
            return 0;
        }
    }
}
