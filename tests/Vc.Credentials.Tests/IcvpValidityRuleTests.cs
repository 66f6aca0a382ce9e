using System.Text.Json.Nodes;
using Vc.Credentials.Icvp;
using Vc.Rules;

namespace Vc.Credentials.Tests;

/// <summary>The yellow-fever validity (IHR Annex 7) as the shipped CertLogic rule, and a caller's stricter rule.</summary>
public sealed class IcvpValidityRuleTests
{
    private static readonly DateOnly Vaccinated = new(2026, 3, 1);

    private static DateTimeOffset Day(int n) => new(Vaccinated.AddDays(n).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    [Fact]
    public void Yellow_fever_is_not_valid_on_day_5_and_valid_from_day_10_for_life()
    {
        var rule = IcvpValidityRule.IhrAnnex7;
        Assert.False(rule.IsValidAt(IcvpCatalogue.YellowFever, Vaccinated, Day(0)));
        Assert.False(rule.IsValidAt(IcvpCatalogue.YellowFever, Vaccinated, Day(5)));
        Assert.False(rule.IsValidAt(IcvpCatalogue.YellowFever, Vaccinated, Day(10).AddTicks(-1)));
        Assert.True(rule.IsValidAt(IcvpCatalogue.YellowFever, Vaccinated, Day(10)));
        Assert.True(rule.IsValidAt(IcvpCatalogue.YellowFever, Vaccinated, Day(365 * 60)));
        Assert.Equal(Vaccinated.AddDays(10), IcvpCatalogue.ValidFrom(IcvpCatalogue.YellowFever, Vaccinated));
    }

    [Fact]
    public void Other_diseases_are_valid_from_the_day_itself()
    {
        Assert.Equal(Vaccinated, IcvpCatalogue.ValidFrom("1C81", Vaccinated));
        Assert.True(IcvpValidityRule.IhrAnnex7.IsValidAt("1C81", Vaccinated, Day(0)));
    }

    [Fact]
    public void The_shipped_rule_is_a_valid_gateway_rule_in_certlogic()
    {
        var rule = IcvpValidityRule.IhrAnnex7.Rule;
        Assert.Empty(DccRule.Validate(rule.Json));
        Assert.Contains("IHR (2005) Annex 7", rule.Description);
    }

    [Fact]
    public void A_stricter_rule_supplied_by_the_caller_is_applied()
    {
        var json = IcvpValidityRule.IhrAnnex7.Rule.Json.DeepClone().AsObject();
        json["Logic"]!["and"]![1]!["if"]![1]!["not-before"]![1]!["plusTime"]![1] = 14;
        var strict = new IcvpValidityRule(DccRule.FromJson(json));
        Assert.False(strict.IsValidAt(IcvpCatalogue.YellowFever, Vaccinated, Day(12)));
        Assert.Equal(Vaccinated.AddDays(14), IcvpCatalogue.ValidFrom(IcvpCatalogue.YellowFever, Vaccinated, strict));
    }

    [Fact]
    public void A_rule_that_never_accepts_gives_no_valid_day()
    {
        var json = IcvpValidityRule.IhrAnnex7.Rule.Json.DeepClone().AsObject();
        json["Logic"] = JsonNode.Parse("""{"===": [{"var": "payload.v.tg"}, "none"]}""");
        var never = new IcvpValidityRule(DccRule.FromJson(json));
        Assert.Null(never.FirstValidDay(IcvpCatalogue.YellowFever, Vaccinated));
        Assert.Equal(DateOnly.MaxValue, IcvpCatalogue.ValidFrom(IcvpCatalogue.YellowFever, Vaccinated, never));
    }
}
