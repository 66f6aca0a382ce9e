using System.Text.Json.Nodes;

namespace Vc.Rules;

/// <summary>One problem the validator found: the offending (sub-)expression and why (the reference validator's text).</summary>
public sealed record CertLogicIssue(JsonNode? Expr, string Message)
{
    public override string ToString() => $"{Message} (in {Expr?.ToJsonString() ?? "null"})";
}

/// <summary>Base of CertLogic's typed errors.</summary>
public abstract class CertLogicException(string message) : Exception(message);

/// <summary>The expression is not valid CertLogic (spec "Validator"); carries every issue found.</summary>
public sealed class CertLogicInvalidExpressionException(IReadOnlyList<CertLogicIssue> issues)
    : CertLogicException("invalid CertLogic expression: " + string.Join("; ", issues.Take(5)))
{
    public IReadOnlyList<CertLogicIssue> Issues { get; } = issues;
}

/// <summary>A valid expression met data it cannot operate on (a type mismatch the spec makes an error, e.g. a
/// non-array right-hand side of "in", an if-guard neither truthy nor falsy, a date-time string in no allowed format).</summary>
public sealed class CertLogicEvaluationException(string message) : CertLogicException(message);
