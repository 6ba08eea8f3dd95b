// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IMarkets} from "../interfaces/IMarkets.sol";
import {AccountId} from "../types/AccountId.sol";
import {TickBitmap} from "../libraries/TickBitmap.sol";
import {ArrayLib} from "../libraries/ArrayLib.sol";
import {OrderFields, OrderWord, OrderWordLib as OW} from "../types/OrderWord.sol";
import {OrderId, OrderIdLib} from "../types/OrderId.sol";
import {OrderSlot, OrderSlotLib} from "../types/OrderSlot.sol";
import {ClientSlot, ClientSlotLib, CLIENT_RING} from "../types/ClientSlot.sol";
import {LevelKey, LevelKeyLib, LevelWord, LevelWordLib} from "../types/LevelWord.sol";
import {TopWord} from "../types/TopWord.sol";
import {BookConfig} from "../types/BookConfig.sol";
import {BatchOp, BatchOpLib} from "../types/BatchOp.sol";
import {BatchResult, BatchResultLib} from "../types/BatchResult.sol";
import {FillWord, PlacedInfo, TakerWord, TradeSummary, TradeWordsLib} from "../types/TradeWords.sol";
import {OperatorBand} from "../types/OperatorBand.sol";
import {OpenOrdersCursor, OpenOrdersCursorLib} from "../types/OpenOrdersCursor.sol";
import {Ctx, Taker} from "./BookCtx.sol";
import {Market, MarketLib} from "../core/Market.sol";

/// @title BookLib: the central limit order book every market kind shares, over a `State` it owns
/// @notice Matching, queues, the tick bitmap, order ids, batch, cancel, amend, expiry and the
/// views. What a resting order commits and what a fill moves differ by market kind: spot locks
/// funds in a pocket and credits proceeds, a perp market tracks order exposure and positions. Those
/// parts are `MarketLib`'s hooks, which call `SpotLib` or `PerpLib` by the market's kind (`h`, the
/// market the book belongs to); the market's constants come as one `BookConfig` word (on the
/// stack). The core holds every market's `State` and makes the external calls (token transfers,
/// oracle reads): the library holds no contract address.
/// @dev Storage per order is one slot in a 256-entry ring per (side, tick). Quote amounts inside
/// a book are "tick units" (tickSize quote atoms); sizes are lots.
///
/// Queue positions of a level grow by one per order (FIFO = position order) and position `p`
/// lives in ring slot `p mod 256`, tagged with its lap (`OrderSlot`). While the queue spans
/// less than 256 positions nothing more is needed. Once it spans the whole ring, a new order takes
/// the next position whose slot holds no live order (a cancelled or finished one), stepping over
/// slots still live: cancelled entries are reused, so only 256 *live* orders fill a level. A live
/// order the tail has lapped is a "straggler" (counted in the level word); a position whose slot
/// holds another position's order is dead. When no straggler is left, everything more than a ring
/// behind the tail is dead and the head jumps there, so a queue never has more than one ring of
/// entries to step over.
library BookLib {
    using MarketLib for Market;

    using TickBitmap for mapping(uint256 => uint256);

    uint256 internal constant MAX_OPEN_ORDERS = 64;
    uint256 internal constant MAX_FILLS = 128;
    /// @notice Largest order size in lots: the 48-bit lots field of an order word and order slot.
    uint256 internal constant MAX_ORDER_LOTS = OW.MASK_LOTS;
    /// @dev Skip units one taker order may spend on queue entries it cannot fill: stepping over a
    /// cancelled or dead entry costs 1, removing an expired order costs `EXPIRED_SKIPS`.
    uint256 internal constant MAX_SKIPS = 64;
    /// @dev Skip units one expired order's removal costs (it writes its owner's pocket and logs),
    /// so a taker removes at most 8 expired orders; `purgeTop` clears the rest.
    uint256 internal constant EXPIRED_SKIPS = 8;
    uint256 internal constant MAX_TAKER_FEE_BPS = 100;
    uint256 internal constant RING = 256;
    /// @dev Laps a slot's tag tells apart (`OrderSlot`: 7 bits).
    uint256 internal constant LAPS = 128;
    /// @dev Widest a level's queue (tail − head) may grow: lap tags tell positions apart within 32,768.
    uint256 internal constant MAX_SPAN = 32_512;
    /// @dev Queue positions one `openOrders` page examines when the caller passes limit 0.
    uint256 internal constant OPEN_ORDERS_PAGE = 1024;
    /// @dev Most levels one `bookPage` returns (and `getBook` per side).
    uint256 internal constant BOOK_PAGE_LEVELS = 256;
    /// @dev Queue positions one `bookPage` (or one side of `bestBidAsk`) examines at most, beyond
    /// its first level, to skip expired orders.
    uint256 internal constant BOOK_PAGE_POSITIONS = 4096;
    /// @dev `OrderDropped.reason`: a market order found no live liquidity within its limit.
    uint256 internal constant DROP_NO_LIQUIDITY = 1;
    /// @dev `OrderDropped.reason`: self-trade prevention (cancel incoming or cancel both) stopped it.
    uint256 internal constant DROP_SELF_TRADE = 2;
    /// @dev `OrderDropped.reason`: the fill or skip cap stopped it with the book still crossing it.
    uint256 internal constant DROP_CAPPED = 3;

    /// @notice One market's book.
    struct State {
        /// @dev market state, read by every place and take (layout in `TopWord`)
        TopWord top;
        mapping(LevelKey key => LevelWord) levels;
        /// @dev key `LevelKey.slot(position)` (the level's key << 8 | position mod 256)
        mapping(uint256 slotKey => OrderSlot) orders;
        mapping(uint256 wordKey => uint256) bitmap;
        /// @dev per account, a ring of client-id entries: client id `cid` uses entry
        /// `cid mod CLIENT_RING` (`ClientSlot`); entries are rewritten, never zeroed
        mapping(AccountId account => ClientSlot[CLIENT_RING]) clientIds;
    }

    // ------------------------------------------------------------------ trading

    /// @dev Whether cancelling located order `ow` takes the general path (`remove`): it is the last
    /// order of its level, which is reset and moves the best price. Otherwise `cancelLean` does.
    function isLastOfLevel(LevelWord lw, OrderSlot ow) internal pure returns (bool) {
        return lw.totalLots() == ow.lots();
    }

    /// @dev The book's part of a lean cancel (not the last order of its level): two writes, the
    /// order's slot and its level. The holder then ends the owner's lock in its stored pocket
    /// (`MarketLib.releaseOther`, no working copy) and emits `OrderCancelled`.
    function cancelLean(State storage s, OrderId id, LevelKey key, LevelWord lw, OrderSlot ow, uint256 slotKey)
        internal
    {
        s.orders[slotKey] = ow.cleared();
        s.levels[key] = vacate(lw, id.position()).subLots(ow.lots());
    }

    /// @dev Cancels the given orders of `c.account` and requires that none remain open.
    function cancelAll(State storage s, BookConfig cfg, Market storage h, Ctx memory c, uint256[] calldata orderIds)
        internal
    {
        cancelMany(s, cfg, h, c, orderIds);
        require(c.openOrders == 0, IMarkets.OpenOrdersRemain(c.openOrders));
    }

    /// @dev Cancels the given orders of `c.account` (each must be live and its own).
    function cancelMany(State storage s, BookConfig cfg, Market storage h, Ctx memory c, uint256[] calldata orderIds)
        internal
    {
        for (uint256 i; i < orderIds.length; ++i) {
            cancel(s, cfg, h, c, OrderId.wrap(orderIds[i]), false);
        }
    }

    /// @dev A liquidation's cancels: the pocket and the market state are written, nothing settles.
    function cancelForLiquidation(
        State storage s,
        BookConfig cfg,
        Market storage h,
        Ctx memory c,
        uint256[] calldata orderIds,
        function(Market storage, Ctx memory) internal storePocket
    ) internal {
        cancelMany(s, cfg, h, c, orderIds);
        storePocket(h, c);
        if (c.topLoaded) s.top = c.top;
    }

    /// @dev Runs one account's batch ops on its working copy; `operator`: the caller is an operator,
    /// whose place ops keep to the owner's price band (`operatorPrice`: the band read at the first
    /// place op, then checked against each order; the vault's check, not the market kind's).
    /// Returns one `BatchResult` word per op. A place op's sub-account must be the batch's
    /// (`BatchSubMismatch`); a cancel / amend / cancel-by-client-id op sets no bit outside its
    /// fields (`BatchOpReservedBits`) and, with its skip flag, is skipped if its order is no longer
    /// live (`BatchOp`).
    function batch(
        State storage s,
        BookConfig cfg,
        Market storage h,
        Ctx memory c,
        uint256[] calldata ops,
        bool operator,
        function(Market storage, AccountId, OrderWord, OperatorBand) internal view returns (OperatorBand) operatorPrice
    ) internal returns (uint256[] memory results) {
        OperatorBand band;
        results = new uint256[](ops.length);
        for (uint256 i; i < ops.length; ++i) {
            BatchOp op = BatchOp.wrap(ops[i]);
            uint256 kind = op.kind();
            BatchResult r;
            if (kind == BatchOpLib.PLACE) {
                OrderWord p = op.order();
                // if/revert, not require: require would evaluate the error's arguments on the success path too
                if (p.sub() != c.account.sub()) revert IMarkets.BatchSubMismatch(i, p.sub(), c.account.sub());
                if (operator) band = operatorPrice(h, c.account, p, band);
                r = batchPlace(s, cfg, h, c, p);
            } else {
                if (op.hasReservedBits()) revert IMarkets.BatchOpReservedBits(i, ops[i]);
                if (kind == BatchOpLib.CANCEL) r = batchCancel(s, cfg, h, c, op);
                else if (kind == BatchOpLib.AMEND) r = batchAmend(s, cfg, h, c, op);
                else r = batchCancelByClientId(s, cfg, h, c, op);
            }
            results[i] = BatchResult.unwrap(r);
        }
    }

    /// @dev A batch's place op: PLACED (rests), FILLED (took, rests nothing) or UNFILLED.
    function batchPlace(State storage s, BookConfig cfg, Market storage h, Ctx memory c, OrderWord p)
        internal
        returns (BatchResult)
    {
        (uint256 id, uint256 filled) = placeOne(s, cfg, h, c, p);
        // what rests is what matching left: the order's lots less its fills
        if (id != 0) return BatchResultLib.from(BatchResultLib.PLACED, OrderId.wrap(id), filled, p.lots() - filled);
        return BatchResultLib.from(
            filled != 0 ? BatchResultLib.FILLED : BatchResultLib.UNFILLED, OrderId.wrap(0), filled, 0
        );
    }

    /// @dev A batch's cancel op: as `cancel`, but an order no longer live is skipped in skip mode.
    function batchCancel(State storage s, BookConfig cfg, Market storage h, Ctx memory c, BatchOp op)
        internal
        returns (BatchResult)
    {
        OrderId id = op.orderId();
        (LevelKey key, LevelWord lw, OrderSlot ow, uint256 slotKey) = find(s, cfg.index(), id);
        if (OrderSlot.unwrap(ow) == 0) {
            require(op.skipMissing(), IMarkets.OrderNotFound(OrderId.unwrap(id)));
            return BatchResultLib.from(BatchResultLib.SKIPPED, id, 0, 0);
        }
        // a live order of another account is never skipped
        require(ow.isOwnedBy(c.account), IMarkets.NotOrderOwner(OrderId.unwrap(id), c.account));
        uint256 lots = ow.lots();
        remove(s, h, cfg, c, id, key, lw, ow, slotKey, false);
        return BatchResultLib.from(BatchResultLib.CANCELLED, id, 0, lots);
    }

    /// @dev A batch's amend op: as `amend`, but an order no longer live is skipped in skip mode.
    function batchAmend(State storage s, BookConfig cfg, Market storage h, Ctx memory c, BatchOp op)
        internal
        returns (BatchResult)
    {
        OrderId id = op.orderId();
        if (op.skipMissing()) {
            (,, OrderSlot ow,) = find(s, cfg.index(), id);
            if (OrderSlot.unwrap(ow) == 0) return BatchResultLib.from(BatchResultLib.SKIPPED, id, 0, 0);
        }
        uint256 newLots = op.newLots();
        amend(s, cfg, h, c, id, newLots); // reverts NotOrderOwner for another account's order
        return BatchResultLib.from(BatchResultLib.AMENDED, id, 0, newLots);
    }

    /// @dev A batch's cancel by client id: as `cancelByClientId`, but in skip mode a client id no live
    /// order of the account carries is skipped (client id 0 names no order: it always reverts).
    function batchCancelByClientId(State storage s, BookConfig cfg, Market storage h, Ctx memory c, BatchOp op)
        internal
        returns (BatchResult)
    {
        uint256 cid = op.clientOrderId();
        OrderId id = s.clientIds[c.account][ClientSlotLib.indexOf(cid)].orderOf(cid);
        (LevelKey key, LevelWord lw, OrderSlot ow, uint256 slotKey) = find(s, cfg.index(), id);
        if (cid == 0 || OrderSlot.unwrap(ow) == 0 || !ow.isOwnedBy(c.account)) {
            require(cid != 0 && op.skipMissing(), IMarkets.ClientOrderNotFound(c.account, cid));
            return BatchResultLib.from(BatchResultLib.SKIPPED, OrderId.wrap(0), 0, 0);
        }
        uint256 lots = ow.lots();
        remove(s, h, cfg, c, id, key, lw, ow, slotKey, false);
        return BatchResultLib.from(BatchResultLib.CANCELLED, id, 0, lots);
    }

    /// @dev Removes expired orders by id, each settled with its owner on its own (`load`, `flush`:
    /// the market kind's working copy of a pocket and its write-back).
    function purgeExpired(
        State storage s,
        BookConfig cfg,
        Market storage h,
        uint256[] calldata orderIds,
        function(Market storage, BookConfig, Ctx memory) internal flush
    ) internal {
        for (uint256 i; i < orderIds.length; ++i) {
            OrderId id = OrderId.wrap(orderIds[i]);
            (,, OrderSlot ow,) = locate(s, cfg.index(), id);
            uint256 expiry = ow.expiry();
            require(expiry != 0 && expiry <= block.timestamp, IMarkets.NotExpired(orderIds[i], expiry));
            Ctx memory c = h.load(cfg, ow.account());
            cancel(s, cfg, h, c, id, true);
            flush(h, cfg, c);
        }
    }

    /// @dev Runs the matching walk with no account and no fills: it removes expired orders and
    /// steps over dead entries from the best price of `side`, level by level, and stops at the first
    /// live order (or when its budget is spent).
    function purgeTop(State storage s, BookConfig cfg, Market storage h, uint256 side, uint256 maxOrders) internal {
        Ctx memory c; // no account: every release goes to its owner's pocket in storage
        loadTop(s, c);
        uint256 makerSide = side & 1;
        if (c.top.best(makerSide) == 0) return;
        Taker memory t;
        t.side = makerSide ^ 1;
        t.limitTick = makerSide == 1 ? TickBitmap.MAX_TICK : 0;
        t.remaining = 1;
        t.maxFills = 1;
        t.skipsLeft = maxOrders * EXPIRED_SKIPS;
        t.purge = true;
        matchOrders(s, cfg, h, c, t);
        s.top = c.top;
    }

    function setPaused(State storage s, bool paused) internal {
        s.top = s.top.withPaused(paused);
    }

    function setFees(State storage s, BookConfig cfg, int16 makerFeeBps, uint16 takerFeeBps) internal {
        s.top = withFees(s.top, cfg.maxMakerFeeBps(), makerFeeBps, takerFeeBps);
    }

    /// @dev `top` with new fees, within the bounds: taker ≤ `MAX_TAKER_FEE_BPS`, maker ≤ the
    /// market's maker bound, and a maker rebate no larger than the taker fee.
    function withFees(TopWord top, uint256 maxMakerFeeBps, int16 makerFeeBps, uint16 takerFeeBps)
        internal
        pure
        returns (TopWord)
    {
        require(
            takerFeeBps <= MAX_TAKER_FEE_BPS && makerFeeBps <= int256(maxMakerFeeBps)
                && makerFeeBps >= -int256(uint256(takerFeeBps)),
            IMarkets.FeeOutOfBounds(makerFeeBps, takerFeeBps)
        );
        return top.withFees(makerFeeBps, takerFeeBps);
    }

    /// @dev Empties the fees accrued in the book; returns them in tick units.
    function takeFees(State storage s) internal returns (uint256 feeTicks) {
        TopWord top = s.top;
        s.top = top.withoutFees();
        return top.feesAccrued();
    }

    // ------------------------------------------------------------------ core

    /// @dev The order word of typed fields (`placeOrderFields`), each checked against the book's
    /// range where a packed field would wrap or spill into its neighbour; `placeOne` checks the
    /// rest (tick 0, minimum size, expiry in the past, the kind's own rules).
    function packFields(OrderFields calldata f) internal pure returns (OrderWord) {
        require(f.lots <= MAX_ORDER_LOTS, IMarkets.LotsAboveMax(f.lots, MAX_ORDER_LOTS));
        require(f.tick <= TickBitmap.MAX_TICK, IMarkets.TickOutOfRange(f.tick));
        require(f.side <= 1, IMarkets.InvalidSide(f.side));
        require(f.kind <= OW.MARKET, IMarkets.InvalidOrderKind(f.kind));
        require(f.selfTrade <= OW.STP_CANCEL_BOTH, IMarkets.InvalidSelfTradeMode(f.selfTrade));
        require(f.maxFills <= MAX_FILLS, IMarkets.TooManyFills(f.maxFills, MAX_FILLS));
        require(f.sub <= OW.MASK_8, IMarkets.SubAccountOutOfRange(f.sub));
        require(f.expiry <= OW.MASK_32, IMarkets.ExpiryOutOfRange(f.expiry));
        require(f.clientOrderId <= OW.MASK_32, IMarkets.ClientOrderIdOutOfRange(f.clientOrderId));
        return OW.pack(f);
    }

    /// @dev Validates, matches and rests one order of `c.account` on its working copy.
    function placeOne(State storage s, BookConfig cfg, Market storage h, Ctx memory c, OrderWord p)
        internal
        returns (uint256 orderId, uint256 filled)
    {
        uint256 lots = p.lots();
        uint256 tick = p.tick();
        uint256 side = p.side();
        uint256 kind = p.kind();
        uint256 expiry = p.expiry();
        // lots, expiry and the rest cannot exceed their fields here; bits above the fields must be 0
        // (if/revert, not require: require would evaluate the error's arguments on the success path too)
        if (p.unusedBits() != 0) revert IMarkets.OrderWordUnusedBits(OrderWord.unwrap(p));
        require(lots != 0, IMarkets.ZeroSize());
        require(lots >= cfg.minLots(), IMarkets.BelowMinSize(lots, cfg.minLots()));
        require(tick != 0 && tick <= TickBitmap.MAX_TICK, IMarkets.TickOutOfRange(tick));
        require(kind <= OW.MARKET, IMarkets.InvalidOrderKind(kind));
        require(expiry == 0 || expiry > block.timestamp, IMarkets.Expired(expiry));
        // if/revert, not require: require would evaluate the error's arguments on the success path too
        if (p.selfTrade() > OW.STP_CANCEL_BOTH) revert IMarkets.InvalidSelfTradeMode(p.selfTrade());
        if (p.maxFills() > MAX_FILLS) revert IMarkets.TooManyFills(p.maxFills(), MAX_FILLS);
        h.checkPlace(cfg, c, p, side, lots);

        loadTop(s, c);
        require(!c.top.paused(), IMarkets.MarketPaused());
        c.risky = true;
        uint256 bestOpp = c.top.best(side ^ 1);
        bool crosses = bestOpp != 0 && (side == 0 ? bestOpp <= tick : bestOpp >= tick);
        if (crosses && kind == OW.POST_ONLY) {
            // only live orders count against a post-only order: the expired ones it crosses are
            // removed first (bounded as a taker's walk), then it rests unless a live order crosses
            bestOpp = purgeCrossing(s, cfg, h, c, side, tick);
            crosses = bestOpp != 0 && (side == 0 ? bestOpp <= tick : bestOpp >= tick);
            require(!crosses, IMarkets.PostOnlyWouldCross(tick, bestOpp));
        }
        if (!crosses) {
            require(kind != OW.FOK, IMarkets.FokNotFilled(lots, 0));
            if (kind <= OW.POST_ONLY) orderId = rest(s, cfg, h, c, p, lots);
            else if (kind == OW.MARKET) emitDropped(cfg, c, side, kind, lots, DROP_NO_LIQUIDITY);
            return (orderId, 0);
        }

        Taker memory t = newTaker(p, side, tick, lots);
        matchOrders(s, cfg, h, c, t);
        filled = t.filled;
        require(kind != OW.FOK || t.remaining == 0, IMarkets.FokNotFilled(lots, filled));
        if (filled != 0) h.settleTaker(cfg, c, t, kind);
        else if (kind == OW.MARKET) emitDropped(cfg, c, side, kind, lots, DROP_NO_LIQUIDITY);
        // A GTC remainder rests, unless matching stopped early (fill or skip cap) with the book
        // still crossing it: resting then would leave a crossed book, so it is dropped like IOC.
        if (t.remaining != 0 && kind == OW.GTC) {
            if (!t.stopped) {
                bestOpp = c.top.best(side ^ 1);
                if (bestOpp == 0 || (side == 0 ? bestOpp > tick : bestOpp < tick)) {
                    orderId = rest(s, cfg, h, c, p, t.remaining);
                }
            }
            if (orderId == 0) {
                emitDropped(cfg, c, side, kind, t.remaining, t.stopped ? DROP_SELF_TRADE : DROP_CAPPED);
            }
        }
    }

    /// @dev `placeOne` for a lone order (not in a batch): a market order that fills nothing
    /// reverts `WorstPriceExceeded` (in a batch it is reported unfilled and `OrderDropped`).
    function placeLone(State storage s, BookConfig cfg, Market storage h, Ctx memory c, OrderWord p)
        internal
        returns (uint256 orderId, uint256 filled)
    {
        (orderId, filled) = placeOne(s, cfg, h, c, p);
        // if/revert, not require: require would evaluate the error's arguments on the success path too
        if (filled == 0 && p.kind() == OW.MARKET) {
            revert IMarkets.WorstPriceExceeded(p.tick(), c.top.best(p.side() ^ 1));
        }
    }

    /// @dev Removes the expired orders of the opposite side that cross `tick` from its best price,
    /// stopping at the first live order or when a taker's skip budget is spent (`MAX_SKIPS`: at
    /// most 8 expired orders); returns the opposite best price after it.
    function purgeCrossing(State storage s, BookConfig cfg, Market storage h, Ctx memory c, uint256 side, uint256 tick)
        internal
        returns (uint256)
    {
        Taker memory t;
        t.side = side;
        t.limitTick = tick;
        t.remaining = 1;
        t.maxFills = 1;
        t.skipsLeft = MAX_SKIPS;
        t.purge = true;
        matchOrders(s, cfg, h, c, t);
        return c.top.best(side ^ 1);
    }

    /// @dev `OrderDropped`: `lots` of a taker order of `c.account` neither filled nor rested.
    function emitDropped(BookConfig cfg, Ctx memory c, uint256 side, uint256 kind, uint256 lots, uint256 reason)
        internal
    {
        emit IMarkets.OrderDropped(
            cfg.index(), TakerWord.unwrap(TradeWordsLib.takerWord(c.account, side, kind)), lots, reason
        );
    }

    function newTaker(OrderWord p, uint256 side, uint256 tick, uint256 lots) internal pure returns (Taker memory t) {
        uint256 maxFills = p.maxFills(); // validated in placeOne
        if (maxFills == 0) maxFills = MAX_FILLS;
        t.side = side;
        t.limitTick = tick;
        t.remaining = lots;
        t.maxFills = maxFills;
        t.skipsLeft = MAX_SKIPS;
        t.stp = p.selfTrade();
        // every fill takes at least one lot, so `lots` also bounds the log: smaller memory
        t.log = new uint256[](lots < maxFills ? lots : maxFills);
    }

    /// @dev Walks the opposite side from its best tick while it crosses `t.limitTick`.
    function matchOrders(State storage s, BookConfig cfg, Market storage h, Ctx memory c, Taker memory t) internal {
        uint256 makerSide = t.side ^ 1;
        t.tick = c.top.best(makerSide);
        while (true) {
            LevelKey key = LevelKeyLib.from(makerSide, t.tick);
            LevelWord lw = matchLevel(s, cfg, h, c, t, key, s.levels[key]);
            if (!lw.isEmpty()) {
                s.levels[key] = lw;
                return;
            }
            // level emptied: reset it so its ring restarts at 0, and move the best price on
            s.levels[key] = lw.reset();
            s.bitmap.clear(makerSide, t.tick);
            uint256 tick;
            if (makerSide == 1) {
                tick = s.bitmap.nextAbove(1, t.tick);
                c.top = c.top.withBestAsk(tick);
                if (tick == 0 || tick > t.limitTick) return;
            } else {
                tick = s.bitmap.nextBelow(0, t.tick);
                c.top = c.top.withBestBid(tick);
                if (tick == 0 || tick < t.limitTick) return;
            }
            t.tick = tick;
            if (stopped(t)) return;
        }
    }

    function stopped(Taker memory t) internal pure returns (bool) {
        return t.remaining == 0 || t.fills == t.maxFills || t.skipsLeft == 0 || t.stopped;
    }

    /// @dev The level word once the live order at queue position `pos` leaves (its lots still
    /// counted): a straggler is uncounted, and the head steps past it if it was the head.
    function vacate(LevelWord lw, uint256 pos) internal pure returns (LevelWord) {
        bool head = pos == lw.head();
        if (pos + RING < lw.tail()) {
            lw = lw.lessStraggler(); // a straggler leaves
            return head ? next(lw) : lw;
        }
        // the head is within a ring of the tail: one step on, no jump
        return head ? lw.stepHead() : lw;
    }

    /// @dev The level word with its head one position on; with no straggler left, nothing more
    /// than a ring behind the tail is live, so the head jumps there.
    function next(LevelWord lw) internal pure returns (LevelWord) {
        unchecked {
            uint256 head = lw.head() + 1; // ≤ tail < 2^32
            uint256 tail = lw.tail();
            if (lw.stragglers() == 0 && head + RING < tail) head = tail - RING;
            return lw.withHead(head);
        }
    }

    /// @dev Fills from one level's queue head; returns the level word after it (total lots, head
    /// and straggler count updated; the caller writes it or resets an emptied level).
    function matchLevel(
        State storage s,
        BookConfig cfg,
        Market storage h,
        Ctx memory c,
        Taker memory t,
        LevelKey key,
        LevelWord lw
    ) internal returns (LevelWord) {
        OrderId idBase = OrderIdLib.base(cfg.index(), LevelKey.unwrap(key), lw.epoch());
        uint256 makerSide = key.side();
        while (!lw.isEmpty() && !stopped(t)) {
            uint256 head = lw.head();
            uint256 slotKey = key.slot(head);
            OrderSlot ow = s.orders[slotKey];
            uint256 olots = ow.lots();
            if (olots == 0 || !ow.isAt(head)) {
                // cancelled earlier, or the slot holds another lap's order: step over it
                lw = next(lw);
                --t.skipsLeft;
                continue;
            }
            uint256 expiry = ow.expiry();
            if (expiry != 0 && expiry <= block.timestamp) {
                release(h, cfg, c, ow.account(), makerSide, t.tick, olots);
                t.skipsLeft = t.skipsLeft > EXPIRED_SKIPS ? t.skipsLeft - EXPIRED_SKIPS : 0;
                emit IMarkets.OrderExpired(cfg.index(), OrderId.unwrap(idBase.withPosition(head)), olots);
                lw = vacate(lw, head).subLots(olots);
                continue;
            }
            if (t.purge) {
                t.stopped = true;
                break;
            }
            if (ow.isOwnedBy(c.account)) {
                if (t.stp == OW.STP_CANCEL_INCOMING) {
                    t.stopped = true;
                    break;
                }
                release(h, cfg, c, ow.account(), makerSide, t.tick, olots);
                emit IMarkets.OrderCancelled(cfg.index(), OrderId.unwrap(idBase.withPosition(head)), olots);
                lw = vacate(lw, head).subLots(olots);
                if (t.stp == OW.STP_CANCEL_BOTH) t.stopped = true;
                continue;
            }
            uint256 fillable = h.makerFillable(cfg, ow, olots, makerSide);
            if (fillable < olots) {
                // a reduce-only maker whose position no longer allows it all: the excess is cancelled
                uint256 cut = olots - fillable;
                h.trimMaker(ow.account(), makerSide, t.tick, cut, fillable == 0);
                lw = lw.subLots(cut);
                if (fillable == 0) {
                    --t.skipsLeft;
                    emit IMarkets.OrderCancelled(cfg.index(), OrderId.unwrap(idBase.withPosition(head)), olots);
                    lw = vacate(lw, head);
                    continue;
                }
                emit IMarkets.OrderAmended(cfg.index(), OrderId.unwrap(idBase.withPosition(head)), fillable);
                ow = ow.subLots(cut);
                olots = fillable;
            }
            uint256 f = olots < t.remaining ? olots : t.remaining;
            h.fillMaker(cfg, c.top, t, ow.account(), f, f == olots);
            t.log[t.fills++] = FillWord.unwrap(TradeWordsLib.fillWord(idBase.withPosition(head), f));
            t.remaining -= f;
            t.filled += f;
            t.notional += f * t.tick;
            lw = lw.subLots(f);
            if (f != olots) s.orders[slotKey] = ow.subLots(f);
            else if (head + RING < lw.tail()) lw = vacate(lw, head);
            else lw = lw.stepHead(); // not a straggler, and the head cannot jump: one step on
        }
        return lw;
    }

    /// @dev Queues `lots` of order word `p` at its tick and commits them (`lock`).
    function rest(State storage s, BookConfig cfg, Market storage h, Ctx memory c, OrderWord p, uint256 lots)
        internal
        returns (uint256 orderId)
    {
        require(c.openOrders < MAX_OPEN_ORDERS, IMarkets.TooManyOpenOrders(MAX_OPEN_ORDERS));
        uint256 tick = p.tick();
        uint256 side = p.side();
        orderId = enqueue(s, cfg, c, side, tick, OrderSlotLib.pack(c.account, lots, p.reduceOnlyBit(), p.expiry()));
        MarketLib.lock(cfg, c, side, tick, lots);
        ++c.openOrders;
        uint256 cid = p.clientOrderId();
        if (cid != 0) s.clientIds[c.account][ClientSlotLib.indexOf(cid)] = ClientSlotLib.pack(cid, orderId);
        emit IMarkets.OrderPlaced(
            cfg.index(), orderId, PlacedInfo.unwrap(TradeWordsLib.placedInfo(c.account, lots, cid)), p.expiry()
        );
    }

    /// @dev Ends a resting order's commitment (cancel, expiry, self-trade): the acting account's
    /// in its working copy, anyone else's in storage.
    function release(
        Market storage h,
        BookConfig cfg,
        Ctx memory c,
        AccountId owner,
        uint256 side,
        uint256 tick,
        uint256 lots
    ) internal {
        if (owner.eq(c.account)) {
            h.unlock(cfg, c, side, tick, lots);
            --c.openOrders;
            return;
        }
        h.releaseOther(cfg, owner, side, tick, lots);
    }

    /// @dev Appends an order slot at the level's tail; flags the tick and moves the best
    /// price when the level was empty.
    function enqueue(State storage s, BookConfig cfg, Ctx memory c, uint256 side, uint256 tick, OrderSlot slot)
        internal
        returns (uint256)
    {
        LevelKey key = LevelKeyLib.from(side, tick);
        LevelWord lw = s.levels[key];
        uint256 total = lw.totalLots();
        uint256 head = lw.head();
        uint256 pos = lw.tail();
        uint256 strays = lw.stragglers();
        // below a full ring, slot `pos mod 256` last held position pos − 256 < head: free
        if (pos - head >= RING) (pos, strays) = freeSlot(s, key, head, pos, strays);
        s.orders[key.slot(pos)] = slot.withLap(pos);
        uint256 epoch = lw.epoch();
        s.levels[key] = LevelWordLib.pack(total + slot.lots(), head, pos + 1, epoch, strays);
        if (total == 0) {
            s.bitmap.set(side, tick);
            TopWord top = c.top;
            if (side == 0) {
                if (tick > top.bestBid()) c.top = top.withBestBid(tick);
            } else {
                uint256 ask = top.bestAsk();
                if (ask == 0 || tick < ask) c.top = top.withBestAsk(tick);
            }
        }
        return OrderId.unwrap(OrderIdLib.from(cfg.index(), LevelKey.unwrap(key), epoch, pos));
    }

    /// @dev The queue spans the whole ring: returns the first position from `pos` whose slot holds
    /// no live order (cancelled, filled or expired-and-removed), stepping over slots whose order is
    /// still live; those become stragglers the first time they are lapped. Reverts `LevelFull` when
    /// all 256 slots hold live orders or the queue would span more than `MAX_SPAN` positions.
    function freeSlot(State storage s, LevelKey key, uint256 head, uint256 pos, uint256 strays)
        internal
        view
        returns (uint256, uint256)
    {
        for (uint256 n; n < RING; ++n) {
            // if/revert, not require: require would evaluate the error's arguments on the success path too
            if (pos + 1 - head > MAX_SPAN) revert IMarkets.LevelFull(key.tick());
            OrderSlot ow = s.orders[key.slot(pos)];
            // the slot's occupant: the latest position before `pos` on this slot with its lap tag
            // (pos ≥ head + 256, so the tail wrote or stepped over this slot in this epoch): laps
            // are pos / RING, tags are laps mod LAPS
            uint256 lap = pos / RING - 1;
            uint256 back = (lap + LAPS - ow.lapTag()) % LAPS;
            if (ow.lots() == 0 || back > lap || (lap - back) * RING + pos % RING < head) {
                return (pos, strays);
            }
            if (back == 0) ++strays; // lapped for the first time
            ++pos;
        }
        revert IMarkets.LevelFull(key.tick());
    }

    /// @dev Removes a live order of `c.account`; `expired` only changes the event emitted.
    function cancel(State storage s, BookConfig cfg, Market storage h, Ctx memory c, OrderId orderId, bool expired)
        internal
    {
        (LevelKey key, LevelWord lw, OrderSlot ow, uint256 slotKey) = locate(s, cfg.index(), orderId);
        require(ow.isOwnedBy(c.account), IMarkets.NotOrderOwner(OrderId.unwrap(orderId), c.account));
        remove(s, h, cfg, c, orderId, key, lw, ow, slotKey, expired);
    }

    /// @dev Takes a located order off its level and returns its lock to the owner's pocket.
    function remove(
        State storage s,
        Market storage h,
        BookConfig cfg,
        Ctx memory c,
        OrderId orderId,
        LevelKey key,
        LevelWord lw,
        OrderSlot ow,
        uint256 slotKey,
        bool expired
    ) internal {
        uint256 lots = ow.lots();
        // keep the owner bits: the slot stays non-zero so the next order there rewrites, not creates
        s.orders[slotKey] = ow.cleared();
        uint256 side = key.side();
        uint256 tick = key.tick();
        if (lw.totalLots() == lots) {
            s.levels[key] = lw.reset();
            s.bitmap.clear(side, tick);
            loadTop(s, c);
            if (side == 0) {
                if (c.top.bestBid() == tick) c.top = c.top.withBestBid(s.bitmap.nextBelow(0, tick));
            } else if (c.top.bestAsk() == tick) {
                c.top = c.top.withBestAsk(s.bitmap.nextAbove(1, tick));
            }
        } else {
            s.levels[key] = vacate(lw, orderId.position()).subLots(lots);
        }
        release(h, cfg, c, ow.account(), side, tick, lots);
        if (expired) emit IMarkets.OrderExpired(orderId.market(), OrderId.unwrap(orderId), lots);
        else emit IMarkets.OrderCancelled(orderId.market(), OrderId.unwrap(orderId), lots);
    }

    /// @dev Cancels the live order `cid` names in `c.account`'s client-id ring: its entry must still
    /// hold `cid` (a later placement with `cid ± k·CLIENT_RING` replaced it otherwise) and the order
    /// it names must be live and the account's; else `ClientOrderNotFound`.
    function cancelByClientId(State storage s, BookConfig cfg, Market storage h, Ctx memory c, uint256 cid)
        internal
    {
        OrderId orderId = s.clientIds[c.account][ClientSlotLib.indexOf(cid)].orderOf(cid);
        (,, OrderSlot ow,) = find(s, cfg.index(), orderId);
        require(
            cid != 0 && OrderSlot.unwrap(ow) != 0 && ow.isOwnedBy(c.account),
            IMarkets.ClientOrderNotFound(c.account, cid)
        );
        cancel(s, cfg, h, c, orderId, false);
    }

    function amend(State storage s, BookConfig cfg, Market storage h, Ctx memory c, OrderId orderId, uint256 newLots)
        internal
    {
        (LevelKey key, LevelWord lw, OrderSlot ow, uint256 slotKey) = locate(s, cfg.index(), orderId);
        require(ow.isOwnedBy(c.account), IMarkets.NotOrderOwner(OrderId.unwrap(orderId), c.account));
        uint256 lots = ow.lots();
        require(
            newLots != 0 && newLots < lots && newLots >= cfg.minLots(),
            IMarkets.InvalidAmend(OrderId.unwrap(orderId), lots, newLots)
        );
        uint256 cut = lots - newLots;
        s.orders[slotKey] = ow.subLots(cut);
        s.levels[key] = lw.subLots(cut); // stays > 0
        h.unlock(cfg, c, key.side(), key.tick(), cut);
        emit IMarkets.OrderAmended(cfg.index(), OrderId.unwrap(orderId), newLots);
    }

    /// @dev Reads the market state into the working copy once per call.
    function loadTop(State storage s, Ctx memory c) internal view {
        if (!c.topLoaded) {
            c.top = s.top;
            c.topLoaded = true;
        }
    }

    /// @dev Finds a live order of market `index`; all zero if the id does not name one.
    function find(State storage s, uint256 index, OrderId orderId)
        internal
        view
        returns (LevelKey key, LevelWord lw, OrderSlot ow, uint256 slotKey)
    {
        if (!orderId.isOf(index)) return (key, lw, ow, 0);
        key = LevelKey.wrap(orderId.levelKey());
        lw = s.levels[key];
        uint256 pos = orderId.position();
        if (orderId.epoch() != lw.epoch() || pos < lw.head() || pos >= lw.tail() || lw.isEmpty()) {
            return (key, LevelWord.wrap(0), ow, 0);
        }
        slotKey = key.slot(pos);
        ow = s.orders[slotKey];
        // cancelled, or the slot holds another lap's order
        if (ow.lots() == 0 || !ow.isAt(pos)) return (key, LevelWord.wrap(0), OrderSlot.wrap(0), 0);
    }

    /// @dev As `find`, reverting `OrderNotFound` if the id names no live order.
    function locate(State storage s, uint256 index, OrderId orderId)
        internal
        view
        returns (LevelKey key, LevelWord lw, OrderSlot ow, uint256 slotKey)
    {
        (key, lw, ow, slotKey) = find(s, index, orderId);
        require(OrderSlot.unwrap(ow) != 0, IMarkets.OrderNotFound(OrderId.unwrap(orderId)));
    }

    /// @dev Emits one taker order's `Trade` with its fill log trimmed to the fills made.
    function emitTrade(BookConfig cfg, Ctx memory c, Taker memory t, uint256 kind, uint256 takerFee) internal {
        uint256[] memory log = t.log;
        ArrayLib.truncate(log, t.fills);
        emit IMarkets.Trade(
            cfg.index(),
            TakerWord.unwrap(TradeWordsLib.takerWord(c.account, t.side, kind)),
            TradeSummary.unwrap(TradeWordsLib.tradeSummary(t.filled, t.notional, takerFee)),
            log
        );
    }

    // ------------------------------------------------------------------ views

    /// @dev The best tick of each side holding a live, unexpired order (0 = none). Expired orders
    /// still queued are skipped, examining at most `BOOK_PAGE_POSITIONS` queue positions per side
    /// past the best level; if that runs out, the level it stopped at is reported.
    function bestBidAsk(State storage s) internal view returns (uint256 bestBid, uint256 bestAsk) {
        TopWord top = s.top;
        return (firstLive(s, 0, top.bestBid()), firstLive(s, 1, top.bestAsk()));
    }

    /// @dev The first level of `side` from `tick` away from the best price with live lots.
    function firstLive(State storage s, uint256 side, uint256 tick) internal view returns (uint256) {
        uint256 budget = BOOK_PAGE_POSITIONS;
        while (tick != 0) {
            (uint256 live, uint256 examined, bool complete) = liveLots(s, side, tick, budget, true);
            if (live != 0 || !complete) return tick;
            budget = examined < budget ? budget - examined : 0;
            tick = nextTick(s, side, tick);
            if (budget == 0) return tick; // not examined: reported as it stands
        }
        return 0;
    }

    /// @dev The lots of live, unexpired orders of level (`side`, `tick`), walking its queue from
    /// the head over at most `budget` positions (`complete` false if it stopped there, `lots`
    /// then counts what it saw); `firstOnly`: stop at the first live order (its lots).
    function liveLots(State storage s, uint256 side, uint256 tick, uint256 budget, bool firstOnly)
        internal
        view
        returns (uint256 lots, uint256 examined, bool complete)
    {
        LevelKey key = LevelKeyLib.from(side, tick);
        LevelWord lw = s.levels[key];
        if (lw.isEmpty()) return (0, 0, true);
        uint256 pos = lw.head();
        uint256 tail = lw.tail();
        for (; pos < tail; ++pos) {
            if (examined == budget) return (lots, examined, false);
            ++examined;
            OrderSlot ow = s.orders[key.slot(pos)];
            uint256 olots = ow.lots();
            if (olots == 0 || !ow.isAt(pos)) continue;
            uint256 expiry = ow.expiry();
            if (expiry == 0 || expiry > block.timestamp) {
                if (firstOnly) return (olots, examined, true);
                lots += olots;
            }
        }
        return (lots, examined, true);
    }

    /// @dev Up to `depth` (at most `BOOK_PAGE_LEVELS`; 0 = none) levels per side from the best price:
    /// the first `bookPage` of each side.
    function getBook(State storage s, uint256 depth)
        internal
        view
        returns (uint256[] memory bidTicks, uint256[] memory bidLots, uint256[] memory askTicks, uint256[] memory askLots)
    {
        if (depth == 0) return (bidTicks, bidLots, askTicks, askLots);
        (bidTicks, bidLots,) = bookPage(s, 0, 0, depth);
        (askTicks, askLots,) = bookPage(s, 1, 0, depth);
    }

    /// @dev Levels of `side` with live, unexpired lots, from `fromTick` (0 = the best price) away
    /// from the best: at most `maxLevels` (0 or more than `BOOK_PAGE_LEVELS` = that cap) levels,
    /// each summed over its queue, and at most `BOOK_PAGE_POSITIONS` queue positions past the
    /// page's first level (a level is only reported whole: the page stops before one that does
    /// not fit). `nextTick_` is where the next page starts, 0 when the side is done.
    function bookPage(State storage s, uint256 side, uint256 fromTick, uint256 maxLevels)
        internal
        view
        returns (uint256[] memory ticks, uint256[] memory lots, uint256 nextTick_)
    {
        require(fromTick <= TickBitmap.MAX_TICK, IMarkets.TickOutOfRange(fromTick));
        if (maxLevels == 0 || maxLevels > BOOK_PAGE_LEVELS) maxLevels = BOOK_PAGE_LEVELS;
        uint256 tick = fromTick;
        if (tick == 0) tick = side == 0 ? s.top.bestBid() : s.top.bestAsk();
        else if (s.levels[LevelKeyLib.from(side, tick)].isEmpty()) tick = nextTick(s, side, tick);
        ticks = new uint256[](maxLevels);
        lots = new uint256[](maxLevels);
        uint256 n;
        uint256 budget = BOOK_PAGE_POSITIONS;
        bool first = true;
        while (tick != 0 && n < maxLevels) {
            (uint256 live, uint256 examined, bool complete) =
                liveLots(s, side, tick, first ? MAX_SPAN : budget, false);
            if (!complete) break; // resumes at this level
            first = false;
            budget = examined < budget ? budget - examined : 0;
            if (live != 0) {
                ticks[n] = tick;
                lots[n++] = live;
            }
            tick = nextTick(s, side, tick);
        }
        nextTick_ = tick;
        ArrayLib.truncate(ticks, n);
        ArrayLib.truncate(lots, n);
    }

    /// @dev The next level of `side` going away from the best price, or 0.
    function nextTick(State storage s, uint256 side, uint256 tick) internal view returns (uint256) {
        return side == 0 ? s.bitmap.nextBelow(0, tick) : s.bitmap.nextAbove(1, tick);
    }

    function getOrder(State storage s, uint256 index, uint256 orderId)
        internal
        view
        returns (AccountId account, uint256 lots, uint256 expiry)
    {
        (,, OrderSlot ow,) = find(s, index, OrderId.wrap(orderId));
        return (ow.account(), ow.lots(), ow.expiry());
    }

    /// @dev One `openOrders` page while it scans.
    struct PageScan {
        AccountId account;
        uint256 side;
        uint256 tick;
        /// @dev first queue position to examine at `tick` (a resumed level), else 0
        uint256 from;
        /// @dev queue positions this page may still examine
        uint256 budget;
        /// @dev ids found on this page
        uint256 n;
        /// @dev ids still to find (the pocket's count less those of earlier pages)
        uint256 left;
    }

    /// @dev Walks bids from the best down, then asks from the best up, each level in queue order;
    /// stops once `want` orders (the pocket's open-order count) are found (the cursor carries the
    /// count so far).
    function openOrders(
        State storage s,
        uint256 index,
        AccountId account,
        uint256 want,
        uint256 cursor,
        uint256 limit
    ) internal view returns (uint256[] memory ids, uint256 nextCursor) {
        PageScan memory ps;
        ps.account = account;
        OpenOrdersCursor cur = OpenOrdersCursor.wrap(cursor);
        uint256 found = cur.found();
        // the book changed between pages and fewer orders are open than were found: nothing left
        ps.left = want > found ? want - found : 0;
        ps.budget = limit == 0 ? OPEN_ORDERS_PAGE : limit;
        ids = new uint256[](ps.left < ps.budget ? ps.left : ps.budget);
        ps.side = cur.side();
        ps.tick = cur.isStart() ? s.top.bestBid() : cur.tick();
        ps.from = cur.position();
        while (ps.n < ps.left) {
            if (ps.tick == 0) {
                if (ps.side == 1) break;
                ps.side = 1;
                ps.tick = s.top.bestAsk();
                continue;
            }
            (bool isStopped, uint256 stoppedAt) = scanLevel(s, index, ps, ids);
            if (isStopped) {
                nextCursor =
                    OpenOrdersCursor.unwrap(OpenOrdersCursorLib.pack(ps.side, ps.tick, stoppedAt, found + ps.n));
                break;
            }
            ps.from = 0;
            ps.tick = nextTick(s, ps.side, ps.tick);
        }
        ArrayLib.truncate(ids, ps.n);
    }

    /// @dev Scans one level from `ps.from` (or its head) for `ps.account`'s live orders; `isStopped`
    /// when the page's budget ran out at position `pos` of this level (not yet examined).
    function scanLevel(State storage s, uint256 index, PageScan memory ps, uint256[] memory ids)
        internal
        view
        returns (bool isStopped, uint256 pos)
    {
        LevelKey key = LevelKeyLib.from(ps.side, ps.tick);
        LevelWord lw = s.levels[key];
        pos = lw.head();
        if (ps.from > pos) pos = ps.from;
        for (uint256 tail = lw.tail(); pos < tail && ps.n < ps.left; ++pos) {
            if (ps.budget == 0) return (true, pos);
            --ps.budget;
            OrderSlot ow = s.orders[key.slot(pos)];
            if (ow.isOwnedBy(ps.account) && ow.lots() != 0 && ow.isAt(pos)) {
                ids[ps.n++] = OrderId.unwrap(OrderIdLib.from(index, LevelKey.unwrap(key), lw.epoch(), pos));
            }
        }
        return (false, 0);
    }

    /// @dev Fees and pause flag; fees accrued in quote atoms.
    function marketState(State storage s, BookConfig cfg)
        internal
        view
        returns (int256 makerFeeBps, uint256 takerFeeBps, bool paused, uint256 feesAccrued)
    {
        TopWord top = s.top;
        return (top.makerFeeBps(), top.takerFeeBps(), top.paused(), top.feesAccrued() * cfg.tickSize());
    }

    function levelOf(State storage s, uint256 side, uint256 tick)
        internal
        view
        returns (uint256 totalLots, uint256 head, uint256 tail, uint256 epoch)
    {
        LevelWord lw = s.levels[LevelKeyLib.from(side, tick)];
        return (lw.totalLots(), lw.head(), lw.tail(), lw.epoch());
    }
}
