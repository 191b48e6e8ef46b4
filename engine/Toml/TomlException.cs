namespace Engine.Toml;

/// <summary>Thrown for invalid TOML and for values that do not fit the shape a caller asked for.</summary>
/// <remarks>The message is one line per error, each <c>FILE:LINE:COL: reason</c>, so it can be shown to
/// an operator as it is. Parsing stops at the first error; mapping reports every mismatch.</remarks>
public sealed class TomlException : Exception
{
    public TomlException(TomlError error) : this([error]) { }

    public TomlException(IReadOnlyList<TomlError> errors)
        : base(string.Join("\n", errors.Select(error => error.ToString())))
    {
        if (errors.Count == 0)
            throw new ArgumentException("A TomlException needs at least one error.", nameof(errors));
        Errors = errors;
    }

    public IReadOnlyList<TomlError> Errors { get; }

    public string FileName => Errors[0].FileName;

    public int Line => Errors[0].Line;

    public int Column => Errors[0].Column;

    public string Reason => Errors[0].Reason;
}
