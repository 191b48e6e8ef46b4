using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orchestrator.Projects;

/// <summary>What CreateProject records before its first change, to finish or roll back a killed run.</summary>
/// <param name="FirstMadeFolder">The outermost folder the run makes (mkdir -p), removed again by a roll-back; null when the
/// project's folder was there (empty) before, which a roll-back empties rather than removes.</param>
internal sealed record CreationIntent(NewProject Project, AbsolutePath? FirstMadeFolder);

/// <summary>What UpdateEngine records before it checks out the new engine, to finish or roll back a killed run.</summary>
/// <param name="HeadBefore">The project's HEAD before the bump commit.</param>
/// <param name="OwnRefBefore">The project's own <c>ref</c> in fleet.toml before the bump; null when it inherited [defaults]' ref.</param>
internal sealed record BumpIntent(string Project, AbsolutePath Directory, string HeadBefore, string From, string To, string Ref, string? OwnRefBefore, string Message);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, Converters = [typeof(AbsolutePathJson)])]
[JsonSerializable(typeof(CreationIntent))]
[JsonSerializable(typeof(BumpIntent))]
internal sealed partial class IntentJson : JsonSerializerContext;

/// <summary>An <see cref="AbsolutePath"/> as its string.</summary>
internal sealed class AbsolutePathJson : JsonConverter<AbsolutePath>
{
    public override AbsolutePath Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        AbsolutePath.Create(reader.GetString() ?? throw new JsonException("a path is a string"));

    public override void Write(Utf8JsonWriter writer, AbsolutePath value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
