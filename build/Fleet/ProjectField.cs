namespace Orchestrator.Fleet;

/// <summary>GetProject --field: one value, printed bare for scripts.</summary>
internal static class ProjectField
{
    public static string Value(IReadOnlyDictionary<string, object?> entry, string field)
    {
        var key = entry.Keys.FirstOrDefault(k => Names.Normalize(k) == Names.Normalize(field));
        if (key is null)
            throw new TargetFailedException($"--field {field}: no such field; use one of {string.Join(", ", entry.Keys)}", 2);
        return Show(entry[key]);
    }

    public static string Show(object? value) => value switch
    {
        null => "",
        bool flag => flag ? "true" : "false",
        IEnumerable<string> items => string.Join(" ", items),
        _ => value.ToString() ?? "",
    };
}
