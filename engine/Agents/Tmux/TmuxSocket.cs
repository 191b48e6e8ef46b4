using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Engine.Agents.Tmux;

/// <summary>
/// Each project's agents run on a tmux server of their own (<c>tmux -L NAME</c>), so a
/// <c>tmux kill-server</c> on the user's default server, or on another project's, leaves them running.
/// </summary>
internal static partial class TmuxSocket
{
    /// <summary>The socket of the user's default server (plain <c>tmux</c>), where older engines ran agents.</summary>
    public const string Default = "default";

    private const int NameChars = 24;

    [GeneratedRegex("[^A-Za-z0-9_-]+")]
    private static partial Regex NotSocketSafe();

    [DllImport("libc", EntryPoint = "getuid")]
    private static extern uint GetUid();

    /// <summary>
    /// The project's socket name, from its folder: <c>agents-NAME-HASH</c>, NAME the folder's name for
    /// people and HASH the first 8 hex digits of the SHA-256 of its canonical path, so two projects
    /// never share a server. Derived from the folder rather than the session prefix because the folder
    /// is what owns the sessions (<c>@ao_owner</c>): editing the prefix keeps the server, and a project
    /// whose agents.toml is broken still knows where its agents run.
    /// </summary>
    public static string For(string projectDir)
    {
        var name = NotSocketSafe().Replace(Path.GetFileName(projectDir.TrimEnd('/')), "-").Trim('-');
        if (name.Length > NameChars)
            name = name[..NameChars];
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(projectDir)))[..8];
        return name.Length == 0 ? $"agents-{hash}" : $"agents-{name}-{hash}";
    }

    /// <summary>Whether the socket file is there: without it no server runs, and asking tmux would only cost a process.</summary>
    public static bool MayHaveServer(string socket) => Path.Exists(PathOf(socket));

    /// <summary>Where tmux puts the socket: <c>$TMUX_TMPDIR</c> or /tmp, then <c>tmux-UID/NAME</c>.</summary>
    public static string PathOf(string socket)
    {
        var root = Environment.GetEnvironmentVariable("TMUX_TMPDIR") is { Length: > 0 } custom ? custom : "/tmp";
        return Path.Combine(root, $"tmux-{GetUid()}", socket);
    }
}
