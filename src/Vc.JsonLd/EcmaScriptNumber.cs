using System.Globalization;
using System.Text;

namespace Vc.JsonLd;

/// <summary>
/// ECMAScript Number::toString (ECMA-262 §6.1.6.1.20) of a finite double: the number form of the JSON
/// Canonicalization Scheme (RFC 8785 §3.2.2.3), used for rdf:JSON literals here and by Data Integrity JCS suites.
/// </summary>
public static class EcmaScriptNumber
{
    /// <exception cref="ArgumentOutOfRangeException">NaN or an infinity (they have no JSON form).</exception>
    public static string Format(double d)
    {
        if (double.IsNaN(d) || double.IsInfinity(d)) throw new ArgumentOutOfRangeException(nameof(d), "NaN and infinities have no JSON form");
        if (d == 0) return "0"; // also -0
        Processor.ShortestDigits(d, out var digits, out var n);
        int k = digits.Length;
        var sb = new StringBuilder();
        if (d < 0) sb.Append('-');
        // ECMA-262 Number::toString steps 6–10.
        if (k <= n && n <= 21) sb.Append(digits).Append('0', n - k);
        else if (0 < n && n <= 21) sb.Append(digits, 0, n).Append('.').Append(digits, n, k - n);
        else if (-6 < n && n <= 0) sb.Append("0.").Append('0', -n).Append(digits);
        else
        {
            sb.Append(digits[0]);
            if (k > 1) sb.Append('.').Append(digits, 1, k - 1);
            sb.Append('e').Append(n - 1 >= 0 ? "+" : "-").Append(Math.Abs(n - 1).ToString(CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }
}
