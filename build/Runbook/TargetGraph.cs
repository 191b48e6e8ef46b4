using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace Runbook;

/// <summary>Discovers the <see cref="Target"/> properties of a build and resolves their references into a graph.</summary>
internal sealed class TargetGraph
{
    private readonly Dictionary<string, ExecutableTarget> _byNormalizedName;

    public IReadOnlyList<ExecutableTarget> Targets { get; }

    private TargetGraph(List<ExecutableTarget> targets)
    {
        Targets = targets;
        _byNormalizedName = targets.ToDictionary(t => Names.Normalize(t.Name));
    }

    public static TargetGraph Discover(NukeBuild build)
    {
        var properties = TargetProperties(build.GetType());
        var definitions = new List<(string Name, Target Target, TargetDefinition Definition)>();
        foreach (var property in properties)
        {
            var target = (Target)property.GetValue(build)!;
            var definition = new TargetDefinition();
            target(definition);
            definitions.Add((property.Name, target, definition));
        }

        var targets = definitions.Select((d, index) => new ExecutableTarget(d.Name, index, d.Definition)).ToList();
        // A target property returns a fresh delegate on every read, but always over the same compiler-generated method.
        var byMethod = definitions.Select((d, index) => (d.Target.Method, Target: targets[index]))
            .ToDictionary(x => x.Method, x => x.Target);
        ExecutableTarget Resolve(Target reference) =>
            byMethod.TryGetValue(reference.Method, out var resolved)
                ? resolved
                : throw new InvalidOperationException($"a target refers to a Target that is not a property of {build.GetType().Name}");

        foreach (var target in targets)
        {
            var definition = target.Definition;
            target.Dependencies.AddRange(definition.DependsOnTargets.Select(Resolve));
            foreach (var dependent in definition.DependentForTargets.Select(Resolve))
                dependent.Dependencies.Add(target);
            target.OrderedAfter.AddRange(definition.AfterTargets.Select(Resolve));
            foreach (var later in definition.BeforeTargets.Select(Resolve))
                later.OrderedAfter.Add(target);
            foreach (var triggered in definition.TriggersTargets.Select(Resolve))
                Link(target, triggered);
            foreach (var trigger in definition.TriggeredByTargets.Select(Resolve))
                Link(trigger, target);
        }
        return new TargetGraph(targets);
    }

    private static void Link(ExecutableTarget trigger, ExecutableTarget triggered)
    {
        if (!trigger.Triggers.Contains(triggered))
            trigger.Triggers.Add(triggered);
        if (!triggered.TriggeredBy.Contains(trigger))
            triggered.TriggeredBy.Add(trigger);
    }

    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "Every class of the chain derives from NukeBuild, whose annotation keeps their members.")]
    private static IEnumerable<PropertyInfo> TargetProperties([DynamicallyAccessedMembers(BuildMembers.Reflected)] Type type)
    {
        const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        var chain = new List<Type>();
        for (var t = type; t is not null && t != typeof(NukeBuild); t = t.BaseType)
            chain.Insert(0, t);
        // Base class targets first, then each file of a partial class in the order the compiler emits them.
        return chain.SelectMany(t => t.GetProperties(flags)).Where(p => p.PropertyType == typeof(Target));
    }

    public ExecutableTarget? Find(string name) => _byNormalizedName.GetValueOrDefault(Names.Normalize(name));

    public ExecutableTarget Get(string name) =>
        Find(name) ?? throw new UsageException(UnknownTargetMessage(name));

    public string UnknownTargetMessage(string name)
    {
        var listed = Targets.Where(t => !t.Definition.IsUnlisted).Select(t => t.Name).ToList();
        var suggestion = Names.DidYouMean(name, listed);
        var hint = suggestion is null ? "" : $" Did you mean {suggestion}?";
        return $"Unknown target '{name}'.{hint} Available targets: {string.Join(", ", listed)}.";
    }

    /// <summary>Fails with the first cycle found, spelled out: <c>Circular dependency: A -> B -> A</c>.</summary>
    public void ThrowOnCycle()
    {
        var state = new Dictionary<ExecutableTarget, bool>(); // false: on the current path, true: finished
        var path = new List<ExecutableTarget>();
        foreach (var target in Targets)
            Visit(target);

        void Visit(ExecutableTarget target)
        {
            if (state.TryGetValue(target, out var finished))
            {
                if (finished)
                    return;
                var cycle = path.Skip(path.IndexOf(target)).Append(target);
                throw new UsageException("Circular dependency: " + string.Join(" -> ", cycle.Select(t => t.Name)));
            }
            state[target] = false;
            path.Add(target);
            // Walk "must come before" edges backwards so the cycle reads in execution order.
            foreach (var successor in Successors(target))
                Visit(successor);
            path.RemoveAt(path.Count - 1);
            state[target] = true;
        }
    }

    private IEnumerable<ExecutableTarget> Successors(ExecutableTarget target) =>
        Targets.Where(t => t.Predecessors.Contains(target));
}
