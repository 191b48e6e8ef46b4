namespace Runbook;

/// <summary><c>--help</c>: targets with their direct dependencies and descriptions, then parameters.</summary>
internal static class HelpWriter
{
    public static void Write(TextWriter output, TargetGraph graph, ParameterBinder binder, object pristineBuild)
    {
        var trailing = binder.Trailing is { } parameter ? $" [{parameter.Flag}]" : "";
        output.WriteLine($"Usage: ./build.sh [TARGET...] [--parameter value...]{trailing}");
        output.WriteLine();
        output.WriteLine("Targets:");
        var targets = graph.Targets.Where(t => !t.Definition.IsUnlisted).ToList();
        var nameWidth = targets.Select(Label).Append("").Max(l => l.Length) + 2;
        foreach (var target in targets)
        {
            var dependencies = target.Dependencies.Count == 0 ? "" : $" (depends on {string.Join(", ", target.Dependencies.Select(d => d.Name))})";
            output.WriteLine($"  {Label(target).PadRight(nameWidth)}{target.Description}{dependencies}".TrimEnd());
        }

        output.WriteLine();
        output.WriteLine("Parameters:");
        WriteParameters(output, binder.BuildParameters, pristineBuild);
        output.WriteLine();
        output.WriteLine("Runner options:");
        WriteParameters(output, binder.RunnerParameters, new RunnerOptions());
        output.WriteLine();
        output.WriteLine("Parameters also come from the environment (NAME or NUKE_NAME) and from .nuke/parameters.json.");
    }

    private static string Label(ExecutableTarget target) => target.IsDefault ? $"{target.Name} (default)" : target.Name;

    private static void WriteParameters(TextWriter output, IReadOnlyList<BuildParameter> parameters, object defaults)
    {
        var usages = parameters.Select(p => (Parameter: p, Usage: $"{p.Flag}{Placeholder(p)}")).ToList();
        var width = usages.Select(u => u.Usage.Length).Append(0).Max() + 2;
        foreach (var (parameter, usage) in usages)
        {
            var value = parameter.GetValue(defaults);
            var shownDefault = parameter.IsSecret || value is null or false || value is Array { Length: 0 } ? "" : $" (default: {Show(value)})";
            var secret = parameter.IsSecret ? " (secret)" : "";
            output.WriteLine($"  {usage.PadRight(width)}{parameter.Description}{shownDefault}{secret}".TrimEnd());
        }
    }

    private static string Placeholder(BuildParameter parameter)
    {
        if (parameter.IsFlag || parameter.IsTrailing)
            return "";
        var type = parameter.ElementType;
        var name = type.IsEnum
            ? string.Join("|", Enum.GetNames(type).Select(Names.ToKebabCase))
            : type == typeof(AbsolutePath) ? "path"
            : type == typeof(int) || type == typeof(long) || type == typeof(double) ? "number"
            : "value";
        return parameter.Type.IsArray ? $" <{name}...>" : $" <{name}>";
    }

    private static string Show(object value) => value switch
    {
        Enum e => Names.ToKebabCase(e.ToString()),
        Array array => string.Join(" ", array.Cast<object>()),
        _ => value.ToString() ?? "",
    };
}
