// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {AccountId} from "../types/AccountId.sol";
import {IPriceOracle} from "./IPriceOracle.sol";
import {IAtlasLens} from "./IAtlasLens.sol";

/// @title ATLAS: portfolio-margin valuation of one account (spot, lending and perps)
/// @notice Values are USD WAD (1e18 = $1). Each asset's adjusted balance x is valued at its price
/// shocked up and down by h and against the holder by the slippage s; the worse of the two
/// counts. Maintenance uses h and s as set at the oracle price; initial scales them and takes the
/// more conservative of oracle and stable price. The math, with a worked example, is in
/// docs/RISK.md; the SDK's copy (sdk/src/math/atlas.ts) agrees to the wei. The what-if views
/// (limits, liquidation price, per-asset breakdown) are on `IAtlasLens`, at `LENS()`.
interface IAtlas {
    /// @notice No usable price (stale, out of bounds or too uncertain) for an asset the account holds.
    error PriceUnavailable(address asset);
    /// @notice A parameter is outside its hard bounds.
    error InvalidRiskParams();
    /// @notice A balance, price or parameter is beyond the range ATLAS's arithmetic is proven
    ///         for (atoms ≥ 2^128, a USD value ≥ 2^200 WAD, ...): no real account comes near.
    error ValuationOutOfRange();

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
    ///         the account has no balance of), and whether any of its funds or perp size rest behind
    ///         open orders (on any spot book or perp market: every resting order locks some; told only
    ///         when a collateral is named, false otherwise: the after-check needs no answer). Before a
    ///         spot liquidation it sizes the seizure and tells whether orders must be cancelled first;
    ///         after any liquidation (tokens 0) it checks maintenance rose and stopped within the buffer.
    /// @dev Reverts PriceUnavailable when a held asset or a non-zero collateral has no usable
    ///      price, and AssetNotListed (Clearinghouse) for an unlisted collateral.
    function liquidationQuote(AccountId account, address debtToken, address collateralToken)
        external
        view
        returns (
            int256 maintenanceWad,
            int256 equityWad,
            uint256 debtAtoms,
            uint256 debtPriceWad,
            uint256 collateralPriceWad,
            bool ordersOpen
        );

    /// @notice Initial value, the figure every risk-increasing action must leave >= 0.
    function initialValue(AccountId account) external view returns (int256);

    /// @notice Maintenance value; below zero the account may be liquidated.
    function maintenanceValue(AccountId account) external view returns (int256);

    /// @notice The lens Atlas deployed with its own parameters: the what-if views (`IAtlasLens`).
    function LENS() external view returns (IAtlasLens);

    /// @notice The price source.
    function ORACLE() external view returns (IPriceOracle);

    /// @notice Initial-margin multiplier on shocks and slippage, in bps (15_000 = 1.5x).
    function initialScaleBps() external view returns (uint256);

    /// @notice Seconds of interest at the current borrow rate charged on debt (10 days).
    function debtInterestSeconds() external view returns (uint256);
}
