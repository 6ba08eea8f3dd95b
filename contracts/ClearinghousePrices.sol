// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IOracle, FeedConfig} from "./interfaces/IOracle.sol";
import {PriceLib} from "./libraries/PriceLib.sol";

/// @title ClearinghousePrices: every asset's feed and stored price inside the core
/// @notice The core's one `PriceLib.State`: each asset's feed, bounds, stable anchor and last stored
/// read. Margin, funding and liquidation paths read through `_readPrice` (a Chainlink or Pyth read
/// older than 3 s is read from its feed again and stored); the views here answer what such a path
/// would use in the same block. Feeds are set by governance, Admin prices pushed by the oracle
/// role, anchors moved by anyone. Every write takes the core's one lock.
abstract contract ClearinghousePrices is IOracle, AccessManaged, ReentrancyGuardTransient {
    using PriceLib for PriceLib.State;

    /// @dev Every asset's feed (layout in `PriceLib.Feed`).
    PriceLib.State internal _prices;

    /// @inheritdoc IOracle
    function price(address asset) external view returns (uint256 priceWad, uint256 stableWad) {
        return _prices.price(asset);
    }

    /// @inheritdoc IOracle
    function tryPrice(address asset) external view returns (bool ok, uint256 priceWad, uint256 stableWad) {
        return _prices.tryPrice(asset);
    }

    /// @inheritdoc IOracle
    function feedOf(address asset) external view returns (FeedConfig memory cfg) {
        return _prices.feedOf(asset);
    }

    /// @inheritdoc IOracle
    function stableAnchorOf(address asset) external view returns (uint256 stableWad, uint256 stableAt) {
        return _prices.stableAnchorOf(asset);
    }

    /// @inheritdoc IOracle
    function updateStablePrice(address asset) external nonReentrant {
        _prices.updateStablePrice(asset);
    }

    /// @inheritdoc IOracle
    function setFeed(address asset, FeedConfig calldata cfg) external restricted nonReentrant {
        _prices.setFeed(asset, cfg);
    }

    /// @inheritdoc IOracle
    function pushPrice(address asset, uint256 priceWad) external restricted nonReentrant {
        _prices.pushPrice(asset, priceWad);
    }

    /// @dev Oracle and stable price for a write path, storing a read from the feed (`PriceLib.readStored`);
    /// (false, 0, 0) where `price` would revert.
    function _readPrice(address asset) internal returns (bool ok, uint256 priceWad, uint256 stableWad) {
        return _prices.readStored(asset);
    }

    /// @dev `_readPrice`, reverting with the feed's error where it answers false.
    function _requirePrice(address asset) internal returns (uint256 priceWad, uint256 stableWad) {
        bool ok;
        (ok, priceWad, stableWad) = _prices.readStored(asset);
        if (!ok) (priceWad, stableWad) = _prices.price(asset); // reverts with the reason
    }
}
