// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @notice An operator's price band for one batch, read from the Clearinghouse at its first place op.
/// @dev Layout (uint256): [255] loaded | [191..128] max tick | [63..0] min tick. Not loaded (0)
///   means "fetch it"; both edges are capped at the book's last tick + 1, so they fit 64 bits.
type OperatorBand is uint256;

using OperatorBandLib for OperatorBand global;

library OperatorBandLib {
    uint256 internal constant LOADED_SHIFT = 255;
    uint256 internal constant MAX_TICK_SHIFT = 128;
    uint256 internal constant MASK_64 = (1 << 64) - 1;

    function pack(uint256 minTick_, uint256 maxTick_) internal pure returns (OperatorBand) {
        return OperatorBand.wrap((1 << LOADED_SHIFT) | (maxTick_ << MAX_TICK_SHIFT) | minTick_);
    }

    function loaded(OperatorBand b) internal pure returns (bool) {
        return OperatorBand.unwrap(b) >> LOADED_SHIFT != 0;
    }

    function minTick(OperatorBand b) internal pure returns (uint256) {
        return OperatorBand.unwrap(b) & MASK_64;
    }

    function maxTick(OperatorBand b) internal pure returns (uint256) {
        return (OperatorBand.unwrap(b) >> MAX_TICK_SHIFT) & MASK_64;
    }
}
