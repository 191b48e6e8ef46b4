using System.Linq.Expressions;

namespace Runbook;

public interface ITargetDefinition
{
    ITargetDefinition Description(string description);
    ITargetDefinition DependsOn(params Target[] targets);
    ITargetDefinition DependentFor(params Target[] targets);
    ITargetDefinition After(params Target[] targets);
    ITargetDefinition Before(params Target[] targets);
    ITargetDefinition Triggers(params Target[] targets);
    ITargetDefinition TriggeredBy(params Target[] targets);

    /// <summary>Fails the run before anything executes when a parameter has no value.</summary>
    ITargetDefinition Requires<T>(params Expression<Func<T>>[] parameters) where T : class?;
    ITargetDefinition Requires<T>(params Expression<Func<T?>>[] parameters) where T : struct;

    /// <summary>Fails the run before anything executes when a condition is false.</summary>
    ITargetDefinition Requires(params Expression<Func<bool>>[] conditions);

    /// <summary>Evaluated before anything runs; a false condition skips the target.</summary>
    ITargetDefinition OnlyWhenStatic(params Expression<Func<bool>>[] conditions);

    /// <summary>Evaluated just before the target runs; a false condition skips it.</summary>
    ITargetDefinition OnlyWhenDynamic(params Expression<Func<bool>>[] conditions);

    ITargetDefinition WhenSkipped(DependencyBehavior dependencyBehavior);
    ITargetDefinition ProceedAfterFailure();
    ITargetDefinition AssuredAfterFailure();
    ITargetDefinition Unlisted();
    ITargetDefinition Executes(Action action);
    ITargetDefinition Executes(Func<Task> action);
}
