using System.Text;
using System.Text.RegularExpressions;

namespace Runbook;

/// <summary>
/// Keeps secrets out of everything written through it: the values of secret parameters become <c>***</c>, and so do
/// the credentials of any URL (<c>https://bot:TOKEN@host/x</c> is written <c>https://***@host/x</c>), whoever prints
/// it: a target, the runner's summary, git's own error. Buffers up to each line end so a secret split across writes
/// is still caught.
/// </summary>
internal sealed partial class SecretMaskingWriter(TextWriter inner) : TextWriter
{
    private readonly StringBuilder _line = new();
    private readonly Lock _gate = new();
    private readonly List<string> _secrets = [];

    public override Encoding Encoding => inner.Encoding;

    /// <summary>Adds values to mask from now on: a secret parameter's value is known only once parameters are bound.</summary>
    public void Mask(IEnumerable<string> secrets)
    {
        lock (_gate)
            _secrets.AddRange(secrets.Where(s => s.Length > 0));
    }

    public override void Write(char value)
    {
        lock (_gate)
        {
            _line.Append(value);
            if (value == '\n')
                FlushLine();
        }
    }

    public override void Write(string? value)
    {
        if (value is null)
            return;
        lock (_gate)
        {
            _line.Append(value);
            if (value.Contains('\n'))
                FlushLine();
        }
    }

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void Flush()
    {
        lock (_gate)
            FlushLine();
        inner.Flush();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            Flush();
        base.Dispose(disposing);
    }

    private void FlushLine()
    {
        if (_line.Length == 0)
            return;
        foreach (var secret in _secrets)
            _line.Replace(secret, "***");
        inner.Write(RedactUrlCredentials(_line.ToString()));
        _line.Clear();
        inner.Flush();
    }

    /// <summary>
    /// Hides the user information of URLs, as git does: a password (<c>user:password@</c>) in any scheme, and a user
    /// name alone too (a token is often passed as the user), except over ssh, where the user is an account like <c>git</c>.
    /// </summary>
    public static string RedactUrlCredentials(string text) =>
        text.Contains("://", StringComparison.Ordinal)
            ? UrlUserInfo().Replace(text, match =>
                match.Groups["user"].Value.Contains(':') || !match.Groups["scheme"].Value.Contains("ssh", StringComparison.OrdinalIgnoreCase)
                    ? $"{match.Groups["scheme"].Value}://***@"
                    : match.Value)
            : text;

    [GeneratedRegex(@"(?<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?<user>[^\s/?#'""<>]+)@")]
    private static partial Regex UrlUserInfo();
}
