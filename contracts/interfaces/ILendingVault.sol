// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {ILending} from "./ILending.sol";

/// @title ILendingVault: the ERC-4626 contract outside lenders use for one asset, over a core's pool
/// @notice A thin wrapper (as MetaMorpho over Morpho Blue): one share of the vault is one supply share
/// of the core's pool, held by the core as the outside lenders' (`LendingLib.State.outsideShares`),
/// so the vault's `totalSupply` equals that figure and every conversion is the pool's own
/// (SharesMathLib, 10^6 virtual shares and one virtual atom, the pool's side). `deposit` and `mint`
/// go through the core (`ILendingCore.supplyFromVault`, `mintFromVault`); `withdraw` and `redeem`
/// burn the owner's shares first and then have the core pay the receiver (`withdrawToVault`,
/// `redeemToVault`); the core keeps the cash, the caps, the freeze and the rate. Its own lock guards
/// every entry, and the core has its own.
/// Behaviour kept from the former standalone LendingPool (docs/LENDING.md): a payout above the pool's cash reverts
/// `InsufficientCash(requested, cash)`; while the pool is frozen `withdraw` and `redeem` revert
/// `Frozen` and `maxWithdraw` / `maxRedeem` say 0, while deposits go on; `maxDeposit` is the pool's
/// `maxSupply`; a token sent to the vault or the core moves no share price.
interface ILendingVault is IERC4626, ILending {
    /// @notice The core whose pool this vault wraps.
    function core() external view returns (address);
}
