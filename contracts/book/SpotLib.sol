// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IMarkets} from "../interfaces/IMarkets.sol";
import {BookConfig} from "../types/BookConfig.sol";
import {AccountId} from "../types/AccountId.sol";
import {OrderWord} from "../types/OrderWord.sol";
import {TopWord} from "../types/TopWord.sol";
import {SpotPocket, SpotPocketLib} from "../types/SpotPocket.sol";
import {FeeMath} from "../libraries/FeeMath.sol";
import {Ctx, Taker} from "./BookCtx.sol";
import {BookLib} from "./BookLib.sol";

/// @title SpotLib: what a spot market commits and moves, over the pockets it owns
/// @notice The book's spot hooks (`MarketLib` calls them for a spot market) and the pocket arithmetic. Per account one
/// pocket word holds locked funds and unswept proceeds, so a maker fill writes the order's ring
/// slot (only if partially filled) and one pocket. Settling with the vault (what the pocket could
/// not cover, a sweep) is the holder's.
/// @dev Amounts in a pocket are tick units (quote) and lots (base). `maxMakerFeeBps` is the
/// market's maker fee bound (`BookConfig.maxMakerFeeBps`), which a bid locks on top of its cost.
library SpotLib {
    /// @notice One spot market's pockets.
    struct State {
        /// @dev one pocket word per account (layout in `SpotPocket`)
        mapping(AccountId account => SpotPocket) pockets;
    }

    // ------------------------------------------------------------------ book hooks

    /// @dev Reduce-only has no meaning on a spot book.
    function checkPlace(OrderWord p) internal pure {
        require(!p.reduceOnly(), IMarkets.ReduceOnlyOnSpot());
    }

    /// @dev A bid locks its cost plus the maker fee bound in quote; an ask locks its base.
    function lock(Ctx memory c, uint256 maxMakerFeeBps, uint256 side, uint256 tick, uint256 lots) internal pure {
        if (side == 0) {
            uint256 locked = lots * bidLockPerLot(tick, maxMakerFeeBps);
            c.lockedQuote += locked;
            debitQuote(c, locked);
        } else {
            c.lockedBase += lots;
            debitBase(c, lots);
        }
    }

    /// @dev Returns `lots` of a lock to the acting account's proceeds (its open-order count unchanged).
    function unlock(Ctx memory c, uint256 maxMakerFeeBps, uint256 side, uint256 tick, uint256 lots) internal pure {
        if (side == 0) {
            uint256 locked = lots * bidLockPerLot(tick, maxMakerFeeBps);
            c.lockedQuote -= locked;
            creditQuote(c, locked);
        } else {
            c.lockedBase -= lots;
            creditBase(c, lots);
        }
    }

    /// @dev Ends `lots` of another account's order in its stored pocket.
    function releaseOther(
        State storage s,
        uint256 maxMakerFeeBps,
        AccountId owner,
        uint256 side,
        uint256 tick,
        uint256 lots
    ) internal {
        s.pockets[owner] = releaseWord(s.pockets[owner], maxMakerFeeBps, side, tick, lots);
    }

    /// @dev A release on a packed pocket word: locked -> unswept, one fewer open order.
    function releaseWord(SpotPocket w, uint256 maxMakerFeeBps, uint256 side, uint256 tick, uint256 lots)
        internal
        pure
        returns (SpotPocket)
    {
        if (side == 0) {
            uint256 locked = lots * bidLockPerLot(tick, maxMakerFeeBps);
            w = w.subLockedQuote(locked); // locked quote holds at least this order's lock
            uint256 uq = w.unsweptQuote() + locked;
            require(uq <= SpotPocketLib.MAX_QUOTE, IMarkets.AmountOverflow());
            w = w.withUnsweptQuote(uq);
        } else {
            w = w.subLockedBase(lots);
            uint256 ub = w.unsweptBase() + lots;
            require(ub <= SpotPocketLib.MAX_BASE, IMarkets.AmountOverflow());
            w = w.withUnsweptBase(ub);
        }
        return w.lessOpenOrder();
    }

    /// @dev Credits one maker's pocket for a fill of `f` lots at `t.tick`: one slot write.
    function fillMaker(
        State storage s,
        uint256 maxMakerFeeBps,
        TopWord top,
        Taker memory t,
        AccountId maker,
        uint256 f,
        bool done
    ) internal {
        SpotPocket w = s.pockets[maker];
        uint256 n = f * t.tick;
        (uint256 fee, uint256 rebate) = FeeMath.makerFee(n, top.makerFeeBps());
        t.makerFees += int256(fee) - int256(rebate);
        uint256 quoteIn;
        if (t.side == 1) {
            // maker bid: its lock (cost plus the fee bound) is spent; it receives base
            uint256 locked = f * bidLockPerLot(t.tick, maxMakerFeeBps);
            w = w.subLockedQuote(locked); // never underflows: the lock was added at placement
            quoteIn = locked - n - fee + rebate; // >= 0: fee <= the per-lot fee bound locked
            uint256 ub = w.unsweptBase() + f;
            require(ub <= SpotPocketLib.MAX_BASE, IMarkets.AmountOverflow());
            w = w.withUnsweptBase(ub);
        } else {
            w = w.subLockedBase(f); // never underflows: the lots were locked at placement
            quoteIn = n - fee + rebate;
        }
        uint256 uq = w.unsweptQuote() + quoteIn;
        require(uq <= SpotPocketLib.MAX_QUOTE, IMarkets.AmountOverflow());
        w = w.withUnsweptQuote(uq);
        if (done) w = w.lessOpenOrder();
        s.pockets[maker] = w;
    }

    /// @dev The taker pays or receives through its pocket; fees go to the market's accrued fees.
    function settleTaker(BookConfig cfg, Ctx memory c, Taker memory t, uint256 kind) internal {
        uint256 takerFee = FeeMath.takerFee(t.notional, c.top.takerFeeBps());
        int256 protocolFee = int256(takerFee) + t.makerFees; // >= 0: rebate <= taker fee
        c.top = c.top.addFees(uint256(protocolFee));
        if (t.side == 0) {
            creditBase(c, t.filled);
            debitQuote(c, t.notional + takerFee);
        } else {
            debitBase(c, t.filled);
            creditQuote(c, t.notional - takerFee);
        }
        BookLib.emitTrade(cfg, c, t, kind, takerFee);
    }

    /// @dev Fills working copy `c` (fresh, all zero: the caller allocates it once) with the
    /// account's pocket word.
    function load(State storage s, Ctx memory c, AccountId acct) internal view {
        c.account = acct;
        SpotPocket w = s.pockets[acct];
        c.lockedQuote = w.lockedQuote();
        c.lockedBase = w.lockedBase();
        c.unsweptQuote = w.unsweptQuote();
        c.unsweptBase = w.unsweptBase();
        c.openOrders = w.openOrders();
        c.margin = w.margin();
        c.fresh = w.isEmpty();
    }

    /// @dev Writes the working copy back to the account's pocket word.
    function storePocket(State storage s, Ctx memory c) internal {
        require(
            SpotPocketLib.fits(c.lockedQuote, c.lockedBase, c.unsweptQuote, c.unsweptBase), IMarkets.AmountOverflow()
        );
        SpotPocket w = SpotPocketLib.pack(c.lockedQuote, c.lockedBase, c.unsweptQuote, c.unsweptBase, c.openOrders);
        s.pockets[c.account] = c.margin ? w.withMargin() : w;
    }

    function openCount(State storage s, AccountId acct) internal view returns (uint256) {
        return s.pockets[acct].openOrders();
    }

    /// @dev Marks the account as having a liability: its pocket-only risk-adding actions are margin-checked.
    function setMargin(State storage s, AccountId acct) internal {
        s.pockets[acct] = s.pockets[acct].withMargin();
    }

    /// @dev Empties the working copy's unswept proceeds; returns them in atoms (for the vault).
    function takeUnswept(Ctx memory c, uint256 lotSize, uint256 tickSize)
        internal
        pure
        returns (uint256 baseAtoms, uint256 quoteAtoms)
    {
        baseAtoms = c.unsweptBase * lotSize;
        quoteAtoms = c.unsweptQuote * tickSize;
        c.unsweptBase = 0;
        c.unsweptQuote = 0;
    }

    // ------------------------------------------------------------------ pocket arithmetic

    function creditBase(Ctx memory c, uint256 lots) internal pure {
        uint256 owed = c.owedBase;
        if (owed >= lots) {
            c.owedBase = owed - lots;
        } else {
            c.owedBase = 0;
            c.unsweptBase += lots - owed;
        }
    }

    function creditQuote(Ctx memory c, uint256 amount) internal pure {
        uint256 owed = c.owedQuote;
        if (owed >= amount) {
            c.owedQuote = owed - amount;
        } else {
            c.owedQuote = 0;
            c.unsweptQuote += amount - owed;
        }
    }

    /// @dev Spends unswept proceeds first; the rest is owed by the vault balance.
    function debitBase(Ctx memory c, uint256 lots) internal pure {
        uint256 u = c.unsweptBase;
        if (u >= lots) {
            c.unsweptBase = u - lots;
        } else {
            c.unsweptBase = 0;
            c.owedBase += lots - u;
        }
    }

    function debitQuote(Ctx memory c, uint256 amount) internal pure {
        uint256 u = c.unsweptQuote;
        if (u >= amount) {
            c.unsweptQuote = u - amount;
        } else {
            c.unsweptQuote = 0;
            c.owedQuote += amount - u;
        }
    }

    /// @dev Quote tick units a bid locks per lot: its cost plus the market's maker fee bound,
    /// rounded up (the protocol's side) so any fee up to the bound is always covered.
    function bidLockPerLot(uint256 tick, uint256 maxMakerFeeBps) internal pure returns (uint256) {
        return tick + FeeMath.ceilBps(tick, maxMakerFeeBps);
    }

    // ------------------------------------------------------------------ views

    /// @dev The account's pocket in atoms (`lotSize` base atoms per lot, `tickSize` quote atoms per
    /// tick unit): locked base and quote, unswept base and quote, and its open-order count. The
    /// Clearinghouse's margin reads come here.
    function pocketAtoms(State storage s, uint256 lotSize, uint256 tickSize, AccountId acct)
        internal
        view
        returns (uint256 lockedBase, uint256 lockedQuote, uint256 unsweptBase, uint256 unsweptQuote, uint256 count)
    {
        SpotPocket w = s.pockets[acct];
        return (
            w.lockedBase() * lotSize,
            w.lockedQuote() * tickSize,
            w.unsweptBase() * lotSize,
            w.unsweptQuote() * tickSize,
            w.openOrders()
        );
    }
}
