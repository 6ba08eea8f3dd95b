// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {MathLib} from "./MathLib.sol";

/// @title SharesMathLib: every rounding of the lending pools, named
/// @notice Two kinds of shares, each converted in both directions, the rounding in the name:
/// - supply shares (a lender's claim on the pool's supply assets), against the pool's totals with
///   virtual shares and assets: `toSharesDown`, `toSharesUp`, `toAssetsDown`, `toAssetsUp`;
/// - borrow shares (a borrower's debt), against the borrow index (WAD, starts at 1e18, never
///   falls): `toDebtSharesUp`, `toDebtSharesDown`, `toDebtAssetsUp`, `toDebtAssetsDown`.
/// Which rounding favours whom (docs/LENDING.md, "Roundings"):
/// | operation | rounding | favours |
/// |---|---|---|
/// | deposit: shares minted for assets | toSharesDown | the pool (its other lenders) |
/// | mint: assets pulled for shares | toAssetsUp | the pool |
/// | withdraw: shares burnt for assets | toSharesUp | the pool |
/// | redeem, a lent balance's value: assets for shares | toAssetsDown | the pool |
/// | borrow: debt shares for assets lent | toDebtSharesUp | the pool (the borrower owes more) |
/// | one debt's value, a repayment of all of it | toDebtAssetsUp | the pool (the payer pays the last atom) |
/// | partial repayment: shares burnt for assets paid | toDebtSharesDown | the pool |
/// | totalBorrows, what lenders are credited | toDebtAssetsDown | the pool (never more than Σ debts) |
/// Virtual shares and assets (10^6 shares, 1 atom, as OpenZeppelin's ERC-4626 with a decimals offset
/// of 6 and Morpho Blue's SharesMathLib): an empty pool prices a share at 10^-6 atoms, so a first
/// depositor who donates to inflate the share price must give ~10^6 times what they hope to take from
/// the next depositor's rounding (test/unit/lending.lib.test.ts, test/attack/outside-lender.test.ts).
/// @dev Every product goes through `MathLib.fullMulDivDown` / `fullMulDivUp`: exactly OpenZeppelin's
/// `mulDiv` results, on a plain 256-bit path when x · y does not overflow (always, at the sizes a
/// pool stores: amounts < 2^112, shares < 2^128, index < 2^128, rates < 2^64).
library SharesMathLib {

    uint256 internal constant WAD = 1e18;
    /// @notice Virtual supply shares: 10^6 (OpenZeppelin's decimals offset of 6).
    uint256 internal constant VIRTUAL_SHARES = 1e6;
    /// @notice Virtual supply assets: one atom.
    uint256 internal constant VIRTUAL_ASSETS = 1;

    // ------------------------------------------------------------------ supply shares

    /// @notice Supply shares worth `assets`, rounded down: what a deposit mints (the pool's side).
    function toSharesDown(uint256 assets, uint256 totalAssets, uint256 totalShares) internal pure returns (uint256) {
        return MathLib.fullMulDivDown(assets, totalShares + VIRTUAL_SHARES, totalAssets + VIRTUAL_ASSETS);
    }

    /// @notice Supply shares worth `assets`, rounded up: what a withdrawal burns (the pool's side).
    function toSharesUp(uint256 assets, uint256 totalAssets, uint256 totalShares) internal pure returns (uint256) {
        return MathLib.fullMulDivUp(assets, totalShares + VIRTUAL_SHARES, totalAssets + VIRTUAL_ASSETS);
    }

    /// @notice Assets `shares` supply shares are worth, rounded down: what a redemption pays and what a
    ///         lent balance counts for (the pool's side).
    function toAssetsDown(uint256 shares, uint256 totalAssets, uint256 totalShares) internal pure returns (uint256) {
        return MathLib.fullMulDivDown(shares, totalAssets + VIRTUAL_ASSETS, totalShares + VIRTUAL_SHARES);
    }

    /// @notice Assets `shares` supply shares cost, rounded up: what a mint pulls (the pool's side).
    function toAssetsUp(uint256 shares, uint256 totalAssets, uint256 totalShares) internal pure returns (uint256) {
        return MathLib.fullMulDivUp(shares, totalAssets + VIRTUAL_ASSETS, totalShares + VIRTUAL_SHARES);
    }

    // ------------------------------------------------------------------ borrow shares

    /// @notice Borrow shares for a debt of `assets`, rounded up: what a borrow books (the pool's side).
    function toDebtSharesUp(uint256 assets, uint256 indexWad) internal pure returns (uint256) {
        return MathLib.fullMulDivUp(assets, WAD, indexWad);
    }

    /// @notice Whole borrow shares `assets` pays for, rounded down: what a partial repayment burns
    ///         (the pool's side: the fraction of a share left is kept as cash).
    function toDebtSharesDown(uint256 assets, uint256 indexWad) internal pure returns (uint256) {
        return MathLib.fullMulDivDown(assets, WAD, indexWad);
    }

    /// @notice Assets owed on `shares` borrow shares, rounded up: one debt (the pool's side).
    function toDebtAssetsUp(uint256 shares, uint256 indexWad) internal pure returns (uint256) {
        return MathLib.fullMulDivUp(shares, indexWad, WAD);
    }

    /// @notice Assets owed on all `shares`, rounded down: what lenders are credited (totalBorrows),
    ///         never more than the sum of the individual debts (each rounded up).
    function toDebtAssetsDown(uint256 shares, uint256 indexWad) internal pure returns (uint256) {
        return MathLib.fullMulDivDown(shares, indexWad, WAD);
    }
}
