// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {AccountId} from "../types/AccountId.sol";
import {IPriceOracle} from "./IPriceOracle.sol";

/// @title ATLAS: portfolio-margin valuation of one account (spot, lending and perps)
/// @notice Values are USD WAD (1e18 = $1). Each asset's adjusted balance x is valued at its price
/// shocked up and down by h and against the holder by the slippage s; the worse of the two
/// counts. Maintenance uses h and s as set at the oracle price; initial scales them and takes the
/// more conservative of oracle and stable price. The math, with a worked example, is in
/// docs/RISK.md; the SDK's copy (sdk/src/math/atlas.ts) agrees to the wei.
interface IAtlas {
    /// @notice No usable price (stale, out of bounds or too uncertain) for an asset the account holds.
    error PriceUnavailable(address asset);
    /// @notice A parameter is outside its hard bounds.
    error InvalidRiskParams();
    /// @notice A balance, price or parameter is beyond the range ATLAS's arithmetic is proven
    ///         for (atoms ≥ 2^128, a USD value ≥ 2^200 WAD, ...): no real account comes near.
    error ValuationOutOfRange();

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

    struct AccountRisk {
        int256 equityWad;
        int256 maintenanceWad;
        int256 initialWad;
    }

    /// @notice Equity (no shocks), maintenance value and initial value of `account`.
    /// @dev Reverts PriceUnavailable when a held asset has no usable price.
    function riskOf(AccountId account) external view returns (AccountRisk memory);

    /// @notice What a liquidation needs, from one valuation (`riskOf` without the initial value):
    ///         maintenance value and equity, the debt owed in `debtToken` (atoms, rounded up as the
    ///         pool books it; 0 if none), and the oracle prices (WAD) of both tokens (0 for a token
    ///         the account has no balance of). Before a spot liquidation it sizes the seizure; after
    ///         any liquidation (tokens 0) it checks maintenance rose and stopped within the buffer.
    /// @dev Reverts PriceUnavailable when a held asset or a non-zero collateral has no usable
    ///      price, and AssetNotListed (Clearinghouse) for an unlisted collateral.
    function liquidationQuote(AccountId account, address debtToken, address collateralToken)
        external
        view
        returns (int256 maintenanceWad, int256 equityWad, uint256 debtAtoms, uint256 debtPriceWad, uint256 collateralPriceWad);

    /// @notice Per-asset breakdown of `riskOf`.
    function assetRisks(AccountId account) external view returns (AssetRisk[] memory);

    /// @notice Initial value, the figure every risk-increasing action must leave >= 0.
    function initialValue(AccountId account) external view returns (int256);

    /// @notice Initial-margin requirement (USD WAD) of the portfolio as ATLAS margins it, and of
    ///         plain cross margin (each spot and perp leg margined alone), at the same prices.
    function marginRequirements(AccountId account) external view returns (int256 portfolioWad, int256 crossWad);

    /// @notice Maintenance value; below zero the account may be liquidated.
    function maintenanceValue(AccountId account) external view returns (int256);

    /// @notice The price source.
    function ORACLE() external view returns (IPriceOracle);

    /// @notice Largest amount of `token` the account can withdraw (borrowing if `allowBorrow`)
    ///         keeping its initial value >= 0.
    function maxWithdraw(AccountId account, address token, bool allowBorrow) external view returns (uint256 atoms);

    /// @notice Largest amount of `token` the account can borrow and withdraw keeping initial value >= 0.
    function maxBorrow(AccountId account, address token) external view returns (uint256 atoms);

    /// @notice Price of `token` (WAD) at which the maintenance value reaches zero with every other
    ///         price held; 0 if no price does that.
    function liquidationPrice(AccountId account, address token) external view returns (uint256 priceWad);

    /// @notice Initial-margin multiplier on shocks and slippage, in bps (15_000 = 1.5x).
    function initialScaleBps() external view returns (uint256);

    /// @notice Seconds of interest at the current borrow rate charged on debt (10 days).
    function debtInterestSeconds() external view returns (uint256);
}
