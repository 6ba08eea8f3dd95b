// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {IOracleRouter, FeedConfig} from "./interfaces/IOracleRouter.sol";
import {PriceWord, PriceWordLib} from "./types/PriceWord.sol";
import {PriceLib} from "./libraries/PriceLib.sol";
import {MemoryLib} from "./libraries/MemoryLib.sol";

/// @title OracleRouter: WAD USD price per whole token from Admin, Chainlink or Pyth feeds
/// @notice The holder of one `PriceLib.State` (every asset's feed, bounds and stable anchor) with
/// its governance: the reads, the keepers' anchor update and the feed settings are PriceLib's.
contract OracleRouter is IOracleRouter, AccessManaged {
    using PriceLib for PriceLib.State;

    /// @notice Hard ceiling on `maxAgeSeconds`.
    uint256 public constant MAX_AGE_LIMIT = PriceLib.MAX_AGE_LIMIT;
    /// @notice Hard ceiling on a Chainlink feed's decimals.
    uint8 public constant MAX_FEED_DECIMALS = PriceLib.MAX_FEED_DECIMALS;
    /// @notice Most time counted toward the stable price's allowed move: an anchor left alone
    /// longer allows no more than one hour's move.
    uint256 public constant MAX_STABLE_ELAPSED_SECONDS = PriceLib.MAX_STABLE_ELAPSED_SECONDS;
    /// @notice Ceiling on an Admin feed's maxPriceWad: its prices live in 87 bits of the head.
    uint256 public constant MAX_ADMIN_PRICE_WAD = PriceLib.MAX_ADMIN_PRICE_WAD;

    /// @dev Every asset's feed (layout in `PriceLib.Feed`); the slot after AccessManaged's.
    PriceLib.State internal _prices;

    constructor(address authority) AccessManaged(authority) {}

    /// @inheritdoc IOracleRouter
    function price(address asset) external view returns (uint256 priceWad, uint256 stableWad) {
        return _prices.price(asset);
    }

    /// @inheritdoc IOracleRouter
    function tryPrice(address asset) external view returns (bool ok, uint256 priceWad, uint256 stableWad) {
        return _prices.tryPrice(asset);
    }

    /// @inheritdoc IOracleRouter
    function tryPrices(address[] calldata assets) external view returns (uint256[] memory words) {
        // the answer is returned as built, without the encoder's copy of every word (this is ATLAS's
        // read of every price): its offset word is reserved first, so `words` lands right after it
        uint256 head = MemoryLib.reserve(1);
        words = new uint256[](assets.length);
        for (uint256 i; i < assets.length; ++i) {
            (bool ok, uint256 p, uint256 s) = _prices.tryPrice(assets[i]);
            if (ok) MemoryLib.unsafeSet(words, i, PriceWord.unwrap(PriceWordLib.from(p, s))); // i < length
        }
        MemoryLib.returnUintArray(head, words);
    }

    /// @inheritdoc IOracleRouter
    function feedOf(address asset) external view returns (FeedConfig memory cfg) {
        return _prices.feedOf(asset);
    }

    /// @inheritdoc IOracleRouter
    function stableAnchorOf(address asset) external view returns (uint256 stableWad, uint256 stableAt) {
        return _prices.stableAnchorOf(asset);
    }

    /// @inheritdoc IOracleRouter
    function updateStablePrice(address asset) external {
        _prices.updateStablePrice(asset);
    }

    /// @inheritdoc IOracleRouter
    function setFeed(address asset, FeedConfig calldata cfg) external restricted {
        _prices.setFeed(asset, cfg);
    }

    /// @inheritdoc IOracleRouter
    function pushPrice(address asset, uint256 priceWad) external restricted {
        _prices.pushPrice(asset, priceWad);
    }
}
