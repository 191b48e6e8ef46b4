using System.ComponentModel;
using Orchestrator.Processes;

namespace Orchestrator.Git;

/// <summary>
/// The git command line behind typed calls: every write (see GitRepository.cs for the rule), and the reads that need
/// git itself (network ref listings, IsolationCheck's path listings).
/// </summary>
internal static class GitCli
{
    // Never prompt for credentials, and always answer in untranslated, parseable English.
    private static readonly Dictionary<string, string> Environment = new()
    {
        ["GIT_TERMINAL_PROMPT"] = "0",
        ["LC_ALL"] = "C",
    };

    /// <summary>Local engine repositories are file:// remotes, which git refuses for submodules unless allowed per command (git >= 2.38.1).</summary>
    public static readonly string[] AllowFileProtocol = ["-c", "protocol.file.allow=always"];

    public static CommandResult Try(string workingDirectory, params IEnumerable<string> arguments) =>
        Try(workingDirectory, arguments, null);

    public static CommandResult Try(string workingDirectory, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment)
    {
        try
        {
            var merged = environment is null ? Environment : Environment.Concat(environment).ToDictionary();
            return Command.Run("git", arguments, workingDirectory, merged);
        }
        catch (Win32Exception)
        {
            throw new GitException("git is not on PATH; install git and retry");
        }
    }

    /// <summary>Runs git and returns its trimmed output, or throws with git's reason.</summary>
    public static string Run(string workingDirectory, params IEnumerable<string> arguments) =>
        Run(workingDirectory, arguments, null);

    public static string Run(string workingDirectory, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment)
    {
        var list = arguments.ToList();
        var result = Try(workingDirectory, list, environment);
        if (!result.Succeeded)
            throw new GitException($"git {string.Join(" ", list.Where(a => a != "-c" && !a.StartsWith("protocol.")))} failed in {workingDirectory}: {result.FirstErrorLine}");
        return result.Output.TrimEnd('\n', '\r');
    }
}
