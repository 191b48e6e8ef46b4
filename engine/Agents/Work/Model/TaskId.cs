namespace Engine.Agents.Work.Model;

/// <summary>Tasks are numbered in the database and shown as <c>t7</c>; their branch is <c>work/t7</c>.</summary>
internal static class TaskId
{
    public static string Format(long number) => "t" + number;

    public static string Branch(long number) => "work/" + Format(number);

    /// <summary>Reads "t7" (or "7"); null when the text is not a task id.</summary>
    public static long? Parse(string text)
    {
        var digits = text.StartsWith('t') || text.StartsWith('T') ? text[1..] : text;
        return digits.Length > 0 && digits.All(char.IsAsciiDigit) && long.TryParse(digits, out var number) && number > 0
            ? number
            : null;
    }
}
