// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {PriceLib} from "../libraries/PriceLib.sol";
import {FeedConfig} from "../interfaces/IOracle.sol";
import {PriceWord} from "../types/PriceWord.sol";

/// @notice Test-only holder of one `PriceLib.State`, to test the library (`readStored`, the core's
/// price read for writes) without the core's governance: feeds are set, pushed and anchored by anyone.
contract PriceLibHarness {
    using PriceLib for PriceLib.State;

    PriceLib.State internal _prices;

    /// @dev The last answer of `readStored`, kept so a test can read it after the transaction.
    bool public lastOk;
    uint256 public lastPriceWad;
    uint256 public lastStableWad;

    function setFeed(address asset, FeedConfig calldata cfg) external {
        _prices.setFeed(asset, cfg);
    }

    function pushPrice(address asset, uint256 priceWad) external {
        _prices.pushPrice(asset, priceWad);
    }

    function updateStablePrice(address asset) external {
        _prices.updateStablePrice(asset);
    }

    function readStored(address asset) external returns (bool ok, uint256 priceWad, uint256 stableWad) {
        (ok, priceWad, stableWad) = _prices.readStored(asset);
        (lastOk, lastPriceWad, lastStableWad) = (ok, priceWad, stableWad);
    }

    function tryPrice(address asset) external view returns (bool, uint256, uint256) {
        return _prices.tryPrice(asset);
    }

    /// @dev The asset's price word, field by field: the anchor, and the price with its expiry (an Admin
    /// push's, or a stored feed read's).
    function storedOf(address asset)
        external
        view
        returns (uint256 stableWad, uint256 stableAt, uint256 priceWad, uint256 expiresAt)
    {
        PriceWord w = _prices.feeds[asset].price;
        return (w.stableWad(), w.stableAt(), w.lastPriceWad(), w.expiresAt());
    }
}
