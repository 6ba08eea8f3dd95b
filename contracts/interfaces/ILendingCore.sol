// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {ILending} from "./ILending.sol";

/// @title ILendingCore: what a core holding the pools (`mapping(address token => LendingLib.State)`)
/// serves to each asset's LendingVault, the ERC-4626 wrapper for outside lenders
/// @notice The core holds each pool's cash in its vault and the outside lenders' supply shares as one
/// figure per asset (`LendingLib.State.outsideShares`), which the asset's LendingVault — the only
/// caller of these functions for that asset — splits among its own share holders, one wrapper share
/// per pool supply share. Amounts are the asset's atoms; every rounding is SharesMathLib's (the pool's
/// side). The Clearinghouse implements it (`ClearinghouseLending`); `contracts/mocks/LendingCoreMock.sol`
/// is that code without the rest of the venue, for the wrapper's tests.
interface ILendingCore is ILending {
    /// @notice The caller is not the LendingVault registered for the asset.
    error NotLendingVault(address caller);

    /// @notice Pulls `assets` from the asset's LendingVault and supplies them for outside lenders:
    ///         supply shares rounded down (`toSharesDown`), added to `outsideShares`.
    /// @dev Reverts NotLendingVault, ZeroAmount, SupplyRefused past `maxSupply`, TransferShortfall when
    ///      the token delivers less.
    function supplyFromVault(address token, uint256 assets) external returns (uint256 shares);

    /// @notice Supplies for exactly `shares` supply shares, pulling their cost (rounded up,
    ///         `toAssetsUp`) from the LendingVault.
    /// @dev Reverts as supplyFromVault.
    function mintFromVault(address token, uint256 shares) external returns (uint256 assets);

    /// @notice Burns `shares` of the outside lenders' supply and pays what they are worth (rounded
    ///         down, `toAssetsDown`) to `receiver`.
    /// @dev Reverts NotLendingVault, ZeroAmount, Frozen while the pool is frozen, InsufficientCash when the
    ///      pool's cash is short (the rest is lent out), InsufficientOutsideShares beyond the outside
    ///      lenders' shares.
    function redeemToVault(address token, uint256 shares, address receiver) external returns (uint256 assets);

    /// @notice Pays `assets` to `receiver`, burning the outside lenders' supply shares they are worth
    ///         (rounded up, `toSharesUp`).
    /// @dev Reverts as redeemToVault.
    function withdrawToVault(address token, uint256 assets, address receiver) external returns (uint256 shares);

    /// @notice The pool of `token` with interest accrued up to now, as a LendingVault prices its shares:
    ///         supplyAssets (cash + totalBorrows − reserves), the supply shares in existence, the
    ///         outside lenders' part of them, the cash, the most a supply may add now, and the frozen flag.
    function lendingSupplyOf(address token)
        external
        view
        returns (
            uint256 supplyAssets,
            uint256 supplyShares,
            uint256 outsideShares,
            uint256 cash,
            uint256 maxSupply,
            bool frozen
        );

    /// @notice A supply is beyond what the pool takes now (`maxSupply`, in assets: caps, cash, shares);
    ///         `amount` is the assets asked for (supplyFromVault) or the shares (mintFromVault).
    error SupplyRefused(uint256 amount, uint256 maxSupply);
    /// @notice A LendingVault asked to burn more supply shares than the outside lenders hold.
    error InsufficientOutsideShares(uint256 requested, uint256 available);
}
