namespace Orchestrator.Fleet;

/// <summary>GetProject --field: one value, printed bare for scripts.</summary>
internal static class ProjectField
{
    public static string Value(ResolvedProject entry, string field)
    {
        var fields = entry.Fields().ToList();
        var match = fields.FirstOrDefault(f => Names.Normalize(f.Key) == Names.Normalize(field));
        if (match.Key is null)
            throw new TargetFailedException($"--field {field}: no such field; use one of {string.Join(", ", fields.Select(f => f.Key))}", 2);
        return Show(match.Value);
    }

    public static string Show(object? value) => value switch
    {
        null => "",
        bool flag => flag ? "true" : "false",
        IEnumerable<string> items => string.Join(" ", items),
        _ => value.ToString() ?? "",
    };
}
