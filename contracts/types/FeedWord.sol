// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {FeedKind} from "../interfaces/IOracle.sol";

/// @notice The head slot of an OracleRouter entry (slot 0 of `Entry`), as a Chainlink, Pyth or
/// None feed lays it out. An Admin feed lays the same slot out as an `AdminPriceWord`; the two
/// low bits tell the layouts apart (Admin = 1; None, Chainlink and Pyth are 0, 2 and 3):
/// `isAdmin` reads them and `asAdmin` reinterprets the word.
/// @dev Layout (uint256, bit 0 = least significant; 240 bits used):
///
///   255    240 239                 80 79          72 71                 56 55          40 39             8 7      0
///   | zero 16 |  feed (address) 160  | feedDecimals 8 | maxStableMove 16  | maxConfBps 16 | maxAgeSeconds 32 | kind 8 |
///
/// `feedDecimals` is a Chainlink feed's `decimals()`, cached by setFeed; `maxStableMove` is
/// maxStableMoveBpsPerHour.
type FeedWord is uint256;

using FeedWordLib for FeedWord global;

/// @notice An Admin feed's head slot: everything `price` needs, so an Admin read is one cold slot.
/// @dev Layout (uint256, bit 0 = least significant; 256 bits used):
///
///   255           169 168              82 81         50 49          18 17                  2 1     0
///   | stableWad 87   |  lastPriceWad 87   | stableAt 32 | expiresAt 32 | maxStableMoveBps 16 | tag 2 |
///
/// tag = 1 (FeedKind.Admin). expiresAt = updatedAt + maxAgeSeconds (updatedAt = 0 before the
/// first push), so the price is stale exactly when now > expiresAt. stableAt = 0 means no anchor
/// yet, which only a head without a push can have. 87 bits hold any price up to 1.5e8 USD per
/// token: setFeed caps an Admin feed's maxPriceWad at MAX_PRICE_WAD, so every stored price and
/// anchor fits.
type AdminPriceWord is uint256;

using AdminPriceWordLib for AdminPriceWord global;

library FeedWordLib {
    uint256 internal constant TAG_MASK = 3;
    uint256 internal constant ADMIN_TAG = 1; // uint8(FeedKind.Admin)

    uint256 internal constant KIND_OFFSET = 0;
    uint256 internal constant MAX_AGE_OFFSET = 8;
    uint256 internal constant MAX_CONF_OFFSET = 40;
    uint256 internal constant MAX_MOVE_OFFSET = 56;
    uint256 internal constant DECIMALS_OFFSET = 72;
    uint256 internal constant FEED_OFFSET = 80;

    /// @dev Whether the slot holds an Admin head (read it through `asAdmin`).
    function isAdmin(FeedWord w) internal pure returns (bool) {
        return FeedWord.unwrap(w) & TAG_MASK == ADMIN_TAG;
    }

    /// @dev The same slot read as an Admin head (meaningful only when `isAdmin`).
    function asAdmin(FeedWord w) internal pure returns (AdminPriceWord) {
        return AdminPriceWord.wrap(FeedWord.unwrap(w));
    }

    /// @dev The feed's kind; the slot is not an Admin head here (setFeed stores only 0, 2 or 3).
    function kind(FeedWord w) internal pure returns (FeedKind) {
        return FeedKind(uint8(FeedWord.unwrap(w) >> KIND_OFFSET));
    }

    function maxAgeSeconds(FeedWord w) internal pure returns (uint32) {
        return uint32(FeedWord.unwrap(w) >> MAX_AGE_OFFSET);
    }

    function maxConfBps(FeedWord w) internal pure returns (uint16) {
        return uint16(FeedWord.unwrap(w) >> MAX_CONF_OFFSET);
    }

    function maxStableMoveBpsPerHour(FeedWord w) internal pure returns (uint16) {
        return uint16(FeedWord.unwrap(w) >> MAX_MOVE_OFFSET);
    }

    function feedDecimals(FeedWord w) internal pure returns (uint8) {
        return uint8(FeedWord.unwrap(w) >> DECIMALS_OFFSET);
    }

    function feed(FeedWord w) internal pure returns (address) {
        return address(uint160(FeedWord.unwrap(w) >> FEED_OFFSET));
    }

    /// @dev A head with every field (the widths are the parameters' types: nothing to check).
    function from(
        FeedKind kind_,
        uint32 maxAgeSeconds_,
        uint16 maxConfBps_,
        uint16 maxStableMoveBpsPerHour_,
        uint8 feedDecimals_,
        address feed_
    ) internal pure returns (FeedWord) {
        return FeedWord.wrap(
            uint256(uint8(kind_)) << KIND_OFFSET | uint256(maxAgeSeconds_) << MAX_AGE_OFFSET
                | uint256(maxConfBps_) << MAX_CONF_OFFSET | uint256(maxStableMoveBpsPerHour_) << MAX_MOVE_OFFSET
                | uint256(feedDecimals_) << DECIMALS_OFFSET | uint256(uint160(feed_)) << FEED_OFFSET
        );
    }
}

library AdminPriceWordLib {
    /// @notice Ceiling on an Admin price or anchor: 87 bits.
    uint256 internal constant MAX_PRICE_WAD = 2 ** 87 - 1;

    uint256 internal constant TAG = 1; // uint8(FeedKind.Admin), in bits 0..1
    uint256 internal constant MAX_MOVE_OFFSET = 2;
    uint256 internal constant EXPIRES_AT_OFFSET = 18;
    uint256 internal constant STABLE_AT_OFFSET = 50;
    uint256 internal constant LAST_PRICE_OFFSET = 82;
    uint256 internal constant STABLE_OFFSET = 169;

    uint256 internal constant M16 = type(uint16).max;
    uint256 internal constant M32 = type(uint32).max;
    uint256 internal constant M87 = 2 ** 87 - 1;

    function maxStableMoveBpsPerHour(AdminPriceWord w) internal pure returns (uint256) {
        return (AdminPriceWord.unwrap(w) >> MAX_MOVE_OFFSET) & M16;
    }

    function expiresAt(AdminPriceWord w) internal pure returns (uint256) {
        return (AdminPriceWord.unwrap(w) >> EXPIRES_AT_OFFSET) & M32;
    }

    function stableAt(AdminPriceWord w) internal pure returns (uint256) {
        return (AdminPriceWord.unwrap(w) >> STABLE_AT_OFFSET) & M32;
    }

    function lastPriceWad(AdminPriceWord w) internal pure returns (uint256) {
        return (AdminPriceWord.unwrap(w) >> LAST_PRICE_OFFSET) & M87;
    }

    function stableWad(AdminPriceWord w) internal pure returns (uint256) {
        return AdminPriceWord.unwrap(w) >> STABLE_OFFSET;
    }

    /// @dev A head with every field; each must fit its width (reverts SafeCastOverflowedUintDowncast).
    function from(
        uint256 maxStableMoveBpsPerHour_,
        uint256 expiresAt_,
        uint256 stableAt_,
        uint256 lastPriceWad_,
        uint256 stableWad_
    ) internal pure returns (AdminPriceWord) {
        return AdminPriceWord.wrap(
            TAG | uint256(SafeCast.toUint16(maxStableMoveBpsPerHour_)) << MAX_MOVE_OFFSET
                | uint256(SafeCast.toUint32(expiresAt_)) << EXPIRES_AT_OFFSET
                | uint256(SafeCast.toUint32(stableAt_)) << STABLE_AT_OFFSET | _fit87(lastPriceWad_) << LAST_PRICE_OFFSET
                | _fit87(stableWad_) << STABLE_OFFSET
        );
    }

    /// @dev The head with a new anchor (checked as in `from`).
    function withStable(AdminPriceWord w, uint256 stableWad_, uint256 stableAt_) internal pure returns (AdminPriceWord) {
        return from(maxStableMoveBpsPerHour(w), expiresAt(w), stableAt_, lastPriceWad(w), stableWad_);
    }

    /// @dev The head with a new pushed price and its expiry (checked as in `from`).
    function withPrice(AdminPriceWord w, uint256 lastPriceWad_, uint256 expiresAt_) internal pure returns (AdminPriceWord) {
        return from(maxStableMoveBpsPerHour(w), expiresAt_, stableAt(w), lastPriceWad_, stableWad(w));
    }

    /// @dev The word as the entry's head slot stores it.
    function asFeedWord(AdminPriceWord w) internal pure returns (FeedWord) {
        return FeedWord.wrap(AdminPriceWord.unwrap(w));
    }

    function _fit87(uint256 x) private pure returns (uint256) {
        require(x <= M87, SafeCast.SafeCastOverflowedUintDowncast(87, x));
        return x;
    }
}
