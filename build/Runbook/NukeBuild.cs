using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;

namespace Runbook;

/// <summary>The base of a build: <c>class Build : NukeBuild { public static int Main() => Execute&lt;Build&gt;(x => x.Default); }</c>.</summary>
/// <remarks>The runner finds targets and parameters by reflection: the annotation keeps them in a native (trimmed) build of every derived class.</remarks>
[DynamicallyAccessedMembers(BuildMembers.Reflected)]
public abstract class NukeBuild
{
    /// <summary>The folder holding the <c>.nuke/</c> marker.</summary>
    public AbsolutePath RootDirectory { get; internal set; } = null!;

    public AbsolutePath TemporaryDirectory => RootDirectory / ".nuke" / "temp";

    public Verbosity Verbosity { get; internal set; } = Verbosity.Normal;

    /// <summary>The targets asked for on the command line (or the default ones).</summary>
    public IReadOnlyList<string> InvokedTargets { get; internal set; } = [];

    /// <summary>The first line of output, unless --no-logo.</summary>
    protected internal virtual string Logo => GetType().Name;

    protected static int Execute<T>(params Expression<Func<T, Target>>[] defaultTargets) where T : NukeBuild, new()
    {
        var context = RunContext.FromProcess();
        return BuildRunner.Run(new T(), defaultTargets.Select(TargetName).ToList(), context);
    }

    private static string TargetName<T>(Expression<Func<T, Target>> selector) =>
        selector.Body is MemberExpression member
            ? member.Member.Name
            : throw new ArgumentException("a default target is selected as x => x.TargetName", nameof(selector));
}

/// <summary>The members the runner reads by reflection, from a build class and from <see cref="RunnerOptions"/>.</summary>
internal static class BuildMembers
{
    public const DynamicallyAccessedMemberTypes Reflected =
        DynamicallyAccessedMemberTypes.PublicFields | DynamicallyAccessedMemberTypes.NonPublicFields |
        DynamicallyAccessedMemberTypes.PublicProperties | DynamicallyAccessedMemberTypes.NonPublicProperties |
        DynamicallyAccessedMemberTypes.PublicParameterlessConstructor;
}
