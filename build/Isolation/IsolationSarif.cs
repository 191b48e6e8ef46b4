using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orchestrator.Isolation;

/// <summary>
/// The report as SARIF 2.1.0 for code-scanning tools: one run of the tool "project-orchestrator IsolationCheck", one
/// rule per <see cref="IsolationRule"/>. Each project is a uriBaseId named after the project (originalUriBaseIds maps
/// it to the project's folder as a file:// URI), so a result's artifactLocation is the path relative to its project
/// plus that project's uriBaseId; a line match has a region with startLine, a name match none. Allowed violations
/// carry an external suppression naming the isolation_allow glob. Projects that could not be scanned appear as
/// error notifications of the invocation, whose executionSuccessful is then false.
/// </summary>
internal static class IsolationSarif
{
    public const string ToolName = "project-orchestrator IsolationCheck";

    /// <summary>SARIF is read by tools, not by browsers: no HTML-safe escaping, and no null properties.</summary>
    private static readonly SarifJson Json = new(new JsonSerializerOptions
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    });

    public static string Document(IsolationReport report)
    {
        var rules = Enum.GetValues<IsolationRule>();
        var run = new SarifRun(
            new SarifTool(new SarifDriver(ToolName, rules.Select(rule => new SarifRule(rule.Id(), new SarifText(rule.Description()), new SarifConfiguration("error"))).ToList())),
            [new SarifInvocation(report.NotScanned.Count == 0, report.NotScanned.Select(p => new SarifNotification("error", new SarifText($"{p.Name}: could not run: {p.Error}"))).ToList())],
            report.Projects.ToDictionary(p => p.Name, p => new SarifUri(new Uri((string)p.Directory + "/").AbsoluteUri)),
            report.Projects.Where(p => p.Scan is not null).SelectMany(p => p.Scan!.Violations.Select(v => new SarifResult(
                v.Rule.Id(),
                Array.IndexOf(rules, v.Rule),
                "error",
                new SarifText(Message(p.Name, v)),
                [new SarifLocation(new SarifPhysicalLocation(new SarifArtifactLocation(RelativeUri(v.Path), p.Name), v.Line is { } line ? new SarifRegion(line) : null))],
                v.AllowedBy is { } glob ? [new SarifSuppression("external", $"isolation_allow \"{glob}\" in {report.Fleet}")] : null,
                new SarifProperties(p.Name)))).ToList());
        return JsonSerializer.Serialize(new SarifLog("https://json.schemastore.org/sarif-2.1.0.json", "2.1.0", [run]), Json.SarifLog);
    }

    private static string Message(string project, IsolationViolation violation) => violation.Line is null
        ? $"{project}: the name '{violation.Text}' contains '{violation.Match}', which reveals the orchestrator"
        : $"{project}: '{violation.Match}' reveals the orchestrator: {violation.Text}";

    private static string RelativeUri(string path) => string.Join('/', path.Split('/').Select(Uri.EscapeDataString));
}

internal sealed record SarifLog([property: JsonPropertyName("$schema")] string Schema, string Version, IReadOnlyList<SarifRun> Runs);

internal sealed record SarifRun(SarifTool Tool, IReadOnlyList<SarifInvocation> Invocations, IReadOnlyDictionary<string, SarifUri> OriginalUriBaseIds, IReadOnlyList<SarifResult> Results);

internal sealed record SarifTool(SarifDriver Driver);

internal sealed record SarifDriver(string Name, IReadOnlyList<SarifRule> Rules);

internal sealed record SarifRule(string Id, SarifText ShortDescription, SarifConfiguration DefaultConfiguration);

internal sealed record SarifText(string Text);

internal sealed record SarifConfiguration(string Level);

internal sealed record SarifInvocation(bool ExecutionSuccessful, IReadOnlyList<SarifNotification> ToolExecutionNotifications);

internal sealed record SarifNotification(string Level, SarifText Message);

internal sealed record SarifUri(string Uri);

internal sealed record SarifResult(
    string RuleId,
    int RuleIndex,
    string Level,
    SarifText Message,
    IReadOnlyList<SarifLocation> Locations,
    IReadOnlyList<SarifSuppression>? Suppressions,
    SarifProperties Properties);

internal sealed record SarifLocation(SarifPhysicalLocation PhysicalLocation);

internal sealed record SarifPhysicalLocation(SarifArtifactLocation ArtifactLocation, SarifRegion? Region);

internal sealed record SarifArtifactLocation(string Uri, string UriBaseId);

internal sealed record SarifRegion(int StartLine);

internal sealed record SarifSuppression(string Kind, string Justification);

internal sealed record SarifProperties(string Project);

/// <summary>The SARIF document's records, serialized by generated code; its options are given where it is made.</summary>
[JsonSerializable(typeof(SarifLog))]
internal sealed partial class SarifJson : JsonSerializerContext;
