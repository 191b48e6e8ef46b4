namespace Engine.Toml;

/// <summary>The kinds of TOML values.</summary>
public enum TomlKind
{
    String,
    Integer,
    Float,
    Boolean,
    OffsetDateTime,
    LocalDateTime,
    LocalDate,
    LocalTime,
    Array,
    Table,
}
