using System.Numerics;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace Vc.Trust.Abi;

// Nethereum bindings of TrustRegistry.sol: calls, views and events. Internal: the public API is TrustRegistryClient/Reader.
#pragma warning disable CS8618 // populated by the ABI decoder

internal sealed class AuthTuple
{
    [Parameter("address", "signer", 1)] public string Signer { get; set; }
    [Parameter("uint256", "nonce", 2)] public BigInteger Nonce { get; set; }
    [Parameter("uint256", "deadline", 3)] public BigInteger Deadline { get; set; }
    [Parameter("uint256", "chainId", 4)] public BigInteger ChainId { get; set; }
    [Parameter("bytes", "signature", 5)] public byte[] Signature { get; set; }
}

internal sealed class IssuerInputTuple
{
    [Parameter("bytes3", "country", 1)] public byte[] Country { get; set; }
    [Parameter("uint8", "kind", 2)] public byte Kind { get; set; }
    [Parameter("bytes", "identifier", 3)] public byte[] Identifier { get; set; }
    [Parameter("bytes32", "thumbprint", 4)] public byte[] Thumbprint { get; set; }
    [Parameter("uint32", "domains", 5)] public uint Domains { get; set; }
    [Parameter("uint64", "validFrom", 6)] public ulong ValidFrom { get; set; }
    [Parameter("uint64", "validUntil", 7)] public ulong ValidUntil { get; set; }
}

[Function("transferAnchor")]
internal sealed class TransferAnchorFunction : FunctionMessage
{
    [Parameter("address", "newAnchor", 1)] public string NewAnchor { get; set; }
}

[Function("transferAnchorSigned")]
internal sealed class TransferAnchorSignedFunction : FunctionMessage
{
    [Parameter("address", "newAnchor", 1)] public string NewAnchor { get; set; }
    [Parameter("tuple", "auth", 2)] public AuthTuple Auth { get; set; }
}

[Function("onboardParticipant")]
internal sealed class OnboardParticipantFunction : FunctionMessage
{
    [Parameter("bytes3", "country", 1)] public byte[] Country { get; set; }
    [Parameter("address", "admin", 2)] public string Admin { get; set; }
    [Parameter("uint32", "domains", 3)] public uint Domains { get; set; }
}

[Function("onboardParticipantSigned")]
internal sealed class OnboardParticipantSignedFunction : FunctionMessage
{
    [Parameter("bytes3", "country", 1)] public byte[] Country { get; set; }
    [Parameter("address", "admin", 2)] public string Admin { get; set; }
    [Parameter("uint32", "domains", 3)] public uint Domains { get; set; }
    [Parameter("tuple", "auth", 4)] public AuthTuple Auth { get; set; }
}

[Function("updateParticipant")]
internal sealed class UpdateParticipantFunction : FunctionMessage
{
    [Parameter("bytes3", "country", 1)] public byte[] Country { get; set; }
    [Parameter("address", "admin", 2)] public string Admin { get; set; }
    [Parameter("uint32", "domains", 3)] public uint Domains { get; set; }
}

[Function("updateParticipantSigned")]
internal sealed class UpdateParticipantSignedFunction : FunctionMessage
{
    [Parameter("bytes3", "country", 1)] public byte[] Country { get; set; }
    [Parameter("address", "admin", 2)] public string Admin { get; set; }
    [Parameter("uint32", "domains", 3)] public uint Domains { get; set; }
    [Parameter("tuple", "auth", 4)] public AuthTuple Auth { get; set; }
}

[Function("setParticipantStatus")]
internal sealed class SetParticipantStatusFunction : FunctionMessage
{
    [Parameter("bytes3", "country", 1)] public byte[] Country { get; set; }
    [Parameter("uint8", "status", 2)] public byte Status { get; set; }
}

[Function("setParticipantStatusSigned")]
internal sealed class SetParticipantStatusSignedFunction : FunctionMessage
{
    [Parameter("bytes3", "country", 1)] public byte[] Country { get; set; }
    [Parameter("uint8", "status", 2)] public byte Status { get; set; }
    [Parameter("tuple", "auth", 3)] public AuthTuple Auth { get; set; }
}

[Function("addIssuer")]
internal sealed class AddIssuerFunction : FunctionMessage
{
    [Parameter("tuple", "input", 1)] public IssuerInputTuple Input { get; set; }
}

[Function("addIssuerSigned")]
internal sealed class AddIssuerSignedFunction : FunctionMessage
{
    [Parameter("tuple", "input", 1)] public IssuerInputTuple Input { get; set; }
    [Parameter("tuple", "auth", 2)] public AuthTuple Auth { get; set; }
}

[Function("setIssuerStatus")]
internal sealed class SetIssuerStatusFunction : FunctionMessage
{
    [Parameter("bytes3", "country", 1)] public byte[] Country { get; set; }
    [Parameter("bytes32", "issuerId", 2)] public byte[] IssuerId { get; set; }
    [Parameter("uint8", "status", 3)] public byte Status { get; set; }
}

[Function("setIssuerStatusSigned")]
internal sealed class SetIssuerStatusSignedFunction : FunctionMessage
{
    [Parameter("bytes3", "country", 1)] public byte[] Country { get; set; }
    [Parameter("bytes32", "issuerId", 2)] public byte[] IssuerId { get; set; }
    [Parameter("uint8", "status", 3)] public byte Status { get; set; }
    [Parameter("tuple", "auth", 4)] public AuthTuple Auth { get; set; }
}

[Function("anchorSnapshot")]
internal sealed class AnchorSnapshotFunction : FunctionMessage
{
    [Parameter("bytes3", "country", 1)] public byte[] Country { get; set; }
    [Parameter("bytes32", "root", 2)] public byte[] Root { get; set; }
    [Parameter("uint32", "leafCount", 3)] public uint LeafCount { get; set; }
    [Parameter("uint64", "asOfBlock", 4)] public ulong AsOfBlock { get; set; }
}

[Function("anchorSnapshotSigned")]
internal sealed class AnchorSnapshotSignedFunction : FunctionMessage
{
    [Parameter("bytes3", "country", 1)] public byte[] Country { get; set; }
    [Parameter("bytes32", "root", 2)] public byte[] Root { get; set; }
    [Parameter("uint32", "leafCount", 3)] public uint LeafCount { get; set; }
    [Parameter("uint64", "asOfBlock", 4)] public ulong AsOfBlock { get; set; }
    [Parameter("tuple", "auth", 5)] public AuthTuple Auth { get; set; }
}

// ---- views

[Function("nonces", "uint256")]
internal sealed class NoncesFunction : FunctionMessage
{
    [Parameter("address", "", 1)] public string Signer { get; set; }
}

[Function("anchor", "address")]
internal sealed class AnchorFunction : FunctionMessage { }

[Function("DOMAIN_SEPARATOR", "bytes32")]
internal sealed class DomainSeparatorFunction : FunctionMessage { }

[Function("isTrusted", "bool")]
internal sealed class IsTrustedFunction : FunctionMessage
{
    [Parameter("bytes3", "country", 1)] public byte[] Country { get; set; }
    [Parameter("bytes32", "issuerId", 2)] public byte[] IssuerId { get; set; }
    [Parameter("uint32", "domain", 3)] public uint Domain { get; set; }
}

[Function("snapshots", typeof(SnapshotOutput))]
internal sealed class SnapshotsFunction : FunctionMessage
{
    [Parameter("bytes32", "", 1)] public byte[] Root { get; set; }
}

[FunctionOutput]
internal sealed class SnapshotOutput : IFunctionOutputDTO
{
    [Parameter("bytes3", "country", 1)] public byte[] Country { get; set; }
    [Parameter("uint32", "leafCount", 2)] public uint LeafCount { get; set; }
    [Parameter("uint64", "asOfBlock", 3)] public ulong AsOfBlock { get; set; }
    [Parameter("uint64", "anchoredAt", 4)] public ulong AnchoredAt { get; set; }
}

[Function("participants", typeof(ParticipantOutput))]
internal sealed class ParticipantsFunction : FunctionMessage
{
    [Parameter("bytes3", "", 1)] public byte[] Country { get; set; }
}

[FunctionOutput]
internal sealed class ParticipantOutput : IFunctionOutputDTO
{
    [Parameter("address", "admin", 1)] public string Admin { get; set; }
    [Parameter("uint32", "domains", 2)] public uint Domains { get; set; }
    [Parameter("uint8", "status", 3)] public byte Status { get; set; }
}

[Function("issuers", typeof(IssuerOutput))]
internal sealed class IssuersFunction : FunctionMessage
{
    [Parameter("bytes3", "", 1)] public byte[] Country { get; set; }
    [Parameter("bytes32", "", 2)] public byte[] IssuerId { get; set; }
}

[FunctionOutput]
internal sealed class IssuerOutput : IFunctionOutputDTO
{
    [Parameter("uint8", "kind", 1)] public byte Kind { get; set; }
    [Parameter("uint8", "status", 2)] public byte Status { get; set; }
    [Parameter("uint32", "domains", 3)] public uint Domains { get; set; }
    [Parameter("uint64", "validFrom", 4)] public ulong ValidFrom { get; set; }
    [Parameter("uint64", "validUntil", 5)] public ulong ValidUntil { get; set; }
}

[Function("thumbprints", "bytes32")]
internal sealed class ThumbprintsFunction : FunctionMessage
{
    [Parameter("bytes3", "", 1)] public byte[] Country { get; set; }
    [Parameter("bytes32", "", 2)] public byte[] IssuerId { get; set; }
}

[Function("leafHash", "bytes32")]
internal sealed class LeafHashFunction : FunctionMessage
{
    [Parameter("bytes3", "country", 1)] public byte[] Country { get; set; }
    [Parameter("uint8", "kind", 2)] public byte Kind { get; set; }
    [Parameter("bytes32", "issuerId", 3)] public byte[] IssuerId { get; set; }
    [Parameter("bytes32", "thumbprint", 4)] public byte[] Thumbprint { get; set; }
    [Parameter("uint32", "domains", 5)] public uint Domains { get; set; }
    [Parameter("uint64", "validFrom", 6)] public ulong ValidFrom { get; set; }
    [Parameter("uint64", "validUntil", 7)] public ulong ValidUntil { get; set; }
    [Parameter("uint8", "status", 8)] public byte Status { get; set; }
}

[Function("verifySnapshotLeaf", "bool")]
internal sealed class VerifySnapshotLeafFunction : FunctionMessage
{
    [Parameter("bytes32", "root", 1)] public byte[] Root { get; set; }
    [Parameter("bytes32", "leaf", 2)] public byte[] Leaf { get; set; }
    [Parameter("uint256", "index", 3)] public BigInteger Index { get; set; }
    [Parameter("bytes32[]", "proof", 4)] public List<byte[]> Proof { get; set; }
}

// ---- events

[Event("AnchorTransferred")]
internal sealed class AnchorTransferredEvent : IEventDTO
{
    [Parameter("address", "previousAnchor", 1, true)] public string PreviousAnchor { get; set; }
    [Parameter("address", "newAnchor", 2, true)] public string NewAnchor { get; set; }
}

[Event("ParticipantOnboarded")]
internal sealed class ParticipantOnboardedEvent : IEventDTO
{
    [Parameter("bytes3", "country", 1, true)] public byte[] Country { get; set; }
    [Parameter("address", "admin", 2, false)] public string Admin { get; set; }
    [Parameter("uint32", "domains", 3, false)] public uint Domains { get; set; }
    [Parameter("address", "actor", 4, false)] public string Actor { get; set; }
}

[Event("ParticipantUpdated")]
internal sealed class ParticipantUpdatedEvent : IEventDTO
{
    [Parameter("bytes3", "country", 1, true)] public byte[] Country { get; set; }
    [Parameter("address", "admin", 2, false)] public string Admin { get; set; }
    [Parameter("uint32", "domains", 3, false)] public uint Domains { get; set; }
    [Parameter("address", "actor", 4, false)] public string Actor { get; set; }
}

[Event("ParticipantStatusChanged")]
internal sealed class ParticipantStatusChangedEvent : IEventDTO
{
    [Parameter("bytes3", "country", 1, true)] public byte[] Country { get; set; }
    [Parameter("uint8", "status", 2, false)] public byte Status { get; set; }
    [Parameter("address", "actor", 3, false)] public string Actor { get; set; }
}

[Event("IssuerAdded")]
internal sealed class IssuerAddedEvent : IEventDTO
{
    [Parameter("bytes3", "country", 1, true)] public byte[] Country { get; set; }
    [Parameter("bytes32", "issuerId", 2, true)] public byte[] IssuerId { get; set; }
    [Parameter("uint8", "kind", 3, false)] public byte Kind { get; set; }
    [Parameter("bytes", "identifier", 4, false)] public byte[] Identifier { get; set; }
    [Parameter("bytes32", "thumbprint", 5, false)] public byte[] Thumbprint { get; set; }
    [Parameter("uint32", "domains", 6, false)] public uint Domains { get; set; }
    [Parameter("uint64", "validFrom", 7, false)] public ulong ValidFrom { get; set; }
    [Parameter("uint64", "validUntil", 8, false)] public ulong ValidUntil { get; set; }
    [Parameter("address", "actor", 9, false)] public string Actor { get; set; }
}

[Event("IssuerStatusChanged")]
internal sealed class IssuerStatusChangedEvent : IEventDTO
{
    [Parameter("bytes3", "country", 1, true)] public byte[] Country { get; set; }
    [Parameter("bytes32", "issuerId", 2, true)] public byte[] IssuerId { get; set; }
    [Parameter("uint8", "status", 3, false)] public byte Status { get; set; }
    [Parameter("address", "actor", 4, false)] public string Actor { get; set; }
}

[Event("SnapshotAnchored")]
internal sealed class SnapshotAnchoredEvent : IEventDTO
{
    [Parameter("bytes3", "country", 1, true)] public byte[] Country { get; set; }
    [Parameter("bytes32", "root", 2, true)] public byte[] Root { get; set; }
    [Parameter("uint32", "leafCount", 3, false)] public uint LeafCount { get; set; }
    [Parameter("uint64", "asOfBlock", 4, false)] public ulong AsOfBlock { get; set; }
    [Parameter("address", "actor", 5, false)] public string Actor { get; set; }
}
