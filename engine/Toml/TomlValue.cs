namespace Engine.Toml;

/// <summary>A TOML value: a scalar, an array or a table. Values read from a file know where they were
/// (<see cref="Line"/>, <see cref="Column"/>); values created in code report line 0.</summary>
public abstract class TomlValue
{
    /// <summary>The text the value was read from; for a scalar created in code, its own rendering.</summary>
    internal SourceText? Source;
    internal int Offset;

    /// <summary>The length of a scalar's spelling at <see cref="Offset"/>; arrays and tables are printed
    /// from their parts instead.</summary>
    internal int RawLength;

    private protected TomlValue() { }

    private protected TomlValue(SourceText? source, int offset, int rawLength = 0)
    {
        Source = source;
        Offset = offset;
        RawLength = rawLength;
    }

    /// <summary>A scalar created in code, spelled as <paramref name="raw"/>.</summary>
    private protected TomlValue(string raw) : this(SourceText.Created(raw), 0, raw.Length) { }

    /// <summary>The exact TOML spelling of a scalar.</summary>
    internal ReadOnlySpan<char> Raw => Source!.Text.AsSpan(Offset, RawLength);

    public abstract TomlKind Kind { get; }

    /// <summary>1-based line of the value's first character in the parsed text; 0 for a value created in code.</summary>
    public int Line => Source is { IsCreated: false } ? Source.PositionOf(Offset).Line : 0;

    /// <summary>1-based column of the value's first character in the parsed text; 0 for a value created in code.</summary>
    public int Column => Source is { IsCreated: false } ? Source.PositionOf(Offset).Column : 0;

    /// <summary>An error located at this value, for a caller's own validation.</summary>
    public TomlError Error(string reason) => ErrorAt(Source, Offset, reason);

    public string AsString() => this is TomlString value ? value.Value : throw Mismatch(TomlKind.String);

    public long AsInteger() => this is TomlInteger value ? value.Value : throw Mismatch(TomlKind.Integer);

    public double AsFloat() => this is TomlFloat value ? value.Value : throw Mismatch(TomlKind.Float);

    public bool AsBoolean() => this is TomlBoolean value ? value.Value : throw Mismatch(TomlKind.Boolean);

    public DateTimeOffset AsOffsetDateTime() =>
        this is TomlOffsetDateTime value ? value.Value : throw Mismatch(TomlKind.OffsetDateTime);

    public DateTime AsLocalDateTime() =>
        this is TomlLocalDateTime value ? value.Value : throw Mismatch(TomlKind.LocalDateTime);

    public DateOnly AsLocalDate() => this is TomlLocalDate value ? value.Value : throw Mismatch(TomlKind.LocalDate);

    public TimeOnly AsLocalTime() => this is TomlLocalTime value ? value.Value : throw Mismatch(TomlKind.LocalTime);

    public TomlArray AsArray() => this as TomlArray ?? throw Mismatch(TomlKind.Array);

    public TomlTable AsTable() => this as TomlTable ?? throw Mismatch(TomlKind.Table);

    /// <summary>The value as TOML text: its exact spelling when it was read from a file.</summary>
    public override string ToString() => Renderer.Render(this);

    public static implicit operator TomlValue(string value) => new TomlString(value);

    public static implicit operator TomlValue(long value) => new TomlInteger(value);

    public static implicit operator TomlValue(double value) => new TomlFloat(value);

    public static implicit operator TomlValue(bool value) => new TomlBoolean(value);

    public static implicit operator TomlValue(DateTimeOffset value) => new TomlOffsetDateTime(value);

    public static implicit operator TomlValue(DateTime value) => new TomlLocalDateTime(value);

    public static implicit operator TomlValue(DateOnly value) => new TomlLocalDate(value);

    public static implicit operator TomlValue(TimeOnly value) => new TomlLocalTime(value);

    internal TomlException Mismatch(TomlKind expected) =>
        new(Error($"expected {Describe(expected)}, found {Describe(Kind)}"));

    internal static TomlError ErrorAt(SourceText? source, int offset, string reason)
    {
        if (source is null or { IsCreated: true })
            return new TomlError("(created in code)", 0, 0, reason);
        var (line, column) = source.PositionOf(offset);
        return new TomlError(source.FileName, line, column, reason);
    }

    internal static string Describe(TomlKind kind) => kind switch
    {
        TomlKind.String => "a string",
        TomlKind.Integer => "an integer",
        TomlKind.Float => "a float",
        TomlKind.Boolean => "a boolean",
        TomlKind.OffsetDateTime => "an offset date-time",
        TomlKind.LocalDateTime => "a local date-time",
        TomlKind.LocalDate => "a local date",
        TomlKind.LocalTime => "a local time",
        TomlKind.Array => "an array",
        _ => "a table",
    };
}
