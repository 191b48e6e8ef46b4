using System.Text.Json;

namespace Engine.Agents.Work.Backends;

/// <summary>A reviewer's judgement of a diff.</summary>
internal sealed record Verdict(bool Passed, IReadOnlyList<string> Reasons)
{
    /// <summary>The first JSON object with a <c>verdict</c> ("pass" or "fail") in the reviewer's answer; an answer without one fails.</summary>
    public static Verdict Read(IEnumerable<string> texts)
    {
        foreach (var text in texts)
        {
            if (JsonScan.FirstObjectWith(text, "verdict", JsonValueKind.String) is not { } found)
                continue;
            var word = found.String("verdict")!.Trim().ToLowerInvariant();
            var reasons = found.TryGetProperty("reasons", out var r) ? r.ValueKind switch
            {
                JsonValueKind.Array => r.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToList(),
                JsonValueKind.String => [r.GetString()!],
                _ => [],
            } : [];
            return word switch
            {
                "pass" => new Verdict(true, reasons),
                "fail" => new Verdict(false, reasons.Count > 0 ? reasons : ["the reviewer failed it without a reason"]),
                _ => new Verdict(false, [$"the reviewer's verdict '{word}' is neither \"pass\" nor \"fail\""]),
            };
        }
        return new Verdict(false, ["the reviewer gave no verdict (a JSON object with \"verdict\": \"pass\" or \"fail\")"]);
    }
}
