using Engine.Agents;
using Engine.Agents.Commands;
using Engine.Agents.Tmux;

namespace Engine.Tests.Unit;

public sealed class TmuxSocketTests
{
    [Fact]
    public void A_projects_socket_is_its_folder_name_and_a_hash_of_its_path()
    {
        Assert.Matches("^agents-my-app-[0-9a-f]{8}$", TmuxSocket.For("/srv/my.app"));
        Assert.Equal(TmuxSocket.For("/srv/api"), TmuxSocket.For("/srv/api"));
        Assert.NotEqual(TmuxSocket.For("/srv/api"), TmuxSocket.For("/home/me/api"));
        Assert.Matches("^agents-[0-9a-f]{8}$", TmuxSocket.For("/"));
        Assert.Equal("agents-".Length + 24 + 9, TmuxSocket.For("/srv/" + new string('x', 200)).Length);
    }

    private static TmuxPane Pane(string session, string owner, string socket) => new(session, 1, false, null, null, owner, socket);

    [Fact]
    public void The_default_server_adds_only_this_projects_sessions_not_also_on_its_own_server()
    {
        TmuxPane[] own = [Pane("p-main", "/p", "agents-p-1")];
        TmuxPane[] onDefault = [Pane("p-main", "/p", "default"), Pane("p-old", "/p", "default"), Pane("p-x", "/q", "default"), Pane("mine", "", "default")];

        var panes = Project.WithLeftovers(own, onDefault, "/p");

        Assert.Equal([own[0], onDefault[1]], panes);
    }

    [Theory]
    [InlineData("tmux", "tmux")]
    [InlineData("agents-a_b-1f2e3d4c", "agents-a_b-1f2e3d4c")]
    [InlineData("=p-main", "'=p-main'")]
    [InlineData("a b", "'a b'")]
    [InlineData("it's", "'it'\\''s'")]
    [InlineData("$HOME", "'$HOME'")]
    [InlineData("", "''")]
    public void Attach_prints_words_a_shell_reads_back_as_they_are(string word, string quoted) =>
        Assert.Equal(quoted, AttachCommand.Quote(word));
}
