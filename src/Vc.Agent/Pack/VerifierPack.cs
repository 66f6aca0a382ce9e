using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vc.Agent.Storage;
using Vc.Credentials.Jcs;
using Vc.Credentials.StatusList;
using Vc.Credentials.Verification;
using Vc.Did.Ethr;
using Vc.Did.Keys;
using Vc.Did.Ledger;
using Vc.Interop.TrustLists;
using Vc.Trust;
using Vc.Trust.Bridge;

namespace Vc.Agent;

/// <summary>
/// The offline verifier pack: everything a verifier needs to decide "valid and trusted" as of one ledger block, with
/// no ledger and no network — the trust registry's logs (replayed by <see cref="TrustRegistryReader"/>), the ERC-1056
/// logs of every registered did:ethr issuer (replayed by <see cref="CapturedHistorySource"/>, so "key valid at
/// issuance" is decided by the same resolver), the registered DSCs, the PKI trust lists given to the builder, and the
/// node's current status lists.
/// <para>
/// Signature: a JWS (RFC 7515) with ES256 (P-256, RFC 7518 §3.4) and a detached payload (RFC 7515 Appendix F) over the
/// JCS canonical form (RFC 8785) of <c>content</c>. Why: the content is plain JSON (no JSON-LD to canonicalize, so not
/// a Data Integrity proof), JCS gives one byte string any JSON tool can recompute, and a JWS over it is checkable with
/// any JOSE library; COSE would add a CBOR layer for no gain. <c>contentHash</c> = SHA-256 of the same bytes.
/// </para>
/// <para>
/// Key trust: the pack key is named by its did:key. A verifier accepts it when it pins it (its own data directory's
/// pack key, or <c>--pack-key did:key:…</c>) or when the pack proves it registered in the trust registry for the
/// VERIFIER-PACK domain under a trust anchor the verifier holds (<c>--registry-anchor</c>, <see cref="PackSignerRegistration"/>);
/// any other signer is refused (<c>pack.untrusted-key</c>).
/// </para>
/// </summary>
public sealed class VerifierPack
{
    public const string PackType = "VcHealthVerifierPack";
    /// <summary>A pack is read whole: larger files are refused before parsing.</summary>
    public const long MaxBytes = 64L * 1024 * 1024;
    public static readonly TimeSpan DefaultMaxAge = TimeSpan.FromDays(3);
    // The pack's block may be a little ahead of a verifier's clock (skew), never more.
    private static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    public JsonObject Content { get; }
    public string ContentHash { get; }
    /// <summary>The verification method (did:key#…) that signed the pack.</summary>
    public string KeyId { get; }
    public long Block { get; }
    public DateTimeOffset BlockTime { get; }
    /// <summary>The oldest the pack's block may be at the verifier's clock (--max-age).</summary>
    public TimeSpan MaxAge { get; }
    /// <summary>How the signer was accepted through the trust registry (null: it was pinned by the verifier).</summary>
    public PackSignerRegistration? SignerRegistration { get; private init; }

    private VerifierPack(JsonObject content, string contentHash, string keyId, TimeSpan maxAge)
    {
        Content = content;
        ContentHash = contentHash;
        KeyId = keyId;
        MaxAge = maxAge;
        Block = content["block"]!.GetValue<long>();
        BlockTime = DateTimeOffset.Parse(content["blockTime"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>What every answer given with the pack names: its block, time, hash and signer.</summary>
    public JsonObject Describe() => new()
    {
        ["block"] = Block,
        ["blockTime"] = BlockTime.ToString("O"),
        ["contentHash"] = ContentHash,
        ["key"] = KeyId,
        ["maxAge"] = System.Xml.XmlConvert.ToString(MaxAge),
        ["signerRegistration"] = SignerRegistration?.ToJson(),
        ["domain"] = Content["domain"]?.DeepClone(),
        ["participant"] = Content["participant"]?.DeepClone(),
    };

    // ---- signing ----

    /// <summary>Signs <paramref name="content"/>: the pack file's JSON.</summary>
    public static JsonObject Sign(JsonObject content, ECDsa key)
    {
        var keyId = PackKeys.KeyId(key);
        var canonical = JsonCanonicalizer.Canonicalize(content);
        var header = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["alg"] = "ES256", ["kid"] = keyId }));
        var signingInput = Encoding.ASCII.GetBytes(header + "." + Base64Url(canonical));
        var signature = key.SignData(signingInput, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return new JsonObject
        {
            ["type"] = PackType,
            ["content"] = content.DeepClone(),
            ["contentHash"] = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(canonical)),
            // RFC 7515 Appendix F: the compact form with the payload left out.
            ["jws"] = header + ".." + Base64Url(signature),
        };
    }

    // ---- opening ----

    /// <summary>
    /// Reads a pack file and checks, in order: size and shape, the content hash, the JWS (ES256 by the did:key it
    /// names), that key among <paramref name="pinnedKeys"/>, and the age of its block at the verifier's clock.
    /// Every refusal is a typed <see cref="AgentException"/> (pack.*).
    /// </summary>
    /// <param name="trustAnchors">Trust-registry anchor addresses this verifier holds: a signer that is not pinned is
    /// accepted when the pack proves its registration under one of them (<see cref="PackSignerRegistration"/>).</param>
    public static async Task<VerifierPack> OpenAsync(string path, IReadOnlySet<string> pinnedKeys, TimeProvider time, TimeSpan maxAge, CancellationToken ct = default,
        IReadOnlySet<string>? trustAnchors = null)
    {
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) throw new AgentException("pack.unreadable", $"pack {path}: no such file");
            if (info.Length > MaxBytes) throw new AgentException("pack.unreadable", $"pack {path}: larger than {MaxBytes} bytes");
            bytes = await File.ReadAllBytesAsync(path, ct);
        }
        catch (IOException e) { throw new AgentException("pack.unreadable", $"pack {path}: {e.Message}", e); }
        catch (UnauthorizedAccessException e) { throw new AgentException("pack.unreadable", $"pack {path}: {e.Message}", e); }
        return await OpenAsync(bytes, pinnedKeys, trustAnchors ?? new HashSet<string>(), time, maxAge, ct);
    }

    /// <summary>As <see cref="OpenAsync(string, IReadOnlySet{string}, TimeProvider, TimeSpan, CancellationToken, IReadOnlySet{string}?)"/>,
    /// from the file's bytes; a registered signer is also looked up in the pack's registry at its block.</summary>
    public static async Task<VerifierPack> OpenAsync(byte[] bytes, IReadOnlySet<string> pinnedKeys, IReadOnlySet<string> trustAnchors, TimeProvider time, TimeSpan maxAge,
        CancellationToken ct = default)
    {
        var pack = Open(bytes, pinnedKeys, trustAnchors, time, maxAge);
        if (pack.SignerRegistration is { } registration) await registration.CheckInRegistryAsync(pack.TrustRegistry(), pack.BlockTime, ct);
        return pack;
    }

    /// <summary>Opens a pack whose signer the verifier pins (no registration lookup).</summary>
    public static VerifierPack Open(byte[] bytes, IReadOnlySet<string> pinnedKeys, TimeProvider time, TimeSpan maxAge) =>
        Open(bytes, pinnedKeys, new HashSet<string>(), time, maxAge);

    private static VerifierPack Open(byte[] bytes, IReadOnlySet<string> pinnedKeys, IReadOnlySet<string> trustAnchors, TimeProvider time, TimeSpan maxAge)
    {
        JsonObject file;
        try { file = JsonNode.Parse(bytes, documentOptions: new JsonDocumentOptions { MaxDepth = JsonCanonicalizer.MaxDepth }) as JsonObject ?? throw new JsonException("not an object"); }
        catch (JsonException e) { throw new AgentException("pack.unreadable", "the pack is not JSON: " + e.Message, e); }
        if (file["type"]?.GetValueKind() != JsonValueKind.String || file["type"]!.GetValue<string>() != PackType)
            throw new AgentException("pack.unreadable", $"not a verifier pack (type must be {PackType})");
        if (file["content"] is not JsonObject content || file["contentHash"]?.GetValueKind() != JsonValueKind.String || file["jws"]?.GetValueKind() != JsonValueKind.String)
            throw new AgentException("pack.unreadable", "a pack has content, contentHash and jws");

        // 1. The content hash (SHA-256 over the JCS form), then 2. the signature over the same bytes.
        var canonical = JsonCanonicalizer.Canonicalize(content);
        var hash = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(canonical));
        if (!string.Equals(file["contentHash"]!.GetValue<string>(), hash, StringComparison.Ordinal))
            throw new AgentException("pack.hash-mismatch", $"the pack's content hashes to {hash}, not the {file["contentHash"]} it names");
        var parts = file["jws"]!.GetValue<string>().Split('.');
        if (parts.Length != 3 || parts[1].Length != 0) throw new AgentException("pack.bad-signature", "jws is not a detached compact JWS (header..signature)");
        string keyId;
        byte[] signature;
        try
        {
            var header = JsonNode.Parse(FromBase64Url(parts[0])) as JsonObject ?? throw new JsonException("header is not an object");
            if (header["alg"]?.ToString() != "ES256") throw new AgentException("pack.bad-signature", $"jws alg must be ES256, not {header["alg"]}");
            if (header.Count != 2) throw new AgentException("pack.bad-signature", "jws header has alg and kid only");
            keyId = header["kid"]?.GetValue<string>() ?? throw new JsonException("no kid");
            signature = FromBase64Url(parts[2]);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            throw new AgentException("pack.bad-signature", "jws does not read: " + e.Message, e);
        }
        var key = PackKeys.PublicKey(keyId);
        var signingInput = Encoding.ASCII.GetBytes(parts[0] + "." + Base64Url(canonical));
        if (!key.Verify(signingInput, signature))
            throw new AgentException("pack.bad-signature", $"the pack's signature does not verify with {keyId}");
        var did = keyId.Split('#')[0];
        if (!pinnedKeys.Contains(did) && trustAnchors.Count == 0)
            throw new AgentException("pack.untrusted-key", $"the pack is signed by {did}, not a pack key this verifier accepts (--pack-key), and no trust anchor to check its registration (--registry-anchor)");

        VerifierPack pack;
        try { pack = new VerifierPack(content, hash, keyId, maxAge); }
        catch (Exception e) when (e is InvalidOperationException or FormatException or NullReferenceException)
        {
            throw new AgentException("pack.unreadable", "the pack names no block or block time: " + e.Message, e);
        }
        // 3. Its signer: pinned, or registered in the trust registry under an anchor the verifier holds.
        if (!pinnedKeys.Contains(did)) pack = new VerifierPack(content, hash, keyId, maxAge)
        {
            SignerRegistration = PackSignerRegistration.Verify(content, did, trustAnchors, pack.BlockTime),
        };
        // 4. Its age: the data is as of the block's time.
        pack.EnsureFresh(time);
        return pack;
    }

    /// <summary>
    /// Refuses the pack once its block is older than <see cref="MaxAge"/> (or dated ahead of) the verifier's clock:
    /// checked when it is opened and again before every answer, since a node serving a pack ages with it.
    /// </summary>
    public void EnsureFresh(TimeProvider time)
    {
        var now = time.GetUtcNow();
        if (BlockTime > now + MaxClockSkew)
            throw new AgentException("pack.not-yet-valid", $"the pack's block {Block} is dated {BlockTime:O}, after the verifier's clock {now:O}");
        if (now - BlockTime > MaxAge)
            throw new AgentException("pack.too-old", $"the pack is as of block {Block} at {BlockTime:O}: older than --max-age {MaxAge} at {now:O}");
    }

    // ---- the offline parts ----

    /// <summary>did:ethr histories of the pack (the ERC-1056 registry's logs of its issuers).</summary>
    public (EthrNetwork Network, CapturedHistorySource Source) DidRegistry()
    {
        var registry = Content["didRegistry"] as JsonObject ?? throw Malformed("didRegistry missing");
        return Guarded(() =>
        {
            var network = new EthrNetwork(registry["network"]!.GetValue<string>(), Content["chainId"]!.GetValue<long>(),
                new Uri("http://offline.invalid/"), registry["address"]!.GetValue<string>());
            var identities = (registry["identities"] as JsonArray ?? throw Malformed("didRegistry identities missing")).Select(a => a!.GetValue<string>());
            return (network, new CapturedHistorySource(identities, Logs(registry), BlockTimes(), Block));
        });
    }

    /// <summary>The trust registry as of the pack's block, read offline.</summary>
    public TrustRegistryReader TrustRegistry()
    {
        var registry = Content["trustRegistry"] as JsonObject ?? throw Malformed("trustRegistry missing");
        return Guarded(() => new TrustRegistryReader(registry["address"]!.GetValue<string>(),
            new TrustRegistryReader.Captured(Logs(registry), BlockTimes(), Block)));
    }

    /// <summary>The registered DSCs (keyed by their thumbprint, as the registry names them).</summary>
    public async Task<InMemoryCertificateSource> CertificatesAsync()
    {
        var source = new InMemoryCertificateSource();
        foreach (var der in Certificates("dscs"))
            await source.AddAsync(new StoredCertificate(der, []));
        return source;
    }

    /// <summary>The PKI trust lists the builder was given, loaded again here (their signatures checked again by the loaders).</summary>
    public IReadOnlyList<TrustListLoadResult> TrustLists()
    {
        var anchor = Content["gatewayAnchor"] is JsonValue a ? Guarded(() => X509CertificateLoader.LoadCertificate(Convert.FromBase64String(a.GetValue<string>()))) : null;
        var lists = new List<TrustListLoadResult>();
        foreach (var node in Content["trustLists"] as JsonArray ?? [])
        {
            var name = node?["name"]?.ToString() ?? "?";
            try { lists.Add(TrustFiles.Load(Convert.FromBase64String(node!["content"]!.GetValue<string>()), new TrustFileOptions { GatewayTrustAnchor = anchor })); }
            catch (TrustListException e) { throw new AgentException("pack.trustlist", $"trust list {name} of the pack: {e.Message}", e); }
            catch (Exception e) when (e is FormatException or InvalidOperationException or NullReferenceException)
            {
                throw Malformed($"trust list {name}: {e.Message}");
            }
        }
        return lists;
    }

    /// <summary>The DSCs of the pack as PKI trust entries (beside the lists): what an HCERT verifier checks signatures with.</summary>
    public IReadOnlyList<TrustEntry> DscEntries() => Certificates("dscs").Select(c => new TrustEntry(c, TrustSource.Certificate)).ToArray();

    /// <summary>The status list credentials of the pack, by URL; a list the pack lacks is a retrieval error (never "not revoked").</summary>
    public IStatusListCredentialFetcher StatusLists()
    {
        var lists = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var (url, credential) in Content["statusLists"] as JsonObject ?? [])
            lists[url] = credential as JsonObject ?? throw Malformed($"status list {url} is not an object");
        return new PackStatusLists(lists, Block);
    }

    private sealed class PackStatusLists(Dictionary<string, JsonObject> lists, long block) : IStatusListCredentialFetcher
    {
        public ValueTask<JsonObject> FetchAsync(string url, CancellationToken cancellationToken = default) =>
            lists.TryGetValue(url, out var c) ? ValueTask.FromResult((JsonObject)c.DeepClone())
                : ValueTask.FromException<JsonObject>(new CredentialException(ProblemCode.StatusRetrievalError,
                    $"status list {url} is not in the verifier pack (block {block}); offline, it cannot be fetched"));
    }

    private IReadOnlyList<CapturedLog> Logs(JsonObject registry) =>
        (registry["logs"] as JsonArray ?? throw Malformed("logs missing")).Select(CapturedLog.FromJson).ToArray();

    private Dictionary<long, long> BlockTimes()
    {
        var times = new Dictionary<long, long>();
        foreach (var (block, t) in Content["blockTimes"] as JsonObject ?? throw Malformed("blockTimes missing"))
            times[long.Parse(block, System.Globalization.CultureInfo.InvariantCulture)] = t!.GetValue<long>();
        return times;
    }

    private X509Certificate2[] Certificates(string name) => Guarded(() =>
        (Content[name] as JsonArray ?? []).Select(n => X509CertificateLoader.LoadCertificate(Convert.FromBase64String(n!.GetValue<string>()))).ToArray());

    private static T Guarded<T>(Func<T> read)
    {
        try { return read(); }
        catch (AgentException) { throw; }
        catch (Exception e) when (e is FormatException or InvalidOperationException or NullReferenceException or CryptographicException
            or EthrHistoryException or Erc1056DecodeException or TrustRegistryException or KeyNotFoundException or OverflowException)
        {
            throw Malformed(e.Message);
        }
    }

    private static AgentException Malformed(string why) => new("pack.unreadable", "the pack's content does not read: " + why);

    internal static string Base64Url(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s + new string('=', (4 - s.Length % 4) % 4));
    }
}

/// <summary>The data directory's pack key (P-256, 0600) and did:key names for P-256 keys.</summary>
public static class PackKeys
{
    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, "pack-key", "pack.key.pem");

    /// <summary>The pack key of a data directory, generated on first use.</summary>
    public static async Task<ECDsa> LoadOrCreateAsync(string dataDirectory)
    {
        var path = PathIn(dataDirectory);
        if (!File.Exists(path))
        {
            DataDirectory.Ensure(Path.GetDirectoryName(path)!);
            using var fresh = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            await SecretFiles.WriteAsync(path, fresh.ExportPkcs8PrivateKeyPem());
        }
        var key = ECDsa.Create();
        key.ImportFromPem(await File.ReadAllTextAsync(path));
        return key;
    }

    /// <summary>The did:key of this data directory's pack key, or null when it has none.</summary>
    public static async Task<string?> OwnDidAsync(string dataDirectory)
    {
        if (!File.Exists(PathIn(dataDirectory))) return null;
        using var key = await LoadOrCreateAsync(dataDirectory);
        return KeyId(key).Split('#')[0];
    }

    /// <summary>did:key:z…#z… of a P-256 key (did:key §"P-256": multicodec p256-pub, compressed point).</summary>
    public static string KeyId(ECDsa key)
    {
        var p = key.ExportParameters(false);
        if (p.Curve.Oid?.Value != ECCurve.NamedCurves.nistP256.Oid.Value) throw new AgentException("pack.key", "the pack key must be P-256");
        var multibase = VerificationKey.FromEcPoint(KeyType.P256, p.Q.X, p.Q.Y).PublicKeyMultibase;
        return $"did:key:{multibase}#{multibase}";
    }

    /// <summary>The public key a did:key verification method names (P-256 only).</summary>
    public static VerificationKey PublicKey(string keyId)
    {
        var hash = keyId.IndexOf('#');
        if (!keyId.StartsWith("did:key:", StringComparison.Ordinal) || hash < 0 || keyId[(hash + 1)..] != keyId[8..hash])
            throw new AgentException("pack.bad-signature", $"the pack's kid {keyId} is not a did:key verification method");
        try
        {
            var key = VerificationKey.FromMultikey(keyId[(hash + 1)..]);
            return key.KeyType == KeyType.P256 ? key : throw new AgentException("pack.bad-signature", "the pack key must be P-256 (ES256)");
        }
        catch (KeyFormatException e) { throw new AgentException("pack.bad-signature", $"the pack's kid {keyId}: {e.Message}", e); }
    }
}
