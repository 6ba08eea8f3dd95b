// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {OrderId} from "./OrderId.sol";

/// @notice What one `batch` op did: `batch`'s return value and `BatchExecuted`'s `results`, one per op.
/// @dev Layout (uint256, bit 0 = least significant):
///   255        216 215    208 207        160 159          112 111                  0
///   +------------+----------+--------------+---------------+----------------------+
///   | zero       | status   | lots         | filled lots   | order id             |
///   +------------+----------+--------------+---------------+----------------------+
///   status 8:  1 PLACED    a place op left an order resting: order id = its id, lots = its
///                          resting lots, filled lots = what it took first (0 if none)
///              2 FILLED    a place op filled `filled lots` as taker and rests nothing
///              3 UNFILLED  a place op neither filled nor rests (IOC / market with nothing to take
///                          within its price, a GTC stopped by self-trade prevention)
///              4 CANCELLED a cancel (by id or client id): order id = the cancelled order, lots =
///                          what was still open
///              5 AMENDED   an amend: order id = the order, lots = its new size
///              6 SKIPPED   a skip-if-missing op whose order was no longer live: order id = the
///                          op's id (0 for a cancel by client id), lots 0
type BatchResult is uint256;

using BatchResultLib for BatchResult global;

library BatchResultLib {
    uint256 internal constant PLACED = 1;
    uint256 internal constant FILLED = 2;
    uint256 internal constant UNFILLED = 3;
    uint256 internal constant CANCELLED = 4;
    uint256 internal constant AMENDED = 5;
    uint256 internal constant SKIPPED = 6;

    uint256 internal constant FILLED_SHIFT = 112;
    uint256 internal constant LOTS_SHIFT = 160;
    uint256 internal constant STATUS_SHIFT = 208;
    uint256 internal constant MASK_ORDER_ID = (1 << 112) - 1;
    uint256 internal constant MASK_LOTS = (1 << 48) - 1;
    uint256 internal constant MASK_8 = 0xff;

    /// @dev Lots fit 48 bits (order words carry 48-bit sizes) and ids 112 bits (`OrderId`).
    function from(uint256 status_, OrderId id, uint256 filledLots_, uint256 lots_) internal pure returns (BatchResult) {
        return BatchResult.wrap(
            (status_ << STATUS_SHIFT) | (lots_ << LOTS_SHIFT) | (filledLots_ << FILLED_SHIFT) | OrderId.unwrap(id)
        );
    }

    function status(BatchResult r) internal pure returns (uint256) {
        return (BatchResult.unwrap(r) >> STATUS_SHIFT) & MASK_8;
    }

    function orderId(BatchResult r) internal pure returns (OrderId) {
        return OrderId.wrap(BatchResult.unwrap(r) & MASK_ORDER_ID);
    }

    function filledLots(BatchResult r) internal pure returns (uint256) {
        return (BatchResult.unwrap(r) >> FILLED_SHIFT) & MASK_LOTS;
    }

    function lots(BatchResult r) internal pure returns (uint256) {
        return (BatchResult.unwrap(r) >> LOTS_SHIFT) & MASK_LOTS;
    }
}
