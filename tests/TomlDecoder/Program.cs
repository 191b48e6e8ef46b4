using System.Text.Encodings.Web;
using System.Text.Json;
using Engine.Toml;

// The toml-test decoder interface: TOML on stdin, toml-test's tagged JSON on stdout and exit 0;
// for invalid TOML, the error on stderr and exit 1.
using var input = new MemoryStream();
Console.OpenStandardInput().CopyTo(input);

TomlDocument document;
try
{
    document = TomlDocument.Parse(input.GetBuffer().AsSpan(0, (int)input.Length), "stdin");
}
catch (TomlException error)
{
    Console.Error.WriteLine(error.Message);
    return 1;
}

using var output = Console.OpenStandardOutput();
using var writer = new Utf8JsonWriter(output, new JsonWriterOptions
{
    Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    MaxDepth = int.MaxValue,
});
TaggedJson.Write(writer, document.Root);
writer.Flush();
output.WriteByte((byte)'\n');
return 0;
