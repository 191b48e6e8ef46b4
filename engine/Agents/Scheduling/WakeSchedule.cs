using Engine.Agents.Config;

namespace Engine.Agents.Scheduling;

/// <summary>When an agent is woken: every fixed interval, or at the minutes a cron line names.</summary>
internal abstract record WakeSchedule(string Text)
{
    public abstract DateTimeOffset Next(DateTimeOffset after);

    public sealed record Every(string Text, TimeSpan Interval) : WakeSchedule(Text)
    {
        public override DateTimeOffset Next(DateTimeOffset after) => after + Interval;
    }

    public sealed record Cron(string Text, CronExpression Expression, TimeZoneInfo Zone) : WakeSchedule(Text)
    {
        public override DateTimeOffset Next(DateTimeOffset after) => Expression.Next(after, Zone);
    }

    /// <summary>An interval like "30m", or a five-field cron line; null with the reason otherwise.</summary>
    public static WakeSchedule? TryParse(string text, TimeZoneInfo zone, out string? error)
    {
        error = null;
        if (Durations.TryParse(text, out var interval))
            return new Every(text, interval);
        if (!text.Contains(' '))
        {
            error = $"'{text}' is neither an interval like \"30m\" nor a cron line like \"0 9 * * 1-5\"";
            return null;
        }
        var cron = CronExpression.TryParse(text, out error);
        return cron is null ? null : new Cron(text, cron, zone);
    }
}
