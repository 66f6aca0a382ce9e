using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Vc.Interop.Hcert;

/// <summary>P-256 ECDSA verification through OpenSSL's libcrypto with a verification context that is initialised
/// once per key and thread and then reused. .NET's ECDsa (also OpenSSL underneath) sets up a fresh EVP_PKEY_CTX on
/// every call, which under OpenSSL 3 costs about as much as a third of the verification itself. Only used where
/// libcrypto.so.3 loads; everything else falls back to <see cref="ECDsa"/>.</summary>
internal sealed class NativeP256Verifier : IDisposable
{
    private const string LibCrypto = "libcrypto.so.3";
    private static readonly bool Available = Probe();

    private readonly PKeyHandle _key;
    private readonly PKeyCtxHandle _ctx;

    private NativeP256Verifier(PKeyHandle key, PKeyCtxHandle ctx)
    {
        _key = key;
        _ctx = ctx;
    }

    /// <summary>A verifier for a named-curve P-256 public key, or null when libcrypto is not usable here.</summary>
    public static NativeP256Verifier? TryCreate(ECDsa key)
    {
        if (!Available || key.KeySize != 256)
            return null;
        try
        {
            var p = key.ExportParameters(false);
            if (!p.Curve.IsNamed || p.Curve.Oid.Value != "1.2.840.10045.3.1.7")
                return null;
            var spki = key.ExportSubjectPublicKeyInfo();
            var pinned = GCHandle.Alloc(spki, GCHandleType.Pinned);
            PKeyHandle pkey;
            try
            {
                var cursor = pinned.AddrOfPinnedObject();
                pkey = d2i_PUBKEY(IntPtr.Zero, ref cursor, spki.Length);
            }
            finally
            {
                pinned.Free();
            }
            if (pkey.IsInvalid)
            {
                ERR_clear_error();
                pkey.Dispose();
                return null;
            }
            var ctx = EVP_PKEY_CTX_new(pkey, IntPtr.Zero);
            if (ctx.IsInvalid || EVP_PKEY_verify_init(ctx) != 1)
            {
                ERR_clear_error();
                ctx.Dispose();
                pkey.Dispose();
                return null;
            }
            return new NativeP256Verifier(pkey, ctx);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or CryptographicException)
        {
            return null;
        }
    }

    /// <summary>RFC 9053 §2.1 ES256: SHA-256 over the data, signature r‖s (64 bytes).</summary>
    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signatureP1363)
    {
        if (signatureP1363.Length != 64)
            return false;
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(data, digest);
        Span<byte> der = stackalloc byte[72];
        var derLength = ToDer(signatureP1363, der);
        var result = EVP_PKEY_verify(_ctx, ref MemoryMarshal.GetReference(der), derLength, ref MemoryMarshal.GetReference(digest), digest.Length);
        if (result != 1)
            ERR_clear_error(); // leave no error behind for .NET's own OpenSSL calls on this thread
        return result == 1;
    }

    /// <summary>ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } (RFC 3279 §2.2.3), minimal encoding.</summary>
    private static int ToDer(ReadOnlySpan<byte> p1363, Span<byte> der)
    {
        var o = 2;
        o += WriteInteger(p1363[..32], der[o..]);
        o += WriteInteger(p1363[32..], der[o..]);
        der[0] = 0x30;
        der[1] = (byte)(o - 2);
        return o;
    }

    private static int WriteInteger(ReadOnlySpan<byte> value, Span<byte> dest)
    {
        var v = value.TrimStart((byte)0);
        if (v.IsEmpty) v = value[^1..];
        var pad = (v[0] & 0x80) != 0 ? 1 : 0;
        dest[0] = 0x02;
        dest[1] = (byte)(v.Length + pad);
        if (pad == 1) dest[2] = 0;
        v.CopyTo(dest[(2 + pad)..]);
        return 2 + pad + v.Length;
    }

    public void Dispose()
    {
        _ctx.Dispose();
        _key.Dispose();
    }

    private static bool Probe()
    {
        try
        {
            if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad(LibCrypto, out _))
                return false;
            ERR_clear_error();
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            return false;
        }
    }

    private sealed class PKeyHandle() : SafeHandle(IntPtr.Zero, ownsHandle: true)
    {
        public override bool IsInvalid => handle == IntPtr.Zero;
        protected override bool ReleaseHandle() { EVP_PKEY_free(handle); return true; }
    }

    private sealed class PKeyCtxHandle() : SafeHandle(IntPtr.Zero, ownsHandle: true)
    {
        public override bool IsInvalid => handle == IntPtr.Zero;
        protected override bool ReleaseHandle() { EVP_PKEY_CTX_free(handle); return true; }
    }

#pragma warning disable SYSLIB1054 // DllImport keeps this free of unsafe code; all parameters are blittable
    [DllImport(LibCrypto)] private static extern PKeyHandle d2i_PUBKEY(IntPtr a, ref IntPtr pp, long length);
    [DllImport(LibCrypto)] private static extern void EVP_PKEY_free(IntPtr pkey);
    [DllImport(LibCrypto)] private static extern PKeyCtxHandle EVP_PKEY_CTX_new(PKeyHandle pkey, IntPtr engine);
    [DllImport(LibCrypto)] private static extern void EVP_PKEY_CTX_free(IntPtr ctx);
    [DllImport(LibCrypto)] private static extern int EVP_PKEY_verify_init(PKeyCtxHandle ctx);
    [DllImport(LibCrypto)] private static extern int EVP_PKEY_verify(PKeyCtxHandle ctx, ref byte sig, nint siglen, ref byte tbs, nint tbslen);
    [DllImport(LibCrypto)] private static extern void ERR_clear_error();
#pragma warning restore SYSLIB1054
}
