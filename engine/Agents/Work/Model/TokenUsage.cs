namespace Engine.Agents.Work.Model;

/// <summary>Tokens of one run or of a sum of runs, as the backends count them.</summary>
internal readonly record struct TokenUsage(long Input, long Output, long CacheRead, long CacheCreation)
{
    public long Total => Input + Output + CacheRead + CacheCreation;

    public static TokenUsage operator +(TokenUsage a, TokenUsage b) =>
        new(a.Input + b.Input, a.Output + b.Output, a.CacheRead + b.CacheRead, a.CacheCreation + b.CacheCreation);
}
