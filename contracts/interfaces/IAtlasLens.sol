// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {AccountId} from "../types/AccountId.sol";

/// @title ATLAS what-if views: limits, liquidation price and breakdowns of one account
/// @notice Values exactly as `IAtlas` (same gathering, same math; docs/RISK.md). Reverts
/// `IAtlas.PriceUnavailable` when a held asset, or the token asked about, has no usable price.
/// Atlas deploys one with its own parameters: `IAtlas.LENS()`.
interface IAtlasLens {
    /// @notice One asset of an account as Atlas sees it (atoms; USD WAD).
    struct AssetRisk {
        address token;
        int256 adjustedAtoms;
        uint256 priceWad;
        int256 maintenanceWad;
        int256 initialWad;
        /// @dev net perp position on this asset as underlying (atoms), summed over its perp markets
        int256 perpAtoms;
    }

    /// @notice Per-asset breakdown of `IAtlas.riskOf`.
    function assetRisks(AccountId account) external view returns (AssetRisk[] memory);

    /// @notice Initial-margin requirement (USD WAD) of the portfolio as ATLAS margins it, and of
    ///         plain cross margin (each spot and perp leg margined alone), at the same prices.
    function marginRequirements(AccountId account) external view returns (int256 portfolioWad, int256 crossWad);

    /// @notice Largest amount of `token` the account can withdraw (borrowing if `allowBorrow`)
    ///         keeping its initial value >= 0.
    function maxWithdraw(AccountId account, address token, bool allowBorrow) external view returns (uint256 atoms);

    /// @notice Largest amount of `token` the account can borrow and withdraw keeping initial value >= 0.
    function maxBorrow(AccountId account, address token) external view returns (uint256 atoms);

    /// @notice Price of `token` (WAD) at which the maintenance value reaches zero with every other
    ///         price held; 0 if no price does that.
    function liquidationPrice(AccountId account, address token) external view returns (uint256 priceWad);
}
