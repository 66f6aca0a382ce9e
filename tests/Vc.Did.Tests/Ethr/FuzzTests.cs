using CsCheck;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
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
            var log = Log(t, d);
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
        Assert.Throws<Erc1056DecodeException>(() => Erc1056Log.Decode(Log(Erc1056Log.AttributeChangedTopic, data), int.MaxValue));
    }

    [Fact]
    public void A_canonical_log_decodes_and_the_same_data_with_trailing_slack_does_not()
    {
        var data = new byte[64];
        data[31] = 0x11; // owner 0x…11
        data[63] = 7;    // previousChange 7
        var (pc, ev) = Erc1056Log.Decode(Log(Erc1056Log.OwnerChangedTopic, data));
        Assert.Equal(7, pc);
        Assert.Equal("0x0000000000000000000000000000000000000011", Assert.IsType<DidOwnerChanged>(ev).Owner);
        Assert.Throws<Erc1056DecodeException>(() => Erc1056Log.Decode(Log(Erc1056Log.OwnerChangedTopic, [.. data, .. new byte[32]])));
        data[0] = 1; // dirty high bytes of the address word
        Assert.Throws<Erc1056DecodeException>(() => Erc1056Log.Decode(Log(Erc1056Log.OwnerChangedTopic, data)));
    }

    private static FilterLog Log(string topic0, byte[] data) => new()
    {
        BlockNumber = new HexBigInteger(5), BlockHash = "0x" + new string('a', 64), LogIndex = new HexBigInteger(0),
        Address = "0x5fbdb2315678afecb367f032d93f642f64180aa3",
        Topics = [topic0, "0x00000000000000000000000070997970c51812dc3a010c7d01b50e0d17dc79c8"], Data = Vc.Did.Encoding.Codec.ToHex0x(data),
    };
}
