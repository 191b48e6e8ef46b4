using Engine.Agents.Commands;
using Engine.Agents.Config;
using Engine.Agents.Processes;
using Engine.Agents.Work.Backends;
using Engine.Agents.Work.Config;
using Engine.Agents.Work.Git;

namespace Engine.Agents.Work.Cycle;

/// <summary>Everything wrong that stops a cycle before it starts, one line each.</summary>
internal sealed class PreflightException(IReadOnlyList<string> problems) : Exception(string.Join("; ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>What a cycle needs before it starts: a git repository with its main branch, an identity to commit with, and each role's program.</summary>
internal static class CyclePreflight
{
    public static Repository Check(ProjectConfig project, WorkConfig work, WorkGit git, CycleOptions options)
    {
        var place = git.Try(project.ProjectDir, "rev-parse", "--show-toplevel", "--show-prefix");
        if (!place.Succeeded)
            throw new CommandFailedException($"{project.ProjectDir} is not in a git repository; work cycles need one ('git init', then a first commit)");
        var lines = place.Output.Split('\n');
        var prefix = lines.Length > 1 ? lines[1].Trim().TrimEnd('/') : "";

        var problems = new List<string>();
        var main = work.MainBranch ?? (git.Commit("refs/heads/main") is not null ? "main" : git.Commit("refs/heads/master") is not null ? "master" : null);
        if (main is null)
            problems.Add($"{work.Location}: the repository has no branch 'main' (nor 'master') with a commit; make a first commit, or set main_branch in [work]");
        else if (git.Commit("refs/heads/" + main) is null)
            problems.Add($"{work.Location}: main_branch '{main}' is not a branch of the repository with a commit; fix main_branch");
        if (!git.Try(project.ProjectDir, "var", "GIT_COMMITTER_IDENT").Succeeded)
            problems.Add("git has no identity to commit with here; set one with 'git config user.name NAME' and 'git config user.email EMAIL'");

        var roles = new List<WorkRole>();
        if (options.Plan)
            roles.Add(WorkRole.Planner);
        if (!options.PlanOnly)
        {
            roles.Add(WorkRole.Worker);
            if (work.AiReview)
                roles.Add(WorkRole.Reviewer);
        }
        foreach (var role in roles)
        {
            var program = RoleCommand.Program(work, project.ProjectDir, role);
            if (program is null)
                problems.Add($"{work.Location}: [work] has no {role.Name()}_command; add one{(role == WorkRole.Planner ? ", or run 'agents cycle --no-plan'" : "")}");
            else if (Missing(program) is { } why)
                problems.Add($"{work.Location}: the {role.Name()}'s program {why}");
        }
        if (!options.PlanOnly)
            foreach (var (name, argv) in work.Gate().Where(g => !g.Argv[0].Contains('/')))
                if (Exec.FindOnPath(argv[0]) is null)
                    problems.Add($"{work.Location}: {name}: '{argv[0]}' is not on PATH; install it or fix '{name}'");

        if (problems.Count > 0)
            throw new PreflightException(problems);
        return new Repository(CanonicalPath.Of(lines[0].Trim()), prefix, main!);
    }

    private static string? Missing(string program)
    {
        if (!program.Contains('/'))
            return Exec.FindOnPath(program) is null ? $"'{program}' is not on PATH; install it, or change backend" : null;
        if (!File.Exists(program))
            return $"{program} does not exist";
        return Exec.IsExecutable(program) ? null : $"{program} is not executable; run 'chmod +x {program}'";
    }
}
