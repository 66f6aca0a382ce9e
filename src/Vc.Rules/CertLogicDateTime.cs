using System.Globalization;
using System.Text.RegularExpressions;

namespace Vc.Rules;

/// <summary>
/// A CertLogic date-time (spec "Dates and date-times"): an instant with millisecond precision, counted as
/// milliseconds since 1970-01-01T00:00:00Z like ECMAScript's time value (ECMA-262 §21.4.1.1), so that offsetting
/// follows the JavaScript Date methods the spec names. Only plusTime and dccDateOfBirth make one.
/// </summary>
public readonly partial record struct CertLogicDateTime(long EpochMilliseconds) : IComparable<CertLogicDateTime>
{
    private const long MsPerDay = 86_400_000;
    private const long MsPerHour = 3_600_000;
    /// <summary>ECMA-262 §21.4.1.31 TimeClip: ±8.64e15 ms.</summary>
    private const long MaxTime = 8_640_000_000_000_000;

    public int CompareTo(CertLogicDateTime other) => EpochMilliseconds.CompareTo(other.EpochMilliseconds);

    public static bool operator <(CertLogicDateTime l, CertLogicDateTime r) => l.EpochMilliseconds < r.EpochMilliseconds;
    public static bool operator >(CertLogicDateTime l, CertLogicDateTime r) => l.EpochMilliseconds > r.EpochMilliseconds;
    public static bool operator <=(CertLogicDateTime l, CertLogicDateTime r) => l.EpochMilliseconds <= r.EpochMilliseconds;
    public static bool operator >=(CertLogicDateTime l, CertLogicDateTime r) => l.EpochMilliseconds >= r.EpochMilliseconds;

    public DateTimeOffset ToDateTimeOffset() => DateTimeOffset.FromUnixTimeMilliseconds(EpochMilliseconds);

    public static CertLogicDateTime From(DateTimeOffset t) => new(t.ToUnixTimeMilliseconds());

    /// <summary>ISO 8601 with milliseconds and Z, as JavaScript's Date.toISOString.</summary>
    public override string ToString()
    {
        var (y, m, d) = CivilFromDays(FloorDiv(EpochMilliseconds, MsPerDay));
        var ms = FloorMod(EpochMilliseconds, MsPerDay);
        var year = y is >= 0 and <= 9999 ? y.ToString("D4", CultureInfo.InvariantCulture)
            : (y < 0 ? "-" : "+") + Math.Abs(y).ToString("D6", CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture,
            $"{year}-{m:D2}-{d:D2}T{ms / MsPerHour:D2}:{ms / 60_000 % 60:D2}:{ms / 1000 % 60:D2}.{ms % 1000:D3}Z");
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex DateOnlyFormat();

    [GeneratedRegex(@"^\d{4}$", RegexOptions.CultureInvariant)]
    private static partial Regex YearFormat();

    [GeneratedRegex(@"^\d{4}-\d{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex YearMonthFormat();

    /// <summary>The spec's allowed date-time formats (with any number of decimals and the offset forms h, hh, hmm,
    /// hhmm, h:mm, hh:mm, Z or none).</summary>
    [GeneratedRegex(@"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+?)?(Z|(([+-])(\d{1,2}):?(\d{2})?))?$", RegexOptions.CultureInvariant)]
    private static partial Regex DateTimeFormat();

    /// <summary>Spec "Offset date-time (plusTime)": a partial date is rounded up as dccDateOfBirth does; a missing time
    /// is midnight; a missing offset is Z; decimals beyond milliseconds are cut (rounding down).</summary>
    /// <exception cref="CertLogicEvaluationException">Not one of the allowed formats, or not a calendar date-time.</exception>
    public static CertLogicDateTime Parse(string text) => RoundUpPartialDate(text) ?? ParseFull(text);

    private static CertLogicDateTime ParseFull(string text)
    {
        if (DateOnlyFormat().IsMatch(text))
            return Make(Int(text, 0, 4), Int(text, 5, 2), Int(text, 8, 2), 0, 0, 0, 0, 0, text);
        var m = DateTimeFormat().Match(text);
        if (!m.Success)
            throw new CertLogicEvaluationException($"not an allowed date or date-time format: {text}");
        var millis = 0;
        if (m.Groups[7].Success)
            millis = int.Parse(m.Groups[7].Value[1..].PadRight(3, '0')[..3], CultureInfo.InvariantCulture);
        var offsetMinutes = 0;
        if (m.Groups[9].Success)
        {
            var hours = int.Parse(m.Groups[11].Value, CultureInfo.InvariantCulture);
            var minutes = m.Groups[12].Success ? int.Parse(m.Groups[12].Value, CultureInfo.InvariantCulture) : 0;
            if (hours > 23 || minutes > 59)
                throw new CertLogicEvaluationException($"not a valid time zone offset: {text}");
            offsetMinutes = (hours * 60 + minutes) * (m.Groups[10].Value == "-" ? -1 : 1);
        }
        static int G(Match m, int i) => int.Parse(m.Groups[i].Value, CultureInfo.InvariantCulture);
        return Make(G(m, 1), G(m, 2), G(m, 3), G(m, 4), G(m, 5), G(m, 6), millis, offsetMinutes, text);
    }

    /// <summary>Spec "DCC Date of birth": YYYY → YYYY-12-31, YYYY-MM → the month's last day, YYYY-MM-DD as plusTime.</summary>
    public static CertLogicDateTime DateOfBirth(string text)
    {
        if (RoundUpPartialDate(text) is { } partial) return partial;
        if (DateOnlyFormat().IsMatch(text)) return ParseFull(text);
        throw new CertLogicEvaluationException($"can't parse \"{text}\" as an EU DCC date-of-birth");
    }

    /// <summary>The latest day (midnight Z) consistent with a partial date YYYY or YYYY-MM; null for other text.</summary>
    private static CertLogicDateTime? RoundUpPartialDate(string text)
    {
        if (YearFormat().IsMatch(text))
            return Make(Int(text, 0, 4), 12, 31, 0, 0, 0, 0, 0, text);
        if (YearMonthFormat().IsMatch(text))
        {
            int year = Int(text, 0, 4), month = Int(text, 5, 2);
            if (month is < 1 or > 12) throw new CertLogicEvaluationException($"not a valid date: {text}");
            // setUTCMonth(month + 1) then setUTCDate(0): the day before the next month's first.
            return new CertLogicDateTime((DaysFromCivil(year, month, 1) + DaysInMonth(year, month) - 1) * MsPerDay);
        }
        return null;
    }

    /// <summary>plusTime's offsetting: <c>dateTime.setUTC&lt;unit&gt;(dateTime.getUTC&lt;unit&gt;() + amount)</c>
    /// (spec table; ECMA-262 MakeDay/MakeTime: month and year overflow roll over, time of day is kept).</summary>
    public CertLogicDateTime Plus(long amount, CertLogicTimeUnit unit)
    {
        if (amount == 0) return this;
        var day = FloorDiv(EpochMilliseconds, MsPerDay);
        var timeOfDay = FloorMod(EpochMilliseconds, MsPerDay);
        long result;
        switch (unit)
        {
            case CertLogicTimeUnit.Day:
                result = checked(EpochMilliseconds + amount * MsPerDay);
                break;
            case CertLogicTimeUnit.Hour:
                result = checked(EpochMilliseconds + amount * MsPerHour);
                break;
            case CertLogicTimeUnit.Month:
            case CertLogicTimeUnit.Year:
            {
                var (y, m, d) = CivilFromDays(day);
                long months = unit == CertLogicTimeUnit.Month ? m - 1 + amount : m - 1;
                long year = unit == CertLogicTimeUnit.Year ? y + amount : y;
                year += FloorDiv(months, 12);
                var month = (int)FloorMod(months, 12) + 1;
                if (Math.Abs(year) > 400_000) throw OutOfRange();
                // MakeDay(year, month, date): the month's first day plus date - 1 (a 31st rolls into the next month).
                result = checked((DaysFromCivil(year, month, 1) + d - 1) * MsPerDay + timeOfDay);
                break;
            }
            default:
                throw new CertLogicEvaluationException($"unknown time unit \"{unit}\"");
        }
        if (Math.Abs(result) > MaxTime) throw OutOfRange();
        return new CertLogicDateTime(result);
    }

    private static CertLogicEvaluationException OutOfRange() => new("date-time out of the representable range");

    private static CertLogicDateTime Make(int year, int month, int day, int hour, int minute, int second, int millis, int offsetMinutes, string text)
    {
        // JavaScript's Date parses "T24:00:00" (end of day) but no other out-of-range field.
        var endOfDay = hour == 24 && minute == 0 && second == 0 && millis == 0;
        if (month is < 1 or > 12 || day < 1 || day > DaysInMonth(year, month) || (hour > 23 && !endOfDay) || minute > 59 || second > 59)
            throw new CertLogicEvaluationException($"not a valid date-time: {text}");
        var ms = DaysFromCivil(year, month, day) * MsPerDay + ((hour * 60L + minute - offsetMinutes) * 60 + second) * 1000 + millis;
        return new CertLogicDateTime(ms);
    }

    private static int Int(string s, int start, int length) => int.Parse(s.AsSpan(start, length), CultureInfo.InvariantCulture);

    private static int DaysInMonth(long year, int month) => month switch
    {
        2 => (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28,
        4 or 6 or 9 or 11 => 30,
        _ => 31,
    };

    /// <summary>Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).</summary>
    private static long DaysFromCivil(long y, int m, int d)
    {
        y -= m <= 2 ? 1 : 0;
        var era = FloorDiv(y, 400);
        var yoe = y - era * 400;
        var doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        var doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
    }

    private static (long Year, int Month, int Day) CivilFromDays(long z)
    {
        z += 719468;
        var era = FloorDiv(z, 146097);
        var doe = z - era * 146097;
        var yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        var y = yoe + era * 400;
        var doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        var mp = (5 * doy + 2) / 153;
        var d = (int)(doy - (153 * mp + 2) / 5 + 1);
        var m = (int)(mp < 10 ? mp + 3 : mp - 9);
        return (m <= 2 ? y + 1 : y, m, d);
    }

    private static long FloorDiv(long a, long b) => a / b - (a % b != 0 && (a < 0) != (b < 0) ? 1 : 0);
    private static long FloorMod(long a, long b) => a - FloorDiv(a, b) * b;
}

/// <summary>plusTime's time units (spec "Offset date-time").</summary>
public enum CertLogicTimeUnit { Year, Month, Day, Hour }
