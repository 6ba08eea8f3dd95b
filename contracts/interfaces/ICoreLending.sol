// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {ILendingCore} from "./ILendingCore.sol";
import {RateModel} from "./ILending.sol";

/// @title ICoreLending: the lending pools the Clearinghouse holds, one `LendingLib.State` per asset
/// @notice Each listed asset's pool lives in the Clearinghouse: its cash sits in the vault with the
/// traders' tokens, margin accounts' lent balances are its supply shares (the supply less the outside
/// lenders' part), their debts its borrow shares. Outside lenders reach it through the asset's
/// LendingVault (`ILendingCore`). Governance (restricted through the AccessManager) lists a pool and
/// sets its rate model, reserve factor and caps, keyed by token; the views below are the pool's,
/// keyed by token, with interest accrued up to now (docs/LENDING.md).
interface ICoreLending is ILendingCore {
    /// @notice A pool was listed for `token`, served to outside lenders by `vault`.
    event PoolListed(address indexed token, address vault);
    /// @notice `assets` of the pool's reserve left its cash for `to`.
    event PoolReserveWithdrawn(address indexed token, uint256 assets, address to);

    /// @notice The pool of `token` is listed already, or `vault` is not a LendingVault of `token` over
    ///         this core.
    error InvalidPool(address token, address vault);

    // ---- governance (restricted) ----
    /// @notice Lists the lending pool of a listed asset (once): index 1e18, the model, reserve factor
    ///         and caps (bounds as their setters), and the asset's LendingVault, the only caller of
    ///         `ILendingCore` for it.
    /// @dev Reverts AssetNotListed, InvalidPool, and the setters' bounds.
    function listPool(
        address token,
        address vault,
        RateModel calldata model,
        uint16 reserveFactorBps,
        uint256 supplyCapAssets,
        uint256 borrowCapAssets
    ) external;

    /// @notice Replaces the pool's rate model, after accruing at the old one.
    /// @dev Reverts NoPool, RateTooHigh, InvalidKink.
    function setRateModel(address token, RateModel calldata model) external;

    /// @notice Sets the share of interest that goes to the pool's reserve (≤ 5000 bps), after accruing.
    /// @dev Reverts NoPool, ReserveFactorTooHigh.
    function setReserveFactor(address token, uint16 reserveFactorBps) external;

    /// @notice Sets the supply cap (on supplyAssets) and borrow cap (on totalBorrows); above 2^112 − 1
    ///         means no cap.
    /// @dev Reverts NoPool.
    function setCaps(address token, uint256 supplyCapAssets, uint256 borrowCapAssets) external;

    /// @notice Pays `assets` of the pool's reserve out of its cash to `to`.
    /// @dev Reverts NoPool, ZeroAmount, ZeroAddress, InsufficientReserves, InsufficientCash.
    function withdrawPoolReserve(address token, uint256 assets, address to) external;

    // ---- anyone ----
    /// @notice Accrues the pool's interest up to now (every operation on it does this first).
    /// @dev Reverts NoPool.
    function accrueInterest(address token) external;

    // ---- views (interest accrued up to now) ----
    /// @notice The asset's LendingVault; zero when the asset has no pool.
    function vaultOf(address token) external view returns (address);
    /// @notice Atoms the pool holds and has not lent out.
    function cash(address token) external view returns (uint256);
    /// @notice ⌊totalBorrowShares · index / 1e18⌋.
    function totalBorrows(address token) external view returns (uint256);
    function totalBorrowShares(address token) external view returns (uint256);
    function borrowIndexWad(address token) external view returns (uint256);
    /// @notice The pool's reserve (interest kept for the protocol), not the venue's (`reserveOf`).
    function poolReserves(address token) external view returns (uint256);
    /// @notice cash + totalBorrows − reserves: what the supply shares are worth.
    function supplyAssets(address token) external view returns (uint256);
    /// @notice Every supply share in existence (margin accounts' and outside lenders').
    function totalSupplyShares(address token) external view returns (uint256);
    function lastAccrualTimestamp(address token) external view returns (uint256);
    function utilizationWad(address token) external view returns (uint256);
    function borrowRatePerSecondWad(address token) external view returns (uint256);
    function supplyRatePerSecondWad(address token) external view returns (uint256);
    /// @notice The debt of `shares` borrow shares, rounded up.
    function debtOf(address token, uint256 shares) external view returns (uint256 assets);
    /// @notice The debt of `shares` (rounded up) and the borrow rate, in one call.
    function debtAndRateOf(address token, uint256 shares) external view returns (uint256 assets, uint256 ratePerSecondWad);
    /// @notice What `shares` supply shares are worth, rounded down (a lent balance's value).
    function lentAssetsOf(address token, uint256 shares) external view returns (uint256 assets);
    /// @notice Supply shares `assets` cost in a supply, rounded down.
    function lentSharesFor(address token, uint256 assets) external view returns (uint256 shares);
    /// @notice The borrow shares a borrow of `assets` mints, rounded up.
    function sharesForDebt(address token, uint256 assets) external view returns (uint256 shares);
    /// @notice The borrow rate once `extraAssets` more are borrowed, and how much can be borrowed now.
    function borrowQuote(address token, uint256 extraAssets)
        external
        view
        returns (uint256 ratePerSecondWad, uint256 borrowable);
    /// @notice As borrowQuote once `redeemedAssets` have left the cash first (a lent balance redeemed).
    function borrowQuoteAfterRedeem(address token, uint256 redeemedAssets, uint256 extraAssets)
        external
        view
        returns (uint256 ratePerSecondWad, uint256 borrowable);
    function rateModelOf(address token) external view returns (RateModel memory);
    function capsOf(address token) external view returns (uint256 supplyCapAssets, uint256 borrowCapAssets);
    function reserveFactorBpsOf(address token) external view returns (uint16);
    /// @notice Whether the pool is frozen (outside lenders' withdrawals wait; set with the venue's freeze).
    function poolFrozen(address token) external view returns (bool);
}
