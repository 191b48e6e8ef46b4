using System.Text;

namespace Engine.Toml.Tests;

public class ParserTests
{
    [Fact]
    public void A_duplicate_key_is_reported_with_both_positions()
    {
        var error = Assert.Throws<TomlException>(() => TomlDocument.Parse("ref = \"a\"\nname = \"x\"\n  ref = \"b\"\n", "fleet.toml"));

        Assert.Equal("fleet.toml:3:3: duplicate key 'ref' (first defined at 1:1)", error.Message);
        Assert.Equal(("fleet.toml", 3, 3, "duplicate key 'ref' (first defined at 1:1)"), (error.FileName, error.Line, error.Column, error.Reason));
    }

    [Theory]
    [InlineData("[a]\nx = 1\n[a]\n", "t.toml:3:2: table 'a' is already defined at 1:2")]
    [InlineData("a.b = 1\n[a]\n", "t.toml:2:2: table 'a' is already defined at 1:1")]
    [InlineData("a = { b = 1 }\na.c = 2\n", "t.toml:2:1: cannot add to 'a': it is an inline table (defined at 1:1), and inline tables are complete as written")]
    [InlineData("a = [1]\n[[a]]\n", "t.toml:2:3: cannot append to 'a' with [[a]]: it is a static array (defined at 1:1)")]
    [InlineData("a = 1\nb = 2 3\n", "t.toml:2:7: expected a newline after the value, found '3'")]
    [InlineData("a = \"unterminated\n", "t.toml:1:5: unterminated string: a \"...\" string must end on the line it starts; use \"\"\" for text on several lines")]
    [InlineData("n = 9223372036854775808\n", "t.toml:1:5: integer '9223372036854775808' is out of range for a 64-bit integer")]
    [InlineData("n = 012\n", "t.toml:1:5: invalid number '012': leading zeros are not allowed")]
    [InlineData("d = 2023-02-29\n", "t.toml:1:5: invalid date '2023-02-29': 2023-02 has no day 29")]
    [InlineData("s = \"\\x41\"\n", "t.toml:1:6: invalid escape sequence '\\x'")]
    [InlineData("s = \"bell\u0007\"\n", "t.toml:1:10: control character U+0007 must be escaped in a string")]
    [InlineData("key\n", "t.toml:1:4: key 'key' has no value; expected '=' after it")]
    [InlineData("a = 1\r", "t.toml:1:6: a carriage return must be followed by a newline")]
    public void Invalid_toml_is_reported_in_one_located_line(string text, string message)
    {
        var error = Assert.Throws<TomlException>(() => TomlDocument.Parse(text, "t.toml"));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Invalid_utf8_is_reported_at_its_line_and_column()
    {
        var bytes = Encoding.UTF8.GetBytes("a = 1\nb = \"é?\"\n");
        bytes[Array.IndexOf(bytes, (byte)'?')] = 0xFF;

        var error = Assert.Throws<TomlException>(() => TomlDocument.Parse(bytes, "t.toml"));

        Assert.Equal("t.toml:2:7: invalid UTF-8 byte 0xFF; the file must be UTF-8 encoded", error.Message);
    }

    [Fact]
    public void Keys_and_values_know_their_line_and_column()
    {
        var document = TomlDocument.Parse("# header\r\n[server]\r\n  host = \"a\"\r\n  ports = [ 80, 443 ]\r\n", "t.toml");

        var server = document.Root["server"].AsTable();
        var entries = server.ToList();
        Assert.Equal((2, 1), (server.Line, server.Column));
        Assert.Equal(("host", 3, 3), (entries[0].Key, entries[0].Line, entries[0].Column));
        Assert.Equal((3, 10), (server["host"].Line, server["host"].Column));
        Assert.Equal((4, 17), (server["ports"].AsArray()[1].Line, server["ports"].AsArray()[1].Column));
        Assert.Equal("t.toml:4:11: ports need a host", server["ports"].Error("ports need a host").ToString());
    }

    [Fact]
    public void Typed_access_to_the_wrong_kind_reports_where_the_value_is()
    {
        var document = TomlDocument.Parse("[[project]]\nname = 42\n", "fleet.toml");
        var project = document.Root["project"].AsArray()[0].AsTable();

        var wrongKind = Assert.Throws<TomlException>(() => project["name"].AsString());
        var missing = Assert.Throws<TomlException>(() => project["ref"]);

        Assert.Equal("fleet.toml:2:8: expected a string, found an integer", wrongKind.Message);
        Assert.Equal("fleet.toml:1:1: missing key 'ref' in table 'project'", missing.Message);
    }

    [Fact]
    public void Scalars_are_read_as_their_dotnet_values()
    {
        var document = TomlDocument.Parse(""""
            s = 'C:\path'
            m = """
            one \
              two"""
            i = [0xff, 0o17, 0b101, -9_223_372_036_854_775_808, +1_000]
            f = [1e3, -0.5, inf, -inf, nan, 6.02E+23]
            b = [true, false]
            odt = 1979-05-27 07:32:00.123456789-07:00
            ldt = 1979-05-27t07:32:00
            ld = 1979-05-27
            lt = 07:32:00.5
            """", "t.toml");
        var root = document.Root;

        Assert.Equal(@"C:\path", root["s"].AsString());
        Assert.Equal("one two", root["m"].AsString());
        Assert.Equal([255L, 15L, 5L, long.MinValue, 1000L], root["i"].AsArray().Select(value => value.AsInteger()));
        Assert.Equal([1000, -0.5, double.PositiveInfinity, double.NegativeInfinity, double.NaN, 6.02e23], root["f"].AsArray().Select(value => value.AsFloat()));
        Assert.Equal([true, false], root["b"].AsArray().Select(value => value.AsBoolean()));
        Assert.Equal(new DateTimeOffset(1979, 5, 27, 7, 32, 0, TimeSpan.FromHours(-7)).AddTicks(1234567), root["odt"].AsOffsetDateTime());
        Assert.Equal(new DateTime(1979, 5, 27, 7, 32, 0), root["ldt"].AsLocalDateTime());
        Assert.Equal(new DateOnly(1979, 5, 27), root["ld"].AsLocalDate());
        Assert.Equal(new TimeOnly(7, 32, 0, 500), root["lt"].AsLocalTime());
    }

    [Fact]
    public void A_leading_byte_order_mark_is_skipped_and_printed_back()
    {
        var text = "\uFEFFa = 1\n";

        var document = TomlDocument.Parse(text, "t.toml");

        Assert.Equal(1L, document.Root["a"].AsInteger());
        Assert.Equal(1, document.Root.Single().Column);
        Assert.Equal(text, document.ToString());
    }

    [Theory]
    [InlineData(1_000)]
    [InlineData(100_000)]
    public void Deeply_nested_arrays_parse_and_print_without_recursion(int depth)
    {
        var text = "a = " + new string('[', depth) + new string(']', depth) + "\n";

        var document = TomlDocument.Parse(text, "t.toml");

        Assert.Equal(depth, Depth(document.Root["a"]));
        Assert.Equal(text, document.ToString());
    }

    [Theory]
    [InlineData(1_000)]
    [InlineData(100_000)]
    public void Deeply_nested_inline_tables_parse_and_print_without_recursion(int depth)
    {
        var text = "a = " + string.Concat(Enumerable.Repeat("{b = ", depth)) + "1" + new string('}', depth) + "\n";

        var document = TomlDocument.Parse(text, "t.toml");

        Assert.Equal(depth, Depth(document.Root["a"]));
        Assert.Equal(text, document.ToString());
        document.Set("a.b", 2);
        Assert.Equal("a = {b = 2}\n", document.ToString());
    }

    static int Depth(TomlValue value)
    {
        var depth = 0;
        for (var current = value; current is TomlArray or TomlTable; depth++)
            current = current is TomlArray array ? array.FirstOrDefault()! : current.AsTable()["b"];
        return depth;
    }
}
