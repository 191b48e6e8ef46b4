namespace Orchestrator.Output;

/// <summary>A count with its noun agreeing: "1 project", "2 projects", "0 problems".</summary>
internal static class Counted
{
    public static string Of(int count, string noun) => $"{count} {(count == 1 ? noun : noun + "s")}";
}
