namespace Runbook;

/// <summary>An option as typed: <c>--engine-url x</c>, <c>--tags a b</c>, <c>--dry-run</c>, <c>--ref=v1</c>.</summary>
internal sealed record CommandLineOption(string Spelling, IReadOnlyList<string> Values)
{
    public string Key => Names.Normalize(Spelling.TrimStart('-'));
}

/// <summary>The command line split into positional target names and options; no meaning is given to either yet.</summary>
internal sealed record CommandLine(IReadOnlyList<string> Targets, IReadOnlyList<CommandLineOption> Options)
{
    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        var targets = new List<string>();
        var options = new List<(string Spelling, List<string> Values)>();
        foreach (var arg in args)
        {
            if (IsOption(arg))
            {
                var equals = arg.IndexOf('=');
                if (equals > 0)
                    options.Add((arg[..equals], [arg[(equals + 1)..]]));
                else
                    options.Add((arg, []));
            }
            else if (options.Count == 0)
                targets.Add(arg);
            else
                options[^1].Values.Add(arg);
        }
        return new CommandLine(targets, options.Select(o => new CommandLineOption(o.Spelling, o.Values)).ToList());
    }

    // "-1" is a value, not an option; a lone "-" is a value too (stdin, by convention).
    private static bool IsOption(string arg) =>
        arg.Length > 1 && arg[0] == '-' && !char.IsDigit(arg[1]) && !(arg.Length > 2 && arg[1] == '-' && char.IsDigit(arg[2]));
}
