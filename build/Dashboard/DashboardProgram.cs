using System.ComponentModel;
using Orchestrator.Processes;

namespace Orchestrator.Dashboard;

/// <summary>
/// Serve's step: the dashboard server is a program of its own (build/Dashboard/Server, ASP.NET Core on the .NET host),
/// built on the first Serve after a change and run on the operator's terminal until Ctrl-C. In the native runbook,
/// ASP.NET Core cost every other target start-up time (BENCHMARKS.md, "Dashboard"), so it is not linked in.
/// </summary>
internal static class DashboardProgram
{
    /// <summary>The server reads its token from here, never from its command line (which every user can list).</summary>
    public const string TokenVariable = "DASHBOARD_TOKEN";

    public const string NoDotnet = "Serve needs the .NET SDK (dotnet) on PATH: the dashboard server runs on it (see docs/dashboard.md)";

    public static ProgramBuild Build(AbsolutePath root) =>
        new(root, "dashboard", "the dashboard server", " (ASP.NET Core)", root / "build" / "Dashboard" / "Server" / "Server.csproj",
            "dashboard-server.dll", [root / "build", root / "engine" / "Toml"], NoDotnet);

    /// <summary>Runs the server until it ends or the run is aborted (Ctrl-C, SIGTERM: then it stops, and Serve succeeds).</summary>
    public static void Serve(AbsolutePath root, AbsolutePath fleetFile, ServeAddress address, string? token, CancellationToken stop)
    {
        var program = Build(root).Ensure(Console.Error);
        var environment = new Dictionary<string, string> { ["DOTNET_NOLOGO"] = "1" };
        if (token is not null)
            environment[TokenVariable] = token;
        Console.Out.Flush();
        int exitCode;
        try
        {
            exitCode = Command.RunAttached("dotnet", [program, "--fleet", fleetFile, "--host", address.Host, "--port", address.Port.ToString()], root, stop, environment);
        }
        catch (Win32Exception)
        {
            throw new TargetFailedException(NoDotnet, 2);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Ctrl-C is how a server is stopped: it stopped.
            return;
        }
        if (exitCode != 0)
            throw new TargetFailedException($"the dashboard server exited {exitCode} (its output is above)", exitCode == 2 ? 2 : 1);
    }
}
