// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {ISpotMarket} from "./interfaces/ISpotMarket.sol";
import {IOrderBook} from "./interfaces/IOrderBook.sol";
import {AccountId} from "./types/AccountId.sol";
import {OrderWord, OrderWordLib} from "./types/OrderWord.sol";
import {OrderSlot} from "./types/OrderSlot.sol";
import {TopWord} from "./types/TopWord.sol";
import {SpotPocket, SpotPocketLib} from "./types/SpotPocket.sol";
import {FeeMath} from "./libraries/FeeMath.sol";
import {OrderBook} from "./book/OrderBook.sol";
import {Ctx, Taker} from "./book/BookCtx.sol";
import {BookParams} from "./interfaces/IOrderBook.sol";

/// @notice Read by a spot market's constructor so its init code (and CREATE2 address) is constant.
interface ISpotMarketDeployer {
    function bookParameters() external view returns (BookParams memory);
}

/// @title SpotMarket: one central limit order book with matching and settlement
/// @notice The book is `OrderBook`'s; this contract adds what spot commits and moves. Per account
/// one pocket slot holds locked funds and unswept proceeds, so a maker fill writes the order's
/// ring slot (only if partially filled) and one pocket.
contract SpotMarket is ISpotMarket, OrderBook {
    /// @dev One pocket word per account (layout in `SpotPocket`).
    mapping(AccountId account => SpotPocket) internal _pockets;

    constructor() OrderBook(ISpotMarketDeployer(msg.sender).bookParameters()) {}

    /// @inheritdoc ISpotMarket
    function sweep(address owner, uint8 sub) external nonReentrant {
        Ctx memory c = _load(_account(owner, sub));
        uint256 baseAtoms = c.unsweptBase * LOT_SIZE;
        uint256 quoteAtoms = c.unsweptQuote * TICK_SIZE;
        c.unsweptBase = 0;
        c.unsweptQuote = 0;
        _flush(c);
        if (baseAtoms | quoteAtoms != 0) {
            // both products are < 2^72 * 2^128, far inside int256
            CLEARINGHOUSE.settle(INDEX, BASE, QUOTE, c.account, int256(baseAtoms), int256(quoteAtoms), 0);
        }
        emit Swept(c.account, baseAtoms, quoteAtoms);
    }

    /// @inheritdoc ISpotMarket
    function setMarginFlag(AccountId account) external onlyClearinghouse {
        _pockets[account] = _pockets[account].withMargin();
    }

    // ------------------------------------------------------------------ book hooks

    /// @dev Reduce-only has no meaning on a spot book.
    function _checkPlace(Ctx memory, OrderWord p, uint256, uint256) internal pure override {
        // the error names the order word with only the reduce-only flag set
        require(!p.reduceOnly(), InvalidOrderType(OrderWordLib.REDUCE_ONLY_FLAG));
    }

    /// @dev A bid locks its cost plus the maker fee bound in quote; an ask locks its base.
    function _lock(Ctx memory c, uint256 side, uint256 tick, uint256 lots) internal view override {
        if (side == 0) {
            uint256 lock = lots * _bidLockPerLot(tick);
            c.lockedQuote += lock;
            _debitQuote(c, lock);
        } else {
            c.lockedBase += lots;
            _debitBase(c, lots);
        }
    }

    function _unlock(Ctx memory c, uint256 side, uint256 tick, uint256 lots) internal view override {
        if (side == 0) {
            uint256 lock = lots * _bidLockPerLot(tick);
            c.lockedQuote -= lock;
            _creditQuote(c, lock);
        } else {
            c.lockedBase -= lots;
            _creditBase(c, lots);
        }
    }

    function _releaseOther(AccountId owner, uint256 side, uint256 tick, uint256 lots) internal override {
        _pockets[owner] = _releaseWord(_pockets[owner], side, tick, lots);
    }

    /// @dev Spot orders are never reduce-only: all of a maker order may fill.
    function _makerFillable(OrderSlot, uint256 olots, uint256) internal pure override returns (uint256) {
        return olots;
    }

    /// @dev Unreachable on spot (`_makerFillable` never trims).
    function _trimMaker(AccountId, uint256, uint256, uint256, bool) internal pure override {}

    function _openCount(AccountId acct) internal view override returns (uint256) {
        return _pockets[acct].openOrders();
    }

    /// @dev Credits one maker's pocket for a fill of `f` lots at `t.tick`: one slot write.
    function _fillMaker(TopWord top, Taker memory t, AccountId maker, uint256 f, bool done) internal override {
        SpotPocket w = _pockets[maker];
        uint256 n = f * t.tick;
        (uint256 fee, uint256 rebate) = FeeMath.makerFee(n, top.makerFeeBps());
        t.makerFees += int256(fee) - int256(rebate);
        uint256 quoteIn;
        if (t.side == 1) {
            // maker bid: its lock (cost plus the fee bound) is spent; it receives base
            uint256 lock = f * _bidLockPerLot(t.tick);
            w = w.subLockedQuote(lock); // never underflows: lock was added at placement
            quoteIn = lock - n - fee + rebate; // >= 0: fee <= the per-lot fee bound locked
            uint256 ub = w.unsweptBase() + f;
            require(ub <= SpotPocketLib.MAX_BASE, AmountOverflow());
            w = w.withUnsweptBase(ub);
        } else {
            w = w.subLockedBase(f); // never underflows: the lots were locked at placement
            quoteIn = n - fee + rebate;
        }
        uint256 uq = w.unsweptQuote() + quoteIn;
        require(uq <= SpotPocketLib.MAX_QUOTE, AmountOverflow());
        w = w.withUnsweptQuote(uq);
        if (done) w = w.lessOpenOrder();
        _pockets[maker] = w;
    }

    /// @dev `_release` on a packed pocket word: locked -> unswept, one fewer open order.
    function _releaseWord(SpotPocket w, uint256 side, uint256 tick, uint256 lots)
        internal
        view
        returns (SpotPocket)
    {
        if (side == 0) {
            uint256 lock = lots * _bidLockPerLot(tick);
            w = w.subLockedQuote(lock); // locked quote holds at least this order's lock
            uint256 uq = w.unsweptQuote() + lock;
            require(uq <= SpotPocketLib.MAX_QUOTE, AmountOverflow());
            w = w.withUnsweptQuote(uq);
        } else {
            w = w.subLockedBase(lots);
            uint256 ub = w.unsweptBase() + lots;
            require(ub <= SpotPocketLib.MAX_BASE, AmountOverflow());
            w = w.withUnsweptBase(ub);
        }
        return w.lessOpenOrder();
    }

    /// @dev The taker pays or receives through its pocket; fees go to the market's accrued fees.
    function _settleTaker(Ctx memory c, Taker memory t, uint256 kind) internal override {
        uint256 takerFee = FeeMath.takerFee(t.notional, c.top.takerFeeBps());
        int256 protocolFee = int256(takerFee) + t.makerFees; // >= 0: rebate <= taker fee
        c.top = c.top.addFees(uint256(protocolFee));
        if (t.side == 0) {
            _creditBase(c, t.filled);
            _debitQuote(c, t.notional + takerFee);
        } else {
            _debitBase(c, t.filled);
            _creditQuote(c, t.notional - takerFee);
        }
        _emitTrade(c, t, kind, takerFee);
    }

    // ------------------------------------------------------------------ pocket arithmetic

    function _creditBase(Ctx memory c, uint256 lots) internal pure {
        uint256 owed = c.owedBase;
        if (owed >= lots) {
            c.owedBase = owed - lots;
        } else {
            c.owedBase = 0;
            c.unsweptBase += lots - owed;
        }
    }

    function _creditQuote(Ctx memory c, uint256 amount) internal pure {
        uint256 owed = c.owedQuote;
        if (owed >= amount) {
            c.owedQuote = owed - amount;
        } else {
            c.owedQuote = 0;
            c.unsweptQuote += amount - owed;
        }
    }

    /// @dev Spends unswept proceeds first; the rest is owed by the Clearinghouse balance.
    function _debitBase(Ctx memory c, uint256 lots) internal pure {
        uint256 u = c.unsweptBase;
        if (u >= lots) {
            c.unsweptBase = u - lots;
        } else {
            c.unsweptBase = 0;
            c.owedBase += lots - u;
        }
    }

    function _debitQuote(Ctx memory c, uint256 amount) internal pure {
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
    function _bidLockPerLot(uint256 tick) internal view returns (uint256) {
        return tick + FeeMath.ceilBps(tick, MAX_MAKER_FEE_BPS);
    }

    function _load(AccountId acct) internal view override returns (Ctx memory c) {
        c.account = acct;
        SpotPocket w = _pockets[acct];
        c.lockedQuote = w.lockedQuote();
        c.lockedBase = w.lockedBase();
        c.unsweptQuote = w.unsweptQuote();
        c.unsweptBase = w.unsweptBase();
        c.openOrders = w.openOrders();
        c.margin = w.margin();
        c.fresh = w.isEmpty();
    }

    function _storePocket(Ctx memory c) internal override {
        require(SpotPocketLib.fits(c.lockedQuote, c.lockedBase, c.unsweptQuote, c.unsweptBase), AmountOverflow());
        SpotPocket w = SpotPocketLib.pack(c.lockedQuote, c.lockedBase, c.unsweptQuote, c.unsweptBase, c.openOrders);
        _pockets[c.account] = c.margin ? w.withMargin() : w;
    }

    /// @dev Writes the pocket and market state, then (last, as the only external call) takes
    /// from the Clearinghouse balance what the pocket could not cover.
    function _flush(Ctx memory c) internal override {
        _storePocket(c);
        if (c.topLoaded) _book.top = c.top;
        if (c.owedBase | c.owedQuote != 0) {
            // products are < 2^72 * 2^128: they fit int256
            bool margin = CLEARINGHOUSE.settle(
                INDEX,
                BASE,
                QUOTE,
                c.account,
                -int256(c.owedBase * LOT_SIZE),
                -int256(c.owedQuote * TICK_SIZE),
                (c.margin ? 1 : 0) | (c.fresh ? 2 : 0)
            );
            if (margin != c.margin) {
                c.margin = margin;
                _storePocket(c); // same slot, already written: a warm rewrite
            }
        } else if (c.margin && c.risky) {
            // funded from the pocket alone: the Clearinghouse did not see it, so ask it now
            CLEARINGHOUSE.checkMargin(c.account);
        }
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc ISpotMarket
    function pocketOf(address owner, uint8 sub)
        external
        view
        returns (uint256 lockedBase, uint256 lockedQuote, uint256 unsweptBase, uint256 unsweptQuote, uint256 openOrderCount)
    {
        Ctx memory c = _load(_account(owner, sub));
        return (
            c.lockedBase * LOT_SIZE,
            c.lockedQuote * TICK_SIZE,
            c.unsweptBase * LOT_SIZE,
            c.unsweptQuote * TICK_SIZE,
            c.openOrders
        );
    }

    /// @inheritdoc ISpotMarket
    function riskPocketOf(AccountId account)
        external
        view
        returns (address, address, uint256, uint256, uint256, uint256)
    {
        Ctx memory c = _load(account);
        return (BASE, QUOTE, c.lockedBase * LOT_SIZE, c.lockedQuote * TICK_SIZE, c.unsweptBase * LOT_SIZE,
            c.unsweptQuote * TICK_SIZE);
    }
}
