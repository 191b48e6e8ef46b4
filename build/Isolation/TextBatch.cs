using System.Runtime.CompilerServices;
using System.Text;

namespace Orchestrator.Isolation;

/// <summary>
/// The decoded texts of consecutive files in one buffer, each followed by a NUL so that no match spans two files.
/// One per worker, reused batch after batch.
/// </summary>
internal sealed class TextBatch
{
    private char[] _text = new char[1 << 20];
    private byte[] _bytes = new byte[1 << 16];
    private readonly List<(int Index, int Start, int Length)> _files = [];
    private int _length;

    public void Clear()
    {
        _files.Clear();
        _length = 0;
    }

    /// <summary>Adds a text file and says true; says false for a binary file or a path that is no file (see <see cref="FileReader"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // as FileReader.Read
    public bool AddFile(int index, string path)
    {
        if (FileReader.Read(path, ref _bytes) is not (>= 0 and var length))
            return false;
        Reserve(Encoding.UTF8.GetMaxCharCount(length) + 1);
        Append(index, Encoding.UTF8.GetChars(_bytes.AsSpan(0, length), _text.AsSpan(_length)));
        return true;
    }

    public void Add(int index, string text)
    {
        Reserve(text.Length + 1);
        text.CopyTo(_text.AsSpan(_length));
        Append(index, text.Length);
    }

    /// <summary>Calls <paramref name="onMatch"/> with the index and text of each file that holds a pattern, in batch order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void ForEachMatch(OrchestratorFacts facts, MatchAction onMatch)
    {
        var all = _text.AsSpan(0, _length);
        var file = 0;
        var searchFrom = 0;
        while (searchFrom < all.Length && all[searchFrom..].IndexOfAny(facts.Search) is var found and >= 0)
        {
            while (_files[file].Start + _files[file].Length < searchFrom + found)
                file++;
            var (index, start, length) = _files[file];
            onMatch(index, all.Slice(start, length));
            searchFrom = start + length + 1;
        }
    }

    public delegate void MatchAction(int index, ReadOnlySpan<char> text);

    private void Append(int index, int length)
    {
        _files.Add((index, _length, length));
        _length += length;
        _text[_length++] = '\0';
    }

    private void Reserve(int length)
    {
        if (_text.Length - _length < length)
            Array.Resize(ref _text, Math.Max(_text.Length * 2, _length + length));
    }
}
