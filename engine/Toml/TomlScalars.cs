namespace Engine.Toml;

/// <summary>A string, from any of TOML's four spellings. Its text is decoded on first use.</summary>
public sealed class TomlString : TomlValue
{
    string? value;
    readonly StringStyle style;
    readonly bool hasEscapes;

    public TomlString(string value) : base(TomlFormat.QuoteString(value))
    {
        this.value = value;
    }

    internal TomlString(SourceText source, int offset, int rawLength, StringStyle style, bool hasEscapes)
        : base(source, offset, rawLength)
    {
        this.style = style;
        this.hasEscapes = hasEscapes;
    }

    public override TomlKind Kind => TomlKind.String;

    public string Value => value ??= StringDecoder.Decode(Raw, style, hasEscapes);
}

public sealed class TomlInteger : TomlValue
{
    public TomlInteger(long value) : base(TomlFormat.FormatInteger(value))
    {
        Value = value;
    }

    internal TomlInteger(SourceText source, int offset, int rawLength, long value) : base(source, offset, rawLength)
    {
        Value = value;
    }

    public override TomlKind Kind => TomlKind.Integer;

    public long Value { get; }
}

public sealed class TomlFloat : TomlValue
{
    public TomlFloat(double value) : base(TomlFormat.FormatFloat(value))
    {
        Value = value;
    }

    internal TomlFloat(SourceText source, int offset, int rawLength, double value) : base(source, offset, rawLength)
    {
        Value = value;
    }

    public override TomlKind Kind => TomlKind.Float;

    public double Value { get; }
}

public sealed class TomlBoolean : TomlValue
{
    public TomlBoolean(bool value) : base(value ? "true" : "false")
    {
        Value = value;
    }

    internal TomlBoolean(SourceText source, int offset, int rawLength, bool value) : base(source, offset, rawLength)
    {
        Value = value;
    }

    public override TomlKind Kind => TomlKind.Boolean;

    public bool Value { get; }
}

/// <summary>A date-time with an offset, such as <c>1979-05-27T07:32:00Z</c>. Fractions of a second
/// beyond 100 ns are truncated, as the TOML specification allows.</summary>
public sealed class TomlOffsetDateTime : TomlValue
{
    public TomlOffsetDateTime(DateTimeOffset value) : base(TomlFormat.FormatOffsetDateTime(value))
    {
        Value = value;
    }

    internal TomlOffsetDateTime(SourceText source, int offset, int rawLength, DateTimeOffset value) : base(source, offset, rawLength)
    {
        Value = value;
    }

    public override TomlKind Kind => TomlKind.OffsetDateTime;

    public DateTimeOffset Value { get; }
}

/// <summary>A date-time without an offset, such as <c>1979-05-27T07:32:00</c>.</summary>
public sealed class TomlLocalDateTime : TomlValue
{
    public TomlLocalDateTime(DateTime value) : base(TomlFormat.FormatLocalDateTime(value))
    {
        Value = DateTime.SpecifyKind(value, DateTimeKind.Unspecified);
    }

    internal TomlLocalDateTime(SourceText source, int offset, int rawLength, DateTime value) : base(source, offset, rawLength)
    {
        Value = value;
    }

    public override TomlKind Kind => TomlKind.LocalDateTime;

    public DateTime Value { get; }
}

public sealed class TomlLocalDate : TomlValue
{
    public TomlLocalDate(DateOnly value) : base(TomlFormat.FormatLocalDate(value))
    {
        Value = value;
    }

    internal TomlLocalDate(SourceText source, int offset, int rawLength, DateOnly value) : base(source, offset, rawLength)
    {
        Value = value;
    }

    public override TomlKind Kind => TomlKind.LocalDate;

    public DateOnly Value { get; }
}

public sealed class TomlLocalTime : TomlValue
{
    public TomlLocalTime(TimeOnly value) : base(TomlFormat.FormatLocalTime(value))
    {
        Value = value;
    }

    internal TomlLocalTime(SourceText source, int offset, int rawLength, TimeOnly value) : base(source, offset, rawLength)
    {
        Value = value;
    }

    public override TomlKind Kind => TomlKind.LocalTime;

    public TimeOnly Value { get; }
}

internal enum StringStyle : byte
{
    Basic,
    Literal,
    MultiLineBasic,
    MultiLineLiteral,
}
