// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @notice One account's pocket on one spot market: funds behind its orders and unswept proceeds.
/// @dev Layout (uint256, bit 0 = least significant):
///   255 254        240 239       192 191          120 119       72 71             0
///   +--+-------------+-------------+----------------+------------+----------------+
///   |M | open orders | unswept base| unswept quote  | locked base| locked quote   |
///   +--+-------------+-------------+----------------+------------+----------------+
///   locked quote 72 (tick units) | locked base 48 (lots) | unswept quote 72 (tick units) |
///   unswept base 48 (lots) | open orders 15 | M = margin flag (the account has a liability: debt or
///   perp exposure). Locked quote is the low field, so spending it is plain subtraction on the word.
type SpotPocket is uint256;

using SpotPocketLib for SpotPocket global;

library SpotPocketLib {
    uint256 internal constant LOCKED_BASE_SHIFT = 72;
    uint256 internal constant UNSWEPT_QUOTE_SHIFT = 120;
    uint256 internal constant UNSWEPT_BASE_SHIFT = 192;
    uint256 internal constant OPEN_ORDERS_SHIFT = 240;
    uint256 internal constant MARGIN_SHIFT = 255;
    /// @dev largest quote field (tick units)
    uint256 internal constant MAX_QUOTE = (1 << 72) - 1;
    uint256 internal constant QUOTE_BITS = 72;
    /// @dev largest base field (lots)
    uint256 internal constant MAX_BASE = (1 << 48) - 1;
    uint256 internal constant BASE_BITS = 48;
    uint256 internal constant MASK_OPEN_ORDERS = 0x7fff;

    /// @dev Fields must fit (`fits`); `openOrders_` ≤ the book's cap. The margin flag is set apart
    /// (`withMargin`), so this has no branch and the legacy optimizer inlines it.
    function pack(
        uint256 lockedQuote_,
        uint256 lockedBase_,
        uint256 unsweptQuote_,
        uint256 unsweptBase_,
        uint256 openOrders_
    ) internal pure returns (SpotPocket) {
        return SpotPocket.wrap(
            lockedQuote_ | (lockedBase_ << LOCKED_BASE_SHIFT) | (unsweptQuote_ << UNSWEPT_QUOTE_SHIFT)
                | (unsweptBase_ << UNSWEPT_BASE_SHIFT) | (openOrders_ << OPEN_ORDERS_SHIFT)
        );
    }

    /// @dev The four amounts fit their fields (x ≤ 2^k − 1 ⇔ x >> k = 0; no branch).
    function fits(uint256 lockedQuote_, uint256 lockedBase_, uint256 unsweptQuote_, uint256 unsweptBase_)
        internal
        pure
        returns (bool)
    {
        return ((lockedQuote_ | unsweptQuote_) >> QUOTE_BITS) | ((lockedBase_ | unsweptBase_) >> BASE_BITS) == 0;
    }

    function lockedQuote(SpotPocket w) internal pure returns (uint256) {
        return SpotPocket.unwrap(w) & MAX_QUOTE;
    }

    function lockedBase(SpotPocket w) internal pure returns (uint256) {
        return (SpotPocket.unwrap(w) >> LOCKED_BASE_SHIFT) & MAX_BASE;
    }

    function unsweptQuote(SpotPocket w) internal pure returns (uint256) {
        return (SpotPocket.unwrap(w) >> UNSWEPT_QUOTE_SHIFT) & MAX_QUOTE;
    }

    function unsweptBase(SpotPocket w) internal pure returns (uint256) {
        return (SpotPocket.unwrap(w) >> UNSWEPT_BASE_SHIFT) & MAX_BASE;
    }

    function openOrders(SpotPocket w) internal pure returns (uint256) {
        return (SpotPocket.unwrap(w) >> OPEN_ORDERS_SHIFT) & MASK_OPEN_ORDERS;
    }

    function margin(SpotPocket w) internal pure returns (bool) {
        return SpotPocket.unwrap(w) >> MARGIN_SHIFT != 0;
    }

    function isEmpty(SpotPocket w) internal pure returns (bool) {
        return SpotPocket.unwrap(w) == 0;
    }

    function withMargin(SpotPocket w) internal pure returns (SpotPocket) {
        return SpotPocket.wrap(SpotPocket.unwrap(w) | (1 << MARGIN_SHIFT));
    }

    // The subtractions below are unchecked: the caller knows the field holds at least the amount
    // (a lock was added at placement), and a checked subtraction on the whole word would not guard
    // the field anyway. Unchecked, each is one basic block, which the legacy optimizer inlines.

    /// @dev Locked quote less `ticks`; the caller knows at least that much is locked.
    function subLockedQuote(SpotPocket w, uint256 ticks) internal pure returns (SpotPocket) {
        unchecked {
            return SpotPocket.wrap(SpotPocket.unwrap(w) - ticks);
        }
    }

    /// @dev Locked base less `lots`; the caller knows at least that much is locked.
    function subLockedBase(SpotPocket w, uint256 lots) internal pure returns (SpotPocket) {
        unchecked {
            return SpotPocket.wrap(SpotPocket.unwrap(w) - (lots << LOCKED_BASE_SHIFT));
        }
    }

    /// @dev One open order fewer; the caller knows there is one.
    function lessOpenOrder(SpotPocket w) internal pure returns (SpotPocket) {
        unchecked {
            return SpotPocket.wrap(SpotPocket.unwrap(w) - (1 << OPEN_ORDERS_SHIFT));
        }
    }

    /// @dev Unswept quote set to `ticks`; the caller checks `ticks` ≤ `MAX_QUOTE`.
    function withUnsweptQuote(SpotPocket w, uint256 ticks) internal pure returns (SpotPocket) {
        return SpotPocket.wrap(
            (SpotPocket.unwrap(w) & ~(MAX_QUOTE << UNSWEPT_QUOTE_SHIFT)) | (ticks << UNSWEPT_QUOTE_SHIFT)
        );
    }

    /// @dev Unswept base set to `lots`; the caller checks `lots` ≤ `MAX_BASE`.
    function withUnsweptBase(SpotPocket w, uint256 lots) internal pure returns (SpotPocket) {
        return SpotPocket.wrap(
            (SpotPocket.unwrap(w) & ~(MAX_BASE << UNSWEPT_BASE_SHIFT)) | (lots << UNSWEPT_BASE_SHIFT)
        );
    }
}
