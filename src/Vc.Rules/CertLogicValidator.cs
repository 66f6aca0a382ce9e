using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Vc.Rules;

/// <summary>
/// Structural validation of a CertLogic expression (spec "Validator": certlogic-js's format validator, whose issue
/// texts and order the validation test suite fixes). No data is involved: what can only be known at run time (types
/// of evaluated operands) is the evaluator's business.
/// </summary>
public static partial class CertLogicValidator
{
    /// <summary>The infix operations (spec "Operations with infix operators"), and <c>!==</c>: not in CertLogic 1.3.3's
    /// list (certlogic-js refuses it as an unrecognised operator), but JsonLogic's strict inequality, which issue #19
    /// asks for; no case of the validation test suite expects it refused. A rule using it will not run on verifiers
    /// that implement only 1.3.3.</summary>
    internal static readonly string[] InfixOperators = ["===", "!==", "and", ">", "<", ">=", "<=", "in", "+", "after", "before", "not-after", "not-before"];

    internal static readonly string[] TimeUnits = ["year", "month", "day", "hour"];

    [GeneratedRegex(@"^([^.]+?)(\.[^.]+?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex PathFormat();

    /// <summary>Every issue of the expression, outermost first; empty when it is valid CertLogic.</summary>
    public static IReadOnlyList<CertLogicIssue> Validate(JsonNode? expr)
    {
        var issues = new List<CertLogicIssue>();
        Validate(expr, issues);
        return issues;
    }

    public static bool IsValid(JsonNode? expr) => Validate(expr).Count == 0;

    /// <summary>A string, an integer or a boolean (spec "Literal values").</summary>
    internal static bool IsLiteral(JsonNode? expr) => expr is JsonValue v && v.GetValueKind() switch
    {
        JsonValueKind.String or JsonValueKind.True or JsonValueKind.False => true,
        JsonValueKind.Number => CertLogicValues.IsIntNode(v),
        _ => false,
    };

    private static void Validate(JsonNode? expr, List<CertLogicIssue> issues)
    {
        if (IsLiteral(expr)) return;
        switch (expr)
        {
            case JsonValue v when v.GetValueKind() == JsonValueKind.Number:
                issues.Add(new(expr, $"{CertLogicValues.JsString(CertLogicValues.FromNode(v))} is a non-integer number"));
                return;
            case null:
                issues.Add(new(expr, "invalid CertLogic expression"));
                return;
            case JsonArray array:
                foreach (var item in array) Validate(item, issues);
                return;
            case JsonObject obj:
                ValidateOperation(obj, issues);
                return;
            default:
                issues.Add(new(expr, "invalid CertLogic expression"));
                return;
        }
    }

    private static void ValidateOperation(JsonObject expr, List<CertLogicIssue> issues)
    {
        if (expr.Count != 1)
        {
            issues.Add(new(expr, $"expression object must have exactly one key, but it has {expr.Count}"));
            return;
        }
        var (op, operand) = expr.First();
        if (op == "var")
        {
            if (!(operand is JsonValue pv && pv.GetValueKind() == JsonValueKind.String))
                issues.Add(new(expr, "not of the form { \"var\": \"<path>\" }"));
            else if (pv.GetValue<string>() is var path && path != "" && !PathFormat().IsMatch(path))
                issues.Add(new(expr, $"data access path doesn't have a valid format: {path}"));
            return;
        }
        if (operand is not JsonArray values)
        {
            issues.Add(new(expr, "operation not of the form { \"<operator>\": [ <values...> ] }"));
            return;
        }
        var n = values.Count;
        void Operands(int max) { for (var i = 0; i < Math.Min(max, n); i++) Validate(values[i], issues); }
        string Str(int i) => CertLogicValues.JsString(CertLogicValues.FromNode(values[i]));
        switch (op)
        {
            case "if":
                if (n != 3) issues.Add(new(expr, $"an \"if\"-operation must have exactly 3 values/operands, but it has {n}"));
                Operands(3);
                return;
            case var _ when InfixOperators.Contains(op):
                var max = n;
                switch (op)
                {
                    case "and":
                        if (n < 2) issues.Add(new(expr, $"an \"and\" operation must have at least 2 operands, but it has {n}"));
                        break;
                    case "<" or ">" or "<=" or ">=" or "after" or "before" or "not-after" or "not-before":
                        max = 3;
                        if (n is < 2 or > 3) issues.Add(new(expr, $"an operation with operator \"{op}\" must have 2 or 3 operands, but it has {n}"));
                        break;
                    default:
                        max = 2;
                        if (n != 2) issues.Add(new(expr, $"an operation with operator \"{op}\" must have 2 operands, but it has {n}"));
                        break;
                }
                Operands(max);
                return;
            case "!":
                if (n == 1) Validate(values[0], issues);
                else issues.Add(new(expr, $"a !-operation (logical not/negation) must have exactly 1 operand, but it has {n}"));
                return;
            case "plusTime":
                if (n != 3) issues.Add(new(expr, $"a \"plusTime\"-operation must have exactly 3 values/operands, but it has {n}"));
                if (n > 0) Validate(values[0], issues);
                if (n > 1 && !CertLogicValues.IsIntNode(values[1]))
                    issues.Add(new(expr, $"\"amount\" argument (#2) of \"plusTime\" must be an integer, but it is: {Str(1)}"));
                if (n > 2 && !IsTimeUnit(values[2]))
                    issues.Add(new(expr, $"\"unit\" argument (#3) of \"plusTime\" must be a string equal to one of {string.Join(", ", TimeUnits)}, but it is: {Str(2)}"));
                return;
            case "reduce":
                if (n != 3) issues.Add(new(expr, $"a \"reduce\"-operation must have exactly 3 values/operands, but it has {n}"));
                Operands(3);
                return;
            case "extractFromUVCI":
                if (n != 2) issues.Add(new(expr, $"an \"extractFromUVCI\"-operation must have exactly 2 values/operands, but it has {n}"));
                if (n > 0) Validate(values[0], issues);
                if (n > 1 && !CertLogicValues.IsIntNode(values[1]))
                    issues.Add(new(expr, $"\"index\" argument (#2) of \"extractFromUVCI\" must be an integer, but it is: {Str(1)}"));
                return;
            case "dccDateOfBirth":
                if (n != 1) issues.Add(new(expr, $"a \"dccDateOfBirth\"-operation must have exactly 1 value/operand, but it has {n}"));
                if (n > 0) Validate(values[0], issues);
                return;
            default:
                issues.Add(new(expr, $"unrecognised operator: \"{op}\""));
                return;
        }
    }

    internal static bool IsTimeUnit(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String && TimeUnits.Contains(v.GetValue<string>());
}
