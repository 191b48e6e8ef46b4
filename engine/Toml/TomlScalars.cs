namespace Engine.Toml;

/// <summary>A string, from any of TOML's four spellings. Its text is decoded on first use.</summary>
public sealed class TomlString : TomlValue
{
    string? value;
    readonly StringStyle style;
    readonly bool hasEscapes;

    public TomlString(string value)
    {
        this.value = value;
        Raw = new Fragment(TomlFormat.QuoteString(value));
    }

    internal TomlString(SourceText source, int offset, Fragment raw, StringStyle style, bool hasEscapes)
        : base(source, offset)
    {
        Raw = raw;
        this.style = style;
        this.hasEscapes = hasEscapes;
    }

    public override TomlKind Kind => TomlKind.String;

    public string Value => value ??= StringDecoder.Decode(Raw.Span, style, hasEscapes);
}

public sealed class TomlInteger : TomlValue
{
    public TomlInteger(long value)
    {
        Value = value;
        Raw = new Fragment(TomlFormat.FormatInteger(value));
    }

    internal TomlInteger(SourceText source, int offset, Fragment raw, long value) : base(source, offset)
    {
        Raw = raw;
        Value = value;
    }

    public override TomlKind Kind => TomlKind.Integer;

    public long Value { get; }
}

public sealed class TomlFloat : TomlValue
{
    public TomlFloat(double value)
    {
        Value = value;
        Raw = new Fragment(TomlFormat.FormatFloat(value));
    }

    internal TomlFloat(SourceText source, int offset, Fragment raw, double value) : base(source, offset)
    {
        Raw = raw;
        Value = value;
    }

    public override TomlKind Kind => TomlKind.Float;

    public double Value { get; }
}

public sealed class TomlBoolean : TomlValue
{
    public TomlBoolean(bool value)
    {
        Value = value;
        Raw = new Fragment(value ? "true" : "false");
    }

    internal TomlBoolean(SourceText source, int offset, Fragment raw, bool value) : base(source, offset)
    {
        Raw = raw;
        Value = value;
    }

    public override TomlKind Kind => TomlKind.Boolean;

    public bool Value { get; }
}

/// <summary>A date-time with an offset, such as <c>1979-05-27T07:32:00Z</c>. Fractions of a second
/// beyond 100 ns are truncated, as the TOML specification allows.</summary>
public sealed class TomlOffsetDateTime : TomlValue
{
    public TomlOffsetDateTime(DateTimeOffset value)
    {
        Value = value;
        Raw = new Fragment(TomlFormat.FormatOffsetDateTime(value));
    }

    internal TomlOffsetDateTime(SourceText source, int offset, Fragment raw, DateTimeOffset value) : base(source, offset)
    {
        Raw = raw;
        Value = value;
    }

    public override TomlKind Kind => TomlKind.OffsetDateTime;

    public DateTimeOffset Value { get; }
}

/// <summary>A date-time without an offset, such as <c>1979-05-27T07:32:00</c>.</summary>
public sealed class TomlLocalDateTime : TomlValue
{
    public TomlLocalDateTime(DateTime value)
    {
        Value = DateTime.SpecifyKind(value, DateTimeKind.Unspecified);
        Raw = new Fragment(TomlFormat.FormatLocalDateTime(Value));
    }

    internal TomlLocalDateTime(SourceText source, int offset, Fragment raw, DateTime value) : base(source, offset)
    {
        Raw = raw;
        Value = value;
    }

    public override TomlKind Kind => TomlKind.LocalDateTime;

    public DateTime Value { get; }
}

public sealed class TomlLocalDate : TomlValue
{
    public TomlLocalDate(DateOnly value)
    {
        Value = value;
        Raw = new Fragment(TomlFormat.FormatLocalDate(value));
    }

    internal TomlLocalDate(SourceText source, int offset, Fragment raw, DateOnly value) : base(source, offset)
    {
        Raw = raw;
        Value = value;
    }

    public override TomlKind Kind => TomlKind.LocalDate;

    public DateOnly Value { get; }
}

public sealed class TomlLocalTime : TomlValue
{
    public TomlLocalTime(TimeOnly value)
    {
        Value = value;
        Raw = new Fragment(TomlFormat.FormatLocalTime(value));
    }

    internal TomlLocalTime(SourceText source, int offset, Fragment raw, TimeOnly value) : base(source, offset)
    {
        Raw = raw;
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
