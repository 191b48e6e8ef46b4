namespace Orchestrator.Projects;

/// <summary>One named step of a pipeline: what it shows in a plan, and what it does.</summary>
internal sealed record Step(string Name, string Shows, Action Run);

/// <summary>A step failed; the message names the step so the operator knows where it stopped.</summary>
internal sealed class StepFailedException(string step, string reason) : Exception($"step '{step}' failed: {reason}")
{
    public string Step { get; } = step;
}

/// <summary>The run was interrupted (Ctrl-C, SIGTERM) during a step or just before it.</summary>
internal sealed class StepInterruptedException(string step) : OperationCanceledException($"interrupted at step '{step}'");

/// <summary>Runs steps in order, logging each; the first failure or an interruption stops the pipeline with the step's name.</summary>
internal static class Steps
{
    public static void Run(IEnumerable<Step> steps, TextWriter log, CancellationToken cancel)
    {
        foreach (var step in steps)
        {
            if (cancel.IsCancellationRequested)
                throw new StepInterruptedException(step.Name);
            log.WriteLine($"  {step.Name}: {step.Shows}");
            try
            {
                step.Run();
            }
            // A step cut short by the interruption (its child processes stopped) fails in whatever way they died.
            catch (Exception) when (cancel.IsCancellationRequested)
            {
                throw new StepInterruptedException(step.Name);
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
