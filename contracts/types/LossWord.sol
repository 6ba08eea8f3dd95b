// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @notice A perp market's cumulative bankruptcy loss charged per lot of each side (only rising).
/// @dev Layout (uint256, most significant first):
///   [255..128] loss per short lot, quote atoms × 1e9 per lot (uint128)
///   [127..0]   loss per long lot, quote atoms × 1e9 per lot (uint128)
type LossWord is uint256;

using LossWordLib for LossWord global;

library LossWordLib {
    using SafeCast for uint256;

    uint256 private constant HALF_MASK = (1 << 128) - 1;
    uint256 private constant SHORT_SHIFT = 128;

    function perLongLot(LossWord loss) internal pure returns (uint256) {
        return LossWord.unwrap(loss) & HALF_MASK;
    }

    function perShortLot(LossWord loss) internal pure returns (uint256) {
        return LossWord.unwrap(loss) >> SHORT_SHIFT;
    }

    /// @notice The charge-index offset of a position of `size` lots: + loss per long lot for a long
    /// (or flat), − loss per short lot for a short.
    function offsetFor(LossWord loss, int256 size) internal pure returns (int256) {
        return size >= 0 ? int256(perLongLot(loss)) : -int256(perShortLot(loss));
    }

    /// @notice `perLot` more charged to the longs (`shorts` false) or the shorts; SafeCast to uint128.
    function charged(LossWord loss, bool shorts, uint256 perLot) internal pure returns (LossWord) {
        uint256 w = LossWord.unwrap(loss);
        if (shorts) return LossWord.wrap((w & HALF_MASK) | (uint256((perShortLot(loss) + perLot).toUint128()) << SHORT_SHIFT));
        return LossWord.wrap((w & ~HALF_MASK) | uint256((perLongLot(loss) + perLot).toUint128()));
    }
}
