using Runbook;

namespace Runbook.Tests;

/// <summary>A build's outcome when run in-process: exit code, stdout, stderr, and the build to inspect.</summary>
internal sealed record RunResult<T>(int ExitCode, string Out, string Err, T Build);

/// <summary>Runs a test build in-process against a temporary root with a .nuke/ marker.</summary>
internal sealed class BuildHarness : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("runbook-tests-").FullName;

    public BuildHarness() => Directory.CreateDirectory(Path.Combine(Root, ".nuke"));

    public void WriteParameters(string fileName, string json) => File.WriteAllText(Path.Combine(Root, ".nuke", fileName), json);

    public RunResult<T> Run<T>(string commandLine, Dictionary<string, string>? environment = null, string[]? defaults = null,
        CancellationToken abort = default, T? build = null, CancellationToken stopNow = default, TimeSpan? undoLimit = null)
        where T : NukeBuild, new()
    {
        build ??= new T();
        var output = new StringWriter();
        var errors = new StringWriter();
        var args = commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var context = new RunContext(args, environment ?? new Dictionary<string, string>(), Root, null, output, errors, abort) { StopNow = stopNow };
        if (undoLimit is { } limit)
            context = context with { UndoLimit = limit };
        var exitCode = BuildRunner.Run(build, defaults ?? [], context);
        return new RunResult<T>(exitCode, output.ToString(), errors.ToString(), build);
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
