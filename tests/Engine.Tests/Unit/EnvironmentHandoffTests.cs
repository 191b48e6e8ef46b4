using Engine.Agents.Launching;
using TestSupport;

namespace Engine.Tests.Unit;

public sealed class EnvironmentHandoffTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    [Fact]
    public void The_file_is_its_users_alone_holds_each_variable_ended_by_a_nul_and_never_outlives_the_launch()
    {
        var path = _folder["state/launch/main.env"];
        _folder.Write("state/launch/main.env", "left by a killed engine");

        using (EnvironmentHandoff.Write(path, new Dictionary<string, string> { ["A"] = "1", ["B"] = "two\nlines" }))
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Equal("A=1\0B=two\nlines\0", File.ReadAllText(path));
        }

        Assert.False(File.Exists(path));
    }

    public void Dispose() => _folder.Dispose();
}
