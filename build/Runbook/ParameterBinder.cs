using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Runbook;

/// <summary>
/// Gives every parameter its value. Precedence: command line, then environment (NAME or NUKE_NAME),
/// then .nuke/parameters.json and profile files (a profile over the default file), then the member's default.
/// </summary>
internal sealed class ParameterBinder
{
    private readonly IReadOnlyList<BuildParameter> _runnerParameters = BuildParameter.Discover(typeof(RunnerOptions));
    private readonly IReadOnlyList<BuildParameter> _buildParameters;
    private readonly Dictionary<string, CommandLineOption> _commandLine = new();
    private readonly List<string> _targetsAfterFlags = [];

    public ParameterBinder([DynamicallyAccessedMembers(BuildMembers.Reflected)] Type buildType, CommandLine commandLine)
    {
        _buildParameters = BuildParameter.Discover(buildType);
        foreach (var typed in commandLine.Options)
        {
            var key = typed.Key is "h" or "?" ? "help" : typed.Key;
            if (Find(key) is null)
                throw new UsageException(UnknownOptionMessage(typed.Spelling));
            var option = Find(key)!.IsFlag ? TakeTargets(typed) : typed;
            if (_commandLine.TryGetValue(key, out var earlier))
            {
                if (!Find(key)!.Type.IsArray)
                    throw new UsageException($"{Find(key)!.Flag} is given twice; give it once");
                _commandLine[key] = earlier with { Values = earlier.Values.Concat(option.Values).ToList() };
            }
            else
                _commandLine[key] = option;
        }
    }

    /// <summary>Words typed after a flag that are not its true or false: targets, as in <c>./build.sh --no-logo CreateProject</c>.</summary>
    public IReadOnlyList<string> TargetsAfterFlags => _targetsAfterFlags;

    public IReadOnlyList<BuildParameter> BuildParameters => _buildParameters;
    public IReadOnlyList<BuildParameter> RunnerParameters => _runnerParameters;

    /// <summary>Runner options come first: they say where the root and the parameter files are.</summary>
    public RunnerOptions BindRunnerOptions(string workingDirectory)
    {
        var options = new RunnerOptions();
        foreach (var parameter in _runnerParameters)
            if (_commandLine.TryGetValue(parameter.Key, out var option))
                parameter.SetValue(options, ValueConverter.Convert(parameter, option.Values, workingDirectory, ""));
        return options;
    }

    public void BindFileOptions(RunnerOptions options, ParameterFiles files)
    {
        foreach (var parameter in _runnerParameters.Where(p => RunnerOptions.FromFiles.Contains(p.Key) && !_commandLine.ContainsKey(p.Key)))
            if (files.Find(parameter.Key) is { } fromFile)
                parameter.SetValue(options, ValueConverter.Convert(parameter, fromFile.Values, files.Root, fromFile.Source));
    }

    public void BindBuild(object build, IReadOnlyDictionary<string, string> environment, ParameterFiles files, string workingDirectory)
    {
        var fromEnvironment = EnvironmentByKey(environment);
        foreach (var parameter in _buildParameters)
        {
            if (_commandLine.TryGetValue(parameter.Key, out var option))
                parameter.SetValue(build, ValueConverter.Convert(parameter, option.Values, workingDirectory, ""));
            else if (fromEnvironment.TryGetValue(parameter.Key, out var variable))
                parameter.SetValue(build, ValueConverter.Convert(parameter, SplitForType(parameter, variable.Value), workingDirectory, $"environment variable {variable.Name}"));
            else if (files.Find(parameter.Key) is { } fromFile)
                parameter.SetValue(build, ValueConverter.Convert(parameter, fromFile.Values, files.Root, fromFile.Source));
        }
    }

    /// <summary>The values no output may show.</summary>
    public IEnumerable<string> SecretValues(object build) =>
        _buildParameters.Where(p => p.IsSecret).SelectMany(p => p.GetValue(build) switch
        {
            string text => [text],
            Array array => array.Cast<object?>().Select(v => v?.ToString() ?? ""),
            null => [],
            var other => [other.ToString() ?? ""],
        }).Where(v => v.Length > 0);

    /// <summary>A flag keeps a leading true or false; any other word after it is a target.</summary>
    private CommandLineOption TakeTargets(CommandLineOption flag)
    {
        var kept = flag.Values.Count > 0 && bool.TryParse(flag.Values[0], out _) ? 1 : 0;
        _targetsAfterFlags.AddRange(flag.Values.Skip(kept));
        return flag with { Values = flag.Values.Take(kept).ToList() };
    }

    private BuildParameter? Find(string key) =>
        _runnerParameters.FirstOrDefault(p => p.Key == key) ?? _buildParameters.FirstOrDefault(p => p.Key == key);

    private string UnknownOptionMessage(string spelling)
    {
        var flags = _buildParameters.Concat(_runnerParameters).Select(p => p.Flag).ToList();
        var suggestion = Names.DidYouMean(spelling.TrimStart('-'), flags);
        var hint = suggestion is null ? "see --help for the parameters" : $"did you mean {suggestion}?";
        return $"Unknown option {spelling}; {hint}";
    }

    private static IReadOnlyList<string> SplitForType(BuildParameter parameter, string value) =>
        parameter.Type.IsArray ? value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries) : [value];

    /// <summary>NUKE_NAME wins over NAME; case and underscores are ignored; empty variables count as unset.</summary>
    private static Dictionary<string, (string Name, string Value)> EnvironmentByKey(IReadOnlyDictionary<string, string> environment)
    {
        var byKey = new Dictionary<string, (string Name, string Value)>();
        foreach (var (name, value) in environment.Where(v => v.Value.Length > 0).OrderBy(v => v.Key.StartsWith("NUKE_", StringComparison.OrdinalIgnoreCase)))
        {
            var key = name.StartsWith("NUKE_", StringComparison.OrdinalIgnoreCase) ? Names.Normalize(name[5..]) : Names.Normalize(name);
            byKey[key] = (name, value);
        }
        return byKey;
    }
}

/// <summary>.nuke/parameters.json and the profile files named by --profile, read once.</summary>
internal sealed class ParameterFiles
{
    private readonly List<(string Source, Dictionary<string, IReadOnlyList<string>> Values)> _files = [];

    public string Root { get; }

    private ParameterFiles(string root) => Root = root;

    public static ParameterFiles Load(string root, IReadOnlyList<string> profiles, ICollection<string> knownKeys)
    {
        var files = new ParameterFiles(root);
        var defaultFile = Path.Combine(root, ".nuke", "parameters.json");
        if (File.Exists(defaultFile))
            files.Read(defaultFile, knownKeys);
        foreach (var profile in profiles)
        {
            var profileFile = Path.Combine(root, ".nuke", $"parameters.{profile}.json");
            if (!File.Exists(profileFile))
                throw new UsageException($"--profile {profile}: {Path.GetRelativePath(root, profileFile)} does not exist; create it or drop the profile");
            files.Read(profileFile, knownKeys);
        }
        return files;
    }

    /// <summary>The value from the last file that sets the key: a profile overrides the default file.</summary>
    public (IReadOnlyList<string> Values, string Source)? Find(string key)
    {
        for (var i = _files.Count - 1; i >= 0; i--)
            if (_files[i].Values.TryGetValue(key, out var values))
                return (values, _files[i].Source);
        return null;
    }

    private void Read(string path, ICollection<string> knownKeys)
    {
        var source = Path.GetRelativePath(Root, path);
        var values = new Dictionary<string, IReadOnlyList<string>>();
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new UsageException($"{source}: expected a JSON object of parameter names and values");
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == "$schema")
                    continue;
                var key = Names.Normalize(property.Name);
                if (!knownKeys.Contains(key))
                    throw new UsageException($"{source}: unknown parameter '{property.Name}'; remove it or check the spelling against --help");
                if (property.Value.ValueKind != JsonValueKind.Null)
                    values[key] = Texts(property.Value);
            }
        }
        catch (JsonException e)
        {
            throw new UsageException($"{source}:{e.LineNumber + 1}:{e.BytePositionInLine + 1}: invalid JSON; fix the file ({FirstSentence(e.Message)})");
        }
        _files.Add((source, values));
    }

    private static IReadOnlyList<string> Texts(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Array => value.EnumerateArray().Select(Text).ToList(),
        _ => [Text(value)],
    };

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => value.GetRawText(),
    };

    private static string FirstSentence(string message) => message.Split(". ")[0].TrimEnd('.');
}
