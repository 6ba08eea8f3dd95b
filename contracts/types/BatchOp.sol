// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {OrderWord} from "./OrderWord.sol";
import {OrderId} from "./OrderId.sol";

/// @notice One op of `batch`: place, cancel, amend or cancel by client order id.
/// @dev Layout (uint256, bit 0 = least significant); the kind is in the top two bits:
///   place (0):   255 254 253                                                          0
///                +---+----------------------------------------------------------------+
///                | 0 | an `OrderWord` (its sub-account must be the batch's `sub`)     |
///                +---+----------------------------------------------------------------+
///   cancel (1):  255 254 253 252                    112 111                           0
///                +---+---+------------------------+---------------------------------+
///                | 1 | S | zero                   | order id                        |
///                +---+---+------------------------+---------------------------------+
///   amend (2):   255 254 253 252       160 159      112 111                         0
///                +---+---+-------------+------------+-------------------------------+
///                | 2 | S | zero        | new lots   | order id                      |
///                +---+---+-------------+------------+-------------------------------+
///   cancel by client id (3):
///                255 254 253 252                     40 39             8 7          0
///                +---+---+-------------------------+-----------------+------------+
///                | 3 | S | zero                    | client order id | zero       |
///                +---+---+-------------------------+-----------------+------------+
///   S = skip if missing: when no live order has the id (or, by client id, no live order of the
///   batch's account carries it) the op is skipped (`BatchResult` status SKIPPED) instead of
///   reverting `OrderNotFound` / `ClientOrderNotFound`. A live order of another account still
///   reverts `NotOrderOwner`. The bits drawn "zero" must be zero (`BatchOpReservedBits`).
type BatchOp is uint256;

using BatchOpLib for BatchOp global;

library BatchOpLib {
    uint256 internal constant PLACE = 0;
    uint256 internal constant CANCEL = 1;
    uint256 internal constant AMEND = 2;
    uint256 internal constant CANCEL_CLIENT_ID = 3;

    uint256 internal constant KIND_SHIFT = 254;
    uint256 internal constant SKIP_SHIFT = 253;
    uint256 internal constant NEW_LOTS_SHIFT = 112;
    uint256 internal constant CLIENT_ID_SHIFT = 8;
    uint256 internal constant MASK_ORDER_ID = (1 << 112) - 1;
    uint256 internal constant MASK_LOTS = (1 << 48) - 1;
    uint256 internal constant MASK_32 = (1 << 32) - 1;
    /// @dev the op with only the skip-if-missing flag set
    uint256 internal constant SKIP_FLAG = 1 << SKIP_SHIFT;
    /// @dev bits a cancel / amend / cancel-by-client-id op may set (kind, flag and its fields)
    uint256 internal constant HEAD = (3 << KIND_SHIFT) | SKIP_FLAG;
    uint256 internal constant USED_CANCEL = HEAD | MASK_ORDER_ID;
    uint256 internal constant USED_AMEND = HEAD | (MASK_LOTS << NEW_LOTS_SHIFT) | MASK_ORDER_ID;
    uint256 internal constant USED_CANCEL_CLIENT_ID = HEAD | (MASK_32 << CLIENT_ID_SHIFT);

    function kind(BatchOp op) internal pure returns (uint256) {
        return BatchOp.unwrap(op) >> KIND_SHIFT;
    }

    /// @dev A place op is its order word verbatim (kind 0).
    function order(BatchOp op) internal pure returns (OrderWord) {
        return OrderWord.wrap(BatchOp.unwrap(op));
    }

    /// @dev Cancel and amend ops: the order id.
    function orderId(BatchOp op) internal pure returns (OrderId) {
        return OrderId.wrap(BatchOp.unwrap(op) & MASK_ORDER_ID);
    }

    /// @dev Amend op: the order's new size.
    function newLots(BatchOp op) internal pure returns (uint256) {
        return (BatchOp.unwrap(op) >> NEW_LOTS_SHIFT) & MASK_LOTS;
    }

    /// @dev Cancel-by-client-id op: the client order id.
    function clientOrderId(BatchOp op) internal pure returns (uint256) {
        return (BatchOp.unwrap(op) >> CLIENT_ID_SHIFT) & MASK_32;
    }

    /// @dev Cancel, amend and cancel-by-client-id ops: skip the op if its order is no longer live.
    function skipMissing(BatchOp op) internal pure returns (bool) {
        return (BatchOp.unwrap(op) >> SKIP_SHIFT) & 1 == 1;
    }

    /// @dev Cancel, amend and cancel-by-client-id ops: whether a bit outside the op's fields is set
    /// (a place op's unused bits are the order word's to check).
    function hasReservedBits(BatchOp op) internal pure returns (bool) {
        uint256 k = kind(op);
        uint256 used = k == CANCEL ? USED_CANCEL : k == AMEND ? USED_AMEND : USED_CANCEL_CLIENT_ID;
        return BatchOp.unwrap(op) & ~used != 0;
    }

    function place(OrderWord o) internal pure returns (BatchOp) {
        return BatchOp.wrap(OrderWord.unwrap(o));
    }

    function cancel(OrderId id) internal pure returns (BatchOp) {
        return BatchOp.wrap((CANCEL << KIND_SHIFT) | OrderId.unwrap(id));
    }

    function amend(OrderId id, uint256 newLots_) internal pure returns (BatchOp) {
        return BatchOp.wrap((AMEND << KIND_SHIFT) | (newLots_ << NEW_LOTS_SHIFT) | OrderId.unwrap(id));
    }

    function cancelClientId(uint256 clientOrderId_) internal pure returns (BatchOp) {
        return BatchOp.wrap((CANCEL_CLIENT_ID << KIND_SHIFT) | (clientOrderId_ << CLIENT_ID_SHIFT));
    }

    /// @dev `op` (cancel, amend or cancel by client id) in skip-if-missing mode.
    function skippingMissing(BatchOp op) internal pure returns (BatchOp) {
        return BatchOp.wrap(BatchOp.unwrap(op) | SKIP_FLAG);
    }
}
