namespace Runbook;

/// <summary>Marks a field or property as a parameter, bound from the command line, the environment or parameter files.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class ParameterAttribute(string? description = null) : Attribute
{
    public string? Description { get; } = description;

    /// <summary>The name to use instead of the member's, e.g. when the member name is a C# keyword.</summary>
    public string? Name { get; init; }
}

/// <summary>The parameter's value never appears in any output.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class SecretAttribute : Attribute;

/// <summary>
/// The array parameter that takes every argument after <c>--</c>, as typed, options and all (a command and its own
/// arguments). It comes only from there: no flag, environment variable or parameter file sets it. One per build.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class TrailingArgumentsAttribute : Attribute;
