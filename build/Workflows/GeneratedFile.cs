using System.Text;
using Orchestrator.Fleet;

namespace Orchestrator.Workflows;

/// <summary>A file the runbook generates and the repository commits: replaced in one step, and only when its content
/// changes, so a reader never sees half a file and an unchanged one keeps its timestamp.</summary>
internal static class GeneratedFile
{
    /// <summary>Brings <paramref name="relativePath"/> under <paramref name="root"/> to <paramref name="content"/>;
    /// returns what happened in one line, or with <paramref name="dryRun"/> the diff it would make.</summary>
    public static string Update(AbsolutePath root, string relativePath, string content, bool dryRun)
    {
        var path = root / relativePath;
        var current = path.FileExists() ? File.ReadAllText(path) : "";
        if (current == content)
            return $"{relativePath} is up to date\n";
        if (dryRun)
            return TextDiff.Unified(current, content, relativePath);
        Directory.CreateDirectory(path.Parent!);
        RegistryFile.WriteAtomically(path, Encoding.UTF8.GetBytes(content));
        return $"wrote {relativePath}\n";
    }
}
