namespace Engine.Agents.Scheduling;

/// <summary>
/// A five-field cron line (minute hour day-of-month month day-of-week) in the machine's local time,
/// with lists, ranges, steps and month/day names. As in cron, when both day fields are restricted a
/// day matches either of them.
/// </summary>
internal sealed class CronExpression
{
    private static readonly string[] MonthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    private static readonly string[] DayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    private readonly bool[] _minutes, _hours, _daysOfMonth, _months, _daysOfWeek;
    private readonly bool _dayOfMonthRestricted, _dayOfWeekRestricted;

    public string Text { get; }

    private CronExpression(string text, bool[] minutes, bool[] hours, bool[] daysOfMonth, bool[] months, bool[] daysOfWeek,
        bool dayOfMonthRestricted, bool dayOfWeekRestricted)
    {
        Text = text;
        (_minutes, _hours, _daysOfMonth, _months, _daysOfWeek) = (minutes, hours, daysOfMonth, months, daysOfWeek);
        (_dayOfMonthRestricted, _dayOfWeekRestricted) = (dayOfMonthRestricted, dayOfWeekRestricted);
    }

    /// <summary>Parses a cron line, or returns null with the reason.</summary>
    public static CronExpression? TryParse(string text, out string? error)
    {
        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (fields.Length != 5)
        {
            error = $"a cron line has 5 fields (minute hour day month weekday), '{text}' has {fields.Length}";
            return null;
        }
        var minutes = ParseField(fields[0], 0, 59, null, "minute", out error);
        var hours = error is null ? ParseField(fields[1], 0, 23, null, "hour", out error) : null;
        var days = error is null ? ParseField(fields[2], 1, 31, null, "day of month", out error) : null;
        var months = error is null ? ParseField(fields[3], 1, 12, MonthNames, "month", out error) : null;
        // Day of week accepts 0-7 with both 0 and 7 meaning Sunday.
        var weekdays = error is null ? ParseField(fields[4], 0, 7, DayNames, "day of week", out error) : null;
        if (error is not null)
            return null;
        weekdays![0] |= weekdays[7];
        return new CronExpression(text, minutes!, hours!, days!, months!, weekdays[..7],
            fields[2] != "*", fields[4] != "*");
    }

    /// <summary>The first matching minute strictly after <paramref name="after"/>.</summary>
    public DateTimeOffset Next(DateTimeOffset after, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(after, zone).DateTime;
        var candidate = new DateTime(local.Year, local.Month, local.Day, local.Hour, local.Minute, 0, DateTimeKind.Unspecified).AddMinutes(1);
        var limit = candidate.AddYears(8);

        while (candidate < limit)
        {
            if (!_months[candidate.Month])
            {
                candidate = new DateTime(candidate.Year, candidate.Month, 1).AddMonths(1);
                continue;
            }
            if (!DayMatches(candidate))
            {
                candidate = candidate.Date.AddDays(1);
                continue;
            }
            if (!_hours[candidate.Hour])
            {
                candidate = candidate.Date.AddHours(candidate.Hour + 1);
                continue;
            }
            if (!_minutes[candidate.Minute])
            {
                candidate = candidate.AddMinutes(1);
                continue;
            }
            // A local time skipped by a daylight-saving jump does not exist; cron skips it too.
            if (zone.IsInvalidTime(candidate))
            {
                candidate = candidate.AddMinutes(1);
                continue;
            }
            var offset = zone.IsAmbiguousTime(candidate)
                ? zone.GetAmbiguousTimeOffsets(candidate).Max()
                : zone.GetUtcOffset(candidate);
            return new DateTimeOffset(candidate, offset);
        }
        throw new InvalidOperationException($"cron line '{Text}' never matches");
    }

    private bool DayMatches(DateTime day)
    {
        var byMonthDay = _daysOfMonth[day.Day];
        var byWeekDay = _daysOfWeek[(int)day.DayOfWeek];
        return (_dayOfMonthRestricted, _dayOfWeekRestricted) switch
        {
            (true, true) => byMonthDay || byWeekDay,
            (true, false) => byMonthDay,
            (false, true) => byWeekDay,
            _ => true,
        };
    }

    private static bool[]? ParseField(string field, int min, int max, string[]? names, string what, out string? error)
    {
        error = null;
        var allowed = new bool[max + 1];
        foreach (var item in field.Split(','))
        {
            var (range, step) = SplitStep(item, what, ref error);
            if (error is not null)
                return null;

            int from, to;
            if (range == "*")
                (from, to) = (min, max);
            else if (range.Split('-') is [var low, var high])
            {
                from = ParseValue(low, min, max, names, what, ref error);
                to = ParseValue(high, min, max, names, what, ref error);
                if (error is null && from > to)
                    error = $"{what} range '{range}' runs backwards";
            }
            else
            {
                from = ParseValue(range, min, max, names, what, ref error);
                to = step > 1 ? max : from;
            }
            if (error is not null)
                return null;

            for (var value = from; value <= to; value += step)
                allowed[value] = true;
        }
        return allowed;
    }

    private static (string Range, int Step) SplitStep(string item, string what, ref string? error)
    {
        var slash = item.IndexOf('/');
        if (slash < 0)
            return (item, 1);
        if (!int.TryParse(item[(slash + 1)..], out var step) || step < 1)
            error = $"{what} step in '{item}' must be a positive number";
        return (item[..slash], step);
    }

    private static int ParseValue(string text, int min, int max, string[]? names, string what, ref string? error)
    {
        if (error is not null)
            return min;
        if (int.TryParse(text, out var value) && value >= min && value <= max)
            return value;
        var index = names is null ? -1 : Array.IndexOf(names, text.ToLowerInvariant());
        if (index >= 0)
            return names == MonthNames ? index + 1 : index;
        error = $"{what} '{text}' is not a number from {min} to {max}" + (names is null ? "" : " or a name like " + names[0]);
        return min;
    }
}
