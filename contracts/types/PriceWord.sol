// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {FeedKind} from "../interfaces/IOracle.sol";

/// @notice An asset's price slot (slot 0 of a `PriceLib.Feed`): its last price with the time it
/// stops being usable, and its stable-price anchor, so a fresh read of any feed kind is one cold
/// slot. An Admin feed's price is its last push; a Chainlink or Pyth feed's is its last read from
/// the feed, stored by a write path (`PriceLib.readStored`).
/// @dev Layout (uint256, bit 0 = least significant; 256 bits used):
///
///   255           169 168              82 81         50 49          18 17                  2 1      0
///   | stableWad 87   |  lastPriceWad 87   | stableAt 32 | expiresAt 32 | maxStableMoveBps 16 | kind 2 |
///
/// kind is the feed's `FeedKind` (0 None, 1 Admin, 2 Chainlink, 3 Pyth). The price is usable exactly
/// while now ≤ expiresAt: an Admin push's time + maxAgeSeconds; a stored feed read's time (never
/// later than the block that stored it) + min(3 s, maxAgeSeconds), at least the second it was
/// read in; 0 while none is stored.
/// stableAt = 0 means no anchor yet. 87 bits hold any price up to 1.5e8 USD per whole token:
/// setFeed caps every feed's maxPriceWad at MAX_PRICE_WAD, and every price and anchor lies within
/// some bounds, so each fits.
type PriceWord is uint256;

using PriceWordLib for PriceWord global;

library PriceWordLib {
    /// @notice Ceiling on any stored price or anchor: 87 bits.
    uint256 internal constant MAX_PRICE_WAD = 2 ** 87 - 1;

    uint256 internal constant MAX_MOVE_OFFSET = 2;
    uint256 internal constant EXPIRES_AT_OFFSET = 18;
    uint256 internal constant STABLE_AT_OFFSET = 50;
    uint256 internal constant LAST_PRICE_OFFSET = 82;
    uint256 internal constant STABLE_OFFSET = 169;

    uint256 internal constant M2 = 3;
    uint256 internal constant M16 = type(uint16).max;
    uint256 internal constant M32 = type(uint32).max;
    uint256 internal constant M87 = 2 ** 87 - 1;

    function kind(PriceWord w) internal pure returns (FeedKind) {
        return FeedKind(PriceWord.unwrap(w) & M2);
    }

    function maxStableMoveBpsPerHour(PriceWord w) internal pure returns (uint256) {
        return (PriceWord.unwrap(w) >> MAX_MOVE_OFFSET) & M16;
    }

    function expiresAt(PriceWord w) internal pure returns (uint256) {
        return (PriceWord.unwrap(w) >> EXPIRES_AT_OFFSET) & M32;
    }

    function stableAt(PriceWord w) internal pure returns (uint256) {
        return (PriceWord.unwrap(w) >> STABLE_AT_OFFSET) & M32;
    }

    function lastPriceWad(PriceWord w) internal pure returns (uint256) {
        return (PriceWord.unwrap(w) >> LAST_PRICE_OFFSET) & M87;
    }

    function stableWad(PriceWord w) internal pure returns (uint256) {
        return PriceWord.unwrap(w) >> STABLE_OFFSET;
    }

    /// @dev Whether the word holds an anchor (every usable price has one).
    function isAnchored(PriceWord w) internal pure returns (bool) {
        return stableAt(w) != 0;
    }

    /// @dev A word with every field; each must fit its width (reverts SafeCastOverflowedUintDowncast).
    function from(
        FeedKind kind_,
        uint256 maxStableMoveBpsPerHour_,
        uint256 expiresAt_,
        uint256 stableAt_,
        uint256 lastPriceWad_,
        uint256 stableWad_
    ) internal pure returns (PriceWord) {
        return PriceWord.wrap(
            uint256(uint8(kind_)) | uint256(SafeCast.toUint16(maxStableMoveBpsPerHour_)) << MAX_MOVE_OFFSET
                | uint256(SafeCast.toUint32(expiresAt_)) << EXPIRES_AT_OFFSET
                | uint256(SafeCast.toUint32(stableAt_)) << STABLE_AT_OFFSET | _fit87(lastPriceWad_) << LAST_PRICE_OFFSET
                | _fit87(stableWad_) << STABLE_OFFSET
        );
    }

    /// @dev The word with a new anchor (checked as in `from`).
    function withStable(PriceWord w, uint256 stableWad_, uint256 stableAt_) internal pure returns (PriceWord) {
        return from(kind(w), maxStableMoveBpsPerHour(w), expiresAt(w), stableAt_, lastPriceWad(w), stableWad_);
    }

    /// @dev The word with a new price and its expiry (checked as in `from`).
    function withPrice(PriceWord w, uint256 lastPriceWad_, uint256 expiresAt_) internal pure returns (PriceWord) {
        return from(kind(w), maxStableMoveBpsPerHour(w), expiresAt_, stableAt(w), lastPriceWad_, stableWad(w));
    }

    function _fit87(uint256 x) private pure returns (uint256) {
        require(x <= M87, SafeCast.SafeCastOverflowedUintDowncast(87, x));
        return x;
    }
}
