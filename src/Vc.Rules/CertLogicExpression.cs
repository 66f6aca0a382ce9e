using System.Text.Json.Nodes;
using static Vc.Rules.CertLogicValues;

namespace Vc.Rules;

/// <summary>
/// A CertLogic expression compiled once (validated, then turned into a tree of evaluation nodes) and evaluated many
/// times against data contexts. Semantics are those of the CertLogic specification 1.3.3 (the section of each
/// operation is named beside its node); where the spec leaves detail to "the reference implementation", certlogic-js's
/// behaviour is followed. Instances are immutable and thread-safe.
/// </summary>
public sealed class CertLogicExpression
{
    private readonly Node _root;

    private CertLogicExpression(JsonNode? source, Node root)
    {
        Source = source;
        _root = root;
    }

    /// <summary>The expression as given (a private copy).</summary>
    public JsonNode? Source { get; }

    /// <summary>Validates and compiles an expression.</summary>
    /// <exception cref="CertLogicInvalidExpressionException">Not valid CertLogic; every issue is listed.</exception>
    public static CertLogicExpression Compile(JsonNode? expression)
    {
        var issues = CertLogicValidator.Validate(expression);
        if (issues.Count > 0) throw new CertLogicInvalidExpressionException(issues);
        var copy = expression?.DeepClone();
        return new CertLogicExpression(copy, Build(copy));
    }

    /// <summary>Parses and compiles an expression from its JSON text.</summary>
    /// <exception cref="CertLogicInvalidExpressionException">Not JSON, or not valid CertLogic.</exception>
    public static CertLogicExpression Parse(string json)
    {
        JsonNode? node;
        try { node = JsonNode.Parse(json); }
        catch (System.Text.Json.JsonException e) { throw new CertLogicInvalidExpressionException([new CertLogicIssue(null, "not JSON: " + e.Message)]); }
        return Compile(node);
    }

    /// <summary>Evaluates against a data context (spec "Introduction": expression + data → value).</summary>
    /// <exception cref="CertLogicEvaluationException">The data does not fit the operations (spec: an error).</exception>
    public CertLogicValue Evaluate(JsonNode? data)
    {
        try
        {
            return new CertLogicValue(_root.Eval(FromNode(data)));
        }
        catch (OverflowException)
        {
            throw new CertLogicEvaluationException("integer arithmetic overflow");
        }
        catch (InsufficientExecutionStackException)
        {
            throw new CertLogicEvaluationException("expression nested too deeply");
        }
    }

    public override string ToString() => Source?.ToJsonString() ?? "null";

    // Compilation: the expression is known valid, so only shapes the validator guarantees are assumed.
    private static Node Build(JsonNode? expr)
    {
        if (CertLogicValidator.IsLiteral(expr)) return new Literal(FromNode(expr));
        if (expr is JsonArray array) return new ArrayNode(array.Select(Build).ToArray());
        var (op, operand) = ((JsonObject)expr!).First();
        if (op == "var")
        {
            var path = operand!.GetValue<string>();
            return new Var(path == "" ? [] : path.Split('.'));
        }
        var values = (JsonArray)operand!;
        Node Arg(int i) => Build(values[i]);
        return op switch
        {
            "if" => new If(Arg(0), Arg(1), Arg(2)),
            "and" => new And(values.Select(Build).ToArray()),
            "===" => new StrictEquality(Arg(0), Arg(1)),
            "!==" => new Not(new StrictEquality(Arg(0), Arg(1))),
            "in" => new In(Arg(0), Arg(1)),
            "+" => new Plus(Arg(0), Arg(1)),
            "<" or ">" or "<=" or ">=" => new IntComparison(op, values.Select(Build).ToArray()),
            "after" => new DateTimeComparison(op, ">", values.Select(Build).ToArray()),
            "before" => new DateTimeComparison(op, "<", values.Select(Build).ToArray()),
            "not-after" => new DateTimeComparison(op, "<=", values.Select(Build).ToArray()),
            "not-before" => new DateTimeComparison(op, ">=", values.Select(Build).ToArray()),
            "!" => new Not(Arg(0)),
            "plusTime" => new PlusTime(Arg(0), (long)(double)FromNode(values[1])!, Unit(values[2]!.GetValue<string>())),
            "reduce" => new Reduce(Arg(0), Arg(1), Arg(2)),
            "extractFromUVCI" => new ExtractFromUvci(Arg(0), (long)(double)FromNode(values[1])!),
            "dccDateOfBirth" => new DccDateOfBirth(Arg(0)),
            _ => throw new CertLogicInvalidExpressionException([new CertLogicIssue(expr, $"unrecognised operator: \"{op}\"")]),
        };
    }

    private static CertLogicTimeUnit Unit(string unit) => unit switch
    {
        "year" => CertLogicTimeUnit.Year,
        "month" => CertLogicTimeUnit.Month,
        "day" => CertLogicTimeUnit.Day,
        _ => CertLogicTimeUnit.Hour,
    };

    private abstract class Node
    {
        public abstract object? Eval(object? data);

        protected static bool Boolsy(object? value, Func<string> error) =>
            Boolsiness(value) ?? throw new CertLogicEvaluationException(error());
    }

    /// <summary>Spec "Literal values": a literal evaluates to itself.</summary>
    private sealed class Literal(object? value) : Node
    {
        public override object? Eval(object? data) => value;
    }

    /// <summary>Spec "Introduction": an array evaluates to an array with every item evaluated.</summary>
    private sealed class ArrayNode(Node[] items) : Node
    {
        public override object? Eval(object? data)
        {
            var result = new object?[items.Length];
            for (var i = 0; i < items.Length; i++) result[i] = items[i].Eval(data);
            return result;
        }
    }

    /// <summary>Spec "Data access (var)".</summary>
    private sealed class Var(string[] fragments) : Node
    {
        public override object? Eval(object? data) => Access(data, fragments);
    }

    /// <summary>Spec "If-then-else (if)": only the chosen branch is evaluated.</summary>
    private sealed class If(Node guard, Node then, Node @else) : Node
    {
        public override object? Eval(object? data)
        {
            var g = guard.Eval(data);
            return Boolsy(g, () => $"if-guard evaluates to something neither truthy, nor falsy: {JsString(g)}")
                ? then.Eval(data) : @else.Eval(data);
        }
    }

    /// <summary>Spec "and": lazy, in order; the first falsy operand or the last one; every evaluated operand must be
    /// truthy or falsy.</summary>
    private sealed class And(Node[] operands) : Node
    {
        public override object? Eval(object? data)
        {
            object? last = true;
            foreach (var operand in operands)
            {
                last = operand.Eval(data);
                if (!Boolsy(last, () => "all operands of an \"and\" operation must be either truthy or falsy")) return last;
            }
            return last;
        }
    }

    /// <summary>Spec "===": equality without type coercion.</summary>
    private sealed class StrictEquality(Node left, Node right) : Node
    {
        public override object? Eval(object? data)
        {
            var l = left.Eval(data);
            return StrictEquals(l, right.Eval(data));
        }
    }

    /// <summary>Spec "in": membership in an array (a non-array right-hand side is an error).</summary>
    private sealed class In(Node item, Node array) : Node
    {
        public override object? Eval(object? data)
        {
            var x = item.Eval(data);
            var items = Items(array.Eval(data)) ?? throw new CertLogicEvaluationException("right-hand side of an \"in\" operation must be an array");
            foreach (var candidate in items)
                if (StrictEquals(x, candidate)) return true;
            return false;
        }
    }

    /// <summary>Spec "+": integer addition.</summary>
    private sealed class Plus(Node left, Node right) : Node
    {
        public override object? Eval(object? data)
        {
            var l = left.Eval(data);
            var r = right.Eval(data);
            if (!IsInt(l) || !IsInt(r)) throw new CertLogicEvaluationException("operands of this operation must both be integers");
            return (double)l! + (double)r!;
        }
    }

    private static bool Compare(string op, int c) => op switch
    {
        "<" => c < 0,
        ">" => c > 0,
        "<=" => c <= 0,
        _ => c >= 0,
    };

    /// <summary>Spec "comparison operators": integers only; the ternary form is (a op b) and (b op c).</summary>
    private sealed class IntComparison(string op, Node[] operands) : Node
    {
        public override object? Eval(object? data)
        {
            var values = new double[operands.Length];
            for (var i = 0; i < operands.Length; i++)
            {
                var v = operands[i].Eval(data);
                values[i] = IsInt(v) ? (double)v! : double.NaN;
            }
            if (values.Any(double.IsNaN)) throw new CertLogicEvaluationException("all operands of a comparison operation must be of integer type");
            return Compare(op, values[0].CompareTo(values[1])) && (values.Length == 2 || Compare(op, values[1].CompareTo(values[2])));
        }
    }

    /// <summary>Spec "after/before/not-after/not-before": the date-time equivalents of &gt;, &lt;, &lt;=, &gt;=.</summary>
    private sealed class DateTimeComparison(string name, string op, Node[] operands) : Node
    {
        public override object? Eval(object? data)
        {
            var values = new CertLogicDateTime[operands.Length];
            for (var i = 0; i < operands.Length; i++)
                values[i] = operands[i].Eval(data) as CertLogicDateTime?
                    ?? throw new CertLogicEvaluationException($"all operands of a date-time comparison (\"{name}\") must be date-times");
            return Compare(op, values[0].CompareTo(values[1])) && (values.Length == 2 || Compare(op, values[1].CompareTo(values[2])));
        }
    }

    /// <summary>Spec "Negation (!)".</summary>
    private sealed class Not(Node operand) : Node
    {
        public override object? Eval(object? data)
        {
            var v = operand.Eval(data);
            return !Boolsy(v, () => $"operand of ! evaluates to something neither truthy, nor falsy: {JsString(v)}");
        }
    }

    /// <summary>Spec "Offset date-time (plusTime)".</summary>
    private sealed class PlusTime(Node date, long amount, CertLogicTimeUnit unit) : Node
    {
        public override object? Eval(object? data) =>
            date.Eval(data) is string s
                ? CertLogicDateTime.Parse(s).Plus(amount, unit)
                : throw new CertLogicEvaluationException("date argument (#1) of \"plusTime\" must be a string");
    }

    /// <summary>Spec "Reduction (reduce)": a left fold; null folds to the initial value; the lambda sees
    /// { accumulator, current } only (the "data" key is a possible future extension, not part of 1.3.3).</summary>
    private sealed class Reduce(Node operand, Node lambda, Node initial) : Node
    {
        public override object? Eval(object? data)
        {
            var o = operand.Eval(data);
            if (o is null) return initial.Eval(data);
            var items = Items(o) ?? throw new CertLogicEvaluationException("operand of reduce evaluated to a non-null non-array");
            var accumulator = initial.Eval(data);
            foreach (var current in items)
                accumulator = lambda.Eval(new ReduceScope(accumulator, current));
            return accumulator;
        }
    }

    /// <summary>Spec "Extract data from an UCI (extractFromUVCI)": fragments split on / # :, the optional URN:UVCI:
    /// prefix ignored, null for a missing fragment or a null operand.</summary>
    private sealed class ExtractFromUvci(Node operand, long index) : Node
    {
        private static readonly char[] Separators = ['/', '#', ':'];
        private const string OptionalPrefix = "URN:UVCI:";

        public override object? Eval(object? data)
        {
            var v = operand.Eval(data);
            if (v is null) return null;
            if (v is not string uvci) throw new CertLogicEvaluationException("\"UVCI\" argument (#1) of \"extractFromUVCI\" must be either a string or null");
            if (index < 0) return null;
            if (uvci.StartsWith(OptionalPrefix, StringComparison.Ordinal)) uvci = uvci[OptionalPrefix.Length..];
            var fragments = uvci.Split(Separators);
            return index < fragments.Length ? fragments[index] : null;
        }
    }

    /// <summary>Spec "DCC Date of birth (dccDateOfBirth)".</summary>
    private sealed class DccDateOfBirth(Node operand) : Node
    {
        public override object? Eval(object? data) =>
            operand.Eval(data) is string s
                ? CertLogicDateTime.DateOfBirth(s)
                : throw new CertLogicEvaluationException("operand of \"dccDateOfBirth\" must be a string");
    }
}

/// <summary>The value an expression evaluated to.</summary>
public readonly struct CertLogicValue
{
    private readonly object? _value;

    internal CertLogicValue(object? value) => _value = value;

    /// <summary>Spec "Truthy and falsy values": true / false, or null when the value is neither (e.g. a date-time).</summary>
    public bool? Truthiness => Boolsiness(_value);

    public bool IsDateTime => _value is CertLogicDateTime;

    /// <summary>The value as JSON (a date-time as its ISO 8601 text, as JavaScript's JSON.stringify does).</summary>
    public JsonNode? ToJson() => ToNode(_value);

    public override string ToString() => ToJson()?.ToJsonString() ?? "null";
}
