// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @notice A perp market's premium state besides the smoothed premium (one slot): the last sample's
/// index and target, and the premium's governance parameters. `riskOf` reads it anyway (index,
/// target, half-life value the smoothed premium now), and a take's removal check warms it for the
/// sample that follows.
/// @dev Layout (uint256, most significant first):
///   [255..225] impact notional, whole USD (uint31; governance bounds it to ≤ 1e8)
///   [224]      side of the deepest counted tick (0 = bids)
///   [223..200] deepest tick the target counted (uint24; 0 = none)
///   [199..184] half-life of the smoothing, seconds (uint16; bounded to ≤ 3,600)
///   [183..152] target: the impact premium sampled then, 1e-10 of the index (int32; |target| ≤ 1e9)
///   [151..0]   index price per lot at the last sample, quote atoms × 1e18 (uint152)
type PremiumWord is uint256;

using PremiumWordLib for PremiumWord global;

library PremiumWordLib {
    /// @notice Largest index per lot the word holds (an index beyond it is treated as no price).
    uint256 internal constant MAX_INDEX_LOT = (1 << 152) - 1;
    uint256 private constant TARGET_SHIFT = 152;
    uint256 private constant HALF_LIFE_SHIFT = 184;
    uint256 private constant COUNTED_SHIFT = 200;
    uint256 private constant SIDE_SHIFT = 24; // within `counted`
    uint256 private constant IMPACT_SHIFT = 225;
    uint256 private constant TICK_MASK = (1 << 24) - 1;
    uint256 private constant COUNTED_MASK = (1 << 25) - 1;
    uint256 private constant HALF_LIFE_MASK = 0xffff;
    uint256 private constant TARGET_MASK = 0xffffffff;
    /// @dev Half-life and impact notional: what a sample keeps.
    uint256 private constant PARAMS = (HALF_LIFE_MASK << HALF_LIFE_SHIFT) | (((1 << 31) - 1) << IMPACT_SHIFT);

    function indexLot(PremiumWord w) internal pure returns (uint256) {
        return PremiumWord.unwrap(w) & MAX_INDEX_LOT;
    }

    function target(PremiumWord w) internal pure returns (int256) {
        return int32(uint32(PremiumWord.unwrap(w) >> TARGET_SHIFT));
    }

    function halfLife(PremiumWord w) internal pure returns (uint256) {
        return (PremiumWord.unwrap(w) >> HALF_LIFE_SHIFT) & HALF_LIFE_MASK;
    }

    function countedTick(PremiumWord w) internal pure returns (uint256) {
        return (PremiumWord.unwrap(w) >> COUNTED_SHIFT) & TICK_MASK;
    }

    function countedSide(PremiumWord w) internal pure returns (uint256) {
        return (PremiumWord.unwrap(w) >> (COUNTED_SHIFT + SIDE_SHIFT)) & 1;
    }

    function impactUsd(PremiumWord w) internal pure returns (uint256) {
        return PremiumWord.unwrap(w) >> IMPACT_SHIFT;
    }

    /// @notice Packs the deepest counted tick and its side as `sampled` takes them.
    function counted(uint256 tick, uint256 side) internal pure returns (uint256) {
        return tick | (side << SIDE_SHIFT);
    }

    /// @notice The word with new governance parameters (bounded by the caller).
    function withParams(PremiumWord w, uint256 halfLife_, uint256 impactUsd_) internal pure returns (PremiumWord) {
        return PremiumWord.wrap(
            (PremiumWord.unwrap(w) & ~PARAMS) | (halfLife_ << HALF_LIFE_SHIFT) | (impactUsd_ << IMPACT_SHIFT)
        );
    }

    /// @notice A new sample, keeping the parameters: `indexLot_` ≤ `MAX_INDEX_LOT` and |target_| ≤
    /// 1e9 (the caller's bounds), `counted_` from `counted`.
    function sampled(PremiumWord w, uint256 indexLot_, int256 target_, uint256 counted_)
        internal
        pure
        returns (PremiumWord)
    {
        return PremiumWord.wrap(
            indexLot_ | (uint256(uint32(int32(target_))) << TARGET_SHIFT) | (PremiumWord.unwrap(w) & PARAMS)
                | (counted_ << COUNTED_SHIFT)
        );
    }

    /// @notice The word with no target and nothing counted (the book cannot be priced).
    function neutral(PremiumWord w) internal pure returns (PremiumWord) {
        return PremiumWord.wrap(
            PremiumWord.unwrap(w) & ~((TARGET_MASK << TARGET_SHIFT) | (COUNTED_MASK << COUNTED_SHIFT))
        );
    }

    /// @notice A fresh market's word: the default parameters, no sample.
    function initial(uint256 halfLife_, uint256 impactUsd_) internal pure returns (PremiumWord) {
        return PremiumWord.wrap((halfLife_ << HALF_LIFE_SHIFT) | (impactUsd_ << IMPACT_SHIFT));
    }

    function eq(PremiumWord a, PremiumWord b) internal pure returns (bool) {
        return PremiumWord.unwrap(a) == PremiumWord.unwrap(b);
    }
}
