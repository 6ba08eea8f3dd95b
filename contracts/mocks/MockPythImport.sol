// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {MockPyth} from "@pythnetwork/pyth-sdk-solidity/MockPyth.sol";

/// @notice Pyth's own MockPyth under a local name, so Hardhat emits an artifact and TypeChain
/// types for it (tests and local chains only). Prices are set with `updatePriceFeeds` on data
/// built by `createPriceFeedUpdateData`.
contract MockPythFeed is MockPyth {
    constructor(uint256 validTimePeriod, uint256 singleUpdateFeeInWei) MockPyth(validTimePeriod, singleUpdateFeeInWei) {}
}
