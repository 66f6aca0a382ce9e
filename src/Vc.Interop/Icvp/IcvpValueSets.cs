using System.Collections.Frozen;
using System.Text.Json;

namespace Vc.Interop.Icvp;

/// <summary>ICVP value sets shipped with the library (WHO smart-icvp ICVPProductIds and DiseaseTargeted;
/// data, not code, because the upstream catalogue is changing its ids).</summary>
public sealed class IcvpValueSets
{
    /// <summary>ICD-11 1D47 yellow fever.</summary>
    public const string YellowFever = "1D47";

    public IcvpValueSets()
    {
        ProductIds = Load("icvp-product-ids.json");
        Diseases = Load("icvp-diseases.json");
    }

    public FrozenSet<string> ProductIds { get; }
    public FrozenSet<string> Diseases { get; }

    public IReadOnlyList<string> Check(IcvpCertificate icvp)
    {
        var problems = new List<string>();
        if (!ProductIds.Contains(icvp.Vaccination.ProductId))
            problems.Add($"v.vp '{icvp.Vaccination.ProductId}' is not in ICVPProductIds");
        if (icvp.Vaccination.Disease is { } tg && !Diseases.Contains(tg) && tg != YellowFever)
            problems.Add($"v.tg '{tg}' is not in DiseaseTargeted");
        return problems;
    }

    private static FrozenSet<string> Load(string file)
    {
        using var doc = JsonDocument.Parse(EmbeddedData.Read("icvp", file));
        return doc.RootElement.GetProperty("values").EnumerateObject().Select(p => p.Name).ToFrozenSet();
    }
}
