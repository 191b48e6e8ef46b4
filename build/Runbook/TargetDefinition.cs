using System.Linq.Expressions;

namespace Runbook;

/// <summary>Collects what a target's fluent declaration says; resolved into an <see cref="ExecutableTarget"/> afterwards.</summary>
internal sealed class TargetDefinition : ITargetDefinition
{
    public string? DescriptionText { get; private set; }
    public List<Target> DependsOnTargets { get; } = [];
    public List<Target> DependentForTargets { get; } = [];
    public List<Target> AfterTargets { get; } = [];
    public List<Target> BeforeTargets { get; } = [];
    public List<Target> TriggersTargets { get; } = [];
    public List<Target> TriggeredByTargets { get; } = [];
    public List<LambdaExpression> RequiredParameters { get; } = [];
    public List<Expression<Func<bool>>> RequiredConditions { get; } = [];
    public List<Expression<Func<bool>>> StaticConditions { get; } = [];
    public List<Expression<Func<bool>>> DynamicConditions { get; } = [];
    public DependencyBehavior SkippedDependencies { get; private set; } = DependencyBehavior.Execute;
    public bool IsProceedAfterFailure { get; private set; }
    public bool IsAssuredAfterFailure { get; private set; }
    public bool IsUnlisted { get; private set; }
    public List<Func<Task>> Actions { get; } = [];

    public ITargetDefinition Description(string description) { DescriptionText = description; return this; }
    public ITargetDefinition DependsOn(params Target[] targets) { DependsOnTargets.AddRange(targets); return this; }
    public ITargetDefinition DependentFor(params Target[] targets) { DependentForTargets.AddRange(targets); return this; }
    public ITargetDefinition After(params Target[] targets) { AfterTargets.AddRange(targets); return this; }
    public ITargetDefinition Before(params Target[] targets) { BeforeTargets.AddRange(targets); return this; }
    public ITargetDefinition Triggers(params Target[] targets) { TriggersTargets.AddRange(targets); return this; }
    public ITargetDefinition TriggeredBy(params Target[] targets) { TriggeredByTargets.AddRange(targets); return this; }

    public ITargetDefinition Requires<T>(params Expression<Func<T>>[] parameters) where T : class?
    {
        RequiredParameters.AddRange(parameters);
        return this;
    }

    public ITargetDefinition Requires<T>(params Expression<Func<T?>>[] parameters) where T : struct
    {
        RequiredParameters.AddRange(parameters);
        return this;
    }

    public ITargetDefinition Requires(params Expression<Func<bool>>[] conditions) { RequiredConditions.AddRange(conditions); return this; }
    public ITargetDefinition OnlyWhenStatic(params Expression<Func<bool>>[] conditions) { StaticConditions.AddRange(conditions); return this; }
    public ITargetDefinition OnlyWhenDynamic(params Expression<Func<bool>>[] conditions) { DynamicConditions.AddRange(conditions); return this; }
    public ITargetDefinition WhenSkipped(DependencyBehavior dependencyBehavior) { SkippedDependencies = dependencyBehavior; return this; }
    public ITargetDefinition ProceedAfterFailure() { IsProceedAfterFailure = true; return this; }
    public ITargetDefinition AssuredAfterFailure() { IsAssuredAfterFailure = true; return this; }
    public ITargetDefinition Unlisted() { IsUnlisted = true; return this; }

    public ITargetDefinition Executes(Action action)
    {
        Actions.Add(() => { action(); return Task.CompletedTask; });
        return this;
    }

    public ITargetDefinition Executes(Func<Task> action) { Actions.Add(action); return this; }
}
