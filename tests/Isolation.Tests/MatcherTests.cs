using Orchestrator.Isolation;

namespace Isolation.Tests;

public sealed class MatcherTests
{
    private static readonly OrchestratorFacts Facts = new(["/srv/po", "/srv/po/fleet.toml"], ["example.com/ops/po"]);
    private static readonly IsolationAllowList NothingAllowed = new([]);

    private static List<IsolationViolation> Content(string text) => IsolationMatcher.Content("a.md", text, Facts, null) ?? [];

    [Fact]
    public void Each_word_matches_in_any_case_on_its_own_line()
    {
        var violations = Content("intro\nrun by the FLEET\n\nsee Project-Orchestrator\nor the project orchestrator\nclean\n");

        Assert.Equal([2, 4, 5], violations.Select(v => v.Line!.Value));
        Assert.Equal(["FLEET", "Project-Orchestrator", "project orchestrator"], violations.Select(v => v.Match));
        Assert.Equal("see Project-Orchestrator", violations[1].Text);
        Assert.All(violations, v => Assert.Equal(IsolationRule.OrchestratorName, v.Rule));
    }

    [Fact]
    public void Text_without_a_pattern_has_no_violation()
    {
        Assert.Null(IsolationMatcher.Content("a.md", "a project\norchestrator\nflee t\n/srv/p\n", Facts, null));
    }

    [Fact]
    public void A_line_with_several_matches_is_one_violation_named_by_its_first_match()
    {
        var violation = Assert.Single(Content("  the fleet, the fleet and /srv/po\r\n"));
        Assert.Equal("fleet", violation.Match);
        Assert.Equal("the fleet, the fleet and /srv/po", violation.Text);
    }

    [Fact]
    public void Where_patterns_overlap_the_longest_names_the_rule()
    {
        var violations = Content("config: /SRV/PO/fleet.toml\nroot: /srv/po/bin\nremote: https://example.com/ops/po.git\n");

        Assert.Equal([("/SRV/PO/fleet.toml", IsolationRule.OrchestratorPath), ("/srv/po", IsolationRule.OrchestratorPath), ("example.com/ops/po", IsolationRule.OrchestratorRemote)],
            violations.Select(v => (v.Match, v.Rule)));
    }

    [Fact]
    public void Paths_and_remotes_match_only_as_whole_names()
    {
        var violations = Content("""
            url = /srv/po-engine.git
            nested = /var/srv/po/x
            other = example.com/ops/po-tools
            mine = /srv/po
            remote = https://example.com/ops/po.git
            sibling = /srv/po_old and /srv/pods
            """);

        Assert.Equal([(4, "/srv/po"), (5, "example.com/ops/po")], violations.Select(v => (v.Line!.Value, v.Match)));
    }

    [Fact]
    public void Line_numbers_count_from_one_and_hold_for_a_match_on_the_last_line_without_a_newline()
    {
        var violations = Content("fleet\nx\ny\nfleet");
        Assert.Equal([1, 4], violations.Select(v => v.Line!.Value));
    }

    [Fact]
    public void A_very_long_line_is_shortened_around_the_match()
    {
        var line = new string('a', 500) + " fleet " + new string('b', 500);
        var violation = Assert.Single(Content(line));

        Assert.StartsWith("...", violation.Text);
        Assert.EndsWith("...", violation.Text);
        Assert.Contains(" fleet ", violation.Text);
        Assert.True(violation.Text.Length < 140, violation.Text);
    }

    [Fact]
    public void The_allowing_glob_is_carried_on_each_violation()
    {
        var violation = Assert.Single(IsolationMatcher.Content("docs/history.md", "fleet", Facts, "docs/*.md")!);
        Assert.True(violation.Allowed);
        Assert.Equal("docs/*.md", violation.AllowedBy);
    }

    [Fact]
    public void A_name_is_reported_at_the_path_up_to_it()
    {
        var violations = IsolationMatcher.Names("ops/Fleet-notes/plan.md", Facts, NothingAllowed).ToList();

        var violation = Assert.Single(violations);
        Assert.Equal(("ops/Fleet-notes", null, "Fleet-notes", "Fleet"), (violation.Path, violation.Line, violation.Text, violation.Match));
        Assert.Empty(IsolationMatcher.Names("src/main.cs", Facts, NothingAllowed));
    }

    [Fact]
    public void Allow_globs_are_relative_to_the_project_and_star_crosses_folders()
    {
        var allow = new IsolationAllowList(["./docs/history.md", "notes/*.md"]);

        Assert.Equal("docs/history.md", allow.Covering("docs/history.md"));
        Assert.Equal("notes/*.md", allow.Covering("notes/2024/fleet.md"));
        Assert.Null(allow.Covering("notes/fleet.txt"));
        Assert.Null(allow.Covering("other/docs/history.md"));
    }

    [Theory]
    [InlineData("https://user:token@github.com/acme/project-ops.git", "github.com/acme/project-ops", "github.com:acme/project-ops")]
    [InlineData("git@github.com:acme/project-ops.git", "github.com/acme/project-ops", "github.com:acme/project-ops")]
    [InlineData("ssh://git@git.example.com/acme/ops/", "git.example.com/acme/ops", "git.example.com:acme/ops")]
    public void A_remote_is_matched_in_both_spellings_without_user_or_dot_git(string url, string slash, string colon)
    {
        Assert.Equal([slash, colon], OrchestratorFacts.RemoteForms(url, "/srv/po"));
    }

    [Theory]
    [InlineData("/srv/git/ops.git", "/srv/git/ops")]
    [InlineData("file:///srv/git/ops.git", "/srv/git/ops")]
    [InlineData("../ops.git", "/srv/ops")]
    public void A_local_remote_is_matched_by_its_absolute_path(string url, string path)
    {
        Assert.Equal([path], OrchestratorFacts.RemoteForms(url, "/srv/po"));
    }
}
