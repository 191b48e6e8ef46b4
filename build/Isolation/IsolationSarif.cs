using System.Text.Json;

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

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Document(IsolationReport report)
    {
        var rules = Enum.GetValues<IsolationRule>();
        var run = new
        {
            tool = new
            {
                driver = new
                {
                    name = ToolName,
                    rules = rules.Select(rule => new
                    {
                        id = rule.Id(),
                        shortDescription = new { text = rule.Description() },
                        defaultConfiguration = new { level = "error" },
                    }),
                },
            },
            invocations = new[]
            {
                new
                {
                    executionSuccessful = report.NotScanned.Count == 0,
                    toolExecutionNotifications = report.NotScanned.Select(p => new { level = "error", message = new { text = $"{p.Name}: could not run: {p.Error}" } }),
                },
            },
            originalUriBaseIds = report.Projects.ToDictionary(p => p.Name, p => new { uri = new Uri((string)p.Directory + "/").AbsoluteUri }),
            results = report.Projects.Where(p => p.Scan is not null).SelectMany(p => p.Scan!.Violations.Select(v => new
            {
                ruleId = v.Rule.Id(),
                ruleIndex = Array.IndexOf(rules, v.Rule),
                level = "error",
                message = new { text = Message(p.Name, v) },
                locations = new[]
                {
                    new
                    {
                        physicalLocation = new
                        {
                            artifactLocation = new { uri = RelativeUri(v.Path), uriBaseId = p.Name },
                            region = v.Line is { } line ? new { startLine = line } : null,
                        },
                    },
                },
                suppressions = v.AllowedBy is { } glob ? new[] { new { kind = "external", justification = $"isolation_allow \"{glob}\" in {report.Fleet}" } } : null,
                properties = new { project = p.Name },
            })),
        };
        return JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json",
            ["version"] = "2.1.0",
            ["runs"] = new[] { run },
        }, Options);
    }

    private static string Message(string project, IsolationViolation violation) => violation.Line is null
        ? $"{project}: the name '{violation.Text}' contains '{violation.Match}', which reveals the orchestrator"
        : $"{project}: '{violation.Match}' reveals the orchestrator: {violation.Text}";

    private static string RelativeUri(string path) => string.Join('/', path.Split('/').Select(Uri.EscapeDataString));
}
