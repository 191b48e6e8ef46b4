using System.Runtime.InteropServices;
using Orchestrator.Dashboard;

// The dashboard server, started by the runbook's Serve target: dashboard-server --fleet FILE --host H --port P, the
// token (if any) in DASHBOARD_TOKEN. It serves until SIGINT or SIGTERM, then stops the actions under way and exits 0.
try
{
    var options = ServerOptions.Parse(args);
    var token = Environment.GetEnvironmentVariable(DashboardProgram.TokenVariable) is { Length: > 0 } given ? given : null;
    // Every harness, agent and worker the server starts inherits its environment: none may read the token.
    Environment.SetEnvironmentVariable(DashboardProgram.TokenVariable, null);
    Environment.SetEnvironmentVariable("TOKEN", null);
    var address = ServeAddress.Parse(options.Host, options.Port, token);
    using var stop = new CancellationTokenSource();
    using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
    using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
    await DashboardServer.ServeAsync(new DashboardSettings(options.Fleet, address, token, TimeProvider.System, DashboardSettings.DefaultFresh), Console.Out, stop.Token);
    return 0;

    void Stop(PosixSignalContext context)
    {
        context.Cancel = true;
        stop.Cancel();
    }
}
catch (TargetFailedException e)
{
    Console.Error.WriteLine($"dashboard-server: {e.Message}");
    return e.ExitCode;
}
catch (IOException e)
{
    // Kestrel could not listen: the port is taken, say.
    Console.Error.WriteLine($"dashboard-server: {e.Message}");
    return 1;
}

/// <summary>The server's command line, as the runbook writes it.</summary>
internal sealed record ServerOptions(AbsolutePath Fleet, string Host, int Port)
{
    public static ServerOptions Parse(string[] args)
    {
        string? fleet = null, host = "127.0.0.1";
        var port = 8080;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new TargetFailedException($"{args[i]} needs a value", 2);
            switch (args[i++])
            {
                case "--fleet": fleet = value; break;
                case "--host": host = value; break;
                case "--port" when int.TryParse(value, out var number): port = number; break;
                default: throw new TargetFailedException($"unknown argument '{args[i - 1]} {value}'; usage: dashboard-server --fleet FILE [--host H] [--port P]", 2);
            }
        }
        return new ServerOptions(AbsolutePath.Create(fleet ?? throw new TargetFailedException("--fleet FILE is required", 2)), host, port);
    }
}
