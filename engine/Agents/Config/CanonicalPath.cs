using System.Runtime.InteropServices;

namespace Engine.Agents.Config;

internal static class CanonicalPath
{
    [DllImport("libc", EntryPoint = "realpath", SetLastError = true)]
    private static extern IntPtr RealPath([MarshalAs(UnmanagedType.LPUTF8Str)] string path, IntPtr resolved);

    [DllImport("libc", EntryPoint = "free")]
    private static extern void Free(IntPtr pointer);

    /// <summary>
    /// The absolute path with symlinks resolved: a project reached through two paths is still one
    /// owner of its tmux sessions.
    /// </summary>
    public static string Of(string path)
    {
        var absolute = Path.GetFullPath(path);
        var resolved = RealPath(absolute, IntPtr.Zero);
        if (resolved == IntPtr.Zero)
            return absolute;
        try
        {
            return Marshal.PtrToStringUTF8(resolved) ?? absolute;
        }
        finally
        {
            Free(resolved);
        }
    }
}
