// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title EthereumDIDRegistry — an ERC-1056 compatible registry for did:ethr identities.
/// @notice Our own implementation: same functions, events and signed-write hash layout as ERC-1056, so existing
///         did:ethr resolvers read this chain. Nothing personal is ever stored: only addresses, key material
///         published by the identity itself, and validity times.
///         Additions: chain-bound signed writes through the same *Signed functions (EIP-712 domain with chainId
///         and this registry's address, marked by sigV 29/30), so such a signature cannot be replayed on another
///         chain; deactivation (owner 0x0) is final.
contract EthereumDIDRegistry {
    // One slot per identity: owner (bits 0..159) | block of the last change (bits 160..223) | deactivated (bit 255).
    // Keeping owner and `changed` together costs each write one storage slot instead of two.
    mapping(address => uint256) private _records;
    mapping(address => mapping(bytes32 => mapping(address => uint256))) public delegates;
    mapping(address => uint256) public nonce;

    uint256 private constant OWNER_MASK = (1 << 160) - 1;
    uint256 private constant CHANGED_SHIFT = 160;
    uint256 private constant CHANGED_MASK = ((1 << 64) - 1) << 160;
    uint256 private constant DEACTIVATED = 1 << 255;

    // EIP-712 §"Definition of domainSeparator" and §"Definition of hashStruct".
    bytes32 private constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 private constant NAME_HASH = keccak256("EthereumDIDRegistry");
    bytes32 private constant VERSION_HASH = keccak256("1");
    /// Chain-bound signed writes sign this EIP-712 struct over the ERC-1056 signed-write hash.
    bytes32 private constant ERC1056_WRITE_TYPEHASH = keccak256("ERC1056Write(bytes32 erc1056Hash)");

    event DIDOwnerChanged(address indexed identity, address owner, uint256 previousChange);
    event DIDDelegateChanged(
        address indexed identity, bytes32 delegateType, address delegate, uint256 validTo, uint256 previousChange);
    event DIDAttributeChanged(
        address indexed identity, bytes32 name, bytes value, uint256 validTo, uint256 previousChange);

    // ---- ERC-1056 views ----

    /// ERC-1056: the owner set by changeOwner (0x0 while unowned, and after deactivation).
    function owners(address identity) external view returns (address) {
        return address(uint160(_records[identity] & OWNER_MASK));
    }

    /// ERC-1056: block number of the identity's latest change (0: never changed).
    function changed(address identity) external view returns (uint256) {
        return (_records[identity] & CHANGED_MASK) >> CHANGED_SHIFT;
    }

    /// ERC-1056: an identity owns itself until ownership is changed. A deactivated identity has no owner (0x0).
    function identityOwner(address identity) public view returns (address) {
        return _ownerOf(identity, _records[identity]);
    }

    function deactivated(address identity) external view returns (bool) {
        return _records[identity] & DEACTIVATED != 0;
    }

    function validDelegate(address identity, bytes32 delegateType, address delegate) external view returns (bool) {
        return delegates[identity][keccak256(abi.encode(delegateType))][delegate] > block.timestamp;
    }

    /// EIP-712 domain separator: binds typed signatures to this chain and this registry.
    function DOMAIN_SEPARATOR() public view returns (bytes32) {
        return keccak256(abi.encode(DOMAIN_TYPEHASH, NAME_HASH, VERSION_HASH, block.chainid, address(this)));
    }

    // ---- owner ----
    function changeOwner(address identity, address newOwner) external {
        _changeOwner(identity, msg.sender, newOwner);
    }

    function changeOwnerSigned(address identity, uint8 sigV, bytes32 sigR, bytes32 sigS, address newOwner) external {
        bytes32 hash = keccak256(abi.encodePacked(
            bytes1(0x19), bytes1(0), this, nonce[identityOwner(identity)], identity, "changeOwner", newOwner));
        _changeOwner(identity, _checkSignature(identity, sigV, sigR, sigS, hash), newOwner);
    }

    function _changeOwner(address identity, address actor, address newOwner) internal {
        uint256 record = _authorize(identity, actor);
        emit DIDOwnerChanged(identity, newOwner, (record & CHANGED_MASK) >> CHANGED_SHIFT);
        _records[identity] = uint256(uint160(newOwner)) | (block.number << CHANGED_SHIFT)
            | (newOwner == address(0) ? DEACTIVATED : 0);
    }

    // ---- delegates ----
    function addDelegate(address identity, bytes32 delegateType, address delegate, uint256 validity) external {
        _addDelegate(identity, msg.sender, delegateType, delegate, validity);
    }

    function addDelegateSigned(
        address identity, uint8 sigV, bytes32 sigR, bytes32 sigS, bytes32 delegateType, address delegate,
        uint256 validity) external {
        bytes32 hash = keccak256(abi.encodePacked(
            bytes1(0x19), bytes1(0), this, nonce[identityOwner(identity)], identity, "addDelegate",
            delegateType, delegate, validity));
        _addDelegate(identity, _checkSignature(identity, sigV, sigR, sigS, hash), delegateType, delegate, validity);
    }

    function _addDelegate(address identity, address actor, bytes32 delegateType, address delegate, uint256 validity)
        internal {
        uint256 previousChange = _change(identity, actor);
        uint256 validTo = block.timestamp + validity;
        delegates[identity][keccak256(abi.encode(delegateType))][delegate] = validTo;
        emit DIDDelegateChanged(identity, delegateType, delegate, validTo, previousChange);
    }

    function revokeDelegate(address identity, bytes32 delegateType, address delegate) external {
        _revokeDelegate(identity, msg.sender, delegateType, delegate);
    }

    function revokeDelegateSigned(
        address identity, uint8 sigV, bytes32 sigR, bytes32 sigS, bytes32 delegateType, address delegate) external {
        bytes32 hash = keccak256(abi.encodePacked(
            bytes1(0x19), bytes1(0), this, nonce[identityOwner(identity)], identity, "revokeDelegate",
            delegateType, delegate));
        _revokeDelegate(identity, _checkSignature(identity, sigV, sigR, sigS, hash), delegateType, delegate);
    }

    function _revokeDelegate(address identity, address actor, bytes32 delegateType, address delegate) internal {
        uint256 previousChange = _change(identity, actor);
        delegates[identity][keccak256(abi.encode(delegateType))][delegate] = block.timestamp;
        emit DIDDelegateChanged(identity, delegateType, delegate, block.timestamp, previousChange);
    }

    // ---- attributes ----
    function setAttribute(address identity, bytes32 name, bytes calldata value, uint256 validity) external {
        _setAttribute(identity, msg.sender, name, value, validity);
    }

    function setAttributeSigned(
        address identity, uint8 sigV, bytes32 sigR, bytes32 sigS, bytes32 name, bytes calldata value,
        uint256 validity) external {
        bytes32 hash = keccak256(abi.encodePacked(
            bytes1(0x19), bytes1(0), this, nonce[identityOwner(identity)], identity, "setAttribute",
            name, value, validity));
        _setAttribute(identity, _checkSignature(identity, sigV, sigR, sigS, hash), name, value, validity);
    }

    function _setAttribute(address identity, address actor, bytes32 name, bytes calldata value, uint256 validity)
        internal {
        emit DIDAttributeChanged(identity, name, value, block.timestamp + validity, _change(identity, actor));
    }

    function revokeAttribute(address identity, bytes32 name, bytes calldata value) external {
        _revokeAttribute(identity, msg.sender, name, value);
    }

    function revokeAttributeSigned(
        address identity, uint8 sigV, bytes32 sigR, bytes32 sigS, bytes32 name, bytes calldata value) external {
        bytes32 hash = keccak256(abi.encodePacked(
            bytes1(0x19), bytes1(0), this, nonce[identityOwner(identity)], identity, "revokeAttribute",
            name, value));
        _revokeAttribute(identity, _checkSignature(identity, sigV, sigR, sigS, hash), name, value);
    }

    function _revokeAttribute(address identity, address actor, bytes32 name, bytes calldata value) internal {
        emit DIDAttributeChanged(identity, name, value, 0, _change(identity, actor));
    }

    // ---- internals ----

    function _ownerOf(address identity, uint256 record) private pure returns (address) {
        if (record & DEACTIVATED != 0) return address(0);
        address owner = address(uint160(record & OWNER_MASK));
        return owner != address(0) ? owner : identity;
    }

    /// ERC-1056 onlyOwner: only the current owner may write ("bad_actor"); nobody may write a deactivated identity.
    function _authorize(address identity, address actor) private view returns (uint256 record) {
        record = _records[identity];
        require(actor != address(0) && actor == _ownerOf(identity, record), "bad_actor");
    }

    /// Authorizes a write and records this block as the identity's latest change (owner and flags kept);
    /// returns the previous change block for the event.
    function _change(address identity, address actor) private returns (uint256 previousChange) {
        uint256 record = _authorize(identity, actor);
        _records[identity] = (record & ~CHANGED_MASK) | (block.number << CHANGED_SHIFT);
        return (record & CHANGED_MASK) >> CHANGED_SHIFT;
    }

    /// Signed writes (ERC-1056 layout: raw hash, no personal-message prefix). Addition, in the spirit of EIP-155's
    /// chain-marked v: sigV 27/28 signs the ERC-1056 hash itself (compatible, but replayable on another chain with
    /// a registry at the same address); sigV 29/30 signs the EIP-712 digest of ERC1056Write(hash) under a domain
    /// with this chain id and registry, so the signature is valid on this chain and registry only.
    function _checkSignature(address identity, uint8 sigV, bytes32 sigR, bytes32 sigS, bytes32 hash)
        private returns (address) {
        if (sigV == 29 || sigV == 30) {
            // EIP-712: "\x19\x01" ‖ domainSeparator ‖ hashStruct(message).
            hash = keccak256(abi.encodePacked(
                bytes2(0x1901), DOMAIN_SEPARATOR(), keccak256(abi.encode(ERC1056_WRITE_TYPEHASH, hash))));
            sigV -= 2;
        }
        address signer = ecrecover(hash, sigV, sigR, sigS);
        require(signer != address(0) && signer == identityOwner(identity), "bad_signature");
        nonce[signer]++;
        return signer;
    }
}
