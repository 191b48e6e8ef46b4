using System.Text;

namespace Runbook;

/// <summary>Replaces secret values with *** in everything written through it; buffers up to each line end so a secret split across writes is still caught.</summary>
internal sealed class SecretMaskingWriter(TextWriter inner, IReadOnlyList<string> secrets) : TextWriter
{
    private readonly StringBuilder _line = new();
    private readonly Lock _gate = new();

    public override Encoding Encoding => inner.Encoding;

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
        foreach (var secret in secrets)
            _line.Replace(secret, "***");
        inner.Write(_line.ToString());
        _line.Clear();
        inner.Flush();
    }
}
