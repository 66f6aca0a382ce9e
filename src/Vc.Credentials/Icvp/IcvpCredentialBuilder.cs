using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Vc.Credentials.Contexts;
using Vc.Credentials.Json;
using Vc.Credentials.Model;
using Vc.Credentials.StatusList;

namespace Vc.Credentials.Icvp;

/// <summary>The ICVP holder (smart-icvp logical model ICVP: name, dob, sex, nationality, nid, guardian).</summary>
/// <param name="Name">Full name (1..1).</param>
/// <param name="Dob">Date of birth, ISO 8601 (YYYY, YYYY-MM or YYYY-MM-DD) (1..1).</param>
public sealed record IcvpHolder(string Name, string Dob)
{
    /// <summary>Holder DID (credentialSubject.id), for holder binding in presentations.</summary>
    public string? Id { get; init; }
    /// <summary>male, female, other or unknown.</summary>
    public string? Sex { get; init; }
    /// <summary>ISO 3166-1 alpha-3.</summary>
    public string? Nationality { get; init; }
    /// <summary>National identifier (e.g. passport number).</summary>
    public string? Nid { get; init; }
    /// <summary>Type of the identifier document (HL7 v2-0203, e.g. PPN).</summary>
    public string? Ndt { get; init; }
    /// <summary>Parent or guardian (minors).</summary>
    public string? Guardian { get; init; }
}

/// <summary>One dose (smart-icvp ICVPVaccineDetails). One credential carries exactly one dose.</summary>
/// <param name="ProductId">WHO prequalified product ID (ICVPProductIds).</param>
/// <param name="Disease">ICD-11 disease code (1D47 yellow fever, 1C81 poliomyelitis).</param>
/// <param name="Date">Vaccination date.</param>
/// <param name="BatchNo">Batch number (required).</param>
public sealed record IcvpDose(string ProductId, string Disease, DateOnly Date, string BatchNo)
{
    /// <summary>Clinician name (this or <see cref="Issuer"/> is required).</summary>
    public string? ClinicianName { get; init; }
    /// <summary>The GDHCN participant that issued the vaccination record (this or <see cref="ClinicianName"/> is required).</summary>
    public string? Issuer { get; init; }
    /// <summary>ICD-11 vaccine code; defaults to the product's.</summary>
    public string? VaccineType { get; init; }
    /// <summary>Dose number in the series.</summary>
    public int? DoseNumber { get; init; }
    /// <summary>End of validity for diseases without a lifelong rule (never used for yellow fever).</summary>
    public DateOnly? ValidUntil { get; init; }
}

/// <summary>One field the ICVP builder refused, and why.</summary>
public sealed record IcvpFieldError(string Field, string Problem);

/// <summary>The ICVP input violates the logical model or the catalogue.</summary>
public sealed class IcvpValidationException(IReadOnlyList<IcvpFieldError> errors)
    : Exception("Invalid ICVP data: " + string.Join("; ", errors.Select(e => $"{e.Field}: {e.Problem}")))
{
    /// <summary>Every refused field.</summary>
    public IReadOnlyList<IcvpFieldError> Errors { get; } = errors;
}

/// <summary>
/// Builds unsigned ICVPCredential documents: validates required fields and codes against the versioned
/// catalogue and applies the yellow-fever rule (IHR Annex 7: valid from vaccination + 10 days, for life).
/// </summary>
public sealed partial class IcvpCredentialBuilder(IcvpCatalogue? catalogue = null, TimeProvider? time = null)
{
    /// <summary>The credential type.</summary>
    public const string CredentialType = "ICVPCredential";

    private readonly IcvpCatalogue _catalogue = catalogue ?? IcvpCatalogue.V1;
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>The catalogue used for code validation.</summary>
    public IcvpCatalogue Catalogue => _catalogue;


    /// <summary>
    /// The unsigned credential for one dose. <paramref name="issuer"/> is the signing issuer's DID;
    /// <paramref name="status"/> adds a Bitstring Status List entry.
    /// </summary>
    /// <exception cref="IcvpValidationException">Every violated field, at once.</exception>
    public JsonObject Build(IcvpHolder holder, IcvpDose dose, string issuer, string? credentialId = null, StatusListEntry? status = null)
    {
        ArgumentNullException.ThrowIfNull(holder);
        ArgumentNullException.ThrowIfNull(dose);
        var errors = new List<IcvpFieldError>();
        void Require(bool ok, string field, string problem) { if (!ok) errors.Add(new IcvpFieldError(field, problem)); }

        Require(JsonInput.IsUrl(issuer), "issuer", "must be the issuer's DID or URL");
        Require(credentialId is null || JsonInput.IsUrl(credentialId), "id", "must be a URL (e.g. urn:uuid:…)");
        Require(!string.IsNullOrWhiteSpace(holder.Name) && holder.Name.Length <= 200, "name", "is required (1..1), at most 200 characters");
        Require(PartialDate().IsMatch(holder.Dob ?? "") && ParseableDob(holder.Dob!), "dob", "is required as YYYY, YYYY-MM or YYYY-MM-DD");
        Require(holder.Sex is null or "male" or "female" or "other" or "unknown", "sex", "must be male, female, other or unknown");
        Require(holder.Nationality is null || Alpha3().IsMatch(holder.Nationality), "nationality", "must be ISO 3166-1 alpha-3 (e.g. KEN)");
        Require(holder.Ndt is null || holder.Nid is not null, "ndt", "needs nid");
        Require(holder.Id is null || JsonInput.IsUrl(holder.Id), "credentialSubject.id", "must be a URL (the holder's DID)");

        var product = _catalogue.FindProduct(dose.ProductId);
        var disease = _catalogue.FindDisease(dose.Disease);
        Require(product is not null, "vaccineDetails.productID", $"'{dose.ProductId}' is not in ICVP catalogue {_catalogue.Version}");
        Require(disease is not null, "vaccineDetails.disease", $"'{dose.Disease}' is not an ICVP disease (ICD-11 {string.Join(", ", _catalogue.Diseases.Select(d => d.Code))})");
        if (product is not null && disease is not null)
            Require(product.Disease == disease.Code, "vaccineDetails.disease", $"product {product.TradeName} does not protect against {disease.Code}");
        var vaccineType = dose.VaccineType ?? product?.VaccineType;
        if (dose.VaccineType is not null)
            Require(_catalogue.FindVaccineType(dose.VaccineType) is not null, "vaccineDetails.vaccineType", $"'{dose.VaccineType}' is not an ICVP vaccine code");
        Require(!string.IsNullOrWhiteSpace(dose.BatchNo) && dose.BatchNo.Length <= 100, "vaccineDetails.batchNo", "is required");
        Require(!string.IsNullOrWhiteSpace(dose.ClinicianName) || !string.IsNullOrWhiteSpace(dose.Issuer), "vaccineDetails", "issuer or clinicianName must be present");
        var today = DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);
        Require(dose.Date <= today, "vaccineDetails.date", "is in the future");
        if (DateOnly.TryParseExact(holder.Dob, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var dob))
            Require(dose.Date >= dob, "vaccineDetails.date", "is before the date of birth");
        Require(dose.DoseNumber is null or > 0, "vaccineDetails.doseNumber", "must be positive");
        var yellowFever = disease?.Code == IcvpCatalogue.YellowFever;
        Require(!(yellowFever && dose.ValidUntil is not null), "vaccineDetails.validityPeriod.end", "a yellow fever dose is valid for life (IHR Annex 7)");
        Require(dose.ValidUntil is null || dose.ValidUntil > dose.Date, "vaccineDetails.validityPeriod.end", "must be after the vaccination date");
        if (errors.Count > 0) throw new IcvpValidationException(errors);

        var start = IcvpCatalogue.ValidFrom(disease!.Code, dose.Date);
        var validity = new JsonObject { ["start"] = Iso(start) };
        if (yellowFever) validity["lifelong"] = true;
        else if (dose.ValidUntil is { } end) validity["end"] = Iso(end);

        var details = new JsonObject
        {
            ["type"] = "ICVPVaccineDetails",
            ["productID"] = product!.Code,
            ["catalogueVersion"] = _catalogue.Version,
            ["disease"] = disease!.Code,
            ["vaccineType"] = vaccineType,
            ["date"] = Iso(dose.Date),
        };
        if (dose.DoseNumber is { } n) details["doseNumber"] = n;
        if (!string.IsNullOrWhiteSpace(dose.ClinicianName)) details["clinicianName"] = dose.ClinicianName;
        if (!string.IsNullOrWhiteSpace(dose.Issuer)) details["issuer"] = dose.Issuer;
        details["manufacturer"] = product.Manufacturer;
        if (product.ManufacturerId is not null) details["manufacturerId"] = product.ManufacturerId;
        details["batchNo"] = dose.BatchNo;
        details["validityPeriod"] = validity;

        var subject = new JsonObject();
        if (holder.Id is not null) subject["id"] = holder.Id;
        subject["type"] = "ICVPHolder";
        subject["name"] = holder.Name;
        subject["dob"] = holder.Dob;
        if (holder.Sex is not null) subject["sex"] = holder.Sex;
        if (holder.Nationality is not null) subject["nationality"] = holder.Nationality;
        if (holder.Nid is not null) subject["nid"] = holder.Nid;
        if (holder.Ndt is not null) subject["ndt"] = holder.Ndt;
        if (holder.Guardian is not null) subject["guardian"] = holder.Guardian;
        subject["vaccineDetails"] = details;

        var vc = new JsonObject { ["@context"] = new JsonArray(DataModel.CredentialsV2Context, BundledContexts.IcvpV1Url) };
        if (credentialId is not null) vc["id"] = credentialId;
        vc["type"] = new JsonArray("VerifiableCredential", CredentialType);
        vc["issuer"] = issuer;
        // Lifelong yellow-fever validity lives in the credential (no validUntil), not in an envelope expiry.
        vc["validFrom"] = Iso(start) + "T00:00:00Z";
        if (!yellowFever && dose.ValidUntil is { } until) vc["validUntil"] = Iso(until) + "T23:59:59Z";
        vc["credentialSubject"] = subject;
        if (status is not null) vc["credentialStatus"] = status.ToJson();
        return vc;
    }

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static bool ParseableDob(string dob) => dob.Length switch
    {
        4 => true,
        7 => DateOnly.TryParseExact(dob + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
        _ => DateOnly.TryParseExact(dob, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
    };

    [GeneratedRegex("^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$")]
    private static partial Regex PartialDate();

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex Alpha3();
}
