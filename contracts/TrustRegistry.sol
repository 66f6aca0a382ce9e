// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title TrustRegistry — who may issue which health credentials, in the shape of the WHO GDHCN.
/// @notice A trust anchor (e.g. WHO) onboards participants (countries, ISO 3166-1 alpha-3 as bytes3), each with an
///         admin address and the trust domains it is onboarded for. Each participant manages its own issuers: DIDs
///         and DSC key ids (kid + SHA-256 certificate thumbprint), each with its domains and a validity window.
///         Every change is an event carrying the full new state, so the registry and its history can be rebuilt
///         from logs alone. Trust-list snapshots are anchored as Merkle roots (RFC 9162 tree shape, keccak256).
///         A participant may instead commit its whole issuer list as one Merkle root (same leaf encoding): the
///         entries and their inclusion proofs live off-chain, one transaction per list change, whatever its size.
///         No personal data: only country codes, addresses, institutional identifiers and hashes.
contract TrustRegistry {
    enum Status { None, Active, Suspended, Removed }
    enum IssuerKind { None, Did, Dsc }

    /// One slot: admin (20) | domains (4) | status (1).
    struct Participant { address admin; uint32 domains; Status status; }
    /// One slot: kind | status | domains | validFrom | validUntil (unix seconds; validUntil max = open-ended).
    struct Issuer { IssuerKind kind; Status status; uint32 domains; uint64 validFrom; uint64 validUntil; }
    /// One slot per anchored root.
    struct Snapshot { bytes3 country; uint32 leafCount; uint64 asOfBlock; uint64 anchoredAt; }
    /// A participant's current off-chain issuer list: its root, then one slot leafCount | version | updatedAt.
    struct IssuerList { bytes32 root; uint32 leafCount; uint32 version; uint64 updatedAt; }

    struct IssuerInput {
        bytes3 country; IssuerKind kind; bytes identifier; bytes32 thumbprint;
        uint32 domains; uint64 validFrom; uint64 validUntil;
    }
    /// A relayed write: who signed it, for which nonce, until when, for which chain, and the 65-byte r‖s‖v signature.
    struct Auth { address signer; uint256 nonce; uint256 deadline; uint256 chainId; bytes signature; }

    address public anchor;
    mapping(bytes3 => Participant) public participants;
    mapping(bytes3 => mapping(bytes32 => Issuer)) public issuers;
    mapping(bytes3 => mapping(bytes32 => bytes32)) public thumbprints;
    mapping(bytes32 => Snapshot) public snapshots;
    mapping(address => uint256) public nonces;
    mapping(bytes3 => IssuerList) public issuerLists;

    uint256 private constant MAX_DID_LENGTH = 512;
    uint256 private constant MAX_KID_LENGTH = 64;
    // secp256k1n / 2: EIP-2 low-s rule, so a signature has exactly one valid form.
    uint256 private constant HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0;

    // EIP-712 §"Definition of domainSeparator" and §"Definition of hashStruct".
    bytes32 private constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 private constant NAME_HASH = keccak256("VcHealthTrustRegistry");
    bytes32 private constant VERSION_HASH = keccak256("1");
    bytes32 private constant TRANSFER_ANCHOR_TYPEHASH =
        keccak256("TransferAnchor(address newAnchor,uint256 nonce,uint256 deadline)");
    bytes32 private constant ONBOARD_TYPEHASH =
        keccak256("OnboardParticipant(bytes3 country,address admin,uint32 domains,uint256 nonce,uint256 deadline)");
    bytes32 private constant UPDATE_PARTICIPANT_TYPEHASH =
        keccak256("UpdateParticipant(bytes3 country,address admin,uint32 domains,uint256 nonce,uint256 deadline)");
    bytes32 private constant PARTICIPANT_STATUS_TYPEHASH =
        keccak256("SetParticipantStatus(bytes3 country,uint8 status,uint256 nonce,uint256 deadline)");
    bytes32 private constant ADD_ISSUER_TYPEHASH = keccak256(
        "AddIssuer(bytes3 country,uint8 kind,bytes identifier,bytes32 thumbprint,uint32 domains,uint64 validFrom,"
        "uint64 validUntil,uint256 nonce,uint256 deadline)");
    bytes32 private constant ISSUER_STATUS_TYPEHASH =
        keccak256("SetIssuerStatus(bytes3 country,bytes32 issuerId,uint8 status,uint256 nonce,uint256 deadline)");
    bytes32 private constant SNAPSHOT_TYPEHASH = keccak256(
        "AnchorSnapshot(bytes3 country,bytes32 root,uint32 leafCount,uint64 asOfBlock,uint256 nonce,uint256 deadline)");

    bytes32 private constant ISSUER_LIST_TYPEHASH =
        keccak256("SetIssuerList(bytes3 country,bytes32 root,uint32 leafCount,uint256 nonce,uint256 deadline)");

    event AnchorTransferred(address indexed previousAnchor, address indexed newAnchor);
    event ParticipantOnboarded(bytes3 indexed country, address admin, uint32 domains, address actor);
    event ParticipantUpdated(bytes3 indexed country, address admin, uint32 domains, address actor);
    event ParticipantStatusChanged(bytes3 indexed country, Status status, address actor);
    event IssuerAdded(
        bytes3 indexed country, bytes32 indexed issuerId, IssuerKind kind, bytes identifier, bytes32 thumbprint,
        uint32 domains, uint64 validFrom, uint64 validUntil, address actor);
    event IssuerStatusChanged(bytes3 indexed country, bytes32 indexed issuerId, Status status, address actor);
    event SnapshotAnchored(
        bytes3 indexed country, bytes32 indexed root, uint32 leafCount, uint64 asOfBlock, address actor);
    event IssuerListSet(bytes3 indexed country, bytes32 indexed root, uint32 leafCount, uint32 version, address actor);

    error NotTrustAnchor(address actor);
    error NotParticipantAdmin(bytes3 country, address actor);
    error UnknownParticipant(bytes3 country);
    error ParticipantExists(bytes3 country);
    error ParticipantNotActive(bytes3 country, Status status);
    error UnknownIssuer(bytes3 country, bytes32 issuerId);
    error IssuerExists(bytes3 country, bytes32 issuerId);
    error InvalidTransition(Status from, Status to);
    error InvalidCountryCode(bytes3 country);
    error InvalidAddress();
    error InvalidDomains(uint32 requested, uint32 allowed);
    error InvalidValidity(uint64 validFrom, uint64 validUntil);
    error InvalidIssuer(IssuerKind kind);
    error InvalidSnapshot(bytes32 root);
    error SnapshotExists(bytes32 root);
    error BadSignature(address claimedSigner);
    error WrongChainId(uint256 expected, uint256 actual);
    error InvalidNonce(address signer, uint256 expected, uint256 actual);
    error SignatureExpired(uint256 deadline);

    constructor(address trustAnchor) {
        if (trustAnchor == address(0)) revert InvalidAddress();
        anchor = trustAnchor;
        emit AnchorTransferred(address(0), trustAnchor);
    }

    // ---------------------------------------------------------------- views

    function DOMAIN_SEPARATOR() public view returns (bytes32) {
        return keccak256(abi.encode(DOMAIN_TYPEHASH, NAME_HASH, VERSION_HASH, block.chainid, address(this)));
    }

    /// Current answer: participant and issuer active, domain within both, now inside the validity window.
    /// Historical answers are rebuilt from events (the client's reader).
    function isTrusted(bytes3 country, bytes32 issuerId, uint32 domain) external view returns (bool) {
        Participant memory p = participants[country];
        Issuer memory i = issuers[country][issuerId];
        return domain != 0 && p.status == Status.Active && p.domains & domain == domain
            && i.status == Status.Active && i.domains & domain == domain
            && i.validFrom <= block.timestamp && block.timestamp <= i.validUntil;
    }

    /// Trust-list leaf hash (the encoding the client's snapshot builder uses): RFC 9162 §2.1.1 leaf prefix 0x00.
    function leafHash(
        bytes3 country, IssuerKind kind, bytes32 issuerId, bytes32 thumbprint, uint32 domains, uint64 validFrom,
        uint64 validUntil, Status status) external pure returns (bytes32) {
        return keccak256(abi.encodePacked(bytes1(0x00),
            abi.encode(country, kind, issuerId, thumbprint, domains, validFrom, validUntil, status)));
    }

    /// Whether a leaf is in an anchored snapshot: RFC 9162 §2.1.3.2 inclusion-proof verification, keccak256.
    function verifySnapshotLeaf(bytes32 root, bytes32 leaf, uint256 index, bytes32[] calldata proof)
        external view returns (bool) {
        uint256 size = snapshots[root].leafCount;
        if (snapshots[root].anchoredAt == 0 || index >= size) return false;
        uint256 fn = index;
        uint256 sn = size - 1;
        bytes32 r = leaf;
        for (uint256 k = 0; k < proof.length; k++) {
            if (sn == 0) return false;
            if (fn & 1 == 1 || fn == sn) {
                r = keccak256(abi.encodePacked(bytes1(0x01), proof[k], r));
                while (fn & 1 == 0 && fn != 0) { fn >>= 1; sn >>= 1; }
            } else {
                r = keccak256(abi.encodePacked(bytes1(0x01), r, proof[k]));
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && r == root;
    }

    /// Everything a listed-issuer check needs from the chain in one call: the participant, its current issuer-list
    /// root (zero: none) and the chain's now (the client verifies the leaf's inclusion proof against the root).
    function issuerListState(bytes3 country) external view returns (
        Status participantStatus, uint32 participantDomains, bytes32 root, uint32 leafCount, uint32 version,
        uint64 updatedAt, uint64 blockTime, uint64 blockNumber) {
        Participant memory p = participants[country];
        IssuerList memory l = issuerLists[country];
        return (p.status, p.domains, l.root, l.leafCount, l.version, l.updatedAt, uint64(block.timestamp),
            uint64(block.number));
    }

    // ---------------------------------------------------------------- anchor governance

    function transferAnchor(address newAnchor) external { _transferAnchor(msg.sender, newAnchor); }

    function transferAnchorSigned(address newAnchor, Auth calldata auth) external {
        _transferAnchor(_signer(auth, keccak256(abi.encode(
            TRANSFER_ANCHOR_TYPEHASH, newAnchor, auth.nonce, auth.deadline))), newAnchor);
    }

    function onboardParticipant(bytes3 country, address admin, uint32 domains) external {
        _onboard(msg.sender, country, admin, domains);
    }

    function onboardParticipantSigned(bytes3 country, address admin, uint32 domains, Auth calldata auth) external {
        _onboard(_signer(auth, keccak256(abi.encode(
            ONBOARD_TYPEHASH, country, admin, domains, auth.nonce, auth.deadline))), country, admin, domains);
    }

    function updateParticipant(bytes3 country, address admin, uint32 domains) external {
        _updateParticipant(msg.sender, country, admin, domains);
    }

    function updateParticipantSigned(bytes3 country, address admin, uint32 domains, Auth calldata auth) external {
        _updateParticipant(_signer(auth, keccak256(abi.encode(
            UPDATE_PARTICIPANT_TYPEHASH, country, admin, domains, auth.nonce, auth.deadline))), country, admin, domains);
    }

    /// Suspend (Active→Suspended), reinstate (Suspended→Active) or remove (→Removed, final) a participant.
    function setParticipantStatus(bytes3 country, Status status) external {
        _setParticipantStatus(msg.sender, country, status);
    }

    function setParticipantStatusSigned(bytes3 country, Status status, Auth calldata auth) external {
        _setParticipantStatus(_signer(auth, keccak256(abi.encode(
            PARTICIPANT_STATUS_TYPEHASH, country, status, auth.nonce, auth.deadline))), country, status);
    }

    // ---------------------------------------------------------------- participant's issuers

    function addIssuer(IssuerInput calldata input) external { _addIssuer(msg.sender, input); }

    function addIssuerSigned(IssuerInput calldata input, Auth calldata auth) external {
        _addIssuer(_signer(auth, _addIssuerStructHash(input, auth)), input);
    }

    /// Suspend (Active→Suspended), reinstate (Suspended→Active) or remove (→Removed; may be added again later).
    function setIssuerStatus(bytes3 country, bytes32 issuerId, Status status) external {
        _setIssuerStatus(msg.sender, country, issuerId, status);
    }

    function setIssuerStatusSigned(bytes3 country, bytes32 issuerId, Status status, Auth calldata auth) external {
        _setIssuerStatus(_signer(auth, keccak256(abi.encode(
            ISSUER_STATUS_TYPEHASH, country, issuerId, status, auth.nonce, auth.deadline))), country, issuerId, status);
    }

    /// Anchors a trust-list Merkle root: country 0x000000 = the whole registry (trust anchor only), otherwise
    /// the participant's own list (its admin only).
    function anchorSnapshot(bytes3 country, bytes32 root, uint32 leafCount, uint64 asOfBlock) external {
        _anchorSnapshot(msg.sender, country, root, leafCount, asOfBlock);
    }

    function anchorSnapshotSigned(bytes3 country, bytes32 root, uint32 leafCount, uint64 asOfBlock, Auth calldata auth)
        external {
        _anchorSnapshot(_signer(auth, keccak256(abi.encode(
            SNAPSHOT_TYPEHASH, country, root, leafCount, asOfBlock, auth.nonce, auth.deadline))),
            country, root, leafCount, asOfBlock);
    }

    /// Replaces the participant's issuer-list root (its admin only): adding, suspending or removing any number of
    /// listed issuers is one write; proofs against the previous root stop verifying.
    function setIssuerList(bytes3 country, bytes32 root, uint32 leafCount) external {
        _setIssuerList(msg.sender, country, root, leafCount);
    }

    function setIssuerListSigned(bytes3 country, bytes32 root, uint32 leafCount, Auth calldata auth) external {
        _setIssuerList(_signer(auth, keccak256(abi.encode(
            ISSUER_LIST_TYPEHASH, country, root, leafCount, auth.nonce, auth.deadline))), country, root, leafCount);
    }

    // ---------------------------------------------------------------- internals

    function _transferAnchor(address actor, address newAnchor) private {
        _onlyAnchor(actor);
        if (newAnchor == address(0)) revert InvalidAddress();
        emit AnchorTransferred(actor, newAnchor);
        anchor = newAnchor;
    }

    function _onboard(address actor, bytes3 country, address admin, uint32 domains) private {
        _onlyAnchor(actor);
        _checkCountry(country);
        if (admin == address(0)) revert InvalidAddress();
        if (domains == 0) revert InvalidDomains(domains, type(uint32).max);
        if (participants[country].status != Status.None) revert ParticipantExists(country);
        participants[country] = Participant(admin, domains, Status.Active);
        emit ParticipantOnboarded(country, admin, domains, actor);
    }

    function _updateParticipant(address actor, bytes3 country, address admin, uint32 domains) private {
        _onlyAnchor(actor);
        Participant storage p = participants[country];
        if (p.status == Status.None) revert UnknownParticipant(country);
        if (p.status == Status.Removed) revert ParticipantNotActive(country, p.status);
        if (admin == address(0)) revert InvalidAddress();
        if (domains == 0) revert InvalidDomains(domains, type(uint32).max);
        p.admin = admin;
        p.domains = domains;
        emit ParticipantUpdated(country, admin, domains, actor);
    }

    function _setParticipantStatus(address actor, bytes3 country, Status status) private {
        _onlyAnchor(actor);
        Participant storage p = participants[country];
        if (p.status == Status.None) revert UnknownParticipant(country);
        _checkTransition(p.status, status);
        p.status = status;
        emit ParticipantStatusChanged(country, status, actor);
    }

    function _addIssuer(address actor, IssuerInput calldata input) private {
        Participant storage p = _onlyAdmin(actor, input.country);
        IssuerKind kind = input.kind;
        uint256 length = input.identifier.length;
        if (kind == IssuerKind.Did) {
            // A DID: "did:" prefix, bounded length, no thumbprint.
            if (length < 7 || length > MAX_DID_LENGTH || bytes4(input.identifier[:4]) != bytes4("did:")
                || input.thumbprint != 0) revert InvalidIssuer(kind);
        } else if (kind == IssuerKind.Dsc) {
            // A DSC key id with the SHA-256 thumbprint of its certificate.
            if (length == 0 || length > MAX_KID_LENGTH || input.thumbprint == 0) revert InvalidIssuer(kind);
        } else {
            revert InvalidIssuer(kind);
        }
        uint32 allowed = p.domains;
        if (input.domains == 0 || input.domains & allowed != input.domains) revert InvalidDomains(input.domains, allowed);
        if (input.validFrom > input.validUntil) revert InvalidValidity(input.validFrom, input.validUntil);

        bytes32 issuerId = keccak256(input.identifier);
        Issuer storage i = issuers[input.country][issuerId];
        if (i.status == Status.Active || i.status == Status.Suspended) revert IssuerExists(input.country, issuerId);
        issuers[input.country][issuerId] =
            Issuer(kind, Status.Active, input.domains, input.validFrom, input.validUntil);
        if (kind == IssuerKind.Dsc) thumbprints[input.country][issuerId] = input.thumbprint;
        _emitIssuerAdded(input, issuerId, actor);
    }

    // Its own frame: the event's ten words do not fit the stack beside _addIssuer's locals.
    function _emitIssuerAdded(IssuerInput calldata input, bytes32 issuerId, address actor) private {
        emit IssuerAdded(input.country, issuerId, input.kind, input.identifier, input.thumbprint, input.domains,
            input.validFrom, input.validUntil, actor);
    }

    function _setIssuerStatus(address actor, bytes3 country, bytes32 issuerId, Status status) private {
        _onlyAdmin(actor, country);
        Issuer storage i = issuers[country][issuerId];
        if (i.status == Status.None) revert UnknownIssuer(country, issuerId);
        _checkTransition(i.status, status);
        i.status = status;
        emit IssuerStatusChanged(country, issuerId, status, actor);
    }

    function _anchorSnapshot(address actor, bytes3 country, bytes32 root, uint32 leafCount, uint64 asOfBlock)
        private {
        if (country == bytes3(0)) _onlyAnchor(actor);
        else _onlyAdmin(actor, country);
        if (root == 0 || asOfBlock > block.number) revert InvalidSnapshot(root);
        if (snapshots[root].anchoredAt != 0) revert SnapshotExists(root);
        snapshots[root] = Snapshot(country, leafCount, asOfBlock, uint64(block.timestamp));
        emit SnapshotAnchored(country, root, leafCount, asOfBlock, actor);
    }

    function _setIssuerList(address actor, bytes3 country, bytes32 root, uint32 leafCount) private {
        _onlyAdmin(actor, country);
        if (root == 0) revert InvalidSnapshot(root);
        IssuerList storage l = issuerLists[country];
        uint32 version = l.version + 1;
        issuerLists[country] = IssuerList(root, leafCount, version, uint64(block.timestamp));
        emit IssuerListSet(country, root, leafCount, version, actor);
    }

    function _onlyAnchor(address actor) private view {
        if (actor != anchor) revert NotTrustAnchor(actor);
    }

    function _onlyAdmin(address actor, bytes3 country) private view returns (Participant storage p) {
        p = participants[country];
        if (p.status == Status.None) revert UnknownParticipant(country);
        if (actor != p.admin) revert NotParticipantAdmin(country, actor);
        if (p.status != Status.Active) revert ParticipantNotActive(country, p.status);
    }

    /// Active⇄Suspended, and either →Removed. Removed is final for the entry (issuers may be added anew).
    function _checkTransition(Status from, Status to) private pure {
        bool ok = (from == Status.Active && (to == Status.Suspended || to == Status.Removed))
            || (from == Status.Suspended && (to == Status.Active || to == Status.Removed));
        if (!ok) revert InvalidTransition(from, to);
    }

    /// ISO 3166-1 alpha-3: three upper-case ASCII letters.
    function _checkCountry(bytes3 country) private pure {
        for (uint256 k = 0; k < 3; k++) {
            bytes1 c = country[k];
            if (c < 0x41 || c > 0x5A) revert InvalidCountryCode(country);
        }
    }

    function _addIssuerStructHash(IssuerInput calldata input, Auth calldata auth) private pure returns (bytes32) {
        // Two static halves concatenated equal one abi.encode of all fields (every field is one 32-byte word).
        return keccak256(bytes.concat(
            abi.encode(ADD_ISSUER_TYPEHASH, input.country, input.kind, keccak256(input.identifier), input.thumbprint),
            abi.encode(input.domains, input.validFrom, input.validUntil, auth.nonce, auth.deadline)));
    }

    /// EIP-712 signed write: the chain it was signed for, its deadline, the signature, then the signer's nonce.
    function _signer(Auth calldata auth, bytes32 structHash) private returns (address) {
        if (auth.chainId != block.chainid) revert WrongChainId(block.chainid, auth.chainId);
        if (block.timestamp > auth.deadline) revert SignatureExpired(auth.deadline);
        // EIP-712 §"Specification of the eth_signTypedData JSON RPC": "\x19\x01" ‖ domainSeparator ‖ hashStruct.
        bytes32 digest = keccak256(abi.encodePacked(bytes2(0x1901), DOMAIN_SEPARATOR(), structHash));
        if (auth.signer == address(0) || _recover(digest, auth.signature) != auth.signer)
            revert BadSignature(auth.signer);
        uint256 expected = nonces[auth.signer];
        if (auth.nonce != expected) revert InvalidNonce(auth.signer, expected, auth.nonce);
        nonces[auth.signer] = expected + 1;
        return auth.signer;
    }

    function _recover(bytes32 digest, bytes calldata signature) private pure returns (address) {
        if (signature.length != 65) return address(0);
        bytes32 r = bytes32(signature[0:32]);
        bytes32 s = bytes32(signature[32:64]);
        uint8 v = uint8(signature[64]);
        if (v < 27) v += 27;
        if (uint256(s) > HALF_N || (v != 27 && v != 28)) return address(0);
        return ecrecover(digest, v, r, s);
    }
}
