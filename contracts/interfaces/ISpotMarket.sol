// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {AccountId} from "../types/AccountId.sol";
import {IOrderBook} from "./IOrderBook.sol";

/// @title One spot central limit order book (base/quote)
/// @notice The book, order words and events are `IOrderBook`'s; a spot market adds pockets of
/// locked funds and unswept proceeds, swept into the Clearinghouse balance.
interface ISpotMarket is IOrderBook {
    /// @notice Pocket proceeds moved into the Clearinghouse balance.
    event Swept(AccountId indexed account, uint256 baseAtoms, uint256 quoteAtoms);

    /// @notice Moves an account's unswept proceeds into its Clearinghouse balance. Anyone may call.
    function sweep(address owner, uint8 sub) external;

    // ---- Clearinghouse only ----
    /// @notice Marks the account as having a liability (debt or perp exposure): its pocket-only
    ///         risk-adding actions are margin-checked.
    function setMarginFlag(AccountId account) external;

    // ---- views ----
    /// @notice The account's pocket: funds locked behind orders and proceeds not yet swept,
    ///         in atoms, plus its open order count.
    function pocketOf(address owner, uint8 sub)
        external
        view
        returns (uint256 lockedBase, uint256 lockedQuote, uint256 unsweptBase, uint256 unsweptQuote, uint256 openOrderCount);

    /// @notice What ATLAS reads of the account's pocket, in one call: the market's base and quote
    ///         and the pocket's locked and unswept funds in atoms (as `pocketOf`).
    function riskPocketOf(AccountId account)
        external
        view
        returns (address base, address quote, uint256 lockedBase, uint256 lockedQuote, uint256 unsweptBase, uint256 unsweptQuote);
}
