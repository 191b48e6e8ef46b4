namespace Runbook;

/// <summary>One invocation, start to end: bind parameters, plan, check requirements, execute, report. Exit codes: 0 success, 1 failed or aborted, 2 invalid usage.</summary>
internal static class BuildRunner
{
    public static int Run(NukeBuild build, IReadOnlyList<string> defaultTargets, RunContext context)
    {
        var output = new SecretMaskingWriter(context.Out);
        var err = new SecretMaskingWriter(context.Err);
        if (context.OwnsConsole)
        {
            // Targets write with Console.Out/Error; they must be masked too.
            Console.SetOut(output);
            Console.SetError(err);
        }
        var reporter = new Reporter(err, Verbosity.Normal);
        try
        {
            var commandLine = CommandLine.Parse(context.Args);
            var binder = new ParameterBinder(build.GetType(), commandLine);
            var options = binder.BindRunnerOptions(context.WorkingDirectory);
            build.RootDirectory = options.Root ?? RootDirectory.Find(context.WorkingDirectory, context.ProgramDirectory);
            var knownKeys = binder.BuildParameters.Select(p => p.Key).Concat(RunnerOptions.FromFiles).ToHashSet();
            var files = ParameterFiles.Load(build.RootDirectory, options.Profile ?? [], knownKeys);
            binder.BindFileOptions(options, files);
            binder.BindBuild(build, context.Environment, files, context.WorkingDirectory);
            build.Verbosity = options.Verbosity;

            var secrets = binder.SecretValues(build).ToList();
            output.Mask(secrets);
            err.Mask(secrets);
            reporter = new Reporter(err, options.Verbosity);

            var graph = TargetGraph.Discover(build);
            foreach (var name in defaultTargets)
                graph.Get(name).IsDefault = true;
            SchemaWriter.Update(build.RootDirectory / ".nuke", graph, binder);

            if (options.Help)
            {
                HelpWriter.Write(output, graph, binder, Activator.CreateInstance(build.GetType())!);
                return 0;
            }

            graph.ThrowOnCycle();
            var typed = commandLine.Targets.Concat(binder.TargetsAfterFlags).Concat(options.Target ?? []).ToList();
            var invoked = (typed.Count > 0 ? typed : defaultTargets).Select(graph.Get).Distinct().ToList();
            if (invoked.Count == 0)
                throw new UsageException("No target given and the build has no default target; see --help");
            build.InvokedTargets = invoked.Select(t => t.Name).ToList();
            var skip = options.Skip?.Select(graph.Get).ToList();
            var plan = Planner.Plan(invoked, skip, t => Conditions.FirstFalse(t.Definition.StaticConditions));

            if (options.Plan)
            {
                PlanWriter.Write(output, plan, build.TemporaryDirectory, build.RootDirectory);
                return 0;
            }

            Requirements.Check(plan, build, binder.BuildParameters);
            if (!options.NoLogo)
                reporter.Logo(build.Logo);
            foreach (var parameter in binder.BuildParameters)
                reporter.Verbose($"{parameter.Flag} = {(parameter.IsSecret ? "***" : Show(parameter.GetValue(build)))}");
            return new Executor(reporter, context.Abort).Execute(plan);
        }
        catch (UsageException e)
        {
            reporter.Error(e.Message);
            return 2;
        }
        finally
        {
            output.Flush();
            err.Flush();
        }
    }

    private static string Show(object? value) => value switch
    {
        null => "(none)",
        Array array => string.Join(" ", array.Cast<object>()),
        _ => value.ToString() ?? "",
    };
}

/// <summary>Finds the root: the nearest folder with a <c>.nuke</c> marker above the current folder, else above the program.</summary>
internal static class RootDirectory
{
    public static AbsolutePath Find(string workingDirectory, string? programDirectory)
    {
        foreach (var start in new[] { workingDirectory, programDirectory })
            for (var folder = start is null ? null : new DirectoryInfo(start); folder is not null; folder = folder.Parent)
                if (Directory.Exists(Path.Combine(folder.FullName, ".nuke")) || File.Exists(Path.Combine(folder.FullName, ".nuke")))
                    return AbsolutePath.Create(folder.FullName);
        throw new UsageException($"No .nuke/ folder in {workingDirectory} or above; run from inside the repository or pass --root");
    }
}
