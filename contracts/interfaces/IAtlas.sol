// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @title ATLAS: portfolio-margin valuation of one account (spot, lending and perps)
/// @notice Values are USD WAD (1e18 = $1). Each asset's adjusted balance x is valued at its price
/// shocked up and down by h and against the holder by the slippage s; the worse of the two
/// counts. Maintenance uses h and s as set at the oracle price; initial scales them and takes the
/// more conservative of oracle and stable price. The math, with a worked example, is in
/// docs/RISK.md; the SDK's copy (sdk/src/math/atlas.ts) agrees to the wei. The core values every
/// account itself (`IClearinghouse.riskOf`, `initialValue`, `maintenanceValue`,
/// `liquidationQuote`); the what-if views (limits, liquidation price, per-asset breakdown) are
/// `AtlasLens`'s. This interface holds ATLAS's errors and its result type.
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
}
