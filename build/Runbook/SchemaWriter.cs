using System.Text;
using System.Text.Json;

namespace Runbook;

/// <summary>Keeps .nuke/build.schema.json (editor completion for parameters.json) in step with the build; rewrites it only when it changes.</summary>
internal static class SchemaWriter
{
    /// <summary>Checks the schema once per build of the runbook: a stamp newer than the program means it is current.</summary>
    public static void Update(AbsolutePath nukeDirectory, TargetGraph graph, ParameterBinder binder)
    {
        if (!nukeDirectory.DirectoryExists())
            return;
        var path = nukeDirectory / "build.schema.json";
        var stamp = nukeDirectory / "temp" / "schema.stamp";
        if (path.FileExists() && stamp.FileExists() && File.GetLastWriteTimeUtc(stamp) >= File.GetLastWriteTimeUtc(ProgramFile))
            return;
        var schema = Generate(graph, binder);
        if (!File.Exists(path) || File.ReadAllText(path) != schema)
        {
            var temporary = path + ".tmp";
            File.WriteAllText(temporary, schema);
            File.Move(temporary, path, overwrite: true);
        }
        Directory.CreateDirectory(stamp.Parent!);
        File.WriteAllText(stamp, "");
    }

    /// <summary>The native binary, or the assembly the dotnet host runs (a native binary has no assembly file).</summary>
    private static string ProgramFile =>
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) != "dotnet" ? path : Environment.GetCommandLineArgs()[0];

    public static string Generate(TargetGraph graph, ParameterBinder binder)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("$schema", "http://json-schema.org/draft-07/schema#");
            json.WriteString("title", "Build Schema");
            json.WriteString("type", "object");
            json.WriteStartObject("properties");
            json.WriteStartObject("$schema");
            json.WriteString("type", "string");
            json.WriteEndObject();
            var targetNames = graph.Targets.Select(t => t.Name).ToList();
            foreach (var parameter in binder.BuildParameters)
                WriteProperty(json, parameter, targetNames);
            foreach (var parameter in binder.RunnerParameters.Where(p => RunnerOptions.FromFiles.Contains(p.Key)))
                WriteProperty(json, parameter, targetNames);
            json.WriteEndObject();
            json.WriteBoolean("additionalProperties", false);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WriteProperty(Utf8JsonWriter json, BuildParameter parameter, IReadOnlyList<string> targetNames)
    {
        json.WriteStartObject(parameter.MemberName);
        if (parameter.Description is not null)
            json.WriteString("description", parameter.Description);
        var isTargetList = parameter.Key is "target" or "skip" && parameter.IsRunnerOption;
        if (parameter.Type.IsArray)
        {
            json.WriteString("type", "array");
            json.WriteStartObject("items");
            WriteType(json, parameter.ElementType, isTargetList ? targetNames : null);
            json.WriteEndObject();
        }
        else
            WriteType(json, parameter.ElementType, null);
        json.WriteEndObject();
    }

    private static void WriteType(Utf8JsonWriter json, Type type, IReadOnlyList<string>? allowed)
    {
        json.WriteString("type", type == typeof(bool) ? "boolean"
            : type == typeof(int) || type == typeof(long) ? "integer"
            : type == typeof(double) ? "number"
            : "string");
        var values = allowed ?? (type.IsEnum ? Enum.GetNames(type) : null);
        if (values is null)
            return;
        json.WriteStartArray("enum");
        foreach (var value in values)
            json.WriteStringValue(value);
        json.WriteEndArray();
    }
}
