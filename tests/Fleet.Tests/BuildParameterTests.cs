using System.Reflection;
using System.Text.RegularExpressions;
using Runbook;

namespace Fleet.Tests;

public sealed class BuildParameterTests
{
    private static readonly IReadOnlyList<MemberInfo> Parameters = typeof(Orchestrator.Build)
        .GetMembers(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
        .Where(m => m.IsDefined(typeof(ParameterAttribute)))
        .ToList();

    [Fact]
    public void Every_parameter_named_for_a_credential_is_secret()
    {
        Assert.NotEmpty(Parameters);
        var credentials = Parameters.Where(m => Regex.IsMatch(m.Name, "token|password|passphrase|secret|credential|api_?key", RegexOptions.IgnoreCase));
        Assert.All(credentials, m => Assert.True(m.IsDefined(typeof(SecretAttribute)), $"--{m.Name} holds a credential: mark it [Secret] so no output shows it"));
    }
}
