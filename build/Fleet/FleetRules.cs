using System.Text.RegularExpressions;

namespace Orchestrator.Fleet;

/// <summary>The rules for names, refs and URLs in fleet.toml: pure checks returning what is wrong, or null.</summary>
internal static partial class FleetRules
{
    public static readonly string[] Harnesses = ["agents", "agent-orchestrator"];

    /// <summary>A project's name becomes a folder, a tmux session prefix and part of commit messages: short enough for all three.</summary>
    public const int MaxNameLength = 64;

    /// <summary>Lowercase letters, digits, '.', '_' and '-', starting with a letter or digit; at most <see cref="MaxNameLength"/> characters.</summary>
    public static string? CheckName(string name) =>
        name.Length > MaxNameLength
            ? $"'{name[..16]}...' is {name.Length} characters long; a project name has at most {MaxNameLength}"
            : ProjectName().IsMatch(name)
                ? null
                : $"'{name}' is not a valid project name; use lowercase letters, digits, '.', '_' and '-', starting with a letter or digit";

    /// <summary>The rules of <c>git check-ref-format --allow-onelevel</c>.</summary>
    public static string? CheckRef(string reference)
    {
        string? Problem()
        {
            if (reference.Length == 0)
                return "is empty";
            if (reference == "@")
                return "is '@'";
            if (reference.StartsWith('-'))
                return "starts with '-', which git would take for an option";
            if (reference.Any(c => c < 0x20 || c == 0x7f || " ~^:?*[\\".Contains(c)))
                return "contains a space, a control character or one of ~ ^ : ? * [ \\";
            if (reference.Contains("..") || reference.Contains("@{"))
                return "contains '..' or '@{'";
            if (reference.StartsWith('/') || reference.EndsWith('/') || reference.Contains("//"))
                return "has an empty path component";
            if (reference.EndsWith('.'))
                return "ends with '.'";
            if (reference.Split('/').Any(part => part.StartsWith('.') || part.EndsWith(".lock")))
                return "has a component that starts with '.' or ends with '.lock'";
            return null;
        }
        return Problem() is { } problem ? $"'{reference}' is not a valid git ref: it {problem}" : null;
    }

    /// <summary>A URL git can clone from: scheme URLs, scp-like <c>user@host:path</c>, or a local path.</summary>
    public static string? CheckUrl(string url)
    {
        string? Problem()
        {
            if (url.Length == 0)
                return "is empty";
            if (url.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
                return "contains white space";
            var scheme = url.IndexOf("://", StringComparison.Ordinal);
            if (scheme >= 0)
            {
                var name = url[..scheme];
                if (name is not ("https" or "http" or "ssh" or "git" or "file") && !name.StartsWith("git+"))
                    return $"has the unknown scheme '{name}'; use https://, ssh://, git:// or file://";
                if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (name != "file" && uri.Host.Length == 0))
                    return "has no host";
                return null;
            }
            if (ScpLike().IsMatch(url) || url.StartsWith('/') || url.StartsWith("./") || url.StartsWith("../") || url.StartsWith("~/") || WindowsPath().IsMatch(url))
                return null;
            return "is neither a URL (https://, ssh://, git@host:path) nor a path (/abs, ./rel, ../rel)";
        }
        return Problem() is { } problem ? $"'{url}' is not a valid git URL: it {problem}" : null;
    }

    public static string? CheckHarness(string harness) =>
        Harnesses.Contains(harness) ? null : $"'{harness}' is not a known harness; use one of {string.Join(", ", Harnesses)}";

    public static string? CheckTag(string tag) =>
        tag.Length > 0 && !tag.Any(char.IsWhiteSpace) ? null : $"'{tag}' is not a valid tag; use a word without spaces";

    /// <summary>A path glob relative to the project root, such as <c>docs/history.md</c> or <c>notes/*.md</c>.</summary>
    public static string? CheckAllowPattern(string pattern) =>
        pattern.Length > 0 && !pattern.StartsWith('/') && !pattern.Split('/').Contains("..")
            ? null
            : $"'{pattern}' is not a path pattern inside the project; write it relative to the project root, e.g. \"docs/history.md\"";

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]*$")]
    private static partial Regex ProjectName();

    [GeneratedRegex(@"^[A-Za-z0-9._~-]+@[A-Za-z0-9.-]+:.+$")]
    private static partial Regex ScpLike();

    [GeneratedRegex(@"^[A-Za-z]:[\\/]")]
    private static partial Regex WindowsPath();
}
