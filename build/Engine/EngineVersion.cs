using System.Text.RegularExpressions;

namespace Orchestrator.Engine;

/// <summary>An engine version tag, <c>vMAJOR.MINOR.PATCH</c>, ordered as versions rather than as text.</summary>
internal sealed partial record EngineVersion(int Major, int Minor, int Patch) : IComparable<EngineVersion>
{
    public static EngineVersion? TryParse(string text) =>
        Pattern().Match(text.Trim()) is { Success: true } match
            ? new EngineVersion(int.Parse(match.Groups[1].Value), int.Parse(match.Groups[2].Value), int.Parse(match.Groups[3].Value))
            : null;

    public static EngineVersion Parse(string text, string source) =>
        TryParse(text) ?? throw new TargetFailedException($"{source}: '{text.Trim()}' is not a version like v1.2.3", 2);

    /// <summary>The newest version among tag names; other tags are ignored.</summary>
    public static (string Tag, EngineVersion Version)? Latest(IEnumerable<string> tags) =>
        tags.Select(tag => (Tag: tag, Version: TryParse(tag)))
            .Where(t => t.Version is not null && t.Tag.StartsWith('v'))
            .OrderByDescending(t => t.Version)
            .Select(t => ((string Tag, EngineVersion Version)?)(t.Tag, t.Version!))
            .FirstOrDefault();

    public int CompareTo(EngineVersion? other) =>
        other is null ? 1 : (Major, Minor, Patch).CompareTo((other.Major, other.Minor, other.Patch));

    public string Tag => $"v{Major}.{Minor}.{Patch}";

    public override string ToString() => Tag;

    [GeneratedRegex(@"^v?(\d+)\.(\d+)\.(\d+)$")]
    private static partial Regex Pattern();
}
