// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {AccountId} from "../types/AccountId.sol";
import {TopWord} from "../types/TopWord.sol";

// The book's working structs, at file level so the book and each market kind's hooks share them
// without inheriting from one another (the one core dispatches hooks by market kind).

/// @dev Working copy of one account's pocket and the market state for one call.
/// Spot: `locked*` funds behind orders, `unswept*` proceeds, `owed*` what the pocket could not
/// cover (debited from the Clearinghouse at the end). Perp: `lockedQuote`/`lockedBase` are the
/// open bid/ask lots, and the position fields below are used.
struct Ctx {
    AccountId account;
    uint256 lockedQuote;
    uint256 lockedBase;
    uint256 unsweptQuote;
    uint256 unsweptBase;
    uint256 openOrders;
    uint256 owedBase;
    uint256 owedQuote;
    TopWord top;
    bool topLoaded;
    /// @dev the account has debt: its risk-adding pocket-only actions are margin-checked
    bool margin;
    /// @dev this call placed or took: it may add risk
    bool risky;
    /// @dev the pocket was empty when loaded (first settlement of the account on this market)
    bool fresh;
    /// @dev perp: signed position in lots, signed entry value and unsettled cash (quote atoms)
    int256 size;
    int256 entry;
    int256 cash;
    /// @dev perp: |size| before this call, to tell whether it added risk
    uint256 sizeBefore;
}

/// @dev One taker order while it matches.
struct Taker {
    uint256 side;
    uint256 tick;
    uint256 limitTick;
    uint256 remaining;
    uint256 filled;
    uint256 notional;
    int256 makerFees;
    uint256 fills;
    uint256 maxFills;
    /// @dev skip units left (`MAX_SKIPS` for a taker)
    uint256 skipsLeft;
    uint256 stp;
    bool stopped;
    /// @dev `purgeTop`: remove expired orders only, stop at the first live one
    bool purge;
    uint256[] log;
    /// @dev perp: change of the long open interest from maker fills (lots, signed)
    int256 makerLongDelta;
}
