namespace Engine.Toml.Tests;

public class EditTests
{
    const string Fleet = """
        # Fleet registry
        # edited by hand and by the runbook

        [defaults]
        harness = "engine"   # the default harness
        ref = "v0.1.0"

        # The API service
        [[project]]
        name = "api"
        location = "../api"
        # pinned until the migration lands
        ref = "v0.1.0"  # keep in sync with web
        enabled = true

        # The web front end
        [[project]]
        name = "web"
        location = "../web"
        ref = "v0.2.0"
        tags = ["frontend", "public"]

        """;

    static TomlDocument Edit(string text, Action<TomlDocument> edit)
    {
        var document = TomlDocument.Parse(text, "fleet.toml");
        edit(document);
        Model.AssertReparses(document);
        return document;
    }

    static TomlTable Project(TomlDocument document, int index) => document.Root["project"].AsArray()[index].AsTable();

    [Fact]
    public void Setting_a_value_keeps_the_comment_above_and_after_it()
    {
        var document = Edit(Fleet, d => Project(d, 0).Set("ref", "v0.3.0"));

        Assert.Equal(Fleet.Replace("ref = \"v0.1.0\"  # keep", "ref = \"v0.3.0\"  # keep"), document.ToString());
    }

    [Fact]
    public void Setting_by_path_changes_only_that_value()
    {
        var document = Edit(Fleet, d => d.Set("defaults.harness", "python"));

        Assert.Equal(Fleet.Replace("harness = \"engine\"   #", "harness = \"python\"   #"), document.ToString());
    }

    [Fact]
    public void Adding_a_key_appends_a_line_to_its_table()
    {
        var document = Edit(Fleet, d => Project(d, 1).Add("enabled", false));

        Assert.Equal(Fleet + "enabled = false\n", document.ToString());
    }

    [Fact]
    public void Appending_an_entry_lands_after_the_last_one_spaced_like_it()
    {
        var document = Edit(Fleet, d => d.AppendTableArrayEntry("project", new TomlTable
        {
            ["name"] = "docs",
            ["location"] = "../docs",
            ["tags"] = new TomlArray { "a", "b" },
            ["env"] = new TomlTable { ["LOG"] = "debug" },
        }));

        Assert.Equal(Fleet + """

            [[project]]
            name = "docs"
            location = "../docs"
            tags = ["a", "b"]

            [project.env]
            LOG = "debug"

            """, document.ToString());
    }

    [Fact]
    public void Appending_an_entry_lands_before_the_tables_that_follow_the_array()
    {
        const string text = "[[project]]\nname = \"a\"\n\n# defaults for all\n[defaults]\nref = 1\n";

        var document = Edit(text, d => d.AppendTableArrayEntry("project", new TomlTable { ["name"] = "b" }));

        Assert.Equal("[[project]]\nname = \"a\"\n\n[[project]]\nname = \"b\"\n\n# defaults for all\n[defaults]\nref = 1\n", document.ToString());
    }

    [Fact]
    public void Removing_an_entry_takes_its_leading_comment_lines()
    {
        var document = Edit(Fleet, d => d.RemoveTableArrayEntry("project", 0));

        Assert.Equal("""
            # Fleet registry
            # edited by hand and by the runbook

            [defaults]
            harness = "engine"   # the default harness
            ref = "v0.1.0"

            # The web front end
            [[project]]
            name = "web"
            location = "../web"
            ref = "v0.2.0"
            tags = ["frontend", "public"]

            """, document.ToString());
    }

    [Fact]
    public void Removing_the_first_section_keeps_the_files_opening_comment()
    {
        const string text = "# Fleet registry\n\n# The API service\n[[project]]\nname = \"api\"\n\n[[project]]\nname = \"web\"\n";

        var document = Edit(text, d => d.RemoveTableArrayEntry("project", 0));

        Assert.Equal("# Fleet registry\n\n[[project]]\nname = \"web\"\n", document.ToString());
    }

    [Fact]
    public void Removing_the_last_entry_of_an_array_of_tables_removes_the_key()
    {
        var document = Edit("[[p]]\nn = 1\n\n[[p]]\nn = 2\n[x]\n", d =>
        {
            d.RemoveTableArrayEntry("p", 1);
            d.RemoveTableArrayEntry("p", 0);
        });

        Assert.Equal("[x]\n", document.ToString());
        Assert.False(document.Root.ContainsKey("p"));
    }

    [Fact]
    public void Removing_a_key_takes_its_comment_lines()
    {
        var document = Edit(Fleet, d => Project(d, 0).Remove("ref"));

        Assert.Equal(Fleet.Replace("# pinned until the migration lands\nref = \"v0.1.0\"  # keep in sync with web\n", ""), document.ToString());
    }

    [Fact]
    public void Removing_a_table_removes_its_sub_tables_and_keeps_the_rest()
    {
        const string text = "[a]\nx = 1\n\n# about b\n[b]\ny = 2\n\n[b.c]\nz = 3\n\n[d]\nw = 4\n";

        var document = Edit(text, d => Assert.True(d.Remove("b")));

        Assert.Equal("[a]\nx = 1\n\n[d]\nw = 4\n", document.ToString());
    }

    [Fact]
    public void Edits_on_a_crlf_file_write_crlf()
    {
        var text = Fleet.Replace("\n", "\r\n");

        var document = Edit(text, d =>
        {
            Project(d, 1).Add("enabled", false);
            d.AppendTableArrayEntry("project", new TomlTable { ["name"] = "docs" });
        });

        Assert.Equal(text + "enabled = false\r\n\r\n[[project]]\r\nname = \"docs\"\r\n", document.ToString());
    }

    [Fact]
    public void The_first_table_of_a_file_of_comments_goes_below_them()
    {
        var document = Edit("# The fleet.\n# One entry per project.\n", d =>
            d.AppendTableArrayEntry("project", new TomlTable { ["name"] = "api" }));

        Assert.Equal("# The fleet.\n# One entry per project.\n\n[[project]]\nname = \"api\"\n", document.ToString());

        var spaced = Edit("# The fleet.\n\n", d => d.AppendTableArrayEntry("project", new TomlTable { ["name"] = "api" }));
        Assert.Equal("# The fleet.\n\n[[project]]\nname = \"api\"\n", spaced.ToString());
    }

    [Fact]
    public void Edits_on_tables_out_of_order_go_to_each_tables_own_lines()
    {
        const string text = "[a.b]\nx = 1\n\n[c]\ny = 2\n\n[a]\nz = 3\n";

        var document = Edit(text, d =>
        {
            d.Set("a.w", 4);
            d.Set("a.b.v", 5);
            d.Root["a"].AsTable().Add("d", new TomlTable { ["k"] = 1 });
            d.Set("c.y", "two");
        });

        Assert.Equal("[a.b]\nx = 1\nv = 5\n\n[c]\ny = \"two\"\n\n[a]\nz = 3\nw = 4\n\n[a.d]\nk = 1\n", document.ToString());
    }

    [Fact]
    public void A_key_for_a_table_named_only_by_headers_gets_a_header_above_them()
    {
        var document = Edit("# tables\n\n[a.b]\nx = 1\n", d => d.Set("a.z", 1));

        Assert.Equal("# tables\n\n[a]\nz = 1\n\n[a.b]\nx = 1\n", document.ToString());
    }

    [Fact]
    public void A_first_root_key_goes_below_the_opening_comment_and_above_the_first_table()
    {
        var document = Edit(Fleet, d => d.Set("version", 2));

        Assert.Equal(Fleet.Replace("runbook\n\n[defaults]", "runbook\n\nversion = 2\n\n[defaults]"), document.ToString());
    }

    [Fact]
    public void Setting_a_path_in_an_empty_document_creates_its_table()
    {
        var document = Edit("", d =>
        {
            d.Set("owner.name", "Tom");
            d.Set("title", "example");
        });

        Assert.Equal("title = \"example\"\n\n[owner]\nname = \"Tom\"\n", document.ToString());
    }

    [Fact]
    public void A_line_added_after_a_last_line_without_newline_ends_it_first()
    {
        var document = Edit("a = 1", d => d.Set("b", 2));

        Assert.Equal("a = 1\nb = 2\n", document.ToString());
    }

    [Fact]
    public void Inline_tables_and_arrays_are_edited_in_place()
    {
        const string text = "point = { x = 1, y = 2 }\ntags = [\"a\", \"b\"]  # kept\nmatrix = [\n  1,\n  2,\n]\n";

        var document = Edit(text, d =>
        {
            d.Set("point.x", 5);
            d.Root["point"].AsTable().Add("z", 3);
            d.Root["tags"].AsArray().Add("c");
            d.Root["matrix"].AsArray().Add(3);
        });

        Assert.Equal("point = { x = 5, y = 2, z = 3 }\ntags = [\"a\", \"b\", \"c\"]  # kept\nmatrix = [\n  1,\n  2,\n  3,\n]\n", document.ToString());
    }

    [Fact]
    public void Removing_from_inline_tables_and_arrays_keeps_their_spacing()
    {
        var document = Edit("p = { x = 1, y = 2 }\nt = [ 1, 2, 3 ]\n", d =>
        {
            d.Remove("p.y");
            d.Root["t"].AsArray().RemoveAt(2);
            d.Root["t"].AsArray().RemoveAt(0);
        });

        Assert.Equal("p = { x = 1 }\nt = [ 2 ]\n", document.ToString());
    }

    [Fact]
    public void Keys_of_a_dotted_table_are_added_next_to_its_other_keys()
    {
        const string text = "[fruit]\napple.color = \"red\"\napple.taste = \"sweet\"\nbanana = 1\n";

        var document = Edit(text, d => d.Root["fruit"].AsTable()["apple"].AsTable().Add("size", "big"));

        Assert.Equal("[fruit]\napple.color = \"red\"\napple.taste = \"sweet\"\napple.size = \"big\"\nbanana = 1\n", document.ToString());
    }

    [Fact]
    public void Removing_all_keys_of_a_dotted_table_removes_the_table()
    {
        var document = Edit("[fruit]\napple.color = \"red\"\nbanana = 1\n", d => d.Remove("fruit.apple.color"));

        Assert.Equal("[fruit]\nbanana = 1\n", document.ToString());
        Assert.False(document.Root["fruit"].AsTable().ContainsKey("apple"));
    }

    [Fact]
    public void New_lines_copy_the_indentation_of_their_table()
    {
        const string text = "[[project]]\n  name = \"a\"\n  ref = \"v1\"\n";

        var document = Edit(text, d =>
        {
            Project(d, 0).Add("enabled", true);
            d.AppendTableArrayEntry("project", new TomlTable { ["name"] = "b" });
        });

        Assert.Equal("[[project]]\n  name = \"a\"\n  ref = \"v1\"\n  enabled = true\n\n[[project]]\n  name = \"b\"\n", document.ToString());
    }

    [Fact]
    public void Values_from_code_are_written_as_valid_toml()
    {
        var document = Edit("", d =>
        {
            d.Set("text", "quote \" backslash \\ tab \t newline \n bell \u0007");
            d.Set("integer", -42);
            d.Set("float", 1e300);
            d.Set("whole", 3.0);
            d.Set("nan", double.NaN);
            d.Set("when", new DateTimeOffset(2026, 5, 7, 14, 15, 16, TimeSpan.FromHours(-7)));
            d.Set("utc", new DateTimeOffset(2026, 5, 7, 14, 15, 16, 500, TimeSpan.Zero));
            d.Set("local", new DateTime(2026, 5, 7, 14, 15, 16));
            d.Set("day", new DateOnly(2026, 5, 7));
            d.Set("time", new TimeOnly(7, 30, 0, 250));
            d.Set("bare-key_1", true);
            d.Set("\"needs quotes\"", false);
        });

        Assert.Equal("""
            text = "quote \" backslash \\ tab \t newline \n bell \u0007"
            integer = -42
            float = 1E+300
            whole = 3.0
            nan = nan
            when = 2026-05-07T14:15:16-07:00
            utc = 2026-05-07T14:15:16.5Z
            local = 2026-05-07T14:15:16
            day = 2026-05-07
            time = 07:30:00.25
            bare-key_1 = true
            "needs quotes" = false

            """, document.ToString());
    }

    [Fact]
    public void A_path_that_is_not_a_key_is_refused()
    {
        var document = TomlDocument.Parse("a = 1\n", "t.toml");

        var error = Assert.Throws<ArgumentException>(() => document.Set("a..b", 2));

        Assert.StartsWith("'a..b' is not a TOML key: expected a key, found '.' at column 3", error.Message);
    }

    [Fact]
    public void Adding_an_existing_key_is_refused()
    {
        var document = TomlDocument.Parse("a = 1\n", "t.toml");

        Assert.Throws<ArgumentException>(() => document.Root.Add("a", 2));
    }

    [Fact]
    public void A_table_already_in_a_document_cannot_be_added_again()
    {
        var document = TomlDocument.Parse("[a]\nx = 1\n", "t.toml");

        Assert.Throws<InvalidOperationException>(() => document.Root.Add("b", document.Root["a"]));
    }
}
