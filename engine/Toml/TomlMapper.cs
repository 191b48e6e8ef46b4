using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;

namespace Engine.Toml;

/// <summary>Maps TOML tables onto C# records and classes, and back.</summary>
/// <remarks>
/// Keys are snake_case, members PascalCase (<c>engine_url</c> ↔ <c>EngineUrl</c>). A member is optional
/// when it is nullable, has a default value (constructor parameter), or is a property that is not
/// <c>required</c>. Supported member types: string, long, int, double, bool, DateTimeOffset, DateTime,
/// DateOnly, TimeOnly, enums (from strings, ignoring case, dashes and underscores), arrays and lists,
/// string-keyed dictionaries, nested records and classes, and the Toml value types themselves.
/// Uses reflection over the mapped types.
/// </remarks>
public static class TomlMapper
{
    /// <summary>Maps a table onto <typeparamref name="T"/>, checking every key: missing required keys,
    /// wrong types and (unless <paramref name="allowUnknownKeys"/>) keys that match no member.</summary>
    /// <exception cref="TomlException">One error per mismatch, each with its line and column.</exception>
    public static T Map<T>(TomlTable table, bool allowUnknownKeys = false)
    {
        var mapping = new Mapping(allowUnknownKeys);
        var result = mapping.Convert(typeof(T), table, "");
        if (mapping.Errors.Count > 0)
            throw new TomlException(mapping.Errors);
        return (T)result!;
    }

    /// <summary>The TOML form of a record or class, for adding to a document: null members are left
    /// out, nested records become tables, sequences arrays.</summary>
    public static TomlTable ToTable(object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return (TomlTable)ToValue(value);
    }

    static TomlValue ToValue(object value) => value switch
    {
        TomlValue toml => toml,
        string text => new TomlString(text),
        bool boolean => new TomlBoolean(boolean),
        int or long or short or byte or uint => new TomlInteger(System.Convert.ToInt64(value, CultureInfo.InvariantCulture)),
        double or float => new TomlFloat(System.Convert.ToDouble(value, CultureInfo.InvariantCulture)),
        DateTimeOffset dateTime => new TomlOffsetDateTime(dateTime),
        DateTime dateTime => new TomlLocalDateTime(dateTime),
        DateOnly date => new TomlLocalDate(date),
        TimeOnly time => new TomlLocalTime(time),
        Enum member => new TomlString(SnakeCase(member.ToString())),
        IDictionary dictionary => DictionaryToTable(dictionary),
        IEnumerable sequence => SequenceToArray(sequence),
        _ => ObjectToTable(value),
    };

    static TomlTable DictionaryToTable(IDictionary dictionary)
    {
        var table = new TomlTable();
        foreach (DictionaryEntry entry in dictionary)
        {
            if (entry.Value is not null)
                table.Add(System.Convert.ToString(entry.Key, CultureInfo.InvariantCulture)!, ToValue(entry.Value));
        }
        return table;
    }

    static TomlArray SequenceToArray(IEnumerable sequence)
    {
        var array = new TomlArray();
        foreach (var element in sequence)
        {
            if (element is not null)
                array.Add(ToValue(element));
        }
        return array;
    }

    static TomlTable ObjectToTable(object value)
    {
        var table = new TomlTable();
        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length == 0 && property.GetValue(value) is { } member)
                table.Add(SnakeCase(property.Name), ToValue(member));
        }
        return table;
    }

    /// <summary><c>EngineUrl</c> → <c>engine_url</c>, <c>HTTPPort</c> → <c>http_port</c>.</summary>
    internal static string SnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0
                && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1]))))
                builder.Append('_');
            builder.Append(char.ToLowerInvariant(c));
        }
        return builder.ToString();
    }

    /// <summary>One mapping run, collecting every error instead of stopping at the first.</summary>
    sealed class Mapping(bool allowUnknownKeys)
    {
        readonly NullabilityInfoContext nullability = new();

        public List<TomlError> Errors { get; } = [];

        public object? Convert(Type type, TomlValue value, string path)
        {
            var target = Nullable.GetUnderlyingType(type) ?? type;
            if (typeof(TomlValue).IsAssignableFrom(target))
                return target.IsInstanceOfType(value) ? value : Mismatch(value, path, target.Name);
            if (target == typeof(string))
                return value is TomlString text ? text.Value : Mismatch(value, path, "a string");
            if (target == typeof(long))
                return value is TomlInteger integer ? integer.Value : Mismatch(value, path, "an integer");
            if (target == typeof(int))
            {
                if (value is not TomlInteger integer)
                    return Mismatch(value, path, "an integer");
                if (integer.Value is < int.MinValue or > int.MaxValue)
                    return Fail(value, $"{Describe(path)} must be between {int.MinValue} and {int.MaxValue}, found {integer.Value}");
                return (int)integer.Value;
            }
            if (target == typeof(double))
            {
                return value switch
                {
                    TomlFloat number => number.Value,
                    TomlInteger integer => (double)integer.Value,
                    _ => Mismatch(value, path, "a number"),
                };
            }
            if (target == typeof(bool))
                return value is TomlBoolean boolean ? boolean.Value : Mismatch(value, path, "a boolean");
            if (target == typeof(DateTimeOffset))
                return value is TomlOffsetDateTime dateTime ? dateTime.Value : Mismatch(value, path, "an offset date-time");
            if (target == typeof(DateTime))
                return value is TomlLocalDateTime dateTime ? dateTime.Value : Mismatch(value, path, "a local date-time");
            if (target == typeof(DateOnly))
                return value is TomlLocalDate date ? date.Value : Mismatch(value, path, "a local date");
            if (target == typeof(TimeOnly))
                return value is TomlLocalTime time ? time.Value : Mismatch(value, path, "a local time");
            if (target.IsEnum)
                return ConvertEnum(target, value, path);
            if (DictionaryValueType(target) is { } dictionaryValue)
                return value is TomlTable table ? ConvertDictionary(target, dictionaryValue, table, path) : Mismatch(value, path, "a table");
            if (SequenceElementType(target) is { } element)
                return value is TomlArray array ? ConvertSequence(target, element, array, path) : Mismatch(value, path, "an array");
            return value is TomlTable record ? ConvertRecord(target, record, path) : Mismatch(value, path, "a table");
        }

        object? ConvertEnum(Type type, TomlValue value, string path)
        {
            if (value is not TomlString text)
                return Mismatch(value, path, "a string");
            var wanted = Simplify(text.Value);
            foreach (var name in Enum.GetNames(type))
            {
                if (Simplify(name) == wanted)
                    return Enum.Parse(type, name);
            }
            var allowed = string.Join(", ", Enum.GetNames(type).Select(SnakeCase));
            return Fail(value, $"{Describe(path)} must be one of {allowed}; found '{text.Value}'");

            static string Simplify(string name) => name.Replace("_", "").Replace("-", "").ToLowerInvariant();
        }

        object ConvertSequence(Type type, Type elementType, TomlArray array, string path)
        {
            var elements = Array.CreateInstance(elementType, array.Count);
            for (var i = 0; i < array.Count; i++)
                elements.SetValue(Convert(elementType, array[i], $"{path}[{i}]"), i);
            if (type.IsArray)
                return elements;
            var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(elementType))!;
            foreach (var element in elements)
                list.Add(element);
            return list;
        }

        object ConvertDictionary(Type type, Type valueType, TomlTable table, string path)
        {
            var dictionary = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(typeof(string), valueType))!;
            foreach (var entry in table)
                dictionary[entry.Key] = Convert(valueType, entry.Value, Join(path, entry.Key));
            return dictionary;
        }

        object? ConvertRecord(Type type, TomlTable table, string path)
        {
            var constructor = type.GetConstructors().OrderByDescending(candidate => candidate.GetParameters().Length).FirstOrDefault();
            if (constructor is null)
                throw new InvalidOperationException($"{type.Name} has no public constructor to map TOML onto");
            var parameters = constructor.GetParameters();
            var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(property => property.SetMethod is { IsPublic: true } && property.GetIndexParameters().Length == 0
                    && !parameters.Any(parameter => string.Equals(parameter.Name, property.Name, StringComparison.OrdinalIgnoreCase)))
                .ToList();

            var known = new HashSet<string>(StringComparer.Ordinal);
            var arguments = new object?[parameters.Length];
            for (var i = 0; i < parameters.Length; i++)
            {
                var parameter = parameters[i];
                var key = SnakeCase(parameter.Name!);
                known.Add(key);
                var optional = parameter.HasDefaultValue || IsNullable(nullability.Create(parameter), parameter.ParameterType);
                arguments[i] = table.TryGetValue(key, out var value)
                    ? Convert(parameter.ParameterType, value, Join(path, key))
                    : Missing(table, path, key, optional, parameter.HasDefaultValue ? parameter.DefaultValue : null, parameter.ParameterType);
            }
            var result = constructor.Invoke(arguments);
            foreach (var property in properties)
            {
                var key = SnakeCase(property.Name);
                known.Add(key);
                if (table.TryGetValue(key, out var value))
                    property.SetValue(result, Convert(property.PropertyType, value, Join(path, key)));
                else if (property.IsDefined(typeof(RequiredMemberAttribute)))
                    Missing(table, path, key, optional: false, null, property.PropertyType);
            }
            if (!allowUnknownKeys)
                ReportUnknownKeys(table, path, known);
            return result;
        }

        object? Missing(TomlTable table, string path, string key, bool optional, object? defaultValue, Type type)
        {
            if (optional)
                return defaultValue;
            Errors.Add(table.Error(path.Length == 0 ? $"missing key '{key}'" : $"missing key '{key}' in '{path}'"));
            return type.IsValueType ? Activator.CreateInstance(type) : null;
        }

        void ReportUnknownKeys(TomlTable table, string path, HashSet<string> known)
        {
            foreach (var entry in table)
            {
                if (known.Contains(entry.Key))
                    continue;
                var suggestion = known.OrderBy(candidate => EditDistance(candidate, entry.Key)).FirstOrDefault();
                var hint = suggestion is not null && EditDistance(suggestion, entry.Key) <= Math.Max(1, entry.Key.Length / 3)
                    ? $"; did you mean '{suggestion}'?"
                    : $"; expected one of: {string.Join(", ", known)}";
                Errors.Add(entry.Error($"unknown key '{Join(path, entry.Key)}'{hint}"));
            }
        }

        bool IsNullable(NullabilityInfo info, Type type) =>
            Nullable.GetUnderlyingType(type) is not null || (!type.IsValueType && info.WriteState == NullabilityState.Nullable);

        object? Mismatch(TomlValue value, string path, string expected) =>
            Fail(value, $"{Describe(path)} must be {expected}, found {TomlValue.Describe(value.Kind)}");

        object? Fail(TomlValue value, string reason)
        {
            Errors.Add(value.Error(reason));
            return null;
        }

        static string Describe(string path) => path.Length == 0 ? "the document" : $"'{path}'";

        static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";
    }

    static Type? SequenceElementType(Type type)
    {
        if (type.IsArray)
            return type.GetElementType();
        if (!type.IsGenericType || type.GetGenericArguments().Length != 1)
            return null;
        var definition = type.GetGenericTypeDefinition();
        return definition == typeof(List<>) || definition == typeof(IList<>) || definition == typeof(IReadOnlyList<>)
            || definition == typeof(IEnumerable<>) || definition == typeof(ICollection<>) || definition == typeof(IReadOnlyCollection<>)
            ? type.GetGenericArguments()[0]
            : null;
    }

    static Type? DictionaryValueType(Type type)
    {
        if (!type.IsGenericType || type.GetGenericArguments() is not [var key, var value] || key != typeof(string))
            return null;
        var definition = type.GetGenericTypeDefinition();
        return definition == typeof(Dictionary<,>) || definition == typeof(IDictionary<,>) || definition == typeof(IReadOnlyDictionary<,>)
            ? value
            : null;
    }

    static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            previous = current;
        }
        return previous[b.Length];
    }
}
