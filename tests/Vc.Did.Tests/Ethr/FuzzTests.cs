using CsCheck;
using Vc.Did.Ethr;

namespace Vc.Did.Tests.Ethr;

/// <summary>Arbitrary input never escapes the typed errors of the parsers and the log decoder.</summary>
public sealed class FuzzTests
{
    [Fact]
    public void Any_string_either_parses_as_did_ethr_or_fails_with_DidParseException()
    {
        var prefixes = Gen.Int[0, 4].Select(i => new[] { "did:ethr:", "did:ethr:anvil:0x", "did:ethr:0x7a69:0x03", "did:key:z6Mk", "" }[i]);
        Gen.Select(prefixes, Gen.String).Sample((p, s) =>
        {
            try { _ = EthrDid.Parse(p + s); } catch (DidParseException) { }
        }, iter: 3000);
    }

    [Fact]
    public void Any_log_data_either_decodes_or_fails_with_Erc1056DecodeException()
    {
        var topics = Gen.Int[0, 2].Select(i => new[] { Erc1056Log.OwnerChangedTopic, Erc1056Log.DelegateChangedTopic, Erc1056Log.AttributeChangedTopic }[i]);
        var data = Gen.Byte.Array[0, 400];
        Gen.Select(topics, data).Sample((t, d) =>
        {
            var log = new RawLog(5, "0x" + new string('a', 64), 0, "0x5fbdb2315678afecb367f032d93f642f64180aa3",
                [t, "0x00000000000000000000000070997970c51812dc3a010c7d01b50e0d17dc79c8"], d);
            try
            {
                var (pc, ev) = Erc1056Log.Decode(log, 256);
                Assert.True(pc >= 0);
                if (ev is DidAttributeChanged a) Assert.True(a.Value.Length <= 256);
            }
            catch (Erc1056DecodeException) { }
        }, iter: 3000);
    }

    [Fact]
    public void A_declared_value_length_near_int_max_is_a_decode_error_not_an_overflow()
    {
        var data = new byte[192];
        data[63] = 0x80; // offset 128
        data[128 + 28] = 0x7f; data[128 + 29] = 0xff; data[128 + 30] = 0xff; data[128 + 31] = 0xf0; // length ≈ int.MaxValue
        var log = new RawLog(5, "0x" + new string('a', 64), 0, "0x5fbdb2315678afecb367f032d93f642f64180aa3",
            [Erc1056Log.AttributeChangedTopic, "0x00000000000000000000000070997970c51812dc3a010c7d01b50e0d17dc79c8"], data);
        Assert.Throws<Erc1056DecodeException>(() => Erc1056Log.Decode(log, int.MaxValue));
    }
}
