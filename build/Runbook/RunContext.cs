using System.Collections;
using System.Runtime.InteropServices;

namespace Runbook;

/// <summary>Everything a run takes from its process, so that tests can run builds in-process.</summary>
internal sealed record RunContext(
    IReadOnlyList<string> Args,
    IReadOnlyDictionary<string, string> Environment,
    string WorkingDirectory,
    string? ProgramDirectory,
    TextWriter Out,
    TextWriter Err,
    CancellationToken Abort,
    bool OwnsConsole = false)
{
    public static RunContext FromProcess()
    {
        var environment = new Dictionary<string, string>();
        foreach (DictionaryEntry variable in System.Environment.GetEnvironmentVariables())
            environment[(string)variable.Key] = (string?)variable.Value ?? "";
        return new RunContext(
            System.Environment.GetCommandLineArgs()[1..],
            environment,
            Directory.GetCurrentDirectory(),
            AppContext.BaseDirectory,
            Console.Out,
            Console.Error,
            AbortOnSignals(),
            OwnsConsole: true);
    }

    /// <summary>The first Ctrl-C (or SIGTERM) aborts the running target; a second one ends the process at once.</summary>
    private static CancellationToken AbortOnSignals()
    {
        var abort = new CancellationTokenSource();
        void OnSignal(PosixSignalContext context)
        {
            if (abort.IsCancellationRequested)
                return;
            context.Cancel = true;
            abort.Cancel();
        }
        _signalRegistrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal), PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal)];
        return abort.Token;
    }

    // Held so the signal handlers stay registered for the life of the process.
    private static PosixSignalRegistration[]? _signalRegistrations;
}
