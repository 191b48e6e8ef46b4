using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Orchestrator.Output;

/// <summary>--json output: indented, snake_case keys, one document on stdout, serialized by <see cref="RunbookJson"/>.</summary>
internal static class JsonOutput
{
    public static void Write<T>(TextWriter output, T value, JsonTypeInfo<T> type) => output.WriteLine(JsonSerializer.Serialize(value, type));
}
