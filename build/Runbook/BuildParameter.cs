using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace Runbook;

/// <summary>A <c>[Parameter]</c> field or property, with its command-line name and how to read and write it.</summary>
internal sealed class BuildParameter
{
    private BuildParameter(MemberInfo member, ParameterAttribute attribute)
    {
        Member = member;
        MemberName = member.Name;
        Name = Names.ToKebabCase(attribute.Name ?? member.Name);
        Description = attribute.Description;
        Type = member is FieldInfo field ? field.FieldType : ((PropertyInfo)member).PropertyType;
        IsSecret = member.IsDefined(typeof(SecretAttribute));
    }

    public MemberInfo Member { get; }
    public string MemberName { get; }
    public string Name { get; }
    public string Flag => "--" + Name;
    public string Key => Names.Normalize(Name);
    public string? Description { get; }
    public Type Type { get; }
    public bool IsSecret { get; }
    public Type ElementType => Type.IsArray ? Type.GetElementType()! : Nullable.GetUnderlyingType(Type) ?? Type;
    public bool IsFlag => ElementType == typeof(bool) && !Type.IsArray;
    public bool IsRunnerOption => Member.DeclaringType == typeof(RunnerOptions);

    public object? GetValue(object owner) => Member is FieldInfo field ? field.GetValue(owner) : ((PropertyInfo)Member).GetValue(owner);

    public void SetValue(object owner, object? value)
    {
        if (Member is FieldInfo field)
            field.SetValue(owner, value);
        else
            ((PropertyInfo)Member).SetValue(owner, value);
    }

    /// <summary>Whether the member holds no usable value: null, an empty string or an empty array.</summary>
    public bool IsMissing(object owner) => GetValue(owner) switch
    {
        null => true,
        string text => text.Length == 0,
        Array array => array.Length == 0,
        _ => false,
    };

    // Not MetadataToken: a native build has no metadata tokens.
    public bool Declares(MemberInfo member) => member.Name == Member.Name && member.DeclaringType == Member.DeclaringType;

    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "Every base class up to NukeBuild derives from it, so its annotation keeps their members too.")]
    public static IReadOnlyList<BuildParameter> Discover([DynamicallyAccessedMembers(BuildMembers.Reflected)] Type type)
    {
        const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        var parameters = new List<BuildParameter>();
        for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
            foreach (var member in t.GetFields(flags).Cast<MemberInfo>().Concat(t.GetProperties(flags)))
                if (member.GetCustomAttribute<ParameterAttribute>() is { } attribute)
                    parameters.Add(new BuildParameter(member, attribute));
        return parameters;
    }
}
