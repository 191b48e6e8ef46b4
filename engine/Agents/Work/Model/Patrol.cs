using System.Globalization;

namespace Engine.Agents.Work.Model;

/// <summary>Whether new work may start: the pause and the daily budget, decided without effects.</summary>
internal static class Patrol
{
    /// <summary>Null when a task (or the planner) may start; otherwise why not.</summary>
    public static string? RefuseStart(bool paused, string? pauseReason, double spentToday, double? dailyBudget)
    {
        if (paused)
            return $"the project is paused ({pauseReason ?? "no reason given"}); run 'agents resume' to continue";
        if (dailyBudget is { } budget && spentToday >= budget)
            return $"today's spend {Usd(spentToday)} reached max_budget_per_day {Usd(budget)}; no task starts until tomorrow (UTC)";
        return null;
    }

    /// <summary>The pause reason once <paramref name="failuresInARow"/> reaches the limit; null below it (or with no limit, 0).</summary>
    public static string? PauseAfter(int failuresInARow, int limit, string lastFailure) =>
        limit > 0 && failuresInARow >= limit
            ? $"{failuresInARow} tasks failed in a row, the last {lastFailure}"
            : null;

    public static string Usd(double amount) => "$" + amount.ToString("0.00##", CultureInfo.InvariantCulture);
}
