// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @notice Where a price level lives: side and tick. Also names the level's ring of order slots.
/// @dev Layout (uint256): [23..0] tick | [24] side. A ring slot's key is `key << 8 | position mod 256`.
type LevelKey is uint256;

using LevelKeyLib for LevelKey global;

library LevelKeyLib {
    uint256 internal constant SIDE_SHIFT = 24;
    uint256 internal constant MASK_TICK = (1 << 24) - 1;
    uint256 internal constant SLOT_SHIFT = 8;
    uint256 internal constant MASK_RING = 0xff;

    function from(uint256 side_, uint256 tick_) internal pure returns (LevelKey) {
        return LevelKey.wrap((side_ << SIDE_SHIFT) | tick_);
    }

    function side(LevelKey k) internal pure returns (uint256) {
        return LevelKey.unwrap(k) >> SIDE_SHIFT;
    }

    function tick(LevelKey k) internal pure returns (uint256) {
        return LevelKey.unwrap(k) & MASK_TICK;
    }

    /// @dev Key of the ring slot that queue position `pos` of this level uses.
    function slot(LevelKey k, uint256 pos) internal pure returns (uint256) {
        return (LevelKey.unwrap(k) << SLOT_SHIFT) | (pos & MASK_RING);
    }
}

/// @notice One price level's queue: how many lots rest there and which positions are live.
/// @dev Layout (uint256, bit 0 = least significant):
///   255     168 167     160 159      128 127      96 95       64 63             0
///   +----------+-----------+------------+----------+-----------+----------------+
///   | zero     | straggl.  | epoch      | tail     | head      | total lots     |
///   +----------+-----------+------------+----------+-----------+----------------+
///   total lots 64 | head 32 (first position that may be live) | tail 32 (next position to use) |
///   epoch 32 | stragglers 8 (live orders the tail has lapped: positions < tail − 256).
/// An empty level is always reset to head = tail = 0 with the epoch bumped, so queue slots are
/// reused from the start and ids of earlier epochs never match a new order. Total lots is the low
/// field, so adding or removing lots is plain addition on the word.
type LevelWord is uint256;

using LevelWordLib for LevelWord global;

library LevelWordLib {
    uint256 internal constant HEAD_SHIFT = 64;
    uint256 internal constant TAIL_SHIFT = 96;
    uint256 internal constant EPOCH_SHIFT = 128;
    uint256 internal constant STRAGGLERS_SHIFT = 160;
    uint256 internal constant MASK_64 = (1 << 64) - 1;
    uint256 internal constant MASK_32 = (1 << 32) - 1;
    uint256 internal constant MASK_8 = 0xff;

    function pack(uint256 total, uint256 head_, uint256 tail_, uint256 epoch_, uint256 stragglers_)
        internal
        pure
        returns (LevelWord)
    {
        return LevelWord.wrap(
            total | (head_ << HEAD_SHIFT) | (tail_ << TAIL_SHIFT) | (epoch_ << EPOCH_SHIFT)
                | (stragglers_ << STRAGGLERS_SHIFT)
        );
    }

    function totalLots(LevelWord w) internal pure returns (uint256) {
        return LevelWord.unwrap(w) & MASK_64;
    }

    function isEmpty(LevelWord w) internal pure returns (bool) {
        return LevelWord.unwrap(w) & MASK_64 == 0;
    }

    function head(LevelWord w) internal pure returns (uint256) {
        return (LevelWord.unwrap(w) >> HEAD_SHIFT) & MASK_32;
    }

    function tail(LevelWord w) internal pure returns (uint256) {
        return (LevelWord.unwrap(w) >> TAIL_SHIFT) & MASK_32;
    }

    function epoch(LevelWord w) internal pure returns (uint256) {
        return (LevelWord.unwrap(w) >> EPOCH_SHIFT) & MASK_32;
    }

    function stragglers(LevelWord w) internal pure returns (uint256) {
        return (LevelWord.unwrap(w) >> STRAGGLERS_SHIFT) & MASK_8;
    }

    // The arithmetic setters below are unchecked: their preconditions are the book's invariants,
    // and a checked subtraction on the whole word would not guard the field anyway. Unchecked, each
    // is one basic block, which the legacy optimizer inlines (a checked one costs a call: +~40 gas).

    /// @dev The emptied level: no lots, queue restarted, next epoch (epoch < 2^32: no overflow).
    function reset(LevelWord w) internal pure returns (LevelWord) {
        unchecked {
            return pack(0, 0, 0, epoch(w) + 1, 0);
        }
    }

    /// @dev `n` fewer lots; the caller knows the level holds at least `n`.
    function subLots(LevelWord w, uint256 n) internal pure returns (LevelWord) {
        unchecked {
            return LevelWord.wrap(LevelWord.unwrap(w) - n);
        }
    }

    /// @dev The head one position on; the caller knows head < tail < 2^32.
    function stepHead(LevelWord w) internal pure returns (LevelWord) {
        unchecked {
            return LevelWord.wrap(LevelWord.unwrap(w) + (1 << HEAD_SHIFT));
        }
    }

    function withHead(LevelWord w, uint256 head_) internal pure returns (LevelWord) {
        return LevelWord.wrap((LevelWord.unwrap(w) & ~(MASK_32 << HEAD_SHIFT)) | (head_ << HEAD_SHIFT));
    }

    /// @dev One straggler fewer; the caller knows there is one.
    function lessStraggler(LevelWord w) internal pure returns (LevelWord) {
        unchecked {
            return LevelWord.wrap(LevelWord.unwrap(w) - (1 << STRAGGLERS_SHIFT));
        }
    }
}
