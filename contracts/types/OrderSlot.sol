// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {AccountId} from "./AccountId.sol";

/// @notice A resting order as stored: one slot of its level's 256-entry ring.
/// @dev Layout (uint256, bit 0 = least significant):
///   255                    96 95        64 63   57 56 55            8 7     0
///   +------------------------+------------+-------+--+---------------+-------+
///   | owner                  | expiry     | lap   |R | lots          | sub   |
///   +------------------------+------------+-------+--+---------------+-------+
///   owner 160 | expiry 32 (unix s, 0 = none) | lap tag 7 | R = reduce-only | lots 48 | sub 8.
/// Masking with `ACCOUNT_MASK` yields the `AccountId` verbatim. The lap tag is (queue position >> 8)
/// mod 128: a ring slot is shared by every position ≡ it mod 256, and the tag tells which of them
/// the slot holds (positions of one level are < 32,768 apart). A slot whose lots are 0 holds no live
/// order; its owner bits stay so the next order there rewrites a non-zero slot.
type OrderSlot is uint256;

using OrderSlotLib for OrderSlot global;

library OrderSlotLib {
    uint256 internal constant LOTS_SHIFT = 8;
    uint256 internal constant REDUCE_ONLY_SHIFT = 56;
    uint256 internal constant LAP_SHIFT = 57;
    uint256 internal constant EXPIRY_SHIFT = 64;
    uint256 internal constant MASK_LOTS = (1 << 48) - 1;
    uint256 internal constant MASK_LAP = 0x7f;
    uint256 internal constant MASK_32 = (1 << 32) - 1;
    uint256 internal constant ACCOUNT_MASK = (type(uint256).max << 96) | 0xff;
    /// @dev a position's lap: position >> 8 (the ring has 256 slots)
    uint256 internal constant RING_BITS = 8;

    /// @dev A new slot without its lap tag (`withLap` adds it); `reduceOnly_` is 0 or 1 (a flag bit,
    /// not a bool: no branch, so the legacy optimizer inlines this).
    function pack(AccountId account_, uint256 lots_, uint256 reduceOnly_, uint256 expiry_)
        internal
        pure
        returns (OrderSlot)
    {
        return OrderSlot.wrap(
            uint256(AccountId.unwrap(account_)) | (lots_ << LOTS_SHIFT) | (reduceOnly_ << REDUCE_ONLY_SHIFT)
                | (expiry_ << EXPIRY_SHIFT)
        );
    }

    /// @dev The lap tag of queue position `pos`, in place.
    function lapTagOf(uint256 pos) internal pure returns (uint256) {
        return ((pos >> RING_BITS) & MASK_LAP) << LAP_SHIFT;
    }

    /// @dev `s` (no lap tag yet) stored at queue position `pos`.
    function withLap(OrderSlot s, uint256 pos) internal pure returns (OrderSlot) {
        return OrderSlot.wrap(OrderSlot.unwrap(s) | lapTagOf(pos));
    }

    /// @dev The slot holds position `pos`'s entry (live or not: check `lots`).
    function isAt(OrderSlot s, uint256 pos) internal pure returns (bool) {
        return OrderSlot.unwrap(s) & (MASK_LAP << LAP_SHIFT) == lapTagOf(pos);
    }

    function lapTag(OrderSlot s) internal pure returns (uint256) {
        return (OrderSlot.unwrap(s) >> LAP_SHIFT) & MASK_LAP;
    }

    function account(OrderSlot s) internal pure returns (AccountId) {
        return AccountId.wrap(bytes32(OrderSlot.unwrap(s) & ACCOUNT_MASK));
    }

    function isOwnedBy(OrderSlot s, AccountId a) internal pure returns (bool) {
        return OrderSlot.unwrap(s) & ACCOUNT_MASK == uint256(AccountId.unwrap(a));
    }

    function lots(OrderSlot s) internal pure returns (uint256) {
        return (OrderSlot.unwrap(s) >> LOTS_SHIFT) & MASK_LOTS;
    }

    function reduceOnly(OrderSlot s) internal pure returns (bool) {
        return (OrderSlot.unwrap(s) >> REDUCE_ONLY_SHIFT) & 1 != 0;
    }

    function expiry(OrderSlot s) internal pure returns (uint256) {
        return (OrderSlot.unwrap(s) >> EXPIRY_SHIFT) & MASK_32;
    }

    /// @dev `n` fewer lots; the caller knows the order holds at least `n`.
    function subLots(OrderSlot s, uint256 n) internal pure returns (OrderSlot) {
        unchecked {
            return OrderSlot.wrap(OrderSlot.unwrap(s) - (n << LOTS_SHIFT));
        }
    }

    /// @dev No lots left (cancelled or finished); the other fields stay.
    function cleared(OrderSlot s) internal pure returns (OrderSlot) {
        return OrderSlot.wrap(OrderSlot.unwrap(s) & ~(MASK_LOTS << LOTS_SHIFT));
    }
}
