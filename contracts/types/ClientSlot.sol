// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {OrderId} from "./OrderId.sol";

/// @notice One entry of an account's client-id ring in one market: which order a client order id
/// last named. An account has `CLIENT_RING` entries per market; client id `cid` uses entry
/// `cid mod CLIENT_RING`, so ids `cid` and `cid + CLIENT_RING` share an entry (the later placement
/// replaces the earlier mapping).
/// @dev Layout (uint256, bit 0 = least significant):
///   255                 144 143            112 111                            0
///   +----------------------+-----------------+--------------------------------+
///   | zero                 | client id       | order id                       |
///   +----------------------+-----------------+--------------------------------+
///   order id 112 (`OrderId` verbatim: market | level key | epoch | position) | client id 32 (≠ 0).
/// An entry once written is never zeroed (the next placement on it rewrites a non-zero slot): an
/// order's end leaves it in place, and `find` on its order id tells it is no longer live. Order
/// ids are never reused (a level's epoch is bumped when it empties), so a stale entry cannot name
/// another order.
type ClientSlot is uint256;

/// @dev Entries per account per market (a power of two: the index is the client id's low bits).
/// File level, not in the library: a fixed array's length must be a file-level constant.
uint256 constant CLIENT_RING = 64;

using ClientSlotLib for ClientSlot global;

library ClientSlotLib {
    uint256 internal constant CLIENT_ID_SHIFT = 112;
    uint256 internal constant MASK_ORDER_ID = (1 << 112) - 1;

    /// @dev The entry of client id `cid_` (32 bits, non-zero) naming order `orderId_` (112 bits).
    function pack(uint256 cid_, uint256 orderId_) internal pure returns (ClientSlot) {
        return ClientSlot.wrap((cid_ << CLIENT_ID_SHIFT) | orderId_);
    }

    /// @dev Index of client id `cid_`'s entry in its account's ring.
    function indexOf(uint256 cid_) internal pure returns (uint256) {
        return cid_ % CLIENT_RING;
    }

    function clientId(ClientSlot e) internal pure returns (uint256) {
        return ClientSlot.unwrap(e) >> CLIENT_ID_SHIFT;
    }

    function orderId(ClientSlot e) internal pure returns (OrderId) {
        return OrderId.wrap(ClientSlot.unwrap(e) & MASK_ORDER_ID);
    }

    /// @dev The order `cid_` names, or id 0 if this entry was last written by another client id
    /// (or never): 0 names no order of any market.
    function orderOf(ClientSlot e, uint256 cid_) internal pure returns (OrderId) {
        return clientId(e) == cid_ ? orderId(e) : OrderId.wrap(0);
    }
}
