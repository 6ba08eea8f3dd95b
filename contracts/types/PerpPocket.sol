// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @notice One account's pocket on one perp market: open order exposure and unsettled cash.
/// @dev Layout (uint256, most significant first):
///   [255..128] unsettled cash, quote atoms, int128
///   [127..112] zero
///   [111..96]  open orders (uint16)
///   [95..48]   open ask lots (uint48)
///   [47..0]    open bid lots (uint48)
type PerpPocket is uint256;

using PerpPocketLib for PerpPocket global;

library PerpPocketLib {
    using SafeCast for int256;

    uint256 internal constant MAX_LOTS = (1 << 48) - 1;
    uint256 private constant LOTS_MASK = (1 << 48) - 1;
    uint256 private constant ASK_SHIFT = 48;
    uint256 private constant ORDERS_SHIFT = 96;
    uint256 private constant ORDERS_MASK = 0xffff;
    uint256 private constant CASH_SHIFT = 128;
    uint256 private constant LOW_HALF = (1 << 128) - 1;

    function bidLots(PerpPocket p) internal pure returns (uint256) {
        return PerpPocket.unwrap(p) & LOTS_MASK;
    }

    function askLots(PerpPocket p) internal pure returns (uint256) {
        return (PerpPocket.unwrap(p) >> ASK_SHIFT) & LOTS_MASK;
    }

    function openOrders(PerpPocket p) internal pure returns (uint256) {
        return (PerpPocket.unwrap(p) >> ORDERS_SHIFT) & ORDERS_MASK;
    }

    function cash(PerpPocket p) internal pure returns (int256) {
        return int128(uint128(PerpPocket.unwrap(p) >> CASH_SHIFT));
    }

    /// @notice The pocket with its cash replaced (SafeCast to int128).
    function withCash(PerpPocket p, int256 cash_) internal pure returns (PerpPocket) {
        return PerpPocket.wrap((PerpPocket.unwrap(p) & LOW_HALF) | (uint256(uint128(cash_.toInt128())) << CASH_SHIFT));
    }

    /// @notice `lots` fewer open lots on `side` (0 = bids). Checked: reverts if more than are open.
    function lessLots(PerpPocket p, uint256 side, uint256 lots) internal pure returns (PerpPocket) {
        uint256 w = PerpPocket.unwrap(p);
        return PerpPocket.wrap(side == 0 ? w - lots : w - (lots << ASK_SHIFT));
    }

    /// @notice One open order fewer. Checked: reverts on none.
    function lessOrder(PerpPocket p) internal pure returns (PerpPocket) {
        return PerpPocket.wrap(PerpPocket.unwrap(p) - (1 << ORDERS_SHIFT));
    }

    /// @notice Packs a pocket. The caller checks bids and asks fit 48 bits (`MAX_LOTS`); the order
    /// count fits 16 bits because the book caps open orders per account far below that.
    function pack(uint256 bids, uint256 asks, uint256 orders, int256 cash_) internal pure returns (PerpPocket) {
        return PerpPocket.wrap(
            bids | (asks << ASK_SHIFT) | (orders << ORDERS_SHIFT) | (uint256(uint128(cash_.toInt128())) << CASH_SHIFT)
        );
    }
}
