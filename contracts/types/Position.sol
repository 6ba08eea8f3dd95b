// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @notice One account's position on one perp market (one storage slot).
/// @dev Layout (uint256, most significant first):
///   [255..160] charge-index snapshot, int96 (quote atoms × 1e9 per lot: the funding index plus the
///              loss per long lot for a long, minus the loss per short lot for a short)
///   [159..64]  entry value, quote atoms, int96, with the size's sign
///   [63..0]    size, lots, int64 (positive = long)
type Position is uint256;

using PositionLib for Position global;

library PositionLib {
    using SafeCast for int256;

    uint256 private constant ENTRY_SHIFT = 64;
    uint256 private constant SNAPSHOT_SHIFT = 160;

    /// @notice Signed lots.
    function size(Position p) internal pure returns (int256) {
        return int64(uint64(Position.unwrap(p)));
    }

    /// @notice Signed quote atoms paid (long) or received (short) for what is still open.
    function entry(Position p) internal pure returns (int256) {
        return int96(uint96(Position.unwrap(p) >> ENTRY_SHIFT));
    }

    /// @notice The side's charge index when the position was last settled.
    function snapshot(Position p) internal pure returns (int256) {
        return int96(uint96(Position.unwrap(p) >> SNAPSHOT_SHIFT));
    }

    /// @notice Every field at once: size, entry, snapshot.
    function unpack(Position p) internal pure returns (int256 size_, int256 entry_, int256 snapshot_) {
        uint256 w = Position.unwrap(p);
        return (int64(uint64(w)), int96(uint96(w >> ENTRY_SHIFT)), int96(uint96(w >> SNAPSHOT_SHIFT)));
    }

    /// @notice Packs a position. `size_` is not range-checked: safe because every size is bounded by
    /// the position cap (< 2^48) or, shrinking, by a size that was; entry and snapshot go through SafeCast.
    function pack(int256 size_, int256 entry_, int256 snapshot_) internal pure returns (Position) {
        return Position.wrap(
            uint256(uint64(int64(size_))) | (uint256(uint96(entry_.toInt96())) << ENTRY_SHIFT)
                | (uint256(uint96(snapshot_.toInt96())) << SNAPSHOT_SHIFT)
        );
    }
}
