using System.Reflection;
using System.Runtime.Versioning;
using Engine.Agents.Cli;
using Engine.Agents.Commands;
using Engine.Agents.Config;
using Engine.Agents.Launching;
using Engine.Agents.Supervision;
using Engine.Agents.Tmux;
using Engine.Agents.Work.Commands;

[assembly: SupportedOSPlatform("linux")]

namespace Engine.Agents;

internal static class Program
{
    private const int Success = 0, Failure = 1, BadUsage = 2;

    public static int Main(string[] args)
    {
        AgentMarker.ClearInherited();
        try
        {
            var invocation = CommandLine.Parse(args);
            return invocation.Verb switch
            {
                Verb.Help => PrintHelp(),
                Verb.Version => PrintVersion(),
                Verb.Init => InitCommand.Run(invocation),
                Verb.Up => UpCommand.Run(invocation),
                Verb.Down => DownCommand.Run(invocation),
                Verb.Status => StatusCommand.Run(invocation),
                Verb.Logs => LogsCommand.Run(invocation),
                Verb.Attach => AttachCommand.Run(invocation),
                Verb.Watchdog => new Watchdog(Project.Load(invocation)).Run(),
                Verb.Work => WorkCommands.Run(invocation),
                _ => throw new UsageException($"unhandled command {invocation.Verb}"),
            };
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"agents: {e.Message}");
            return BadUsage;
        }
        catch (ConfigException e)
        {
            Console.Error.WriteLine(e.Message);
            return Failure;
        }
        catch (Exception e) when (e is CommandFailedException or TmuxException)
        {
            Console.Error.WriteLine($"agents: {e.Message}");
            return Failure;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"agents: {e.Message}; check the path and its permissions");
            return Failure;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"agents: unexpected {e.GetType().Name}: {e.Message}; please report it with the command you ran");
            return Failure;
        }
    }

    private static int PrintHelp()
    {
        Console.WriteLine(CommandLine.Usage);
        return Success;
    }

    private static int PrintVersion()
    {
        var version = typeof(Program).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        Console.WriteLine(version ?? "unknown");
        return Success;
    }
}
