// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {FeedKind} from "../interfaces/IOracle.sol";

/// @notice A Chainlink or Pyth feed's configuration (slot 1 of a `PriceLib.Feed`): read only when
/// the asset's `PriceWord` (slot 0) holds no fresh price, to read the feed. Admin and None feeds
/// leave it zero.
/// @dev Layout (uint256, bit 0 = least significant; 240 bits used):
///
///   255    240 239                 80 79          72 71                 56 55          40 39             8 7      0
///   | zero 16 |  feed (address) 160  | feedDecimals 8 | maxStableMove 16  | maxConfBps 16 | maxAgeSeconds 32 | kind 8 |
///
/// `feedDecimals` is a Chainlink feed's `decimals()`, cached by setFeed; `maxStableMove` is
/// maxStableMoveBpsPerHour.
type FeedWord is uint256;

using FeedWordLib for FeedWord global;

library FeedWordLib {
    uint256 internal constant KIND_OFFSET = 0;
    uint256 internal constant MAX_AGE_OFFSET = 8;
    uint256 internal constant MAX_CONF_OFFSET = 40;
    uint256 internal constant MAX_MOVE_OFFSET = 56;
    uint256 internal constant DECIMALS_OFFSET = 72;
    uint256 internal constant FEED_OFFSET = 80;

    /// @dev The feed's kind (setFeed stores it only for Chainlink and Pyth feeds).
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

    /// @dev A config word with every field (the widths are the parameters' types: nothing to check).
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
