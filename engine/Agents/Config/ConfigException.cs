namespace Engine.Agents.Config;

/// <summary>agents.toml is missing or wrong; the message names the place and the fix.</summary>
internal sealed class ConfigException(string message) : Exception(message)
{
    public ConfigException(SourceLocation at, string message) : this($"{at}: {message}") { }
}
