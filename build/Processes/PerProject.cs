namespace Orchestrator.Processes;

/// <summary>Work over many projects, a bounded number at a time; each piece mostly waits on git or a harness.</summary>
internal static class PerProject
{
    /// <summary>The results in the order of <paramref name="projects"/>; at most <paramref name="parallel"/> run at once.</summary>
    public static TResult[] Run<TProject, TResult>(IReadOnlyList<TProject> projects, int parallel, Func<TProject, TResult> work)
    {
        var workers = Math.Max(1, parallel);
        // The pool is sized for CPU work and adds a thread only every half second or so; work that blocks on child
        // processes would wait for it, so it gets its threads at once.
        ThreadPool.GetMinThreads(out var minimum, out var completion);
        if (minimum < workers + 1)
            ThreadPool.SetMinThreads(workers + 1, completion);
        var results = new TResult[projects.Count];
        Parallel.For(0, projects.Count, new ParallelOptions { MaxDegreeOfParallelism = workers }, i => results[i] = work(projects[i]));
        return results;
    }
}
