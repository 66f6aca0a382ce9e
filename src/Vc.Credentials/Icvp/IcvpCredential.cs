using System.Globalization;
using System.Text.Json.Nodes;
using Vc.Credentials.Json;

namespace Vc.Credentials.Icvp;

/// <summary>An ICVP credential read back into the logical model (e.g. for the HCERT bridge or a border display).</summary>
/// <param name="Issuer">The credential issuer (signing DID).</param>
/// <param name="Holder">The holder fields.</param>
/// <param name="Dose">The one dose the credential carries.</param>
/// <param name="ValidFrom">First day of validity.</param>
/// <param name="Lifelong">True for yellow fever (IHR Annex 7).</param>
/// <param name="CatalogueVersion">The catalogue version the codes were checked against at issuance.</param>
public sealed record IcvpCredential(string Issuer, IcvpHolder Holder, IcvpDose Dose, DateOnly ValidFrom, bool Lifelong, string? CatalogueVersion)
{
    /// <summary>Reads an ICVPCredential (verify it first; this only maps fields).</summary>
    /// <exception cref="IcvpValidationException">The document is not an ICVP credential of this shape.</exception>
    public static IcvpCredential Read(JsonObject credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        var errors = new List<IcvpFieldError>();
        if (!JsonInput.Strings(credential["type"]).Contains(IcvpCredentialBuilder.CredentialType))
            errors.Add(new("type", "is not an ICVPCredential"));
        var subject = credential["credentialSubject"] as JsonObject;
        var details = subject?["vaccineDetails"] as JsonObject;
        var validity = details?["validityPeriod"] as JsonObject;
        if (subject is null || details is null || validity is null)
        {
            errors.Add(new("credentialSubject", "needs one object with vaccineDetails and validityPeriod"));
            throw new IcvpValidationException(errors);
        }
        DateOnly Date(JsonObject o, string name, string field)
        {
            if (DateOnly.TryParseExact(o.GetString(name), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
            errors.Add(new(field, "is not a YYYY-MM-DD date"));
            return default;
        }
        var name = subject.GetString("name");
        var dob = subject.GetString("dob");
        var productId = details.GetString("productID");
        var disease = details.GetString("disease");
        var batch = details.GetString("batchNo");
        if (name is null) errors.Add(new("name", "is missing"));
        if (dob is null) errors.Add(new("dob", "is missing"));
        if (productId is null) errors.Add(new("vaccineDetails.productID", "is missing"));
        if (disease is null) errors.Add(new("vaccineDetails.disease", "is missing"));
        if (batch is null) errors.Add(new("vaccineDetails.batchNo", "is missing"));
        var date = Date(details, "date", "vaccineDetails.date");
        var start = Date(validity, "start", "vaccineDetails.validityPeriod.start");
        DateOnly? end = validity["end"] is null ? null : Date(validity, "end", "vaccineDetails.validityPeriod.end");
        int? dose = details["doseNumber"] is JsonValue v && v.TryGetValue<int>(out var n) ? n : null;
        var lifelong = validity["lifelong"] is JsonValue l && l.TryGetValue<bool>(out var b) && b;
        if (errors.Count > 0) throw new IcvpValidationException(errors);

        var holder = new IcvpHolder(name!, dob!)
        {
            Id = subject.GetString("id"), Sex = subject.GetString("sex"), Nationality = subject.GetString("nationality"),
            Nid = subject.GetString("nid"), Ndt = subject.GetString("ndt"), Guardian = subject.GetString("guardian"),
        };
        var icvpDose = new IcvpDose(productId!, disease!, date, batch!)
        {
            ClinicianName = details.GetString("clinicianName"), Issuer = details.GetString("issuer"),
            VaccineType = details.GetString("vaccineType"), DoseNumber = dose, ValidUntil = end,
        };
        return new IcvpCredential(Model.DataModel.IssuerId(credential) ?? "", holder, icvpDose, start, lifelong, details.GetString("catalogueVersion"));
    }
}
