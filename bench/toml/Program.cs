using System.Diagnostics;
using System.Globalization;
using Engine.Toml;

// Parses a generated 10,000-project fleet.toml in-process, many times, and compares the median with
// Python's tomllib.loads on the same file, measured in the same run.
const int Projects = 10_000;
var iterations = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
var pythonIterations = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;

var text = FleetFile.Generate(Projects);
var path = Path.Combine(Path.GetTempPath(), $"toml-bench-fleet-{Environment.ProcessId}.toml");
File.WriteAllText(path, text);
try
{
    var bytes = File.ReadAllBytes(path);
    var check = TomlDocument.Parse(text, "fleet.toml");
    if (check.Root["project"].AsArray().Count != Projects || check.ToString() != text)
        throw new InvalidOperationException("the generated fleet.toml did not parse back as written");

    // The machine is shared and its load changes: half of the parses run before tomllib and half
    // after, so that both sides of the ratio see the same conditions.
    var parseBefore = Measure(iterations / 2, () => TomlDocument.Parse(text, "fleet.toml"));
    var tomllib = MeasureTomllib(path, pythonIterations);
    var parseAfter = Measure(iterations / 2, () => TomlDocument.Parse(text, "fleet.toml"));
    var parse = (MedianMs: Median([.. parseBefore.Times, .. parseAfter.Times]), Bytes: parseAfter.Bytes);
    var parseBytes = Summary(Measure(iterations, () => TomlDocument.Parse(bytes, "fleet.toml")));
    var parseAndRead = Summary(Measure(iterations, () => ReadEveryValue(TomlDocument.Parse(text, "fleet.toml"))));
    var print = Summary(Measure(iterations, () => check.ToString()));

    Console.WriteLine($"fleet.toml: {Projects:N0} [[project]] entries, {bytes.Length / 1024.0 / 1024.0:F2} MB, {iterations} iterations after warmup");
    Console.WriteLine();
    Console.WriteLine("| operation | median | allocated per call |");
    Console.WriteLine("| --- | ---: | ---: |");
    Row("TomlDocument.Parse(string)", parse);
    Row("TomlDocument.Parse(UTF-8 bytes)", parseBytes);
    Row("Parse(string) + read every value", parseAndRead);
    Row("ToString() (print back)", print);
    Console.WriteLine($"| Python {PythonVersion()} tomllib.loads(str) | {tomllib:F2} ms | |");
    Console.WriteLine();
    Console.WriteLine($"ratio tomllib / Parse(string): {tomllib / parse.MedianMs:F1}x");
    Console.WriteLine($"ratio tomllib / Parse(string) + read every value: {tomllib / parseAndRead.MedianMs:F1}x");
}
finally
{
    File.Delete(path);
}

static void Row(string name, (double MedianMs, long Bytes) result) =>
    Console.WriteLine($"| {name} | {result.MedianMs:F2} ms | {result.Bytes / 1024.0 / 1024.0:F1} MB |");

static (double[] Times, long Bytes) Measure(int iterations, Action action)
{
    for (var i = 0; i < 10; i++)
        action();
    var times = new double[iterations];
    long allocated = 0;
    for (var i = 0; i < iterations; i++)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var started = Stopwatch.GetTimestamp();
        action();
        times[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        allocated = GC.GetAllocatedBytesForCurrentThread() - before;
    }
    return (times, allocated);
}

static (double MedianMs, long Bytes) Summary((double[] Times, long Bytes) measured) => (Median(measured.Times), measured.Bytes);

static double Median(double[] times)
{
    var sorted = times.Order().ToArray();
    return sorted[sorted.Length / 2];
}

static void ReadEveryValue(TomlDocument document)
{
    foreach (var project in document.Root["project"].AsArray())
    {
        foreach (var entry in project.AsTable())
        {
            if (entry.Value is TomlString text)
                _ = text.Value;
            else if (entry.Value is TomlArray tags)
            {
                foreach (var tag in tags)
                    _ = tag.AsString();
            }
        }
    }
}

static double MeasureTomllib(string path, int iterations)
{
    var script = Path.Combine(AppContext.BaseDirectory, "tomllib_parse.py");
    var output = RunPython(script, path, iterations.ToString(CultureInfo.InvariantCulture));
    return double.Parse(output, CultureInfo.InvariantCulture);
}

static string PythonVersion() => RunPython("-c", "import sys; print('.'.join(map(str, sys.version_info[:3])))");

static string RunPython(params string[] arguments)
{
    var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true };
    foreach (var argument in arguments)
        start.ArgumentList.Add(argument);
    using var python = Process.Start(start)!;
    var output = python.StandardOutput.ReadToEnd().Trim();
    python.WaitForExit();
    if (python.ExitCode != 0)
        throw new InvalidOperationException($"python3 {string.Join(' ', arguments)} failed with exit code {python.ExitCode}");
    return output;
}
