using System.Linq.Expressions;
using System.Reflection;
using System.Text.RegularExpressions;

namespace Runbook;

/// <summary>Evaluates requirement and condition expressions and spells them for messages.</summary>
internal static partial class Conditions
{
    public static bool Evaluate(Expression<Func<bool>> condition) => condition.Compile(preferInterpretation: true)();

    /// <summary>The first false condition's text, or null when all hold.</summary>
    public static string? FirstFalse(IEnumerable<Expression<Func<bool>>> conditions) =>
        conditions.FirstOrDefault(c => !Evaluate(c)) is { } failed ? Text(failed) : null;

    /// <summary><c>() => value(Build).DryRun</c> reads as <c>DryRun</c>.</summary>
    public static string Text(LambdaExpression expression) => ClosurePrefix().Replace(expression.Body.ToString(), "");

    [GeneratedRegex(@"value\([^()]*\)\.")]
    private static partial Regex ClosurePrefix();
}

/// <summary>Checks every <c>Requires</c> of every target that will run, before anything runs.</summary>
internal static class Requirements
{
    public static void Check(ExecutionPlan plan, object build, IReadOnlyList<BuildParameter> parameters)
    {
        var problems = new List<string>();
        foreach (var target in plan.ToExecute)
        {
            foreach (var requirement in target.Definition.RequiredParameters)
            {
                var member = (Unwrap(requirement.Body) as MemberExpression)?.Member;
                var parameter = member is null ? null : parameters.FirstOrDefault(p => p.Declares(member));
                if (parameter is not null)
                {
                    if (parameter.IsMissing(build))
                        problems.Add($"{target.Name} requires {parameter.Flag}");
                }
                else if (requirement.Compile(preferInterpretation: true).DynamicInvoke() is null or "")
                    problems.Add($"{target.Name} requires a value for {Conditions.Text(requirement)}");
            }
            foreach (var condition in target.Definition.RequiredConditions.Where(c => !Conditions.Evaluate(c)))
                problems.Add($"{target.Name} requires {Spelled(condition, parameters)}");
        }
        if (problems.Count > 0)
            throw new UsageException(string.Join(Environment.NewLine, problems));
    }

    /// <summary>A condition as the operator types it: <c>() => Parallel >= 1</c> reads <c>--parallel >= 1</c>.</summary>
    private static string Spelled(Expression<Func<bool>> condition, IReadOnlyList<BuildParameter> parameters)
    {
        var text = Conditions.Text(condition);
        if (condition.Body is BinaryExpression)
            text = text[1..^1]; // a binary expression prints in parentheses of its own
        var members = new MemberCollector();
        members.Visit(condition.Body);
        foreach (var parameter in parameters.Where(p => members.Found.Any(p.Declares)))
            text = Regex.Replace(text, $@"\b{Regex.Escape(parameter.MemberName)}\b", parameter.Flag);
        return text;
    }

    private sealed class MemberCollector : ExpressionVisitor
    {
        public List<MemberInfo> Found { get; } = [];

        protected override Expression VisitMember(MemberExpression node)
        {
            Found.Add(node.Member);
            return base.VisitMember(node);
        }
    }

    private static Expression Unwrap(Expression expression) =>
        expression is UnaryExpression { NodeType: ExpressionType.Convert } convert ? Unwrap(convert.Operand) : expression;
}
