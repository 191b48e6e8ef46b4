using System.Globalization;

namespace Orchestrator.Work;

/// <summary>Spend and tokens as people read them: "$0.42", "$0.0031", "504,100 tokens".</summary>
internal static class Money
{
    /// <summary>Dollars to the cent, with up to two more digits for amounts under a cent; "unknown" when no run reported a price.</summary>
    public static string Usd(double? amount) =>
        amount is { } usd ? "$" + usd.ToString(Math.Abs(usd) < 0.01 && usd != 0 ? "0.00##" : "0.00", CultureInfo.InvariantCulture) : "unknown";

    public static string Tokens(long tokens) => $"{tokens.ToString("N0", CultureInfo.InvariantCulture)} tokens";
}
