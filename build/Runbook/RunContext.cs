using System.Collections;
using System.Runtime.InteropServices;

namespace Runbook;

/// <summary>Everything a run takes from its process, so that tests can run builds in-process.</summary>
/// <param name="Abort">Cancelled by the first Ctrl-C or SIGTERM: the running target stops and undoes its work.</param>
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
    /// <summary>Cancelled by the second Ctrl-C or SIGTERM: stop waiting for the aborted target's undo.</summary>
    public CancellationToken StopNow { get; init; }

    /// <summary>How long an aborted target may take to undo its work before the run ends without it.</summary>
    public TimeSpan UndoLimit { get; init; } = TimeSpan.FromSeconds(30);

    public static RunContext FromProcess()
    {
        var environment = new Dictionary<string, string>();
        foreach (DictionaryEntry variable in System.Environment.GetEnvironmentVariables())
            environment[(string)variable.Key] = (string?)variable.Value ?? "";
        var signals = _signals ??= new InterruptSignals();
        return new RunContext(
            System.Environment.GetCommandLineArgs()[1..],
            environment,
            Directory.GetCurrentDirectory(),
            AppContext.BaseDirectory,
            Console.Out,
            Console.Error,
            signals.Abort,
            OwnsConsole: true)
        {
            StopNow = signals.StopNow,
        };
    }

    // Held so the signal handlers stay registered for the life of the process.
    private static InterruptSignals? _signals;
}

/// <summary>
/// Ctrl-C and SIGTERM, counted: the first aborts the running target, the second stops waiting for its undo, and a
/// third is left to the runtime, which ends the process at once.
/// </summary>
internal sealed class InterruptSignals
{
    private readonly CancellationTokenSource _abort = new();
    private readonly CancellationTokenSource _stopNow = new();
    private readonly PosixSignalRegistration[] _registrations;
    private int _received;

    public InterruptSignals() =>
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal), PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal)];

    public CancellationToken Abort => _abort.Token;
    public CancellationToken StopNow => _stopNow.Token;

    private void OnSignal(PosixSignalContext context)
    {
        switch (Interlocked.Increment(ref _received))
        {
            case 1:
                context.Cancel = true;
                _abort.Cancel();
                break;
            case 2:
                context.Cancel = true;
                _stopNow.Cancel();
                break;
        }
    }
}
