// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @notice One trading account: an owner address and a sub-account number (0..255).
/// @dev Layout (bytes32, most significant first):
///   [255..96] owner address (160 bits) | [95..8] zero | [7..0] sub-account
/// Sub-accounts are margined separately; the owner moves funds between them.
/// The low 96 bits hold only the sub number so an order slot can carry the account verbatim.
type AccountId is bytes32;

using AccountIdLib for AccountId global;

library AccountIdLib {
    uint256 internal constant SUB_MASK = 0xff;

    /// @dev `sub` is a uint8 at every external boundary, so it always fits the 8-bit field.
    function from(address owner_, uint256 sub_) internal pure returns (AccountId) {
        return AccountId.wrap(bytes32((uint256(uint160(owner_)) << 96) | sub_));
    }

    function owner(AccountId a) internal pure returns (address) {
        return address(uint160(uint256(AccountId.unwrap(a)) >> 96));
    }

    function sub(AccountId a) internal pure returns (uint256) {
        return uint256(AccountId.unwrap(a)) & SUB_MASK;
    }

    function eq(AccountId a, AccountId b) internal pure returns (bool) {
        return AccountId.unwrap(a) == AccountId.unwrap(b);
    }
}
