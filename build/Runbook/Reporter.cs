namespace Runbook;

/// <summary>The runner's own output: logo, target headers, errors and the summary. It goes to stderr so that stdout carries only what targets print.</summary>
internal sealed class Reporter(TextWriter err, Verbosity verbosity)
{
    private const int Width = 64;

    public void Logo(string logo)
    {
        if (verbosity >= Verbosity.Normal)
            err.WriteLine(logo);
    }

    public void TargetHeader(ExecutableTarget target)
    {
        if (verbosity >= Verbosity.Normal)
        {
            err.WriteLine();
            err.WriteLine($"── {target.Name} " + new string('─', Math.Max(3, Width - target.Name.Length - 4)));
        }
    }

    public void Verbose(string message)
    {
        if (verbosity >= Verbosity.Verbose)
            err.WriteLine(message);
    }

    public void Error(string message)
    {
        foreach (var line in message.Split('\n'))
            err.WriteLine($"error: {line.TrimEnd('\r')}");
    }

    public void Failure(ExecutableTarget target, Exception failure)
    {
        var known = failure is TargetFailedException or UsageException;
        Error($"{target.Name}: {(known ? "" : failure.GetType().Name + ": ")}{failure.Message}");
        Verbose(failure.ToString());
    }

    public void Summary(IReadOnlyList<TargetResult> results, TimeSpan total, int exitCode)
    {
        if (verbosity >= Verbosity.Normal)
        {
            var nameWidth = Math.Max(12, results.Max(r => r.Target.Name.Length) + 2);
            err.WriteLine();
            err.WriteLine(new string('═', Width));
            err.WriteLine($"{"Target".PadRight(nameWidth)}{"Status",-12}{"Duration",10}");
            err.WriteLine(new string('─', Width));
            foreach (var result in results)
            {
                var duration = result.Status is TargetStatus.Skipped or TargetStatus.NotRun ? "" : Format(result.Duration);
                var note = result.Note is null ? "" : $"   // {result.Note}";
                err.WriteLine($"{result.Target.Name.PadRight(nameWidth)}{result.Status,-12}{duration,10}{note}");
            }
            err.WriteLine(new string('─', Width));
            err.WriteLine($"{"Total".PadRight(nameWidth)}{"",-12}{Format(total),10}");
            err.WriteLine(new string('═', Width));
            err.WriteLine();
        }
        if (verbosity >= Verbosity.Minimal)
            err.WriteLine(exitCode == 0 ? $"Build succeeded in {Format(total)}" : $"Build failed in {Format(total)} (exit code {exitCode})");
    }

    public static string Format(TimeSpan duration) =>
        $"{(int)duration.TotalMinutes}:{duration.Seconds:00}.{duration.Milliseconds / 10:00}";
}
