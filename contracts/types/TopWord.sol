// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @notice A book's market state, read by every place and take: best prices, pause, fees.
/// @dev Layout (uint256, bit 0 = least significant):
///   255                 128 127    88 87      72 71      56 55    48 47      24 23       0
///   +----------------------+--------+----------+----------+--------+----------+----------+
///   | fees accrued         | zero   | taker fee| maker fee| paused | best ask | best bid |
///   +----------------------+--------+----------+----------+--------+----------+----------+
///   best bid 24 and best ask 24 (ticks, 0 = side empty) | paused 8 (non-zero = paused) |
///   maker fee bps 16 (int16, negative = rebate) | taker fee bps 16 | fees accrued 128 (tick units).
type TopWord is uint256;

using TopWordLib for TopWord global;

library TopWordLib {
    uint256 internal constant ASK_SHIFT = 24;
    uint256 internal constant PAUSED_SHIFT = 48;
    uint256 internal constant MAKER_FEE_SHIFT = 56;
    uint256 internal constant TAKER_FEE_SHIFT = 72;
    uint256 internal constant FEES_SHIFT = 128;
    uint256 internal constant MASK_TICK = (1 << 24) - 1;
    uint256 internal constant MASK_8 = 0xff;
    uint256 internal constant MASK_BESTS = (1 << 48) - 1;
    uint256 internal constant MASK_FEE_BPS = (1 << 32) - 1;

    function bestBid(TopWord w) internal pure returns (uint256) {
        return TopWord.unwrap(w) & MASK_TICK;
    }

    function bestAsk(TopWord w) internal pure returns (uint256) {
        return (TopWord.unwrap(w) >> ASK_SHIFT) & MASK_TICK;
    }

    /// @dev Best tick of `side` (0 bids, 1 asks).
    function best(TopWord w, uint256 side) internal pure returns (uint256) {
        return side == 0 ? bestBid(w) : bestAsk(w);
    }

    function withBestBid(TopWord w, uint256 tick) internal pure returns (TopWord) {
        return TopWord.wrap((TopWord.unwrap(w) & ~MASK_TICK) | tick);
    }

    function withBestAsk(TopWord w, uint256 tick) internal pure returns (TopWord) {
        return TopWord.wrap((TopWord.unwrap(w) & ~(MASK_TICK << ASK_SHIFT)) | (tick << ASK_SHIFT));
    }

    /// @dev True iff the best bid or best ask differs between `a` and `b`.
    function bestsDiffer(TopWord a, TopWord b) internal pure returns (bool) {
        return (TopWord.unwrap(a) ^ TopWord.unwrap(b)) & MASK_BESTS != 0;
    }

    function paused(TopWord w) internal pure returns (bool) {
        return (TopWord.unwrap(w) >> PAUSED_SHIFT) & MASK_8 != 0;
    }

    function withPaused(TopWord w, bool paused_) internal pure returns (TopWord) {
        uint256 v = TopWord.unwrap(w) & ~(MASK_8 << PAUSED_SHIFT);
        return TopWord.wrap(paused_ ? v | (1 << PAUSED_SHIFT) : v);
    }

    function makerFeeBps(TopWord w) internal pure returns (int16) {
        // safe: the field is 16 bits, read back as the int16 it was written from
        return int16(uint16(TopWord.unwrap(w) >> MAKER_FEE_SHIFT));
    }

    function takerFeeBps(TopWord w) internal pure returns (uint16) {
        // safe: the field is 16 bits
        return uint16(TopWord.unwrap(w) >> TAKER_FEE_SHIFT);
    }

    function withFees(TopWord w, int16 makerFeeBps_, uint16 takerFeeBps_) internal pure returns (TopWord) {
        uint256 v = TopWord.unwrap(w) & ~(MASK_FEE_BPS << MAKER_FEE_SHIFT);
        return TopWord.wrap(
            v | (uint256(uint16(makerFeeBps_)) << MAKER_FEE_SHIFT) | (uint256(takerFeeBps_) << TAKER_FEE_SHIFT)
        );
    }

    /// @dev Fees accrued, tick units.
    function feesAccrued(TopWord w) internal pure returns (uint256) {
        return TopWord.unwrap(w) >> FEES_SHIFT;
    }

    /// @dev `ticks` more fees; the 128-bit field holds far more than any market's lifetime fees.
    function addFees(TopWord w, uint256 ticks) internal pure returns (TopWord) {
        unchecked {
            return TopWord.wrap(TopWord.unwrap(w) + (ticks << FEES_SHIFT));
        }
    }

    /// @dev `ticks` fewer fees; the caller knows at least `ticks` accrued.
    function subFees(TopWord w, uint256 ticks) internal pure returns (TopWord) {
        unchecked {
            return TopWord.wrap(TopWord.unwrap(w) - (ticks << FEES_SHIFT));
        }
    }

    function withoutFees(TopWord w) internal pure returns (TopWord) {
        return TopWord.wrap(TopWord.unwrap(w) & type(uint128).max);
    }
}
