using System.Text.Json.Nodes;

namespace Vc.Rules.Tests;

/// <summary>
/// <c>!==</c> (issue #19's operator list; not in CertLogic 1.3.3, whose validation suite has no case refusing it):
/// JavaScript's strict inequality, the negation of <c>===</c> with the same operand rules, exactly two operands.
/// </summary>
public sealed class StrictInequalityTests
{
    private static JsonNode? Eval(string expression, string data = "{}") =>
        CertLogicExpression.Parse(expression).Evaluate(JsonNode.Parse(data)).ToJson();

    [Theory]
    [InlineData("""{"!==": [1, 1]}""", false)]
    [InlineData("""{"!==": [1, 2]}""", true)]
    [InlineData("""{"!==": ["a", "a"]}""", false)]
    [InlineData("""{"!==": ["a", "b"]}""", true)]
    [InlineData("""{"!==": [1, "1"]}""", true)]   // no type coercion
    [InlineData("""{"!==": [true, 1]}""", true)]
    [InlineData("""{"!==": [false, false]}""", false)]
    [InlineData("""{"!==": [{"var": "missing"}, {"var": "alsoMissing"}]}""", false)] // null === null
    [InlineData("""{"!==": [{"var": "missing"}, 0]}""", true)]
    public void Negates_strict_equality(string expression, bool expected)
    {
        Assert.Equal(expected, Eval(expression)!.GetValue<bool>());
        // The same answer as !(===) on the same operands.
        var equality = expression.Replace("!==", "===", StringComparison.Ordinal);
        Assert.Equal(!Eval(equality)!.GetValue<bool>(), expected);
    }

    [Fact]
    public void Reads_data_like_strict_equality()
    {
        const string expr = """{"!==": [{"var": "payload.v.0.tg"}, "840539006"]}""";
        Assert.False(Eval(expr, """{"payload": {"v": [{"tg": "840539006"}]}}""")!.GetValue<bool>());
        Assert.True(Eval(expr, """{"payload": {"v": [{"tg": "other"}]}}""")!.GetValue<bool>());
    }

    [Fact]
    public void Objects_and_arrays_compare_by_identity_as_in_javascript()
    {
        // Two evaluations of the same array literal are two arrays: === is false, so !== is true.
        Assert.True(Eval("""{"!==": [[1], [1]]}""")!.GetValue<bool>());
    }

    [Theory]
    [InlineData("""{"!==": [1]}""", "an operation with operator \"!==\" must have 2 operands, but it has 1")]
    [InlineData("""{"!==": [1, 2, 3]}""", "an operation with operator \"!==\" must have 2 operands, but it has 3")]
    [InlineData("""{"!==": 1}""", "operation not of the form { \"<operator>\": [ <values...> ] }")]
    public void Refuses_other_shapes_with_the_validators_text(string expression, string message)
    {
        var e = Assert.Throws<CertLogicInvalidExpressionException>(() => CertLogicExpression.Parse(expression));
        Assert.Contains(e.Issues, i => i.Message == message);
    }

    [Fact]
    public void Operands_are_validated_too()
    {
        var e = Assert.Throws<CertLogicInvalidExpressionException>(() => CertLogicExpression.Parse("""{"!==": [{"all": [1]}, 1]}"""));
        Assert.Contains(e.Issues, i => i.Message == "unrecognised operator: \"all\"");
    }
}

/// <summary>CertLogic's messages print numbers as JavaScript's String(n) does (one implementation, Vc.JsonLd's).</summary>
public sealed class JsNumberTests
{
    [Theory]
    [InlineData(1.5, "1.5")]
    [InlineData(1e21, "1e+21")]
    [InlineData(123456789012345680000.0, "123456789012345680000")]
    [InlineData(0.000001, "0.000001")]
    [InlineData(1e-7, "1e-7")]
    [InlineData(-0.0, "0")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    public void Prints_like_javascript(double d, string expected) => Assert.Equal(expected, CertLogicValues.JsString(d));

    [Fact]
    public void A_non_integer_literal_is_named_in_javascripts_form()
    {
        var issues = CertLogicValidator.Validate(JsonNode.Parse("1.5e-7"));
        Assert.Equal("1.5e-7 is a non-integer number", Assert.Single(issues).Message);
    }
}
