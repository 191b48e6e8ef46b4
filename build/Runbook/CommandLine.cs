namespace Runbook;

/// <summary>An option as typed: <c>--engine-url x</c>, <c>--tags a b</c>, <c>--dry-run</c>, <c>--ref=v1</c>.</summary>
internal sealed record CommandLineOption(string Spelling, IReadOnlyList<string> Values)
{
    public string Key => Names.Normalize(Spelling.TrimStart('-'));
}

/// <summary>
/// The command line split into positional target names, options, and the arguments after <c>--</c> (null without
/// one), kept as typed, options and all; no meaning is given to any of them yet.
/// </summary>
internal sealed record CommandLine(IReadOnlyList<string> Targets, IReadOnlyList<CommandLineOption> Options, IReadOnlyList<string>? Trailing)
{
    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        var targets = new List<string>();
        var options = new List<(string Spelling, List<string> Values)>();
        List<string>? trailing = null;
        foreach (var arg in args)
        {
            if (trailing is not null)
                trailing.Add(arg);
            else if (arg == "--")
                trailing = [];
            else if (IsOption(arg))
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
        return new CommandLine(targets, options.Select(o => new CommandLineOption(o.Spelling, o.Values)).ToList(), trailing);
    }

    // "-1" is a value, not an option; a lone "-" is a value too (stdin, by convention).
    private static bool IsOption(string arg) =>
        arg.Length > 1 && arg[0] == '-' && !char.IsDigit(arg[1]) && !(arg.Length > 2 && arg[1] == '-' && char.IsDigit(arg[2]));
}
