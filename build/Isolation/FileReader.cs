using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Orchestrator.Isolation;

/// <summary>
/// Reads whole files with plain open/read/close. .NET's file handles also take and release an advisory lock and stat
/// the file twice, doubling the system calls per file: across tens of thousands of small files that is most of a
/// scan. Unix only, like the rest of the fleet (tmux, /proc).
/// </summary>
internal static class FileReader
{
    private const int ENOENT = 2, EINTR = 4, ENOTDIR = 20, EISDIR = 21;
    /// <summary>A NUL byte this early makes a file binary, as git and grep decide.</summary>
    private const int BinaryProbeLength = 8192;

    private static readonly int OpenReadOnlyCloseOnExec = OperatingSystem.IsMacOS() ? 0x1000000 : 0x80000;

    /// <summary>
    /// Reads the file into <paramref name="buffer"/>, grown as needed, and returns its length; -1 for a binary file
    /// (a NUL in its first 8 KB; the rest is not read); null when there is no file to read (deleted since git listed
    /// it, or a folder).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs for every file of a scan that starts cold: skip the unoptimized first tier
    public static int? Read(string path, ref byte[] buffer)
    {
        int descriptor;
        do
            descriptor = open(path, OpenReadOnlyCloseOnExec);
        while (descriptor < 0 && Marshal.GetLastPInvokeError() == EINTR);
        if (descriptor < 0)
            return NoFile(path);
        try
        {
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                    Array.Resize(ref buffer, buffer.Length * 2);
                var count = (int)read(descriptor, ref buffer[length], buffer.Length - length);
                if (count < 0 && Marshal.GetLastPInvokeError() == EINTR)
                    continue;
                if (count < 0)
                    return NoFile(path);
                if (length < BinaryProbeLength && buffer.AsSpan(length, Math.Min(count, BinaryProbeLength - length)).Contains((byte)0))
                    return -1;
                if (count == 0)
                    return length;
                length += count;
            }
        }
        finally
        {
            close(descriptor);
        }
    }

    private static int? NoFile(string path)
    {
        var error = Marshal.GetLastPInvokeError();
        return error is ENOENT or ENOTDIR or EISDIR
            ? null
            : throw new IsolationScanException($"could not read {path}: {Marshal.GetPInvokeErrorMessage(error)}");
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern nint read(int descriptor, ref byte buffer, nint count);

    [DllImport("libc")]
    private static extern int close(int descriptor);
}
