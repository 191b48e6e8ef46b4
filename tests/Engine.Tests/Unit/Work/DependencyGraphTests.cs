using Engine.Agents.Work.Model;

namespace Engine.Tests.Unit.Work;

public sealed class DependencyGraphTests
{
    private static Dictionary<int, IReadOnlyList<int>> Graph(params (int Node, int[] After)[] edges) =>
        edges.ToDictionary(e => e.Node, e => (IReadOnlyList<int>)e.After);

    [Fact]
    public void A_cycle_is_named_by_the_path_that_closes_it()
    {
        var cycle = DependencyGraph.FindCycle(Graph((0, []), (1, [2]), (2, [3]), (3, [1])));

        Assert.Equal([1, 2, 3, 1], cycle);
    }

    [Fact]
    public void A_task_depending_on_itself_is_a_cycle() =>
        Assert.Equal([0, 0], DependencyGraph.FindCycle(Graph((0, [0]))));

    [Fact]
    public void A_diamond_is_no_cycle() =>
        Assert.Null(DependencyGraph.FindCycle(Graph((0, []), (1, [0]), (2, [0]), (3, [1, 2]))));

    [Fact]
    public void Waves_count_the_longest_chain_below_each_task()
    {
        var waves = DependencyGraph.Waves(Graph((0, []), (1, [0]), (2, [0]), (3, [1, 2]), (4, [])));

        Assert.Equal(new Dictionary<int, int> { [0] = 1, [1] = 2, [2] = 2, [3] = 3, [4] = 1 }, waves);
    }
}
