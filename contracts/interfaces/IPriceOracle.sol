// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @notice What Atlas reads from the OracleRouter: WAD USD per whole token, and the stable price
/// that follows it at a bounded rate. Full documentation lives in IOracleRouter.
interface IPriceOracle {
    function price(address asset) external view returns (uint256 priceWad, uint256 stableWad);
    function tryPrice(address asset) external view returns (bool ok, uint256 priceWad, uint256 stableWad);
    function tryPrices(address[] calldata assets) external view returns (uint256[] memory words);
}
