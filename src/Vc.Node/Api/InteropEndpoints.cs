using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Vc.Interop;
using Vc.Interop.Bridge;
using Vc.Interop.Hcert;
using Vc.Interop.Qr;
using Vc.Node.Hosting;
using Vc.Agent;
using Vc.Agent.Storage;

namespace Vc.Node.Api;

/// <summary>
/// HCERT verification (public), the VC ⇄ HCERT bridge (scope issue), and attaching a DSC to an issuer
/// (scope manage-issuers).
/// </summary>
public static class InteropEndpoints
{
    /// <summary>The body's business rules: {rules: [rule…], country: CC, region?}, as the CLI's --rules/--country. A
    /// country without 'rules' uses the rule set the node was started with (<c>vchealth node --rules</c>, as the verifier
    /// page's arrival-country chooser does), else the rules imported into the trust store. A rule that is not a valid
    /// gateway rule is a 400 naming its problems.</summary>
    private static async Task<(HcertRules?, IResult?)> RulesFrom(JsonObject body, VcAgent agent, Vc.Rules.DccRuleSet? configured)
    {
        var country = VcApiEndpoints.Str(body, "country");
        var region = VcApiEndpoints.Str(body, "region");
        var rules = body["rules"];
        if (rules is null && country is null && region is null) return (null, null);
        if (country is null) return (null, Problems.BadRequest("malformed-request", rules is null ? "'region' needs 'country'" : "'rules' needs 'country' (the arrival country)"));
        if (!(country.Length == 2 && country.All(char.IsAsciiLetter)))
            return (null, Problems.BadRequest("malformed-request", $"'country' must be an ISO 3166-1 alpha-2 code, got '{country}'"));
        if (rules is null)
            return (configured is not null ? new HcertRules(configured, country.ToUpperInvariant(), region) : await agent.StoredRulesAsync(country, region), null);
        if (rules is not JsonArray list) return (null, Problems.BadRequest("malformed-request", "'rules' must be an array of validation rules"));
        if (list.Count > Vc.Rules.DccRuleSet.MaxRules) return (null, Problems.BadRequest("malformed-request", $"more than {Vc.Rules.DccRuleSet.MaxRules} rules"));
        try
        {
            return (new HcertRules(new Vc.Rules.DccRuleSet(list.Select(Vc.Rules.DccRule.FromJson)), country.ToUpperInvariant(), region), null);
        }
        catch (Vc.Rules.DccRuleException e)
        {
            return (null, Problems.BadRequest("invalid-rule", e.Message));
        }
    }

    public static void Map(WebApplication app)
    {
        // {hc1: "HC1:…"} or {qrPng: base64} [, at: time] → 200 valid | 400 with the typed outcome.
        app.MapPost("/hcert/verify", async (HttpRequest request, VcAgent agent, NodeOptions node) =>
        {
            var (body, problem) = await JsonBody.ReadObjectAsync(request);
            if (problem is not null) return problem;
            var (hc1, inputProblem) = await Hc1From(body!, agent, request.HttpContext.RequestAborted);
            if (inputProblem is not null) return inputProblem;
            DateTimeOffset? at = null;
            if (VcApiEndpoints.Str(body!, "at") is { } t)
            {
                if (!HcertClock.TryParse(t, out var parsed)) return Problems.BadRequest("malformed-request", $"'at' is not a date-time: {t}");
                at = parsed;
            }
            var (rules, rulesProblem) = await RulesFrom(body!, agent, node.Rules);
            if (rulesProblem is not null) return rulesProblem;
            var verdict = await agent.VerifyHcertAsync(hc1!, at, rules, request.HttpContext.RequestAborted);
            return Results.Json(verdict.ToJson(), statusCode: verdict.Result.IsValid ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
        }).Public().Reads<HcertInputBody>().Answers<HcertReportBody>(200).Answers<HcertReportBody>(400);

        // The arrival countries whose acceptance rules the node holds (--rules): what the verifier page offers to choose.
        app.MapGet("/rules/countries", (NodeOptions node) =>
        {
            var rules = node.Rules?.Rules ?? [];
            var countries = rules.Where(r => r.Type == Vc.Rules.DccRuleType.Acceptance).Select(r => r.Country.ToUpperInvariant())
                .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            return Results.Json(new RuleCountriesBody(countries, rules.Count));
        }).Public().Answers<RuleCountriesBody>(200);

        // {verifiableCredential, options: {acceptOmitted: [...]}} → {hc1, qrPng, omitted, issuer, dscThumbprint}.
        app.MapPost("/bridge/vc-to-hcert", async (HttpRequest request, VcAgent agent) =>
        {
            var (body, problem) = await JsonBody.ReadObjectAsync(request);
            if (problem is not null) return problem;
            if (body!["verifiableCredential"] is not JsonObject vc)
                return Problems.BadRequest("malformed-request", "the body needs a 'verifiableCredential' object");
            try
            {
                var bridged = await agent.Bridge.VcToHcertAsync(vc, AcceptOmitted(body), request.HttpContext.RequestAborted);
                return Results.Json(bridged.ToJson());
            }
            catch (BridgeException e)
            {
                return BridgeProblem(e);
            }
        }).RequireScope(ApiScope.Issue).Reads<VcToHcertBody>().Answers<BridgedHcertBody>(200).Fails(401, 403, 404, 422);

        // {hc1 | qrPng, options: {acceptOmitted}} → 201 {verifiableCredential, hcert}.
        app.MapPost("/bridge/hcert-to-vc", async (HttpRequest request, VcAgent agent) =>
        {
            var (body, problem) = await JsonBody.ReadObjectAsync(request);
            if (problem is not null) return problem;
            var (hc1, inputProblem) = await Hc1From(body!, agent, request.HttpContext.RequestAborted);
            if (inputProblem is not null) return inputProblem;
            try
            {
                return Results.Json(await agent.HcertToCredentialAsync(hc1!, AcceptOmitted(body!), request.HttpContext.RequestAborted),
                    statusCode: StatusCodes.Status201Created);
            }
            catch (BridgeException e)
            {
                return BridgeProblem(e);
            }
        }).RequireScope(ApiScope.Issue).Reads<HcertToVcBody>().Answers<BridgedCredentialBody>(201).Fails(401, 403, 422);

        // {certificate: PEM, privateKey: PEM (PKCS#8)}: the DSC a CSCA issued to this issuer.
        app.MapPost("/issuers/{id}/dsc", async (string id, HttpRequest request, VcAgent agent) =>
        {
            var (body, problem) = await JsonBody.ReadObjectAsync(request);
            if (problem is not null) return problem;
            if (VcApiEndpoints.Str(body!, "certificate") is not { } pem || VcApiEndpoints.Str(body!, "privateKey") is not { } keyPem)
                return Problems.BadRequest("malformed-request", "the body needs 'certificate' and 'privateKey' (PEM)");
            X509Certificate2 dsc;
            try { dsc = X509Certificate2.CreateFromPem(pem, keyPem); }
            catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or ArgumentException)
            {
                return Problems.BadRequest("invalid-dsc", "certificate/key: " + e.Message);
            }
            using var attached = dsc;
            IReadOnlyList<X509Certificate2> chain = [];
            if (VcApiEndpoints.Str(body!, "chain") is { } chainPem)
            {
                try { chain = VcAgent.ParseChain(chainPem); }
                catch (AgentException e) { return Problems.BadRequest(e.Type, e.Message); }
            }
            var done = await agent.AttachDscAsync(id, dsc, chain, request.HttpContext.RequestAborted);
            return Results.Json(done.ToJson());
        }).RequireScope(ApiScope.ManageIssuers).Reads<AttachDscBody>().Answers<DscAttachedBody>(200).Fails(401, 403, 404);
    }

    /// <summary>
    /// GET /trust-list?format=gdhcn&amp;domain=ICVP[&amp;participant=KEN][&amp;host=H] — the registry as a GDHCN v2 did:web
    /// document (JsonWebKey2020 with x5c, signed) — or ?format=gateway&amp;participant=KEN&amp;country=KE — as EU gateway
    /// DSC items CMS-signed by the node's UPLOAD certificate. Unmodified PKI verifiers load either.
    /// </summary>
    public static void MapTrustList(WebApplication app) =>
        app.MapGet("/trust-list", async (HttpRequest request, NodeTrust trust) =>
        {
            if (await trust.ServiceAsync() is not { } service)
                return Problems.Result(404, "no-trust-registry", "Not found", "this chain has no trust registry yet (vchealth trust init)");
            var q = request.Query;
            var exporter = new Vc.Trust.Bridge.LedgerTrustExporter(service.Registry, trust.Certificates);
            try
            {
                var participant = q["participant"].ToString() is { Length: > 0 } p ? Vc.Trust.CountryCode.Parse(p) : (Vc.Trust.CountryCode?)null;
                switch (q["format"].ToString())
                {
                    case "" or "gdhcn":
                    {
                        var domain = Vc.Trust.TrustDomainCodes.Parse(q["domain"].ToString() is { Length: > 0 } d ? d : "ICVP");
                        var host = q["host"].ToString() is { Length: > 0 } h ? h : request.Host.Host;
                        var did = Vc.Trust.Bridge.LedgerTrustExporter.GdhcnDid(host, domain, participant);
                        var (proofKey, upload) = await trust.ExportKeysAsync("XX");
                        using (proofKey) using (upload)
                        {
                            var export = await exporter.ExportGdhcnAsync(did, domain, participant, proofKey, did + "#proof");
                            return Results.Content(export.Document, "application/did+json");
                        }
                    }
                    case "gateway":
                    {
                        if (participant is null || q["country"].ToString() is not { Length: 2 } country)
                            return Problems.BadRequest("malformed-request", "format=gateway needs participant (alpha-3) and country (alpha-2)");
                        var (proofKey, upload) = await trust.ExportKeysAsync(country);
                        using (proofKey) using (upload)
                        {
                            var export = await exporter.ExportGatewayAsync(participant.Value, country, upload);
                            return Results.Content(export.Document, "application/json");
                        }
                    }
                    default:
                        return Problems.BadRequest("malformed-request", "format is gdhcn or gateway");
                }
            }
            catch (Vc.Trust.TrustRegistryException e) { return Problems.BadRequest("trust-" + e.Error, e.Message); }
            catch (Vc.Trust.Bridge.TrustBridgeException e) { return Problems.BadRequest("trust-" + e.Error, e.Message); }
        }).Public().Answers<JsonObject>(200, "application/did+json", OpenApiContract.JsonType).Fails(400, 404);

    /// <summary>
    /// GET /trust/check?subject=did:…%23key|kid:BASE64&amp;domain=ICVP[&amp;country=KEN][&amp;at=T] — the trust registry's
    /// answer for a key at a time (default: the latest block's): 200 with the verdict, trusted or not.
    /// </summary>
    public static void MapTrustCheck(WebApplication app) =>
        app.MapGet("/trust/check", async (HttpRequest request, VcAgent agent) =>
        {
            var q = request.Query;
            try
            {
                if (q["subject"].ToString() is not { Length: > 0 } subjectText || q["domain"].ToString() is not { Length: > 0 } domainText)
                    return Problems.BadRequest("malformed-request", "subject (did:…#fragment or kid:BASE64) and domain are required");
                DateTimeOffset? at = null;
                if (q["at"].ToString() is { Length: > 0 } t)
                {
                    if (!HcertClock.TryParse(t, out var parsed)) return Problems.BadRequest("malformed-request", $"'at' is not a date-time: {t}");
                    at = parsed;
                }
                var verdict = await agent.CheckTrustAsync(Vc.Trust.Bridge.TrustSubject.Parse(subjectText), Vc.Trust.TrustDomainCodes.Parse(domainText),
                    q["country"].ToString() is { Length: > 0 } c ? Vc.Trust.CountryCode.Parse(c) : null, at, request.HttpContext.RequestAborted);
                return Results.Json(AgentJson.ToNode(verdict));
            }
            catch (AgentException e) { return Problems.Result(404, e.Type, "Not found", e.Message); }
            catch (Vc.Trust.TrustRegistryException e) { return Problems.BadRequest("trust-" + e.Error, e.Message); }
            catch (Vc.Trust.Bridge.TrustBridgeException e) { return Problems.BadRequest("trust-" + e.Error, e.Message); }
        }).Public().Answers<TrustVerdictBody>(200).Fails(400, 404);

    private static async Task<(string? Hc1, IResult? Problem)> Hc1From(JsonObject body, VcAgent agent, CancellationToken ct)
    {
        if (VcApiEndpoints.Str(body, "hc1") is { } hc1) return (hc1.Trim(), null);
        if (VcApiEndpoints.Str(body, "qrPng") is { } b64)
        {
            try { return (await agent.DecodeQrAsync(Convert.FromBase64String(b64), ct), null); }
            catch (FormatException) { return (null, Problems.BadRequest("malformed-request", "qrPng is not base64")); }
            catch (HcertException e) { return (null, Problems.BadRequest("qr-decode", e.Message)); }
        }
        return (null, Problems.BadRequest("malformed-request", "the body needs 'hc1' (an HC1: string) or 'qrPng' (base64 PNG)"));
    }

    private static IReadOnlySet<string> AcceptOmitted(JsonObject body) =>
        body["options"]?["acceptOmitted"] is JsonArray a ? a.Select(x => x?.ToString() ?? "").ToHashSet() : new HashSet<string>();

    private static IResult BridgeProblem(BridgeException e) =>
        Problems.Result(StatusCodes.Status422UnprocessableEntity, "bridge-" + e.Failure.ToString().ToLowerInvariant(), "Cannot bridge", e.Message);
}
