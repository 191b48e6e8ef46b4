using System.Globalization;
using System.Text.RegularExpressions;

namespace Engine.Agents.Config;

/// <summary>Durations written as "500ms", "5s", "30m", "1h30m" or "2d".</summary>
internal static partial class Durations
{
    [GeneratedRegex(@"^(?:(\d+(?:\.\d+)?)(ms|s|m|h|d))+$")]
    private static partial Regex Whole();

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(ms|s|m|h|d)")]
    private static partial Regex Part();

    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (!Whole().IsMatch(text))
            return false;
        foreach (Match part in Part().Matches(text))
        {
            var amount = double.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
            duration += part.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(amount),
                "s" => TimeSpan.FromSeconds(amount),
                "m" => TimeSpan.FromMinutes(amount),
                "h" => TimeSpan.FromHours(amount),
                _ => TimeSpan.FromDays(amount),
            };
        }
        return duration > TimeSpan.Zero;
    }

    /// <summary>Short human form for status output: "45s", "12m", "3h", "2d".</summary>
    public static string Humanize(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
            span = TimeSpan.Zero;
        if (span.TotalSeconds < 90)
            return $"{(int)span.TotalSeconds}s";
        if (span.TotalMinutes < 90)
            return $"{(int)span.TotalMinutes}m";
        if (span.TotalHours < 48)
            return $"{(int)span.TotalHours}h";
        return $"{(int)span.TotalDays}d";
    }
}
