// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {PriceLib} from "../libraries/PriceLib.sol";
import {FeedConfig} from "../interfaces/IOracle.sol";
import {StableWord} from "../types/StableWord.sol";

/// @notice Test-only holder of one `PriceLib.State`, to test `readStored` (the core's price read)
/// before the core holds the State; feeds are set and pushed without governance.
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

    function readStored(address asset) external returns (bool ok, uint256 priceWad, uint256 stableWad) {
        (ok, priceWad, stableWad) = _prices.readStored(asset);
        (lastOk, lastPriceWad, lastStableWad) = (ok, priceWad, stableWad);
    }

    function tryPrice(address asset) external view returns (bool, uint256, uint256) {
        return _prices.tryPrice(asset);
    }

    /// @dev The stored anchor and read of a Chainlink or Pyth feed, field by field.
    function storedOf(address asset)
        external
        view
        returns (uint256 stableWad, uint256 stableAt, uint256 priceWad, uint256 priceAt)
    {
        StableWord q = _prices.feeds[asset].quote;
        return (q.stableWad(), q.stableAt(), q.priceWad(), q.priceAt());
    }
}
