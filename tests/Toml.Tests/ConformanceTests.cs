using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Engine.Toml.Tests;

public class ConformanceTests
{
    [Fact]
    public void The_suite_lists_210_valid_and_499_invalid_cases()
    {
        Assert.Equal(210, ConformanceSuite.Valid().Count);
        Assert.Equal(499, ConformanceSuite.Invalid().Count);
    }

    [Theory]
    [MemberData(nameof(ConformanceSuite.Valid), MemberType = typeof(ConformanceSuite))]
    public void Valid_case_decodes_to_the_expected_json(string toml)
    {
        var document = TomlDocument.Parse(ConformanceSuite.Read(toml), toml);

        using var expected = JsonDocument.Parse(ConformanceSuite.Read(Path.ChangeExtension(toml, ".json")));
        Assert.Null(TomlTestJson.Difference(expected.RootElement, document.Root));
    }

    [Theory]
    [MemberData(nameof(ConformanceSuite.Valid), MemberType = typeof(ConformanceSuite))]
    public void Valid_case_prints_back_byte_for_byte(string toml)
    {
        var bytes = ConformanceSuite.Read(toml);

        var printed = TomlDocument.Parse(bytes, toml).ToString();

        Assert.Equal(bytes, Encoding.UTF8.GetBytes(printed));
    }

    [Theory]
    [MemberData(nameof(ConformanceSuite.Valid), MemberType = typeof(ConformanceSuite))]
    public void Valid_case_prints_back_byte_for_byte_from_its_parts(string toml)
    {
        var bytes = ConformanceSuite.Read(toml);
        var document = TomlDocument.Parse(bytes, toml);

        // What edits read: every section's lines and every array's spacing, instead of source slices.
        foreach (var section in document.Sections)
            document.LinesOf(section);
        var pending = new Stack<TomlValue>([document.Root]);
        while (pending.TryPop(out var value))
        {
            if (value is TomlArray { IsTableArray: false } array)
                document.PrepareEdit(array);
            foreach (var child in value switch { TomlTable table => table.Select(entry => entry.Value), TomlArray items => items, _ => [] })
                pending.Push(child);
        }

        Assert.Equal(bytes, Encoding.UTF8.GetBytes(document.ToString()));
    }

    [Theory]
    [MemberData(nameof(ConformanceSuite.Invalid), MemberType = typeof(ConformanceSuite))]
    public void Invalid_case_is_rejected_with_one_located_line(string toml)
    {
        var error = Assert.Throws<TomlException>(() => TomlDocument.Parse(ConformanceSuite.Read(toml), "case.toml"));

        Assert.Matches(new Regex(@"^case\.toml:[1-9]\d*:[1-9]\d*: [^\n]+$"), error.Message);
    }
}
