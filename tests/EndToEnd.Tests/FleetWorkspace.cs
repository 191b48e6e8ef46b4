using TestSupport;

namespace EndToEnd.Tests;

/// <summary>A fleet of one test: a temporary folder with an engine repository and a fleet.toml, driven through ./build.sh.</summary>
public sealed class FleetWorkspace : IDisposable
{
    private readonly FreshClone _clone;
    private readonly TemporaryFolder _folder = new();

    public FleetWorkspace(FreshClone clone, string fleetToml = "")
    {
        _clone = clone;
        Engine = EngineRepository.Create(_folder.Path);
        FleetFile = _folder.Write("fleet.toml", fleetToml);
    }

    public EngineRepository Engine { get; }
    public string FleetFile { get; }
    public string Path => _folder.Path;
    public string this[string relative] => _folder[relative];
    public string Fleet => File.ReadAllText(FleetFile);

    public string Write(string relative, string content) => _folder.Write(relative, content);

    /// <summary>./build.sh with --fleet pointing here, run from this folder.</summary>
    public Outcome Run(params string[] arguments) => Run(arguments, null);

    public Outcome Run(string[] arguments, IReadOnlyDictionary<string, string>? environment) =>
        _clone.Run(Path, [.. arguments, "--fleet", FleetFile, "--no-logo"], environment);

    /// <summary><see cref="Run(string[])"/>, which must exit 0.</summary>
    public Outcome Succeeds(params string[] arguments)
    {
        var outcome = Run(arguments);
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        return outcome;
    }

    public void Dispose() => _folder.Dispose();
}
