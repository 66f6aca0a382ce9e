using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vc.Credentials.Contexts;
using Vc.Credentials.Icvp;
using Vc.Credentials.Model;
using Vc.Interop.Hcert;
using Vc.Interop.Icvp;
using Vc.Interop.TrustLists;

namespace Vc.Interop.Bridge;

/// <summary>Why a translation was refused.</summary>
public enum BridgeFailure
{
    /// <summary>The input is not a credential / HCERT this bridge translates (type, payload kind).</summary>
    UnsupportedCredential,
    /// <summary>A field the target format cannot carry faithfully, not accepted as an omission by the caller.</summary>
    FieldNotRepresentable,
    /// <summary>The input's content is malformed for its model.</summary>
    InvalidContent,
    /// <summary>The HCERT did not verify; only verified HCERTs are bridged.</summary>
    NotVerified,
}

/// <summary>A refused translation: which field or step, and why.</summary>
public sealed class BridgeException(BridgeFailure failure, string message, IReadOnlyList<string>? fields = null) : Exception($"bridge: {failure}: {message}")
{
    public BridgeFailure Failure { get; } = failure;
    /// <summary>The fields that could not be carried (for <see cref="BridgeFailure.FieldNotRepresentable"/>).</summary>
    public IReadOnlyList<string> Fields { get; } = fields ?? [];
}

/// <summary>An ICVP credential translated to an HCERT: the HC1 string and what was knowingly left out.</summary>
public sealed record BridgedHcert(string Hc1, IcvpCertificate Payload, IReadOnlyList<string> Omitted);

/// <summary>
/// Translates between W3C ICVP credentials and HCERT (-260/-6 ICVP Variant B, -260/1 EU DCC vaccination).
/// Fields one side cannot carry are refused with <see cref="BridgeFailure.FieldNotRepresentable"/> unless the
/// caller names them in <c>acceptOmitted</c>; accepted omissions are returned, never dropped silently.
/// Derivable values (vaccine type and manufacturer from the product catalogue, the yellow-fever lifelong rule)
/// are not omissions.
/// </summary>
public sealed class HcertBridge(IcvpCatalogue? catalogue = null)
{
    /// <summary>Fields of an ICVP credential that HCERT cannot carry and a caller may accept to omit.</summary>
    public static readonly IReadOnlyList<string> OmittableFields =
        ["id", "credentialSubject.id", "credentialStatus", "credentialSchema", "validUntil", "vaccineDetails.catalogueVersion"];

    private readonly IcvpCatalogue _catalogue = catalogue ?? IcvpCatalogue.V1;

    // ---------------------------------------------------------------- VC → HCERT

    /// <summary>The -260/-6 payload of an ICVP credential (verify the credential before bridging it).</summary>
    public (IcvpCertificate Payload, IReadOnlyList<string> Omitted) ToIcvpPayload(JsonObject credential, IReadOnlySet<string>? acceptOmitted = null)
    {
        IcvpCredential icvp;
        try { icvp = IcvpCredential.Read(credential); }
        catch (IcvpValidationException e) { throw new BridgeException(BridgeFailure.UnsupportedCredential, e.Message); }

        var present = new List<string>();
        if (credential["id"] is not null) present.Add("id");
        if (icvp.Holder.Id is not null) present.Add("credentialSubject.id");
        if (credential["credentialStatus"] is not null) present.Add("credentialStatus");
        if (credential["credentialSchema"] is not null) present.Add("credentialSchema");
        if (credential["validUntil"] is not null && icvp.Dose.ValidUntil is null) present.Add("validUntil");
        if (icvp.CatalogueVersion is { } v && v != _catalogue.Version) present.Add("vaccineDetails.catalogueVersion");
        var subject = (JsonObject)credential["credentialSubject"]!;
        var details = (JsonObject)subject["vaccineDetails"]!;
        var unknown = subject.Select(p => p.Key).Where(k => !SubjectFields.Contains(k)).Select(k => "credentialSubject." + k)
            .Concat(details.Select(p => p.Key).Where(k => !DetailFields.Contains(k)).Select(k => "vaccineDetails." + k)).ToList();
        var product = _catalogue.FindProduct(icvp.Dose.ProductId);
        if (icvp.Dose.VaccineType is { } vt && product?.VaccineType != vt) unknown.Add("vaccineDetails.vaccineType");
        if (unknown.Count > 0)
            throw new BridgeException(BridgeFailure.FieldNotRepresentable,
                $"HCERT -260/-6 cannot carry {string.Join(", ", unknown)}", unknown);
        var refused = present.Where(f => acceptOmitted?.Contains(f) != true).ToArray();
        if (refused.Length > 0)
            throw new BridgeException(BridgeFailure.FieldNotRepresentable,
                $"HCERT -260/-6 cannot carry {string.Join(", ", refused)}; accept omitting them explicitly to bridge anyway", refused);

        var payload = new IcvpCertificate
        {
            Name = icvp.Holder.Name,
            DateOfBirth = icvp.Holder.Dob,
            Sex = icvp.Holder.Sex,
            Nationality = icvp.Holder.Nationality,
            NationalId = icvp.Holder.Nid,
            NationalIdDocumentType = icvp.Holder.Ndt,
            Guardian = icvp.Holder.Guardian,
            Vaccination = new IcvpVaccination
            {
                ProductId = product?.Code ?? icvp.Dose.ProductId,
                Disease = _catalogue.FindDisease(icvp.Dose.Disease)?.Code ?? icvp.Dose.Disease,
                Date = Iso(icvp.Dose.Date),
                BatchNo = icvp.Dose.BatchNo,
                ValidFrom = Iso(icvp.ValidFrom),
                ValidUntil = icvp.Dose.ValidUntil is { } end ? Iso(end) : null,
                ClinicianName = icvp.Dose.ClinicianName,
                Issuer = icvp.Dose.Issuer,
                // Written only when they differ from the catalogue's values for the product (derivable otherwise).
                Manufacturer = details["manufacturer"]?.ToString() is { } ma && ma != product?.Manufacturer ? ma : null,
                ManufacturerId = details["manufacturerId"]?.ToString() is { } mid && mid != product?.ManufacturerId ? mid : null,
                DoseNumber = icvp.Dose.DoseNumber,
            },
        };
        return (payload, present);
    }

    /// <summary>Signs the ICVP credential's content as an HCERT with the issuer's DSC.</summary>
    public BridgedHcert ToHcert(JsonObject credential, HcertSigner signer, DateTimeOffset issuedAt, IReadOnlySet<string>? acceptOmitted = null)
    {
        var (payload, omitted) = ToIcvpPayload(credential, acceptOmitted);
        // The CWT issuer is the signing country (the DSC's C); lifelong validity stays in the payload (no exp).
        var country = signer.Dsc.SubjectName.EnumerateRelativeDistinguishedNames()
            .FirstOrDefault(r => r.GetSingleElementType().Value == "2.5.4.6")?.GetSingleElementValue();
        return new BridgedHcert(signer.SignIcvp(payload, country, issuedAt), payload, omitted);
    }

    // ---------------------------------------------------------------- HCERT → VC

    /// <summary>
    /// An unsigned credential, issued by <paramref name="bridgeIssuer"/>, carrying a verified HCERT's content
    /// and, as evidence, the original HC1 string and the trust-list entry it was verified against, so anyone
    /// can re-verify the original signature offline.
    /// </summary>
    public JsonObject ToCredential(HcertVerificationResult verified, string hc1, string bridgeIssuer, IReadOnlySet<string>? acceptOmitted = null)
    {
        if (!verified.IsValid || verified.Signer is not { } signer)
            throw new BridgeException(BridgeFailure.NotVerified, $"the HCERT did not verify ({verified.Outcome}: {verified.Reason})");
        var evidence = Evidence(verified, hc1, signer);
        var validFrom = verified.Claims?.IssuedAtTime ?? verified.Clock;
        return verified.PayloadType switch
        {
            HcertPayloadType.Icvp when verified.Icvp is { } icvp => IcvpCredentialFrom(icvp, bridgeIssuer, evidence, acceptOmitted),
            HcertPayloadType.EuDcc when verified.EuDcc is { } dcc => DccCredentialFrom(dcc, bridgeIssuer, evidence, validFrom, verified.Claims?.ExpirationTime),
            _ => throw new BridgeException(BridgeFailure.UnsupportedCredential, $"HCERT payload {verified.PayloadType} is not bridged (ICVP -260/-6 and EU DCC vaccinations are)"),
        };
    }

    /// <summary>The -260/1 EU DCC JSON of an EUDCCVaccinationCredential (for HCERT → VC → HCERT).</summary>
    public static JsonElement DccPayload(JsonObject credential)
    {
        if (!DataModelTypes(credential).Contains("EUDCCVaccinationCredential") || credential["credentialSubject"]?["dcc"] is not JsonObject dcc)
            throw new BridgeException(BridgeFailure.UnsupportedCredential, "not an EUDCCVaccinationCredential with a dcc payload");
        return JsonSerializer.SerializeToElement(dcc);
    }

    private JsonObject IcvpCredentialFrom(IcvpCertificate icvp, string issuer, JsonObject evidence, IReadOnlySet<string>? acceptOmitted)
    {
        var v = icvp.Vaccination;
        var notCarried = new List<string>();
        if (v.TradeItem is not null) notCarried.Add("v.mp");
        if (icvp.TemplateVersion is not null) notCarried.Add("v (template version)");
        var refused = notCarried.Where(f => acceptOmitted?.Contains(f) != true).ToArray();
        if (refused.Length > 0)
            throw new BridgeException(BridgeFailure.FieldNotRepresentable, $"the ICVP credential has no field for {string.Join(", ", refused)}", refused);
        var product = _catalogue.FindProduct(v.ProductId);
        var disease = _catalogue.FindDisease(v.Disease ?? product?.Disease);
        if (!DateOnly.TryParseExact(v.Date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            throw new BridgeException(BridgeFailure.InvalidContent, $"vaccination date '{v.Date}' is not YYYY-MM-DD");
        var yellowFever = disease?.Code == IcvpCatalogue.YellowFever;
        var start = v.ValidFrom ?? Iso(IcvpCatalogue.ValidFrom(disease?.Code, date));

        var validity = new JsonObject { ["start"] = start };
        if (v.ValidUntil is { } end) validity["end"] = end;
        else if (yellowFever) validity["lifelong"] = true;
        var details = new JsonObject
        {
            ["type"] = "ICVPVaccineDetails",
            ["productID"] = v.ProductId,
            ["catalogueVersion"] = _catalogue.Version,
            ["disease"] = disease?.Code ?? v.Disease,
        };
        if (product?.VaccineType is { } vt) details["vaccineType"] = vt;
        details["date"] = v.Date;
        if (v.DoseNumber is { } dn) details["doseNumber"] = dn;
        if (v.ClinicianName is not null) details["clinicianName"] = v.ClinicianName;
        if (v.Issuer is not null) details["issuer"] = v.Issuer;
        if ((v.Manufacturer ?? product?.Manufacturer) is { } ma) details["manufacturer"] = ma;
        if ((v.ManufacturerId ?? product?.ManufacturerId) is { } mid) details["manufacturerId"] = mid;
        if (v.BatchNo is null) throw new BridgeException(BridgeFailure.InvalidContent, "the ICVP dose has no batch number (bo)");
        details["batchNo"] = v.BatchNo;
        details["validityPeriod"] = validity;

        var subject = new JsonObject { ["type"] = "ICVPHolder", ["name"] = icvp.Name, ["dob"] = icvp.DateOfBirth };
        if (icvp.Sex is not null) subject["sex"] = icvp.Sex;
        if (icvp.Nationality is not null) subject["nationality"] = icvp.Nationality;
        if (icvp.NationalId is not null) subject["nid"] = icvp.NationalId;
        if (icvp.NationalIdDocumentType is not null) subject["ndt"] = icvp.NationalIdDocumentType;
        if (icvp.Guardian is not null) subject["guardian"] = icvp.Guardian;
        subject["vaccineDetails"] = details;

        var vc = new JsonObject
        {
            ["@context"] = new JsonArray(DataModel.CredentialsV2Context, BundledContexts.IcvpV1Url, BridgeContext.Url),
            ["type"] = new JsonArray("VerifiableCredential", IcvpCredentialBuilder.CredentialType),
            ["issuer"] = issuer,
            ["validFrom"] = start + "T00:00:00Z",
        };
        if (v.ValidUntil is { } until) vc["validUntil"] = until + "T23:59:59Z";
        vc["credentialSubject"] = subject;
        vc["evidence"] = new JsonArray(evidence);
        return vc;
    }

    private static JsonObject DccCredentialFrom(JsonElement dcc, string issuer, JsonObject evidence, DateTimeOffset validFrom, DateTimeOffset? validUntil)
    {
        if (!dcc.TryGetProperty("v", out var v) || v.ValueKind != JsonValueKind.Array || v.GetArrayLength() == 0)
            throw new BridgeException(BridgeFailure.UnsupportedCredential, "only EU DCC vaccination certificates (v) are bridged, not tests or recoveries");
        var vc = new JsonObject
        {
            ["@context"] = new JsonArray(DataModel.CredentialsV2Context, BridgeContext.Url),
            ["type"] = new JsonArray("VerifiableCredential", "EUDCCVaccinationCredential"),
            ["issuer"] = issuer,
            ["validFrom"] = validFrom.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        };
        if (validUntil is { } until) vc["validUntil"] = until.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        // The DCC travels whole as an rdf:JSON literal: nothing is reinterpreted, so HCERT → VC → HCERT is exact.
        vc["credentialSubject"] = new JsonObject { ["dcc"] = JsonNode.Parse(dcc.GetRawText()) };
        vc["evidence"] = new JsonArray(evidence);
        return vc;
    }

    private static JsonObject Evidence(HcertVerificationResult verified, string hc1, TrustEntry signer) => new()
    {
        ["type"] = "HcertEvidence",
        ["hc1"] = hc1,
        ["payloadType"] = verified.PayloadType.ToString(),
        ["dscKid"] = Convert.ToBase64String(signer.Kid),
        ["dscCountry"] = signer.Country,
        ["dscThumbprint"] = signer.Thumbprint,
        ["trustSource"] = signer.Source.ToString(),
        ["verifiedAt"] = verified.Clock.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
    };

    private static readonly HashSet<string> SubjectFields = ["id", "type", "name", "dob", "sex", "nationality", "nid", "ndt", "guardian", "vaccineDetails"];
    private static readonly HashSet<string> DetailFields = ["type", "productID", "catalogueVersion", "disease", "vaccineType", "date", "doseNumber",
        "clinicianName", "issuer", "manufacturer", "manufacturerId", "batchNo", "validityPeriod"];

    private static IEnumerable<string> DataModelTypes(JsonObject credential) => credential["type"] switch
    {
        JsonArray a => a.Select(t => t?.ToString() ?? ""),
        JsonNode n => [n.ToString()],
        _ => [],
    };

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
