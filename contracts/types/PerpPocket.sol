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

    /// @notice The pocket with `atoms` more cash (SafeCast to int128).
    function addCash(PerpPocket p, int256 atoms) internal pure returns (PerpPocket) {
        return withCash(p, cash(p) + atoms);
    }

    /// @notice `lots` fewer open lots on `side` (0 = bids) and, if `orderEnds`, one open order fewer.
    /// Checked: reverts if more lots, or more orders, than are open.
    function less(PerpPocket p, uint256 side, uint256 lots, bool orderEnds) internal pure returns (PerpPocket) {
        uint256 w = PerpPocket.unwrap(p) - (side == 0 ? lots : lots << ASK_SHIFT);
        if (orderEnds) w -= 1 << ORDERS_SHIFT;
        return PerpPocket.wrap(w);
    }

    /// @notice Every field at once: open bid lots, open ask lots, open orders, cash.
    function unpack(PerpPocket p) internal pure returns (uint256 bids, uint256 asks, uint256 orders, int256 cash_) {
        uint256 w = PerpPocket.unwrap(p);
        return (w & LOTS_MASK, (w >> ASK_SHIFT) & LOTS_MASK, (w >> ORDERS_SHIFT) & ORDERS_MASK, int128(uint128(w >> CASH_SHIFT)));
    }

    /// @notice Packs a pocket. The caller checks bids and asks fit 48 bits (`MAX_LOTS`); the order
    /// count fits 16 bits because the book caps open orders per account far below that.
    function pack(uint256 bids, uint256 asks, uint256 orders, int256 cash_) internal pure returns (PerpPocket) {
        return PerpPocket.wrap(
            bids | (asks << ASK_SHIFT) | (orders << ORDERS_SHIFT) | (uint256(uint128(cash_.toInt128())) << CASH_SHIFT)
        );
    }
}
