namespace Runbook;

/// <summary><c>--plan</c>: the execution order as text, and the graph in Mermaid under .nuke/temp/.</summary>
internal static class PlanWriter
{
    public static void Write(TextWriter output, ExecutionPlan plan, AbsolutePath temporaryDirectory, AbsolutePath root)
    {
        output.WriteLine("Execution plan:");
        var number = 0;
        foreach (var (target, skipReason) in plan.Entries)
            output.WriteLine($"  {++number,2}. {target.Name}{(skipReason is null ? "" : $"  (skipped: {skipReason})")}");

        Directory.CreateDirectory(temporaryDirectory);
        var graphFile = temporaryDirectory / "plan.mmd";
        File.WriteAllText(graphFile, Mermaid(plan));
        output.WriteLine();
        output.WriteLine($"Mermaid graph: {graphFile.RelativeTo(root)}");
    }

    public static string Mermaid(ExecutionPlan plan)
    {
        var scheduled = plan.Entries.Select(e => e.Target).ToHashSet();
        var lines = new List<string> { "graph LR" };
        foreach (var (target, skipReason) in plan.Entries)
        {
            lines.Add($"  {target.Name}[\"{target.Name}\"]" + (skipReason is null ? "" : ":::skipped"));
            lines.AddRange(target.Dependencies.Where(scheduled.Contains).Select(d => $"  {d.Name} --> {target.Name}"));
            lines.AddRange(target.OrderedAfter.Where(scheduled.Contains).Select(d => $"  {d.Name} -.-> {target.Name}"));
            lines.AddRange(target.Triggers.Where(scheduled.Contains).Select(t => $"  {target.Name} == triggers ==> {t.Name}"));
        }
        lines.Add("  classDef skipped stroke-dasharray: 5 5,opacity:0.5");
        return string.Join("\n", lines) + "\n";
    }
}
