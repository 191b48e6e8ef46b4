namespace Orchestrator.Projects;

/// <summary>One named step of a pipeline: what it shows in a plan, and what it does.</summary>
internal sealed record Step(string Name, string Shows, Action Run);

/// <summary>A step failed; the message names the step so the operator knows where it stopped.</summary>
internal sealed class StepFailedException(string step, string reason) : Exception($"step '{step}' failed: {reason}")
{
    public string Step { get; } = step;
}

/// <summary>Runs steps in order, logging each; the first failure stops the pipeline with the step's name.</summary>
internal static class Steps
{
    public static void Run(IEnumerable<Step> steps, TextWriter log)
    {
        foreach (var step in steps)
        {
            log.WriteLine($"  {step.Name}: {step.Shows}");
            try
            {
                step.Run();
            }
            catch (Exception e) when (e is not StepFailedException)
            {
                throw new StepFailedException(step.Name, e.Message);
            }
        }
    }

    public static void Show(IEnumerable<Step> steps, TextWriter output)
    {
        foreach (var step in steps)
            output.WriteLine($"  {step.Name}: {step.Shows}");
    }
}
