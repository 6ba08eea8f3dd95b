// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @notice A resting order's id: where it sits, so cancel is O(1).
/// @dev Layout (uint256, bit 0 = least significant):
///   255   112 111      96 95  89 88  87    64 63      32 31        0
///   +--------+----------+------+---+--------+----------+-----------+
///   | zero   | market   | zero | s | tick   | epoch    | position  |
///   +--------+----------+------+---+--------+----------+-----------+
///   position 32 (in its level's queue) | epoch 32 (of the level: bumped when it empties) |
///   tick 24 | s = side 1 | market index 16. Bits 88..64 are the level's `LevelKey`.
type OrderId is uint256;

using OrderIdLib for OrderId global;

library OrderIdLib {
    uint256 internal constant EPOCH_SHIFT = 32;
    uint256 internal constant KEY_SHIFT = 64;
    uint256 internal constant TICK_SHIFT = 64;
    uint256 internal constant SIDE_SHIFT = 88;
    /// @dev the market index sits 7 zero bits above the side: `id >> 89 == index << 7`
    uint256 internal constant MARKET_SHIFT = 96;
    uint256 internal constant ABOVE_SIDE_SHIFT = 89;
    uint256 internal constant MARKET_PAD = 7;
    uint256 internal constant MASK_32 = (1 << 32) - 1;
    uint256 internal constant MASK_KEY = (1 << 25) - 1;
    uint256 internal constant MASK_TICK = (1 << 24) - 1;
    uint256 internal constant MASK_MARKET = (1 << 16) - 1;

    function from(uint256 index, uint256 key, uint256 epoch_, uint256 pos) internal pure returns (OrderId) {
        return OrderId.wrap((index << MARKET_SHIFT) | (key << KEY_SHIFT) | (epoch_ << EPOCH_SHIFT) | pos);
    }

    /// @dev The id of position 0 of a level; `withPosition` completes it.
    function base(uint256 index, uint256 key, uint256 epoch_) internal pure returns (OrderId) {
        return OrderId.wrap((index << MARKET_SHIFT) | (key << KEY_SHIFT) | (epoch_ << EPOCH_SHIFT));
    }

    /// @dev `id` must come from `base` (position 0).
    function withPosition(OrderId id, uint256 pos) internal pure returns (OrderId) {
        return OrderId.wrap(OrderId.unwrap(id) | pos);
    }

    /// @dev True iff the id names market `index` with its padding bits zero.
    function isOf(OrderId id, uint256 index) internal pure returns (bool) {
        return OrderId.unwrap(id) >> ABOVE_SIDE_SHIFT == index << MARKET_PAD;
    }

    function position(OrderId id) internal pure returns (uint256) {
        return OrderId.unwrap(id) & MASK_32;
    }

    function epoch(OrderId id) internal pure returns (uint256) {
        return (OrderId.unwrap(id) >> EPOCH_SHIFT) & MASK_32;
    }

    /// @dev side << 24 | tick (`LevelKey` layout)
    function levelKey(OrderId id) internal pure returns (uint256) {
        return (OrderId.unwrap(id) >> KEY_SHIFT) & MASK_KEY;
    }

    function tick(OrderId id) internal pure returns (uint256) {
        return (OrderId.unwrap(id) >> TICK_SHIFT) & MASK_TICK;
    }

    function side(OrderId id) internal pure returns (uint256) {
        return (OrderId.unwrap(id) >> SIDE_SHIFT) & 1;
    }

    function market(OrderId id) internal pure returns (uint256) {
        return (OrderId.unwrap(id) >> MARKET_SHIFT) & MASK_MARKET;
    }
}
