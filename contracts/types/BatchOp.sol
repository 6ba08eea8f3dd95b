// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {OrderWord} from "./OrderWord.sol";
import {OrderId} from "./OrderId.sol";

/// @notice One op of `batch`: place, cancel, amend or cancel by client order id.
/// @dev Layout (uint256, bit 0 = least significant); the kind is in the top two bits:
///   place (0):            [255..254] 0 | [253..0] an `OrderWord`
///   cancel (1):           [255..254] 1 | [111..0] order id
///   amend (2):            [255..254] 2 | [159..112] new lots | [111..0] order id
///   cancel by client id (3): [255..254] 3 | [39..8] client order id
type BatchOp is uint256;

using BatchOpLib for BatchOp global;

library BatchOpLib {
    uint256 internal constant PLACE = 0;
    uint256 internal constant CANCEL = 1;
    uint256 internal constant AMEND = 2;
    uint256 internal constant CANCEL_CLIENT_ID = 3;

    uint256 internal constant KIND_SHIFT = 254;
    uint256 internal constant NEW_LOTS_SHIFT = 112;
    uint256 internal constant CLIENT_ID_SHIFT = 8;
    uint256 internal constant MASK_ORDER_ID = (1 << 112) - 1;
    uint256 internal constant MASK_LOTS = (1 << 48) - 1;
    uint256 internal constant MASK_32 = (1 << 32) - 1;

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
}
