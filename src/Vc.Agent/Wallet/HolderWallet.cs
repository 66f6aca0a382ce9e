using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Vc.Agent.Storage;
using Vc.Credentials.DataIntegrity;
using Vc.Credentials.Issuance;
using Vc.Credentials.Keys;
using Vc.Credentials.Presentations;
using Vc.Interop.Hcert;

namespace Vc.Agent.Wallet;

/// <summary>The wallet's holder: a did:key of its own Ed25519 key.</summary>
public sealed record WalletHolder(string Did, string VerificationMethod)
{
    public JsonObject ToJson() => new() { ["did"] = Did, ["verificationMethod"] = VerificationMethod };
}

/// <summary>
/// One credential kept in the wallet, as it was received: a W3C VC (JSON) or an HCERT (its HC1 string, never
/// re-encoded). <paramref name="BridgedFrom"/> names the HCERT item a bridged VC was made from.
/// </summary>
public sealed record WalletItem(string Id, string Kind, DateTimeOffset Added, JsonNode Content, string? BridgedFrom = null)
{
    public const string Credential = "vc";
    public const string Hcert = "hcert";

    public JsonObject ToJson(bool withContent = true)
    {
        var json = new JsonObject { ["id"] = Id, ["kind"] = Kind, ["added"] = Added.ToString("O") };
        if (BridgedFrom is not null) json["bridgedFrom"] = BridgedFrom;
        if (Kind == Credential && Content is JsonObject vc)
        {
            json["type"] = vc["type"]?.DeepClone();
            json["issuer"] = Vc.Credentials.Model.DataModel.IssuerId(vc);
            json["validFrom"] = vc["validFrom"]?.DeepClone();
        }
        if (withContent) json["content"] = Content.DeepClone();
        return json;
    }

    /// <summary>The HC1 string a verifier can scan: the HCERT itself, or the one a bridged credential carries as evidence.</summary>
    public string? Hc1 => Kind == Hcert
        ? Content.GetValue<string>()
        : (Content["evidence"] switch { JsonArray a => a.OfType<JsonObject>(), JsonObject o => [o], _ => [] })
            .Select(e => e["hc1"] is JsonValue v && v.TryGetValue(out string? s) ? s : null).FirstOrDefault(s => s is not null);
}

/// <summary>
/// A holder wallet in the data directory (wallet/, 0700): its own holder key and the credentials it holds, each file
/// encrypted (AES-256-GCM under the data directory's master key, bound to the record's name) and written 0600.
/// </summary>
public sealed class HolderWallet(string directory, KeyProtector protector, TimeProvider time)
{
    private const string HolderRecord = "wallet/holder";
    private const int MaxItemBytes = 1024 * 1024;

    public static HolderWallet Open(string dataDirectory, TimeProvider time) =>
        new(Path.Combine(dataDirectory, "wallet"), KeyProtector.FromConfiguration(dataDirectory), time);

    private string HolderPath => Path.Combine(directory, "holder.key");
    private string ItemsDirectory => Path.Combine(directory, "items");

    /// <summary>Creates the holder key (once; an existing wallet is never overwritten).</summary>
    public async Task<WalletHolder> InitAsync()
    {
        if (File.Exists(HolderPath)) throw new AgentException("wallet.exists", $"a wallet already exists in {directory}");
        DataDirectory.Ensure(directory);
        DataDirectory.Ensure(ItemsDirectory);
        var seed = RandomNumberGenerator.GetBytes(32); // the RFC 8032 private key, kept only encrypted
        try
        {
            using var key = Ed25519SigningKey.FromSeed(seed);
            await WriteNewAsync(HolderPath, protector.Protect(seed, HolderRecord), "wallet.exists");
            return Profile(key);
        }
        finally { Array.Clear(seed); }
    }

    public async Task<WalletHolder> HolderAsync()
    {
        using var key = await HolderKeyAsync();
        return Profile(key);
    }

    /// <summary>Keeps a credential as it is (it is verified by whoever it is shown to, not here).</summary>
    public Task<WalletItem> ImportCredentialAsync(JsonObject credential, string? bridgedFrom = null) =>
        AddAsync(WalletItem.Credential, credential.DeepClone(), bridgedFrom);

    /// <summary>Keeps an HCERT as its HC1 string, exactly as received.</summary>
    public Task<WalletItem> ImportHcertAsync(string hc1)
    {
        var text = hc1.Trim();
        if (!text.StartsWith(HcertCodec.Prefix, StringComparison.Ordinal))
            throw new AgentException("wallet.input", "an HCERT must start with HC1:");
        return AddAsync(WalletItem.Hcert, JsonValue.Create(text), null);
    }

    public async Task<IReadOnlyList<WalletItem>> ListAsync()
    {
        await HolderAsync(); // a wallet that was never initialised is an error, not an empty list
        var items = new List<WalletItem>();
        foreach (var file in Directory.EnumerateFiles(ItemsDirectory, "*.item").Order(StringComparer.Ordinal))
            items.Add(await ReadAsync(Path.GetFileNameWithoutExtension(file)));
        return [.. items.OrderBy(i => i.Added)];
    }

    public async Task<WalletItem> GetAsync(string id)
    {
        await HolderAsync();
        return await ReadAsync(CheckId(id));
    }

    public async Task RemoveAsync(string id)
    {
        var item = await GetAsync(id);
        File.Delete(ItemPath(item.Id));
    }

    /// <summary>A presentation of the chosen credentials for a verifier's challenge and domain, signed by the holder key.</summary>
    public async Task<JsonObject> PresentAsync(DataIntegrityProofs proofs, IReadOnlyList<string> ids, string challenge, string? domain)
    {
        if (ids.Count == 0) throw new AgentException("wallet.input", "name at least one credential to present");
        var credentials = new List<JsonObject>();
        foreach (var id in ids)
        {
            var item = await GetAsync(id);
            if (item.Kind != WalletItem.Credential)
                throw new AgentException("wallet.not-a-credential", $"{id} is an HCERT: show it as a QR code (wallet qr), or import it with --bridge for a VC");
            credentials.Add((JsonObject)item.Content.DeepClone());
        }
        using var key = await HolderKeyAsync();
        var holder = IssuerProfile.ForDidKey(key);
        return await new PresentationSigner(proofs).CreateAsync(new HolderProfile(holder.Issuer, holder.VerificationMethod, key), credentials, challenge, domain,
            time.GetUtcNow());
    }

    private async Task<WalletItem> AddAsync(string kind, JsonNode content, string? bridgedFrom)
    {
        await HolderAsync();
        var canonical = content.ToJsonString();
        // The id is the content's hash: importing the same credential twice is noticed, and ids never collide.
        var id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(kind + "\n" + canonical)))[..16];
        var item = new WalletItem(id, kind, time.GetUtcNow(), content, bridgedFrom);
        var plain = Encoding.UTF8.GetBytes(item.ToJson().ToJsonString());
        if (plain.Length > MaxItemBytes) throw new AgentException("wallet.input", $"a wallet item is limited to {MaxItemBytes} bytes");
        await WriteNewAsync(ItemPath(id), protector.Protect(plain, Record(id)), "wallet.duplicate");
        return item;
    }

    private async Task<WalletItem> ReadAsync(string id)
    {
        var path = ItemPath(id);
        if (!File.Exists(path)) throw new AgentException("wallet.not-found", $"no item {id} in the wallet");
        var plain = protector.Unprotect(await File.ReadAllBytesAsync(path), Record(id));
        var json = JsonNode.Parse(plain)!.AsObject();
        return new WalletItem((string)json["id"]!, (string)json["kind"]!, DateTimeOffset.Parse((string)json["added"]!, System.Globalization.CultureInfo.InvariantCulture),
            json["content"]!.DeepClone(), (string?)json["bridgedFrom"]);
    }

    private async Task<Ed25519SigningKey> HolderKeyAsync()
    {
        if (!File.Exists(HolderPath)) throw new AgentException("wallet.not-initialized", $"no wallet in {directory}: run `vchealth wallet init` first");
        var seed = protector.Unprotect(await File.ReadAllBytesAsync(HolderPath), HolderRecord);
        try { return Ed25519SigningKey.FromSeed(seed); }
        finally { Array.Clear(seed); }
    }

    private static WalletHolder Profile(Ed25519SigningKey key)
    {
        var profile = IssuerProfile.ForDidKey(key);
        return new WalletHolder(profile.Issuer, profile.VerificationMethod);
    }

    private string ItemPath(string id) => Path.Combine(ItemsDirectory, id + ".item");

    private static string Record(string id) => "wallet/item/" + id;

    /// <summary>Ids are 16 lower-case hex digits: anything else never reaches the file system.</summary>
    private static string CheckId(string id) =>
        id.Length == 16 && id.All(char.IsAsciiHexDigitLower) ? id : throw new AgentException("wallet.not-found", $"'{id}' is not a wallet item id");

    private static async Task WriteNewAsync(string path, byte[] content, string existsType)
    {
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            await using var file = new FileStream(path, create);
            await file.WriteAsync(content);
        }
        catch (IOException e) when (File.Exists(path))
        {
            throw new AgentException(existsType, existsType == "wallet.duplicate" ? "this credential is already in the wallet" : $"{path} already exists", e);
        }
    }
}
