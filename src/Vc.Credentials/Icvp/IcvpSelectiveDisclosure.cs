using System.Text.Json.Nodes;
using Vc.Credentials.Json;

namespace Vc.Credentials.Icvp;

/// <summary>
/// The ICVP profile of ecdsa-sd-2023, in one place: what every derived ICVP credential discloses (mandatory: issuer,
/// type, validity dates, status, the disease, the vaccine and the vaccination date) and what the holder chooses to
/// disclose (name, date of birth, identifiers, batch, clinician).
/// </summary>
public static class IcvpSelectiveDisclosure
{
    private const string Details = "/credentialSubject/vaccineDetails";

    /// <summary>The mandatory pointers of the profile (each used when the credential has it).</summary>
    public static IReadOnlyList<string> Mandatory { get; } =
    [
        "/issuer", "/type", "/validFrom", "/validUntil", "/credentialStatus",
        Details + "/disease", Details + "/vaccineType", Details + "/productID", Details + "/catalogueVersion",
        Details + "/manufacturer", Details + "/manufacturerId", Details + "/date", Details + "/doseNumber", Details + "/validityPeriod",
    ];

    /// <summary>The selectively disclosable pointers of the profile (each offered when the credential has it).</summary>
    public static IReadOnlyList<string> Disclosable { get; } =
    [
        "/credentialSubject/id", "/credentialSubject/name", "/credentialSubject/dob", "/credentialSubject/sex",
        "/credentialSubject/nationality", "/credentialSubject/nid", "/credentialSubject/ndt", "/credentialSubject/guardian",
        Details + "/batchNo", Details + "/clinicianName", Details + "/issuer",
    ];

    /// <summary>Whether the credential is an ICVP credential (the profile applies).</summary>
    public static bool IsIcvp(JsonObject credential) =>
        JsonInput.Strings(credential["type"]).Contains(IcvpCredentialBuilder.CredentialType);

    /// <summary>The profile's mandatory pointers that name something in <paramref name="credential"/>.</summary>
    public static IReadOnlyList<string> MandatoryPointers(JsonObject credential) => Present(credential, Mandatory);

    /// <summary>The profile's disclosable pointers that name something in <paramref name="credential"/>.</summary>
    public static IReadOnlyList<string> DisclosablePointers(JsonObject credential) => Present(credential, Disclosable);

    private static string[] Present(JsonObject credential, IReadOnlyList<string> pointers) =>
        pointers.Where(p => DataIntegrity.SelectiveDisclosure.JsonPointer.Resolves(credential, p)).ToArray();
}
