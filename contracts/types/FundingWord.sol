// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @notice A perp market's funding state (one slot, read by every settlement and valuation).
/// @dev Layout (uint256, most significant first):
///   [255..224] last update, unix seconds (uint32)
///   [223..192] smoothed premium at the last update, 1e-10 of the index (int32; |premium| ≤ 1e9)
///   [191..185] zero
///   [184]      loss flag: a bankruptcy loss was socialised on this market (`LossWord` non-zero)
///   [183..96]  index change per second, quote atoms × 1e9 per lot (int88)
///   [95..0]    cumulative funding index, quote atoms × 1e9 per lot (int96)
/// The index is int96 like the snapshot in every `Position`; the premium and the loss flag sit here
/// because every update writes this word anyway and every valuation reads it anyway.
type FundingWord is uint256;

using FundingWordLib for FundingWord global;

library FundingWordLib {
    using SafeCast for int256;

    uint256 private constant PER_SEC_SHIFT = 96;
    uint256 private constant LOSS_FLAG = 1 << 184;
    uint256 private constant PREMIUM_SHIFT = 192;
    uint256 private constant TIME_SHIFT = 224;
    /// @dev perSec and the loss flag: what `accrued` keeps.
    uint256 private constant RATE_AND_FLAG = ((1 << 96) - 1) << PER_SEC_SHIFT;

    /// @notice The stored cumulative index (as of `lastUpdate`).
    function index(FundingWord f) internal pure returns (int256) {
        return int96(uint96(FundingWord.unwrap(f)));
    }

    function perSecond(FundingWord f) internal pure returns (int256) {
        return int88(uint88(FundingWord.unwrap(f) >> PER_SEC_SHIFT));
    }

    function hasLoss(FundingWord f) internal pure returns (bool) {
        return FundingWord.unwrap(f) & LOSS_FLAG != 0;
    }

    /// @notice The smoothed premium at the last update (1e-10 of the index).
    function premium(FundingWord f) internal pure returns (int256) {
        return int32(uint32(FundingWord.unwrap(f) >> PREMIUM_SHIFT));
    }

    function lastUpdate(FundingWord f) internal pure returns (uint256) {
        return FundingWord.unwrap(f) >> TIME_SHIFT;
    }

    /// @notice The cumulative index at `time` (≥ the last update): the stored one plus the
    /// per-second change since.
    function indexAt(FundingWord f, uint256 time) internal pure returns (int256) {
        return index(f) + perSecond(f) * int256(time - lastUpdate(f));
    }

    /// @notice The word brought to `time` with `index_` and `premium_`, keeping the rate and the
    /// loss flag. `premium_` fits int32 (|premium| ≤ 1e9, the caller's bound); the index goes
    /// through SafeCast.
    function accrued(FundingWord f, int256 index_, int256 premium_, uint256 time) internal pure returns (FundingWord) {
        return FundingWord.wrap(
            uint256(uint96(index_.toInt96())) | (FundingWord.unwrap(f) & RATE_AND_FLAG)
                | (uint256(uint32(int32(premium_))) << PREMIUM_SHIFT) | (time << TIME_SHIFT)
        );
    }

    /// @notice A new sample: index, rate and premium at `time`, keeping the loss flag. SafeCast on
    /// the index and the rate; `premium_` fits int32 as in `accrued`.
    function sampled(FundingWord f, int256 index_, int256 perSec, int256 premium_, uint256 time)
        internal
        pure
        returns (FundingWord)
    {
        return FundingWord.wrap(
            uint256(uint96(index_.toInt96())) | (uint256(uint88(perSec.toInt88())) << PER_SEC_SHIFT)
                | (FundingWord.unwrap(f) & LOSS_FLAG) | (uint256(uint32(int32(premium_))) << PREMIUM_SHIFT)
                | (time << TIME_SHIFT)
        );
    }

    /// @notice The word with the loss flag set.
    function withLoss(FundingWord f) internal pure returns (FundingWord) {
        return FundingWord.wrap(FundingWord.unwrap(f) | LOSS_FLAG);
    }

    /// @notice A fresh market's word: index 0, no rate, no premium, updated at `time`.
    function initial(uint256 time) internal pure returns (FundingWord) {
        return FundingWord.wrap(time << TIME_SHIFT);
    }
}
