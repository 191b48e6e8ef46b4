using System.Text;

/// <summary>A fleet.toml as operators write it: a defaults table, then one commented
/// <c>[[project]]</c> entry per project.</summary>
static class FleetFile
{
    public static string Generate(int projects)
    {
        var text = new StringBuilder(projects * 150);
        text.Append("# Fleet registry: one [[project]] per project.\n\n[defaults]\nharness = \"engine\"\nref = \"v0.1.0\"\n");
        for (var i = 0; i < projects; i++)
        {
            text.Append($"\n# team {i % 17}\n");
            text.Append("[[project]]\n");
            text.Append($"name = \"p{i:00000}\"\n");
            text.Append($"location = \"../p{i:00000}\"\n");
            text.Append($"engine_url = \"../engine-{i % 7}\"\n");
            text.Append($"ref = \"v{i % 3}.{i % 10}.{i % 4}\"\n");
            text.Append($"enabled = {(i % 5 == 0 ? "false" : "true")}\n");
            text.Append($"tags = [\"web\", \"tier-{i % 3}\"]\n");
        }
        return text.ToString();
    }
}
