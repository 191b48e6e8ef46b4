using Orchestrator.Dashboard;

namespace Orchestrator;

partial class Build
{
    [Parameter("Serve: the TCP port of the dashboard (0: any free one)")]
    readonly int Port = 8080;

    [Parameter("Serve: the address to listen on; anything but loopback needs --token")]
    readonly string Host = "127.0.0.1";

    [Parameter("Serve: a token every request must carry (best set in the TOKEN environment variable, out of the process list)")]
    [Secret]
    readonly string? Token;

    Target Serve => _ => _
        .Description("Serve the fleet's dashboard and its JSON API (/api/v1/state) until Ctrl-C: agents, heartbeats, tasks, costs; start, stop, cycle, pause, resume")
        .Executes(() =>
        {
            var address = ServeAddress.Parse(Host, Port, Token);
            LoadFleet();
            DashboardProgram.Serve(RootDirectory, FleetFile, address, Token, Cancellation);
        });
}
