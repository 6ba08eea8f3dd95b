// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {AccountId} from "../types/AccountId.sol";

/// @title Liquidation and bankruptcy of perp positions
/// @notice One contract for every perp market of a Clearinghouse; the markets trust it to move
/// positions (`IPerpMarket.transferPosition`). Liquidators take positions over at the mark ∓ a
/// Dutch-auction discount instead of dumping them on the book; a hedged spot + perp pair unwinds
/// together at a smaller discount; a bankrupt position closes at the mark and its loss, after the
/// market's own fees, is charged to that market's opposite side only, pro rata, through a loss-per-lot
/// index (O(1)). Formulas: docs/PERPS.md.
interface IPerpLiquidator {
    /// @notice The address is not a perp market of this Clearinghouse.
    error NotPerpMarket(address market);
    /// @notice The account has no position on the market.
    error NoPosition(AccountId account);
    /// @notice Zero lots, more lots than the position, or a spot leg that is not an opposite hedge.
    error InvalidLiquidation(int256 position, uint256 lots);
    /// @notice The account still holds assets or value on another perp market, has open orders on
    ///         this one, or its position is not under water at the mark.
    error NotBankrupt(AccountId account);

    /// @notice A liquidator took over `lots` (signed, as the liquidator's trade) of the account's
    ///         position at `priceAtoms` per lot; `spotAtoms` of the hedging spot leg moved with it.
    event PositionLiquidated(
        address indexed market,
        AccountId indexed account,
        AccountId liquidator,
        int256 lots,
        uint256 priceAtoms,
        uint256 spotAtoms,
        uint256 discountBps
    );
    /// @notice A bankrupt position of `lots` closed at the mark (`priceAtoms` per lot) into the
    ///         `resolver`'s account; the market's fees covered `feeAtoms` of the shortfall, the
    ///         opposite side owes `socializedAtoms` through its loss index.
    event BankruptcyResolved(
        address indexed market,
        AccountId indexed account,
        AccountId resolver,
        int256 lots,
        uint256 priceAtoms,
        uint256 feeAtoms,
        uint256 socializedAtoms
    );

    /// @notice Takes over `lots` of a liquidatable account's position on `market` into the
    ///         caller's sub-account `liquidatorSub`, at the mark ∓ the discount. With `withSpot`
    ///         the caller also takes the account's opposite spot leg (`lots` × lotSize atoms of the
    ///         underlying) at the index ∓ the smaller hedge discount, and the perp leg moves at the mark.
    /// @dev The account must have no open orders on the market (cancel them with
    ///      `cancelForLiquidation`); its maintenance value must rise and stay within the buffer.
    /// @return priceAtoms Quote atoms per lot the position moved at.
    function liquidate(address market, AccountId account, uint256 lots, uint8 liquidatorSub, bool withSpot)
        external
        returns (uint256 priceAtoms);

    /// @notice Closes the position of a bankrupt account (no positive balance, no spot pockets, no
    ///         value on another perp market, no open orders here) whose position is under water at
    ///         the mark: the caller's sub-account `resolverSub` takes it over at the mark (rounded
    ///         its way, margin-checked if its risk grows; an opposite holder closes against it, and
    ///         open interest shrinks); the market's fees cover the shortfall first, then the rest
    ///         is charged to every opposite-side lot through the market's loss index
    ///         (`IPerpMarket.absorbLoss`). Costs the same whatever the number of counterparties.
    /// @return priceAtoms Quote atoms per lot the position moved at.
    function resolveBankruptcy(address market, AccountId account, uint8 resolverSub) external returns (uint256 priceAtoms);
}
