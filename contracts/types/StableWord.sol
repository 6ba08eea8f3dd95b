// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @notice The stable-price anchor of a Chainlink or Pyth feed and its last stored read (slot 2 of a
/// `PriceLib.Feed`; an Admin feed keeps its anchor and price in its head, see AdminPriceWord).
/// @dev Layout (uint256, bit 0 = least significant; 256 bits used):
///
///   255        224 223           128 127         96 95             0
///   |  priceAt 32  |  priceWad 96    | stableAt 32  | stableWad 96  |
///
/// stableAt = 0 means no anchor yet (reads then fail NoStableAnchor). priceWad is the feed's price
/// as `PriceLib.readStored` last read it and priceAt the feed's own time of it (never later than
/// the block that stored it); priceAt = 0 means none stored. 96 bits hold any price up to
/// 7.9e10 USD per token; setFeed caps maxPriceWad below 2^96, and an anchor always lies within
/// some bounds, so it fits.
type StableWord is uint256;

using StableWordLib for StableWord global;

library StableWordLib {
    uint256 internal constant STABLE_AT_OFFSET = 96;
    uint256 internal constant PRICE_OFFSET = 128;
    uint256 internal constant PRICE_AT_OFFSET = 224;
    uint256 internal constant M96 = type(uint96).max;
    uint256 internal constant ANCHOR_MASK = type(uint128).max;

    function stableWad(StableWord w) internal pure returns (uint256) {
        return StableWord.unwrap(w) & M96;
    }

    function stableAt(StableWord w) internal pure returns (uint256) {
        return uint32(StableWord.unwrap(w) >> STABLE_AT_OFFSET);
    }

    function priceWad(StableWord w) internal pure returns (uint256) {
        return (StableWord.unwrap(w) >> PRICE_OFFSET) & M96;
    }

    function priceAt(StableWord w) internal pure returns (uint256) {
        return StableWord.unwrap(w) >> PRICE_AT_OFFSET;
    }

    /// @dev The same anchor with a stored read; each field must fit its width (reverts
    /// SafeCastOverflowedUintDowncast).
    function withPrice(StableWord w, uint256 priceWad_, uint256 priceAt_) internal pure returns (StableWord) {
        return StableWord.wrap(
            (StableWord.unwrap(w) & ANCHOR_MASK) | uint256(SafeCast.toUint96(priceWad_)) << PRICE_OFFSET
                | uint256(SafeCast.toUint32(priceAt_)) << PRICE_AT_OFFSET
        );
    }

    /// @dev An anchor is stored (stableAt ≠ 0).
    function isAnchored(StableWord w) internal pure returns (bool) {
        return stableAt(w) != 0;
    }

    /// @dev An anchor without a stored read; each field must fit its width (reverts SafeCastOverflowedUintDowncast).
    function from(uint256 stableWad_, uint256 stableAt_) internal pure returns (StableWord) {
        return StableWord.wrap(
            uint256(SafeCast.toUint96(stableWad_)) | uint256(SafeCast.toUint32(stableAt_)) << STABLE_AT_OFFSET
        );
    }

    function eq(StableWord a, StableWord b) internal pure returns (bool) {
        return StableWord.unwrap(a) == StableWord.unwrap(b);
    }
}
