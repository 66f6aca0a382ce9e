using System.Globalization;
using System.Text.Json.Nodes;
using Vc.Credentials.Contexts;
using Vc.Rules;

namespace Vc.Credentials.Icvp;

/// <summary>
/// When an ICVP dose is valid, as a CertLogic rule (gateway rule format) evaluated on
/// {"payload": {"v": {"tg": disease (ICD-11), "dt": vaccination date}}, "external": {"validationClock": …}}.
/// The shipped rule is IHR (2005) Annex 7 for yellow fever (valid from vaccination + 10 days, for life; other diseases
/// from the day itself) — the one place of that rule; a verifier may supply a stricter one. Immutable.
/// </summary>
public sealed class IcvpValidityRule
{
    /// <summary>How far <see cref="FirstValidDay"/> looks ahead: a dose no rule accepts within this is never valid.</summary>
    public const int HorizonDays = 366;

    private static readonly Lazy<IcvpValidityRule> Shipped = new(() =>
        new IcvpValidityRule(DccRule.FromJson(JsonNode.Parse(BundledContexts.ReadResource("icvp-yellow-fever-rule.json")))));

    public IcvpValidityRule(DccRule rule) => Rule = rule;

    /// <summary>IHR Annex 7 (embedded resource icvp-yellow-fever-rule.json).</summary>
    public static IcvpValidityRule IhrAnnex7 => Shipped.Value;

    public DccRule Rule { get; }

    /// <summary>Whether a dose against <paramref name="disease"/> given on <paramref name="vaccinationDate"/> is valid at
    /// <paramref name="clock"/>; a rule that cannot be evaluated answers no (fail closed).</summary>
    public bool IsValidAt(string? disease, DateOnly vaccinationDate, DateTimeOffset clock)
    {
        var v = new JsonObject { ["dt"] = vaccinationDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) };
        if (disease is not null) v["tg"] = disease;
        var data = new JsonObject
        {
            ["payload"] = new JsonObject { ["v"] = v },
            ["external"] = new JsonObject { ["validationClock"] = clock.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) },
        };
        return Rule.Evaluate(data).Result == true;
    }

    /// <summary>The first day (from midnight UTC) the rule accepts the dose, or null when it accepts it on none of the
    /// <see cref="HorizonDays"/> days from the vaccination date.</summary>
    public DateOnly? FirstValidDay(string? disease, DateOnly vaccinationDate)
    {
        for (var day = 0; day <= HorizonDays; day++)
        {
            var date = vaccinationDate.AddDays(day);
            if (IsValidAt(disease, vaccinationDate, new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)))
                return date;
        }
        return null;
    }
}
