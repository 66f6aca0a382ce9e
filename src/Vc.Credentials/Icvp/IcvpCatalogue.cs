using System.Text.Json;
using System.Text.Json.Serialization;
using Vc.Credentials.Contexts;

namespace Vc.Credentials.Icvp;

/// <summary>A coded concept (ICD-11 disease or vaccine code).</summary>
public sealed record IcvpCode(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("display")] string Display);

/// <summary>A WHO-prequalified product allowed on an ICVP (value set ICVPProductIds).</summary>
public sealed record IcvpProduct(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("vaccineTypeName")] string VaccineTypeName,
    [property: JsonPropertyName("tradeName")] string TradeName,
    [property: JsonPropertyName("presentation")] string Presentation,
    [property: JsonPropertyName("doses")] int Doses,
    [property: JsonPropertyName("manufacturer")] string Manufacturer,
    [property: JsonPropertyName("manufacturerId")] string? ManufacturerId,
    [property: JsonPropertyName("prequalified")] string Prequalified,
    [property: JsonPropertyName("disease")] string Disease,
    [property: JsonPropertyName("vaccineType")] string VaccineType);

/// <summary>
/// The versioned ICVP code catalogue (diseases, targeted diseases, vaccine codes, products), the one list of ICVP
/// codes for issuing credentials and checking HCERTs, shipped as data
/// (Resources/icvp-catalogue-v1.json, generated from WHO smart-icvp): product IDs change upstream, so
/// a new upstream list becomes a new catalogue version, not a code change.
/// </summary>
public sealed record IcvpCatalogue(
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("productSystem")] string ProductSystem,
    [property: JsonPropertyName("icd11System")] string Icd11System,
    [property: JsonPropertyName("diseases")] IReadOnlyList<IcvpCode> Diseases,
    [property: JsonPropertyName("diseasesTargeted")] IReadOnlyList<IcvpCode> DiseasesTargeted,
    [property: JsonPropertyName("vaccineTypes")] IReadOnlyList<IcvpCode> VaccineTypes,
    [property: JsonPropertyName("products")] IReadOnlyList<IcvpProduct> Products)
{
    /// <summary>ICD-11 yellow fever.</summary>
    public const string YellowFever = "1D47";

    /// <summary>The first day a dose against <paramref name="disease"/> (ICD-11 code) given on
    /// <paramref name="vaccinationDate"/> is valid under <paramref name="rule"/> (default: the shipped IHR Annex 7
    /// CertLogic rule, <see cref="IcvpValidityRule.IhrAnnex7"/>); <see cref="DateOnly.MaxValue"/> when the rule never
    /// accepts it.</summary>
    public static DateOnly ValidFrom(string? disease, DateOnly vaccinationDate, IcvpValidityRule? rule = null) =>
        (rule ?? IcvpValidityRule.IhrAnnex7).FirstValidDay(disease, vaccinationDate) ?? DateOnly.MaxValue;

    private static readonly Lazy<IcvpCatalogue> V1Instance = new(() => Load(BundledContexts.ReadResource("icvp-catalogue-v1.json")));

    /// <summary>Catalogue v1 shipped with the library.</summary>
    public static IcvpCatalogue V1 => V1Instance.Value;

    /// <summary>Loads a catalogue from its JSON.</summary>
    /// <exception cref="InvalidDataException">The JSON is not a catalogue.</exception>
    public static IcvpCatalogue Load(ReadOnlySpan<byte> json)
    {
        try
        {
            var c = JsonSerializer.Deserialize<IcvpCatalogue>(json) ?? throw new InvalidDataException("Empty catalogue.");
            if (c.Products is null || c.Diseases is null || c.DiseasesTargeted is null || c.VaccineTypes is null || string.IsNullOrEmpty(c.Version))
                throw new InvalidDataException("The catalogue lacks version, diseases, diseasesTargeted, vaccineTypes or products.");
            return c;
        }
        catch (JsonException e) { throw new InvalidDataException("The catalogue is not valid JSON: " + e.Message, e); }
    }

    /// <summary>A product by code, also accepting "system#code" and "system|code".</summary>
    public IcvpProduct? FindProduct(string? productId) => Strip(productId, ProductSystem) is { } code ? Products.FirstOrDefault(p => p.Code == code) : null;

    /// <summary>A disease code (bare ICD-11 code or system#code) this catalogue has products for.</summary>
    public IcvpCode? FindDisease(string? disease) => Strip(disease, Icd11System) is { } code ? Diseases.FirstOrDefault(d => d.Code == code) : null;

    /// <summary>An ICVP vaccine code (ICD-11 extension code).</summary>
    public IcvpCode? FindVaccineType(string? vaccineType) => Strip(vaccineType, Icd11System) is { } code ? VaccineTypes.FirstOrDefault(d => d.Code == code) : null;

    private static string? Strip(string? value, string system)
    {
        if (string.IsNullOrEmpty(value)) return null;
        foreach (var sep in new[] { "#", "|" })
            if (value.StartsWith(system + sep, StringComparison.Ordinal)) return value[(system.Length + 1)..];
        return value;
    }
}
