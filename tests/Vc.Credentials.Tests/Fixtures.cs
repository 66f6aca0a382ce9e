using System.Text.Json.Nodes;
using Vc.Credentials.Icvp;
using Vc.Credentials.Issuance;
using Vc.Credentials.Keys;

namespace Vc.Credentials.Tests;

/// <summary>Keys and ICVP inputs shared by tests (fixed seeds, like the JS fixtures).</summary>
internal static class Fixtures
{
    public static Ed25519SigningKey IssuerKey() => Ed25519SigningKey.FromSeed(Enumerable.Repeat((byte)0x07, 32).ToArray());
    public static Ed25519SigningKey HolderKey() => Ed25519SigningKey.FromSeed(Enumerable.Repeat((byte)0x09, 32).ToArray());

    public const string StampAril = "YellowFeverProductd8a09f80301dc05e124f99ffe7711fc0";

    public static readonly DateTimeOffset Now = new(2025, 11, 1, 12, 0, 0, TimeSpan.Zero);

    public static IcvpHolder Holder(string? id = null) => new("Jane Doe", "1990-04-12")
    {
        Id = id, Sex = "female", Nationality = "KEN", Nid = "AB1234567", Ndt = "PPN",
    };

    public static IcvpDose YellowFeverDose(DateOnly? date = null) => new(StampAril, "1D47", date ?? new DateOnly(2025, 10, 1), "S4D123")
    {
        ClinicianName = "Dr. A. Mwangi", Issuer = "KEN", DoseNumber = 1,
    };

    public static IcvpCredentialBuilder Builder() => new(time: new FixedTime(Now));

    public static JsonObject UnsignedIcvp(IssuerProfile issuer, string? holderDid = null, StatusList.StatusListEntry? status = null) =>
        Builder().Build(Holder(holderDid), YellowFeverDose(), issuer.Issuer, "urn:uuid:6f1c2a52-1d47-4c8b-9a51-0c0ffee0a001", status);
}

/// <summary>A clock stopped at one instant.</summary>
internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
