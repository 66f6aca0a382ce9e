using System.ComponentModel;
using System.Text.Json.Nodes;

namespace Vc.Node.Api;

// The request and response bodies of the HTTP API as the OpenAPI document describes them (VC-API shapes where the
// VC-API defines one). The endpoints read and write JSON themselves (size caps, typed problems, verification in
// place), so these records are the documented contract; OpenApiContractTests check real traffic against it.

[Description("POST /issuers: a new issuer instance of this node.")]
public sealed record CreateIssuerBody(
    [property: Description("1-64 characters of A-Z a-z 0-9 - _")] string Id,
    [property: Description("key (did:key) or ethr (did:ethr on the node's ledger); default key")] string? Method = null,
    [property: Description("eddsa-rdfc-2022 (default), eddsa-jcs-2022, ecdsa-rdfc-2019 or ecdsa-sd-2023")] string? Cryptosuite = null,
    [property: Description("the signing key in a PKCS#11 token: pkcs11:token=T;object=O[?pin-source=file:PATH] (RFC 7512; generated there, or the key it holds under that name; PIN from the node's file or VCHEALTH_PKCS11_PIN, never in the request); default: a key sealed by the node")] string? KeyStore = null);

[Description("An issuer instance: its DID and the verification method it signs with. Private keys are never returned.")]
public sealed record IssuerProfileBody(string Id, string Did, string Method, string VerificationMethod, string Cryptosuite, DateTimeOffset CreatedAt,
    [property: Description("Ledger transactions of a key rotation")] IReadOnlyList<string>? Transactions = null,
    [property: Description("where the signing key is: \"sealed\" (encrypted at rest by the node) or the PKCS#11 token URI (token and object, no PIN source)")] string? KeyStore = null);

[Description("VC-API issue request.")]
public sealed record IssueCredentialBody(
    [property: Description("The unsigned credential (VC Data Model 2.0)")] JsonObject Credential,
    IssueOptionsBody? Options = null);

[Description("Issue options: credentialStatus true, a status purpose, a list of purposes, or {statusPurpose}; vcVersion \"1.1\" or \"2.0\" (default: the model the credential's @context names).")]
public sealed record IssueOptionsBody(JsonNode? CredentialStatus = null,
    [property: Description("ecdsa-sd-2023 issuers: JSON pointers every derived credential must disclose")] IReadOnlyList<string>? MandatoryPointers = null,
    string? VcVersion = null);

[Description("VC-API issue response.")]
public sealed record IssuedCredentialBody(JsonObject VerifiableCredential);

[Description("VC-API credential verification request.")]
public sealed record VerifyCredentialBody(JsonObject VerifiableCredential, VerifyOptionsBody? Options = null);

[Description("VC-API presentation verification request.")]
public sealed record VerifyPresentationBody(JsonObject VerifiablePresentation, VerifyOptionsBody? Options = null);

[Description("Verification options; unknown options are accepted and ignored, as the VC-API asks. holderBinding: every credential subject must be the holder; strictIssuerBinding: an issuer/holder that is not a DID fails the controller check; requireSecuredCredentials: an embedded credential without a proof fails the presentation.")]
public sealed record VerifyOptionsBody(string? Challenge = null, string? Domain = null,
    bool? HolderBinding = null, bool? StrictIssuerBinding = null, bool? RequireSecuredCredentials = null,
    [property: Description("While the ledger cannot be asked, accept ledger state synced at most this many seconds ago (0-86400); the answer names the block it rests on. Default: none accepted")] long? MaxStalenessSeconds = null);

[Description("One check of a verification.")]
public sealed record CheckBody(string Check, bool Valid, string? Detail = null);

[Description("A failed check as RFC 9457 problem details (VC Data Model 2.0 §7.1 error types).")]
public sealed record VerificationProblemBody(string Type, string Title, string Detail);

[Description("The trust decision, reported beside the cryptographic result and never folded into 'verified'.")]
public sealed record TrustDecisionBody(bool Trusted, string Reason, string? Source = null, string? Subject = null, string? Issuer = null, string? Country = null, string? At = null,
    string? Detail = null, long? RegistryBlock = null, string? RegistryTransaction = null);

[Description("VC-API verification result (200 when verified, 400 otherwise).")]
public sealed record VerificationBody(bool Verified, IReadOnlyList<CheckBody> Checks, IReadOnlyList<VerificationProblemBody> ProblemDetails,
    [property: Description("Per-credential results of a presentation")] IReadOnlyList<VerificationBody>? CredentialResults = null,
    TrustDecisionBody? Trust = null, VerdictSummaryBody? Summary = null);

[Description("A status change: name the status entry (credentialStatus), or give the credential and statusPurpose. status false unsuspends.")]
public sealed record StatusChangeBody(JsonNode? CredentialStatus = null, JsonObject? VerifiableCredential = null, string? StatusPurpose = null, bool? Status = null);

[Description("The status change that was applied.")]
public sealed record StatusChangedBody(string StatusListCredential, string StatusPurpose, int StatusListIndex, bool Status);

[Description("Key rotation: the old key ends after overlapSeconds (default 0: now).")]
public sealed record RotateKeyBody(long? OverlapSeconds = null);

[Description("An HCERT to verify: an HC1 string or a QR code image (base64 PNG), optionally at a given time.")]
public sealed record HcertInputBody(string? Hc1 = null, string? QrPng = null, string? At = null,
    [property: Description("Business rules (gateway validation rules) to apply after the cryptographic checks; with country")] IReadOnlyList<JsonObject>? Rules = null,
    [property: Description("The arrival country (ISO 3166-1 alpha-2) whose acceptance rules apply; without rules, the rules imported into the trust store (trust import-rules)")] string? Country = null,
    [property: Description("The arrival region, for regional rules")] string? Region = null);

[Description("One step of HCERT verification (prefix, Base45, zlib, COSE, CWT, signature, payload...).")]
public sealed record HcertStepBody(string Step, bool Passed, string? Failure = null, string? Detail = null);

[Description("The document signer certificate that signed the HCERT.")]
public sealed record HcertSignerBody(string Subject, string Source, string Thumbprint, string? Country = null, string? Domain = null);

[Description("HCERT verification report: the typed outcome of every step and the ledger's trust decision for the DSC.")]
public sealed record HcertReportBody(bool Valid, string Outcome,
    [property: Description("The trust lists given to this verification (id, keys, rejected, proof)")] IReadOnlyList<JsonObject> Trust,
    string? Reason = null, string? Clock = null, IReadOnlyList<HcertStepBody>? Steps = null,
    string? Alg = null, string? Kid = null, string? Iss = null, string? Iat = null, string? Exp = null, string? Nbf = null, HcertSignerBody? Signer = null, string? PayloadType = null,
    JsonObject? Payload = null, TrustDecisionBody? LedgerTrust = null,
    [property: Description("Shapes accepted although the specification wants others (WHO DVC/ICVP variants, DER ECDSA…)")] IReadOnlyList<HcertWarningBody>? Warnings = null,
    IReadOnlyList<HcertRuleBody>? Rules = null, VerdictSummaryBody? Summary = null);

[Description("A shape the HCERT verifier accepted with a warning: where (field) and what.")]
public sealed record HcertWarningBody(string Field, string Message);

[Description("EU DCC revocation batches in the DCC gateway's format: per DSC kid and hash type (SIGNATURE, UCI, COUNTRYCODEUCI), the first 128 bits of SHA-256 hashes (base64).")]
public sealed record RevocationBatchesBody(IReadOnlyList<JsonObject> Batches);

[Description("What an import of a revocation file added to the node's trust store.")]
public sealed record RevocationImportBody(long Id, string Source, int Chunks, int Entries);

[Description("VC → HCERT: a credential of one of this node's issuers holding a DSC.")]
public sealed record VcToHcertBody(JsonObject VerifiableCredential, BridgeOptionsBody? Options = null);

[Description("HCERT → VC: an HCERT (HC1 string or base64 QR PNG) to re-issue as a credential with the HC1 as evidence.")]
public sealed record HcertToVcBody(string? Hc1 = null, string? QrPng = null, BridgeOptionsBody? Options = null);

[Description("Fields the caller accepts to be left out of the other format.")]
public sealed record BridgeOptionsBody(IReadOnlyList<string>? AcceptOmitted = null);

[Description("The bridged HCERT: HC1 string, QR code (base64 PNG), the signing issuer and DSC, and what was left out.")]
public sealed record BridgedHcertBody(string Hc1, string QrPng, string Issuer, string DscThumbprint, IReadOnlyList<string> Omitted);

[Description("The bridged credential and the verification report of its source HCERT.")]
public sealed record BridgedCredentialBody(JsonObject VerifiableCredential, HcertReportBody Hcert);

[Description("A DSC issued by a CSCA to this issuer, with its private key (PKCS#8 PEM) and optionally its chain (PEM).")]
public sealed record AttachDscBody(string Certificate, string PrivateKey, string? Chain = null);

[Description("The attached DSC; for a ledger issuer also the transaction binding it in the DID document.")]
public sealed record DscAttachedBody(string Issuer, string Kid, string Subject, string NotAfter, string? DidBindingTransaction = null);

[Description("DID resolution result (DID Resolution §4), as the Universal Resolver returns it.")]
public sealed record DidResolutionBody(JsonObject DidResolutionMetadata, JsonObject DidDocumentMetadata, JsonObject? DidDocument = null);

[Description("The node's ledger status.")]
public sealed record HealthBody(string Status, JsonObject? Ledger = null, string? Error = null);

[Description("Readiness.")]
public sealed record ReadyBody(bool Ready, string? Reason = null);

[Description("RFC 9457 problem details.")]
public sealed record ProblemBody(string Type, string Title, int Status, string? Detail = null);

[Description("The trust registry's verdict for a key: trusted or not, why, and the registry entry, block and transaction behind it.")]
public sealed record TrustVerdictBody(bool Trusted, string Reason, string Source, string Subject, string At, string Detail,
    string? Issuer = null, string? Country = null, JsonObject? RegistryEntry = null, long? RegistryBlock = null, string? RegistryTransaction = null,
    JsonObject? Decision = null);

[Description("VC-API derive request (ecdsa-sd-2023): a credential with a base proof and the JSON pointers to disclose besides the mandatory ones.")]
public sealed record DeriveCredentialBody(JsonObject VerifiableCredential, DeriveOptionsBody? Options = null);

[Description("Derive options.")]
public sealed record DeriveOptionsBody([property: Description("JSON pointers (RFC 6901) of what to disclose")] IReadOnlyList<string>? SelectivePointers = null);

[Description("VC-API derive response: the credential with only the disclosed statements and a derived proof.")]
public sealed record DerivedCredentialBody(JsonObject VerifiableCredential);

[Description("One business rule applied to an EU DCC: its identifier, type, country, version, result and English description.")]
public sealed record HcertRuleBody(string Identifier, string Type, string Country, string Version, string CertificateType, bool Passed,
    string Description, bool? Result = null, string? Error = null);

[Description("The answer at a glance: status (valid, not-valid, not-yet-valid, cannot-tell), the deciding reason, the issuer (DID or DSC, country), the validity timeline, the ICVP content (only when the signatures held) and, for a bridged credential, the HCERT it came from.")]
public sealed record VerdictSummaryBody(string Status, string Reason, JsonObject? Issuer = null, JsonObject? Timeline = null, JsonObject? Icvp = null,
    JsonObject? Bridged = null, JsonObject? Signed = null);

[Description("The arrival countries whose acceptance rules this node holds (vchealth node --rules), and how many rules it holds.")]
public sealed record RuleCountriesBody(IReadOnlyList<string> Countries, int Rules);
