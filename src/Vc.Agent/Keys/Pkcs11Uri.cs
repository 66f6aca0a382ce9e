namespace Vc.Agent.Keys;

/// <summary>
/// A PKCS#11 URI (RFC 7512) naming a key in a token: <c>pkcs11:token=T;object=O[;id=%01]?module-path=/…/lib.so&amp;pin-source=file:/…</c>.
/// The PIN is never part of the URI we accept on a command line (pin-value is refused): it comes from
/// <c>pin-source</c> (a 0600 file) or the VCHEALTH_PKCS11_PIN environment variable.
/// </summary>
public sealed record Pkcs11Uri(string Token, string Object, byte[]? Id, string ModulePath, string? PinSource)
{
    /// <summary>The SoftHSM2 module of the Debian package, used when neither the URI nor VCHEALTH_PKCS11_MODULE names one.</summary>
    public const string DefaultModule = "/usr/lib/softhsm/libsofthsm2.so";

    public static bool IsPkcs11(string? value) => value is not null && value.StartsWith("pkcs11:", StringComparison.OrdinalIgnoreCase);

    /// <exception cref="Pkcs11KeyException">the URI is malformed, lacks token or object, or carries a PIN value.</exception>
    public static Pkcs11Uri Parse(string uri)
    {
        if (!IsPkcs11(uri)) throw new Pkcs11KeyException("not a pkcs11: URI");
        var body = uri["pkcs11:".Length..];
        var q = body.IndexOf('?');
        var (path, query) = q < 0 ? (body, "") : (body[..q], body[(q + 1)..]);
        // RFC 7512 §2.3: path attributes separated by ';', query attributes by '&'; values percent-encoded.
        var attrs = Split(path, ';');
        var queryAttrs = Split(query, '&');
        if (queryAttrs.ContainsKey("pin-value") || attrs.ContainsKey("pin-value"))
            throw new Pkcs11KeyException("a PIN in the URI is refused: use pin-source=file:… or VCHEALTH_PKCS11_PIN");
        var token = attrs.GetValueOrDefault("token") ?? throw new Pkcs11KeyException("the URI names no token (token=…)");
        var obj = attrs.GetValueOrDefault("object") ?? throw new Pkcs11KeyException("the URI names no object (object=…)");
        var id = attrs.TryGetValue("id", out var idText) ? System.Text.Encoding.Latin1.GetBytes(idText) : null;
        var module = queryAttrs.GetValueOrDefault("module-path")
            ?? (Environment.GetEnvironmentVariable("VCHEALTH_PKCS11_MODULE") is { Length: > 0 } env ? env : DefaultModule);
        return new Pkcs11Uri(token, obj, id, module, queryAttrs.GetValueOrDefault("pin-source"));
    }

    /// <summary>The user PIN: pin-source file (RFC 7512 §2.3, "file:" or a path), else VCHEALTH_PKCS11_PIN.</summary>
    public string ReadPin()
    {
        if (PinSource is { } source)
        {
            var path = source.StartsWith("file:", StringComparison.Ordinal) ? source["file:".Length..] : source;
            try { return File.ReadAllText(path).TrimEnd('\r', '\n'); }
            catch (IOException e) { throw new Pkcs11KeyException($"cannot read the PIN from {path}: {e.Message}"); }
            catch (UnauthorizedAccessException e) { throw new Pkcs11KeyException($"cannot read the PIN from {path}: {e.Message}"); }
        }
        return Environment.GetEnvironmentVariable("VCHEALTH_PKCS11_PIN") is { Length: > 0 } pin
            ? pin
            : throw new Pkcs11KeyException("no PIN: set pin-source=file:… in the URI or VCHEALTH_PKCS11_PIN");
    }

    /// <summary>The URI without secrets, for messages and output.</summary>
    public override string ToString() => $"pkcs11:token={Token};object={Object}";

    private static Dictionary<string, string> Split(string text, char separator)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in text.Split(separator, StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0) throw new Pkcs11KeyException($"malformed PKCS#11 URI attribute '{part}'");
            try { result[part[..eq]] = Uri.UnescapeDataString(part[(eq + 1)..]); }
            catch (UriFormatException) { throw new Pkcs11KeyException($"malformed percent-encoding in '{part}'"); }
        }
        return result;
    }
}

/// <summary>A PKCS#11 key could not be used: which step and why (never the PIN, never key material).</summary>
public sealed class Pkcs11KeyException(string message, Exception? inner = null) : Exception("pkcs11: " + message, inner);
