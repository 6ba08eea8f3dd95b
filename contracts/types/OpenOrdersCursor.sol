// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @notice Where a paged `openOrders` scan resumes: 0 starts at the best bid.
/// @dev Layout (uint256): [63..57] orders found so far (≤ 64) | [56] side | [55..32] tick |
///   [31..0] queue position. A resume cursor always has a tick ≥ 1, so it is never 0.
type OpenOrdersCursor is uint256;

using OpenOrdersCursorLib for OpenOrdersCursor global;

library OpenOrdersCursorLib {
    uint256 internal constant TICK_SHIFT = 32;
    uint256 internal constant SIDE_SHIFT = 56;
    uint256 internal constant FOUND_SHIFT = 57;
    uint256 internal constant MASK_32 = (1 << 32) - 1;
    uint256 internal constant MASK_TICK = (1 << 24) - 1;
    uint256 internal constant MASK_FOUND = 0x7f;

    function pack(uint256 side_, uint256 tick_, uint256 position_, uint256 found_)
        internal
        pure
        returns (OpenOrdersCursor)
    {
        return OpenOrdersCursor.wrap(
            position_ | (tick_ << TICK_SHIFT) | (side_ << SIDE_SHIFT) | (found_ << FOUND_SHIFT)
        );
    }

    function isStart(OpenOrdersCursor c) internal pure returns (bool) {
        return OpenOrdersCursor.unwrap(c) == 0;
    }

    function position(OpenOrdersCursor c) internal pure returns (uint256) {
        return OpenOrdersCursor.unwrap(c) & MASK_32;
    }

    function tick(OpenOrdersCursor c) internal pure returns (uint256) {
        return (OpenOrdersCursor.unwrap(c) >> TICK_SHIFT) & MASK_TICK;
    }

    function side(OpenOrdersCursor c) internal pure returns (uint256) {
        return (OpenOrdersCursor.unwrap(c) >> SIDE_SHIFT) & 1;
    }

    function found(OpenOrdersCursor c) internal pure returns (uint256) {
        return (OpenOrdersCursor.unwrap(c) >> FOUND_SHIFT) & MASK_FOUND;
    }
}
