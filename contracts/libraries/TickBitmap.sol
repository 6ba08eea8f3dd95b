// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title Three-level 255-ary bitmap of live ticks, one per book side
/// @notice Best price and next level in at most three word reads.
/// @dev Each word keeps bit 0 set as a sentinel once touched, so a word whose last live tick
/// goes away stays non-zero: re-populating it later costs a 2.9k rewrite instead of a 20k
/// fresh slot, and creates no new storage slot (MegaETH rations those). Hence 255 data bits
/// per word and ticks in [1, 255^3 - 1].
///   tick t: leaf word t / 255, bit t % 255 + 1
///   leaf l: mid word  l / 255, bit l % 255 + 1
///   mid m:  root word,         bit m + 1
/// Storage key: side << 40 | depth << 32 | index (depth 0 root, 1 mid, 2 leaf).
library TickBitmap {
    uint256 internal constant MAX_TICK = 255 * 255 * 255 - 1;

    function _key(uint256 side, uint256 depth, uint256 index) private pure returns (uint256) {
        return (side << 40) | (depth << 32) | index;
    }

    /// @dev Index of the lowest set bit; `w` must be non-zero.
    function _lsb(uint256 w) private pure returns (uint256) {
        unchecked {
            return Math.log2(w & (0 - w));
        }
    }

    function set(mapping(uint256 => uint256) storage bm, uint256 side, uint256 tick) internal {
        uint256 leafIdx = tick / 255;
        uint256 k = _key(side, 2, leafIdx);
        uint256 w = bm[k];
        bm[k] = w | 1 | (1 << (tick % 255 + 1));
        if (w > 1) return; // leaf already had a live tick: its parents are flagged
        uint256 midIdx = leafIdx / 255;
        k = _key(side, 1, midIdx);
        w = bm[k];
        bm[k] = w | 1 | (1 << (leafIdx % 255 + 1));
        if (w > 1) return;
        k = _key(side, 0, 0);
        bm[k] = bm[k] | 1 | (1 << (midIdx + 1));
    }

    function clear(mapping(uint256 => uint256) storage bm, uint256 side, uint256 tick) internal {
        uint256 leafIdx = tick / 255;
        uint256 k = _key(side, 2, leafIdx);
        uint256 w = bm[k] & ~(1 << (tick % 255 + 1));
        bm[k] = w;
        if (w > 1) return;
        uint256 midIdx = leafIdx / 255;
        k = _key(side, 1, midIdx);
        w = bm[k] & ~(1 << (leafIdx % 255 + 1));
        bm[k] = w;
        if (w > 1) return;
        k = _key(side, 0, 0);
        bm[k] = bm[k] & ~(1 << (midIdx + 1));
    }

    /// @notice Smallest live tick strictly above `tick`, or 0 if none.
    function nextAbove(mapping(uint256 => uint256) storage bm, uint256 side, uint256 tick)
        internal
        view
        returns (uint256)
    {
        unchecked {
            uint256 leafIdx = tick / 255;
            // (2 << b) - 1 masks bits 0..b; wraps to all-ones... then ~ gives 0 when b = 255
            uint256 w = bm[_key(side, 2, leafIdx)] & ~((2 << (tick % 255 + 1)) - 1);
            if (w != 0) return leafIdx * 255 + _lsb(w) - 1;
            uint256 midIdx = leafIdx / 255;
            w = bm[_key(side, 1, midIdx)] & ~((2 << (leafIdx % 255 + 1)) - 1);
            if (w == 0) {
                uint256 r = bm[_key(side, 0, 0)] & ~((2 << (midIdx + 1)) - 1);
                if (r == 0) return 0;
                midIdx = _lsb(r) - 1;
                w = bm[_key(side, 1, midIdx)] & ~uint256(1);
            }
            leafIdx = midIdx * 255 + _lsb(w) - 1;
            w = bm[_key(side, 2, leafIdx)] & ~uint256(1);
            return leafIdx * 255 + _lsb(w) - 1;
        }
    }

    /// @notice Largest live tick strictly below `tick`, or 0 if none.
    function nextBelow(mapping(uint256 => uint256) storage bm, uint256 side, uint256 tick)
        internal
        view
        returns (uint256)
    {
        unchecked {
            uint256 leafIdx = tick / 255;
            uint256 w = bm[_key(side, 2, leafIdx)] & ((1 << (tick % 255 + 1)) - 2);
            if (w != 0) return leafIdx * 255 + Math.log2(w) - 1;
            uint256 midIdx = leafIdx / 255;
            w = bm[_key(side, 1, midIdx)] & ((1 << (leafIdx % 255 + 1)) - 2);
            if (w == 0) {
                uint256 r = bm[_key(side, 0, 0)] & ((1 << (midIdx + 1)) - 2);
                if (r == 0) return 0;
                midIdx = Math.log2(r) - 1;
                w = bm[_key(side, 1, midIdx)] & ~uint256(1);
            }
            leafIdx = midIdx * 255 + Math.log2(w) - 1;
            w = bm[_key(side, 2, leafIdx)] & ~uint256(1);
            return leafIdx * 255 + Math.log2(w) - 1;
        }
    }
}
