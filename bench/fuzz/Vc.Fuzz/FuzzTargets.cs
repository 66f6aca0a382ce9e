using System.Text;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Vc.Did.Encoding;
using Vc.Did.Ethr;
using Vc.Interop.Hcert;
using Vc.Interop.Qr;
using Vc.Interop.TrustLists;
using Vc.JsonLd;

namespace Vc.Fuzz;

/// <summary>What a target made of one input: the library returned a result, or refused it with its typed error.</summary>
public enum FuzzOutcome { Accepted, Rejected }

/// <summary>
/// One fuzzing target. The contract: any input gives a result (<see cref="FuzzOutcome.Accepted"/>) or one of the
/// library's typed exceptions (<see cref="FuzzOutcome.Rejected"/>); any other exception escapes <see cref="Run"/>
/// and is a finding (AFL records it as a crash), as are a process crash and a run over the time limit (a hang).
/// </summary>
public sealed class FuzzTarget(string name, string what, Func<byte[], object?> body, params Type[] typedErrors)
{
    public string Name { get; } = name;
    public string What { get; } = what;
    /// <summary>The library's typed errors for this input surface (empty: the API promises a verdict, never throws).</summary>
    public IReadOnlyList<Type> TypedErrors { get; } = typedErrors;

    public FuzzOutcome Run(byte[] input)
    {
        try
        {
            _ = body(input);
            return FuzzOutcome.Accepted;
        }
        catch (Exception e) when (TypedErrors.Contains(e.GetType()))
        {
            return FuzzOutcome.Rejected;
        }
    }
}

/// <summary>The campaign's targets, by name (one per argument of the harness).</summary>
public static class FuzzTargets
{
    // AFL hands over arbitrary bytes; the text surfaces see them as UTF-8 (invalid sequences become U+FFFD), as a
    // file or HTTP body read as text would.
    private static string Text(byte[] input) => Encoding.UTF8.GetString(input);

    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        new("base45", "RFC 9285 Base45 decoding (the HC1 payload alphabet)",
            input => Base45.Decode(Text(input)), typeof(HcertException)),

        new("zlib", "the bounded zlib inflate of the HCERT path (verifier cap: 64 KiB)",
            input => Zlib.Inflate(input, new HcertVerifierOptions().MaxInflatedBytes), typeof(HcertException)),

        new("cose", "COSE_Sign1 → CWT claims → hcert payloads (EU DCC as JSON, ICVP model)", DecodeCose, typeof(HcertException)),

        new("hcert", "HC1 string → verdict (fixed trust store, fixed clock); the verifier answers, never throws",
            input => FuzzFixtures.Verifier.Value.Verify(Text(input))),

        new("qr", "QR code image (PNG/JPEG/BMP) → text", HcertQr.Decode, typeof(HcertException)),

        new("jsonld", "JSON → JSON-LD 1.1 expansion (bundled contexts, safe mode, default limits)", ExpandJsonLd, typeof(JsonLdException)),

        new("nquads", "N-Quads parsing", input => NQuads.Parse(Text(input)), typeof(RdfcException)),

        new("rdfc", "N-Quads → RDFC-1.0 canonical form (default work bound: factor 1)",
            input => Rdfc10.CanonicalizeNQuads(Text(input)), typeof(RdfcException)),

        new("ethr-log", "ERC-1056 registry log (first byte picks topic 0, the rest is the log data) → event", DecodeEthrLog,
            typeof(Erc1056DecodeException)),

        new("eu-gateway", "EU DCC gateway trust list (JSON items, CMS signatures) against a fixed trust anchor",
            input => EuGatewayTrustList.Load(input, FuzzFixtures.GatewayAnchor.Value), typeof(TrustListException)),

        new("gdhcn", "WHO GDHCN did:web trust-list document → trust entries", input => GdhcnDidTrustList.Load(input),
            typeof(TrustListException)),
    ];

    public static FuzzTarget? Find(string name) => All.FirstOrDefault(t => t.Name == name);

    private static object DecodeCose(byte[] input)
    {
        var cose = CoseSign1.Decode(input);
        var claims = CwtClaims.Decode(cose.Payload);
        var decoded = new DecodedHcert(cose, claims);
        // Both payload readers the verifier uses: the EU DCC as JSON (schema input), the ICVP into its model.
        return (decoded.EuDcc, decoded.Icvp, cose.ToBeSigned().Length);
    }

    private static object ExpandJsonLd(byte[] input)
    {
        using var document = JsonLdProcessor.Parse(input);
        return JsonLdProcessor.Expand(document.RootElement);
    }

    private static object? DecodeEthrLog(byte[] input)
    {
        if (input.Length == 0) return null;
        // Read here, not in a static field: instrumented code (Erc1056Log's initialiser) must not run before
        // Fuzzer.Run maps AFL's coverage memory.
        string[] topics = [Erc1056Log.OwnerChangedTopic, Erc1056Log.DelegateChangedTopic, Erc1056Log.AttributeChangedTopic, "0x" + new string('0', 64)];
        var log = new FilterLog
        {
            BlockNumber = new HexBigInteger(5), BlockHash = "0x" + new string('a', 64), LogIndex = new HexBigInteger(0),
            Address = "0x5fbdb2315678afecb367f032d93f642f64180aa3",
            Topics = [topics[input[0] % topics.Length], "0x00000000000000000000000070997970c51812dc3a010c7d01b50e0d17dc79c8"],
            Data = Codec.ToHex0x(input.AsSpan(1).ToArray()),
        };
        return Erc1056Log.Decode(log);
    }
}
