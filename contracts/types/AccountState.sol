// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @notice One account's state word in the Clearinghouse (`_state[account]`): which assets it may
/// hold or owes, which markets it may have a pocket on, its borrow policy, its perp exposure and
/// when its liquidation auction started. ATLAS (`RiskLib`) reads it whole.
/// @dev Layout (uint256, bit 0 = least significant):
///
///   255                 208 207   195  194    193             192            191       128 127      64 63       0
///   | liquidatableSince 48 | zero 13 | perp | borrowWithdrawals | borrowOrders | markets 64 | owed 64 | held 64 |
///
///   held:    bit id − 1 set when asset `id`'s balance may be non-zero (cleared lazily: a balance
///            that reaches zero on the settlement fast path keeps its bit)
///   owed:    bit id − 1 set exactly when asset `id`'s balance is negative (debt)
///   markets: bit index − 1 set when the account may have a pocket on market `index`
///   borrowOrders / borrowWithdrawals: the owner lets orders / withdrawals borrow
///   perp:    the account has traded on a perp market (a position, resting perp orders or perp
///            cash may exist): a liability like debt
///   liquidatableSince: the block time its Dutch auction started; 0 = no auction
type AccountState is uint256;

using AccountStateLib for AccountState global;

library AccountStateLib {
    uint256 internal constant M64 = type(uint64).max;
    uint256 internal constant OWED_OFFSET = 64;
    uint256 internal constant MARKETS_OFFSET = 128;
    uint256 internal constant BORROW_ORDERS = 1 << 192;
    uint256 internal constant BORROW_WITHDRAWALS = 1 << 193;
    uint256 internal constant PERP = 1 << 194;
    uint256 internal constant SINCE_OFFSET = 208;
    /// @dev Every field below the auction clock.
    uint256 internal constant BELOW_SINCE = (1 << SINCE_OFFSET) - 1;

    function eq(AccountState a, AccountState b) internal pure returns (bool) {
        return AccountState.unwrap(a) == AccountState.unwrap(b);
    }

    // ---------------------------------------------------------------- assets

    /// @dev Mask of the assets whose balances may be non-zero (bit id − 1).
    function held(AccountState s) internal pure returns (uint256) {
        return AccountState.unwrap(s) & M64;
    }

    /// @dev Mask of the assets the account owes (bit id − 1).
    function owed(AccountState s) internal pure returns (uint256) {
        return (AccountState.unwrap(s) >> OWED_OFFSET) & M64;
    }

    /// @dev The held and owed bits of asset `id` (1..64) in step with its balance's sign.
    function track(AccountState s, uint256 id, int256 amount) internal pure returns (AccountState) {
        uint256 st = AccountState.unwrap(s);
        uint256 bit = 1 << (id - 1);
        st = amount != 0 ? st | bit : st & ~bit;
        return AccountState.wrap(amount < 0 ? st | (bit << OWED_OFFSET) : st & ~(bit << OWED_OFFSET));
    }

    // ---------------------------------------------------------------- markets

    /// @dev Mask of the markets the account may have a pocket on (bit index − 1).
    function markets(AccountState s) internal pure returns (uint256) {
        return (AccountState.unwrap(s) >> MARKETS_OFFSET) & M64;
    }

    /// @dev The state with market `index` (1..64) marked.
    function withMarket(AccountState s, uint256 index) internal pure returns (AccountState) {
        return AccountState.wrap(AccountState.unwrap(s) | (1 << (MARKETS_OFFSET - 1 + index)));
    }

    /// @dev The state without the markets in `mask` (bit index − 1).
    function withoutMarkets(AccountState s, uint256 mask) internal pure returns (AccountState) {
        return AccountState.wrap(AccountState.unwrap(s) & ~((mask & M64) << MARKETS_OFFSET));
    }

    // ---------------------------------------------------------------- flags

    function borrowsForOrders(AccountState s) internal pure returns (bool) {
        return AccountState.unwrap(s) & BORROW_ORDERS != 0;
    }

    function borrowsForWithdrawals(AccountState s) internal pure returns (bool) {
        return AccountState.unwrap(s) & BORROW_WITHDRAWALS != 0;
    }

    /// @dev The state with the owner's borrow policy.
    function withBorrowPolicy(AccountState s, bool forOrders, bool forWithdrawals) internal pure returns (AccountState) {
        uint256 st = AccountState.unwrap(s) & ~(BORROW_ORDERS | BORROW_WITHDRAWALS);
        if (forOrders) st |= BORROW_ORDERS;
        if (forWithdrawals) st |= BORROW_WITHDRAWALS;
        return AccountState.wrap(st);
    }

    function hasPerp(AccountState s) internal pure returns (bool) {
        return AccountState.unwrap(s) & PERP != 0;
    }

    function withPerp(AccountState s) internal pure returns (AccountState) {
        return AccountState.wrap(AccountState.unwrap(s) | PERP);
    }

    function withoutPerp(AccountState s) internal pure returns (AccountState) {
        return AccountState.wrap(AccountState.unwrap(s) & ~PERP);
    }

    /// @dev Whether the account has something it may owe: debt, or perp exposure.
    function liable(AccountState s) internal pure returns (bool) {
        return owed(s) != 0 || hasPerp(s);
    }

    // ---------------------------------------------------------------- liquidation auction

    /// @dev When the account's auction started (0: none running).
    function liquidatableSince(AccountState s) internal pure returns (uint256) {
        return AccountState.unwrap(s) >> SINCE_OFFSET;
    }

    /// @dev The state with an auction started at `t` (a block time: fits 48 bits for millions of years).
    function withLiquidatableSince(AccountState s, uint256 t) internal pure returns (AccountState) {
        return AccountState.wrap((AccountState.unwrap(s) & BELOW_SINCE) | (t << SINCE_OFFSET));
    }

    /// @dev The state with no auction running.
    function withoutAuction(AccountState s) internal pure returns (AccountState) {
        return AccountState.wrap(AccountState.unwrap(s) & BELOW_SINCE);
    }
}
