// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IOrderBook, BookParams} from "../interfaces/IOrderBook.sol";
import {IClearinghouse} from "../interfaces/IClearinghouse.sol";
import {AccountId, AccountIdLib} from "../types/AccountId.sol";
import {TickBitmap} from "../libraries/TickBitmap.sol";
import {ArrayLib} from "../libraries/ArrayLib.sol";
import {OrderWord, OrderWordLib as OW} from "../types/OrderWord.sol";
import {OrderId, OrderIdLib} from "../types/OrderId.sol";
import {OrderSlot, OrderSlotLib} from "../types/OrderSlot.sol";
import {LevelKey, LevelKeyLib, LevelWord, LevelWordLib} from "../types/LevelWord.sol";
import {TopWord} from "../types/TopWord.sol";
import {BatchOp, BatchOpLib} from "../types/BatchOp.sol";
import {FillWord, PlacedInfo, TakerWord, TradeSummary, TradeWordsLib} from "../types/TradeWords.sol";
import {OperatorBand, OperatorBandLib} from "../types/OperatorBand.sol";
import {OpenOrdersCursor, OpenOrdersCursorLib} from "../types/OpenOrdersCursor.sol";
import {Ctx, Taker} from "./BookCtx.sol";

/// @title OrderBook: the central limit order book both market kinds share
/// @notice Matching, queues, the tick bitmap, order ids, batch, cancel, amend, expiry and the
/// views. What a resting order commits and what a fill moves differ by market kind: spot locks
/// funds in a pocket and credits proceeds, a perp market tracks order exposure and positions. Those
/// parts are the virtual hooks at the end; internal calls bind at compile time, so sharing costs
/// no gas.
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
abstract contract OrderBook is IOrderBook, ReentrancyGuardTransient {
    using TickBitmap for mapping(uint256 => uint256);

    uint256 public constant MAX_OPEN_ORDERS = 64;
    uint256 public constant MAX_FILLS = 128;
    /// @notice Skip units one taker order may spend on queue entries it cannot fill: stepping over a
    /// cancelled or dead entry costs 1, removing an expired order costs `EXPIRED_SKIPS`.
    uint256 public constant MAX_SKIPS = 64;
    /// @notice Skip units one expired order's removal costs (it writes its owner's pocket and logs),
    /// so a taker removes at most 8 expired orders; `purgeTop` clears the rest.
    uint256 public constant EXPIRED_SKIPS = 8;
    uint256 public constant MAX_TAKER_FEE_BPS = 100;
    uint256 internal constant RING = 256;
    /// @dev Laps a slot's tag tells apart (`OrderSlot`: 7 bits).
    uint256 internal constant LAPS = 128;
    /// @dev Widest a level's queue (tail − head) may grow: lap tags tell positions apart within 32,768.
    uint256 internal constant MAX_SPAN = 32_512;
    /// @dev Queue positions one `openOrders` page examines when the caller passes limit 0. Internal:
    /// a public getter would add a selector to the dispatcher ahead of `placeOrder` (+22 gas a call).
    uint256 internal constant OPEN_ORDERS_PAGE = 1024;

    IClearinghouse public immutable CLEARINGHOUSE;
    uint256 public immutable INDEX;
    /// @notice Spot: the base token. Perp: the underlying asset (oracle price, netting with spot).
    address public immutable BASE;
    address public immutable QUOTE;
    uint256 public immutable LOT_SIZE;
    uint256 public immutable TICK_SIZE;
    uint256 public immutable MIN_LOTS;
    uint256 public immutable MAX_MAKER_FEE_BPS;

    /// @dev Market state, read by every place and take (layout in `TopWord`).
    TopWord internal _top;
    mapping(LevelKey key => LevelWord) internal _levels;
    /// @dev key `LevelKey.slot(position)` (the level's key << 8 | position mod 256)
    mapping(uint256 slotKey => OrderSlot) internal _orders;
    mapping(uint256 wordKey => uint256) internal _bitmap;
    mapping(AccountId account => mapping(uint256 clientOrderId => uint256 orderId)) internal _clientIds;

    modifier onlyClearinghouse() {
        require(msg.sender == address(CLEARINGHOUSE), NotClearinghouse());
        _;
    }

    constructor(BookParams memory p) {
        CLEARINGHOUSE = IClearinghouse(p.clearinghouse);
        INDEX = p.index;
        BASE = p.base;
        QUOTE = p.quote;
        LOT_SIZE = p.lotSize;
        TICK_SIZE = p.tickSize;
        MIN_LOTS = p.minLots;
        MAX_MAKER_FEE_BPS = p.maxMakerFeeBps;
        _top = _withFees(TopWord.wrap(0), p.makerFeeBps, p.takerFeeBps);
    }

    // ------------------------------------------------------------------ trading

    /// @inheritdoc IOrderBook
    function placeOrder(uint256 order) external nonReentrant returns (uint256 orderId, uint256 filledLots) {
        OrderWord p = OrderWord.wrap(order);
        Ctx memory c = _load(_account(msg.sender, p.sub()));
        (orderId, filledLots) = _placeOne(c, p);
        _flush(c);
    }

    /// @inheritdoc IOrderBook
    function placeOrderFor(address owner, uint256 order)
        external
        nonReentrant
        returns (uint256 orderId, uint256 filledLots)
    {
        OrderWord p = OrderWord.wrap(order);
        Ctx memory c = _load(_account(owner, p.sub()));
        // an operator: authorised and bounded to the owner's price band in one Clearinghouse call
        if (owner != msg.sender) _checkOperatorPrice(c.account, p, OperatorBand.wrap(0));
        (orderId, filledLots) = _placeOne(c, p);
        _flush(c);
    }

    /// @inheritdoc IOrderBook
    /// @dev The hot path of a market maker, kept lean: three slots (order, level, pocket word), no
    /// working copy. No reentrancy guard: it calls nothing but the Clearinghouse's
    /// `isOperator` view, and moves no tokens.
    function cancelOrder(uint256 orderId) external {
        OrderId id = OrderId.wrap(orderId);
        (LevelKey key, LevelWord lw, OrderSlot ow, uint256 slotKey) = _locate(id);
        AccountId acct = ow.account();
        _auth(acct);
        uint256 lots = ow.lots();
        if (lw.totalLots() == lots) {
            // last order of its level: the general path resets the level and moves the best price
            Ctx memory c = _load(acct);
            _remove(c, id, key, lw, ow, slotKey, false);
            _flush(c);
            return;
        }
        _orders[slotKey] = ow.cleared();
        _levels[key] = _leave(lw, id.position()).subLots(lots);
        _releaseOther(acct, key.side(), key.tick(), lots);
        _afterLeanCancel();
        emit OrderCancelled(orderId, lots);
    }

    /// @inheritdoc IOrderBook
    function cancelOrderByClientId(address owner, uint8 sub, uint256 clientOrderId) external nonReentrant {
        Ctx memory c = _load(_account(owner, sub));
        _auth(c.account);
        _cancelByClientId(c, clientOrderId);
        _flush(c);
    }

    /// @inheritdoc IOrderBook
    function amendOrder(uint256 orderId, uint256 newLots) external nonReentrant {
        OrderId id = OrderId.wrap(orderId);
        (,, OrderSlot ow,) = _locate(id);
        Ctx memory c = _load(ow.account());
        _auth(c.account);
        _amend(c, id, newLots);
        _flush(c);
    }

    /// @inheritdoc IOrderBook
    function cancelAll(address owner, uint8 sub, uint256[] calldata orderIds) external nonReentrant {
        Ctx memory c = _load(_account(owner, sub));
        _auth(c.account);
        for (uint256 i; i < orderIds.length; ++i) {
            _cancel(c, OrderId.wrap(orderIds[i]), false);
        }
        require(c.openOrders == 0, OpenOrdersRemain(c.openOrders));
        _flush(c);
    }

    /// @inheritdoc IOrderBook
    function batch(address owner, uint8 sub, uint256[] calldata ops)
        external
        nonReentrant
        returns (uint256[] memory results)
    {
        Ctx memory c = _load(_account(owner == address(0) ? msg.sender : owner, sub));
        // an operator's price band is read at its first place op (`_checkOperatorPrice`)
        bool operator = _auth(c.account);
        OperatorBand band;
        results = new uint256[](ops.length);
        for (uint256 i; i < ops.length; ++i) {
            BatchOp op = BatchOp.wrap(ops[i]);
            uint256 kind = op.kind();
            if (kind == BatchOpLib.PLACE) {
                if (operator) band = _checkOperatorPrice(c.account, op.order(), band);
                (results[i],) = _placeOne(c, op.order());
            } else if (kind == BatchOpLib.CANCEL) {
                _cancel(c, op.orderId(), false);
            } else if (kind == BatchOpLib.AMEND) {
                _amend(c, op.orderId(), op.newLots());
            } else {
                _cancelByClientId(c, op.clientOrderId());
            }
        }
        _flush(c);
    }

    /// @inheritdoc IOrderBook
    function purgeExpired(uint256[] calldata orderIds) external nonReentrant {
        for (uint256 i; i < orderIds.length; ++i) {
            OrderId id = OrderId.wrap(orderIds[i]);
            (,, OrderSlot ow,) = _locate(id);
            uint256 expiry = ow.expiry();
            require(expiry != 0 && expiry <= block.timestamp, NotExpired(orderIds[i], expiry));
            Ctx memory c = _load(ow.account());
            _cancel(c, id, true);
            _flush(c);
        }
    }

    /// @inheritdoc IOrderBook
    /// @dev Runs the matching walk with no account and no fills: it removes expired orders and
    /// steps over dead entries from the best price of `side`, level by level, and stops at the first
    /// live order (or when its budget is spent). Allowed while the market is paused.
    function purgeTop(uint256 side, uint256 maxOrders) external nonReentrant {
        Ctx memory c; // no account: every release goes to its owner's pocket in storage
        _loadTop(c);
        uint256 makerSide = side & 1;
        if (c.top.best(makerSide) == 0) return;
        Taker memory t;
        t.side = makerSide ^ 1;
        t.limitTick = makerSide == 1 ? TickBitmap.MAX_TICK : 0;
        t.remaining = 1;
        t.maxFills = 1;
        t.skipsLeft = maxOrders * EXPIRED_SKIPS;
        t.purge = true;
        _match(c, t);
        _top = c.top;
    }

    /// @inheritdoc IOrderBook
    function cancelForLiquidation(address owner, uint8 sub, uint256[] calldata orderIds) external nonReentrant {
        Ctx memory c = _load(_account(owner, sub));
        require(CLEARINGHOUSE.isLiquidatable(c.account), AccountNotLiquidatable(c.account));
        for (uint256 i; i < orderIds.length; ++i) {
            _cancel(c, OrderId.wrap(orderIds[i]), false);
        }
        _storePocket(c);
        if (c.topLoaded) _top = c.top;
    }

    /// @inheritdoc IOrderBook
    function setPaused(bool paused) external onlyClearinghouse {
        _top = _top.withPaused(paused);
        emit PausedSet(paused);
    }

    /// @inheritdoc IOrderBook
    function setFees(int16 makerFeeBps, uint16 takerFeeBps) external onlyClearinghouse {
        _top = _withFees(_top, makerFeeBps, takerFeeBps);
        emit FeesSet(makerFeeBps, takerFeeBps);
    }

    function _withFees(TopWord top, int16 makerFeeBps, uint16 takerFeeBps) internal view returns (TopWord) {
        require(
            takerFeeBps <= MAX_TAKER_FEE_BPS && makerFeeBps <= int256(MAX_MAKER_FEE_BPS)
                && makerFeeBps >= -int256(uint256(takerFeeBps)),
            FeeOutOfBounds(makerFeeBps, takerFeeBps)
        );
        return top.withFees(makerFeeBps, takerFeeBps);
    }

    /// @inheritdoc IOrderBook
    /// @dev Fees accrued in the book (tick units) move to the Clearinghouse reserve in quote atoms.
    function collectFees() external nonReentrant {
        TopWord top = _top;
        uint256 quoteAtoms = top.feesAccrued() * TICK_SIZE;
        _top = top.withoutFees();
        if (quoteAtoms != 0) CLEARINGHOUSE.creditReserve(INDEX, BASE, QUOTE, quoteAtoms);
        emit FeesCollected(quoteAtoms);
    }

    // ------------------------------------------------------------------ core

    function _placeOne(Ctx memory c, OrderWord p) internal returns (uint256 orderId, uint256 filled) {
        uint256 lots = p.lots();
        uint256 tick = p.tick();
        uint256 side = p.side();
        uint256 kind = p.kind();
        uint256 expiry = p.expiry();
        require(lots != 0, ZeroSize());
        require(lots >= MIN_LOTS, BelowMinSize(lots, MIN_LOTS));
        require(tick != 0 && tick <= TickBitmap.MAX_TICK, TickOutOfRange(tick));
        require(kind <= OW.MARKET, InvalidOrderType(kind));
        require(expiry == 0 || expiry > block.timestamp, Expired(expiry));
        // if/revert, not require: require would evaluate the error's arguments on the success path too
        if (p.selfTrade() > OW.STP_CANCEL_BOTH) revert InvalidOrderType(p.selfTrade());
        if (p.maxFills() > MAX_FILLS) revert TooManyFills(p.maxFills(), MAX_FILLS);
        _checkPlace(c, p, side, lots);

        _loadTop(c);
        require(!c.top.paused(), MarketPaused());
        c.risky = true;
        uint256 bestOpp = c.top.best(side ^ 1);
        bool crosses = bestOpp != 0 && (side == 0 ? bestOpp <= tick : bestOpp >= tick);
        if (!crosses) {
            require(kind != OW.MARKET, WorstPriceExceeded(tick, bestOpp));
            require(kind != OW.FOK, FokNotFilled(lots, 0));
            if (kind <= OW.POST_ONLY) orderId = _rest(c, p, lots);
            return (orderId, 0);
        }
        require(kind != OW.POST_ONLY, PostOnlyWouldCross(tick, bestOpp));

        Taker memory t = _newTaker(p, side, tick, lots);
        _match(c, t);
        filled = t.filled;
        require(kind != OW.FOK || t.remaining == 0, FokNotFilled(lots, filled));
        if (filled != 0) _settleTaker(c, t, kind);
        // A GTC remainder rests, unless matching stopped early (fill or skip cap) with the book
        // still crossing it: resting then would leave a crossed book, so it is dropped like IOC.
        if (t.remaining != 0 && kind == OW.GTC && !t.stopped) {
            bestOpp = c.top.best(side ^ 1);
            if (bestOpp == 0 || (side == 0 ? bestOpp > tick : bestOpp < tick)) orderId = _rest(c, p, t.remaining);
        }
    }

    function _newTaker(OrderWord p, uint256 side, uint256 tick, uint256 lots) internal pure returns (Taker memory t) {
        uint256 maxFills = p.maxFills(); // validated in _placeOne
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
    function _match(Ctx memory c, Taker memory t) internal {
        uint256 makerSide = t.side ^ 1;
        t.tick = c.top.best(makerSide);
        while (true) {
            LevelKey key = LevelKeyLib.from(makerSide, t.tick);
            LevelWord lw = _matchLevel(c, t, key, _levels[key]);
            if (!lw.isEmpty()) {
                _levels[key] = lw;
                return;
            }
            // level emptied: reset it so its ring restarts at 0, and move the best price on
            _levels[key] = lw.reset();
            _bitmap.clear(makerSide, t.tick);
            uint256 tick;
            if (makerSide == 1) {
                tick = _bitmap.nextAbove(1, t.tick);
                c.top = c.top.withBestAsk(tick);
                if (tick == 0 || tick > t.limitTick) return;
            } else {
                tick = _bitmap.nextBelow(0, t.tick);
                c.top = c.top.withBestBid(tick);
                if (tick == 0 || tick < t.limitTick) return;
            }
            t.tick = tick;
            if (_stopped(t)) return;
        }
    }

    function _stopped(Taker memory t) internal pure returns (bool) {
        return t.remaining == 0 || t.fills == t.maxFills || t.skipsLeft == 0 || t.stopped;
    }

    /// @dev The level word once the live order at queue position `pos` leaves (its lots still
    /// counted): a straggler is uncounted, and the head steps past it if it was the head.
    function _leave(LevelWord lw, uint256 pos) internal pure returns (LevelWord) {
        bool head = pos == lw.head();
        if (pos + RING < lw.tail()) {
            lw = lw.lessStraggler(); // a straggler leaves
            return head ? _next(lw) : lw;
        }
        // the head is within a ring of the tail: one step on, no jump
        return head ? lw.stepHead() : lw;
    }

    /// @dev The level word with its head one position on; with no straggler left, nothing more
    /// than a ring behind the tail is live, so the head jumps there.
    function _next(LevelWord lw) internal pure returns (LevelWord) {
        unchecked {
            uint256 head = lw.head() + 1; // ≤ tail < 2^32
            uint256 tail = lw.tail();
            if (lw.stragglers() == 0 && head + RING < tail) head = tail - RING;
            return lw.withHead(head);
        }
    }

    /// @dev Fills from one level's queue head; returns the level word after it (total lots, head
    /// and straggler count updated; the caller writes it or resets an emptied level).
    function _matchLevel(Ctx memory c, Taker memory t, LevelKey key, LevelWord lw) internal returns (LevelWord) {
        OrderId idBase = OrderIdLib.base(INDEX, LevelKey.unwrap(key), lw.epoch());
        uint256 makerSide = key.side();
        while (!lw.isEmpty() && !_stopped(t)) {
            uint256 head = lw.head();
            uint256 slotKey = key.slot(head);
            OrderSlot ow = _orders[slotKey];
            uint256 olots = ow.lots();
            if (olots == 0 || !ow.isAt(head)) {
                // cancelled earlier, or the slot holds another lap's order: step over it
                lw = _next(lw);
                --t.skipsLeft;
                continue;
            }
            uint256 expiry = ow.expiry();
            if (expiry != 0 && expiry <= block.timestamp) {
                _release(c, ow.account(), makerSide, t.tick, olots);
                t.skipsLeft = t.skipsLeft > EXPIRED_SKIPS ? t.skipsLeft - EXPIRED_SKIPS : 0;
                emit OrderExpired(OrderId.unwrap(idBase.withPosition(head)), olots);
                lw = _leave(lw, head).subLots(olots);
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
                _release(c, ow.account(), makerSide, t.tick, olots);
                emit OrderCancelled(OrderId.unwrap(idBase.withPosition(head)), olots);
                lw = _leave(lw, head).subLots(olots);
                if (t.stp == OW.STP_CANCEL_BOTH) t.stopped = true;
                continue;
            }
            uint256 fillable = _makerFillable(ow, olots, makerSide);
            if (fillable < olots) {
                // a reduce-only maker whose position no longer allows it all: the excess is cancelled
                uint256 cut = olots - fillable;
                _trimMaker(ow.account(), makerSide, t.tick, cut, fillable == 0);
                lw = lw.subLots(cut);
                if (fillable == 0) {
                    --t.skipsLeft;
                    emit OrderCancelled(OrderId.unwrap(idBase.withPosition(head)), olots);
                    lw = _leave(lw, head);
                    continue;
                }
                emit OrderAmended(OrderId.unwrap(idBase.withPosition(head)), fillable);
                ow = ow.subLots(cut);
                olots = fillable;
            }
            uint256 f = olots < t.remaining ? olots : t.remaining;
            _fillMaker(c.top, t, ow.account(), f, f == olots);
            t.log[t.fills++] = FillWord.unwrap(TradeWordsLib.fillWord(idBase.withPosition(head), f));
            t.remaining -= f;
            t.filled += f;
            t.notional += f * t.tick;
            lw = lw.subLots(f);
            if (f != olots) _orders[slotKey] = ow.subLots(f);
            else if (head + RING < lw.tail()) lw = _leave(lw, head);
            else lw = lw.stepHead(); // not a straggler, and the head cannot jump: one step on
        }
        return lw;
    }

    /// @dev Queues `lots` of order word `p` at its tick and commits them (`_lock`).
    function _rest(Ctx memory c, OrderWord p, uint256 lots) internal returns (uint256 orderId) {
        require(c.openOrders < MAX_OPEN_ORDERS, TooManyOpenOrders(MAX_OPEN_ORDERS));
        uint256 tick = p.tick();
        uint256 side = p.side();
        orderId = _enqueue(c, side, tick, OrderSlotLib.pack(c.account, lots, p.reduceOnlyBit(), p.expiry()));
        _lock(c, side, tick, lots);
        ++c.openOrders;
        uint256 cid = p.clientOrderId();
        if (cid != 0) _clientIds[c.account][cid] = orderId;
        emit OrderPlaced(orderId, PlacedInfo.unwrap(TradeWordsLib.placedInfo(c.account, lots, cid)));
    }

    /// @dev Ends a resting order's commitment (cancel, expiry, self-trade): the acting account's
    /// in its working copy, anyone else's in storage.
    function _release(Ctx memory c, AccountId owner, uint256 side, uint256 tick, uint256 lots) internal {
        if (owner.eq(c.account)) {
            _unlock(c, side, tick, lots);
            --c.openOrders;
            return;
        }
        _releaseOther(owner, side, tick, lots);
    }

    /// @dev Appends an order slot at the level's tail; flags the tick and moves the best
    /// price when the level was empty.
    function _enqueue(Ctx memory c, uint256 side, uint256 tick, OrderSlot slot) internal returns (uint256) {
        LevelKey key = LevelKeyLib.from(side, tick);
        LevelWord lw = _levels[key];
        uint256 total = lw.totalLots();
        uint256 head = lw.head();
        uint256 pos = lw.tail();
        uint256 strays = lw.stragglers();
        // below a full ring, slot `pos mod 256` last held position pos − 256 < head: free
        if (pos - head >= RING) (pos, strays) = _freeSlot(key, head, pos, strays);
        _orders[key.slot(pos)] = slot.withLap(pos);
        uint256 epoch = lw.epoch();
        _levels[key] = LevelWordLib.pack(total + slot.lots(), head, pos + 1, epoch, strays);
        if (total == 0) {
            _bitmap.set(side, tick);
            TopWord top = c.top;
            if (side == 0) {
                if (tick > top.bestBid()) c.top = top.withBestBid(tick);
            } else {
                uint256 ask = top.bestAsk();
                if (ask == 0 || tick < ask) c.top = top.withBestAsk(tick);
            }
        }
        return OrderId.unwrap(OrderIdLib.from(INDEX, LevelKey.unwrap(key), epoch, pos));
    }

    /// @dev The queue spans the whole ring: returns the first position from `pos` whose slot holds
    /// no live order (cancelled, filled or expired-and-removed), stepping over slots whose order is
    /// still live; those become stragglers the first time they are lapped. Reverts `LevelFull` when
    /// all 256 slots hold live orders or the queue would span more than `MAX_SPAN` positions.
    function _freeSlot(LevelKey key, uint256 head, uint256 pos, uint256 strays)
        internal
        view
        returns (uint256, uint256)
    {
        for (uint256 n; n < RING; ++n) {
            // if/revert, not require: require would evaluate the error's arguments on the success path too
            if (pos + 1 - head > MAX_SPAN) revert LevelFull(key.tick());
            OrderSlot ow = _orders[key.slot(pos)];
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
        revert LevelFull(key.tick());
    }

    /// @dev Removes a live order of `c.account`; `expired` only changes the event emitted.
    function _cancel(Ctx memory c, OrderId orderId, bool expired) internal {
        (LevelKey key, LevelWord lw, OrderSlot ow, uint256 slotKey) = _locate(orderId);
        require(ow.isOwnedBy(c.account), NotOrderOwner(OrderId.unwrap(orderId), c.account));
        _remove(c, orderId, key, lw, ow, slotKey, expired);
    }

    /// @dev Takes a located order off its level and returns its lock to the owner's pocket.
    function _remove(
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
        _orders[slotKey] = ow.cleared();
        uint256 side = key.side();
        uint256 tick = key.tick();
        if (lw.totalLots() == lots) {
            _levels[key] = lw.reset();
            _bitmap.clear(side, tick);
            _loadTop(c);
            if (side == 0) {
                if (c.top.bestBid() == tick) c.top = c.top.withBestBid(_bitmap.nextBelow(0, tick));
            } else if (c.top.bestAsk() == tick) {
                c.top = c.top.withBestAsk(_bitmap.nextAbove(1, tick));
            }
        } else {
            _levels[key] = _leave(lw, orderId.position()).subLots(lots);
        }
        _release(c, ow.account(), side, tick, lots);
        if (expired) emit OrderExpired(OrderId.unwrap(orderId), lots);
        else emit OrderCancelled(OrderId.unwrap(orderId), lots);
    }

    function _cancelByClientId(Ctx memory c, uint256 cid) internal {
        OrderId orderId = OrderId.wrap(_clientIds[c.account][cid]);
        (,, OrderSlot ow,) = _find(orderId);
        require(
            cid != 0 && OrderSlot.unwrap(ow) != 0 && ow.isOwnedBy(c.account), ClientOrderNotFound(c.account, cid)
        );
        _cancel(c, orderId, false);
    }

    function _amend(Ctx memory c, OrderId orderId, uint256 newLots) internal {
        (LevelKey key, LevelWord lw, OrderSlot ow, uint256 slotKey) = _locate(orderId);
        require(ow.isOwnedBy(c.account), NotOrderOwner(OrderId.unwrap(orderId), c.account));
        uint256 lots = ow.lots();
        require(
            newLots != 0 && newLots < lots && newLots >= MIN_LOTS, InvalidAmend(OrderId.unwrap(orderId), lots, newLots)
        );
        uint256 cut = lots - newLots;
        _orders[slotKey] = ow.subLots(cut);
        _levels[key] = lw.subLots(cut); // stays > 0
        _unlock(c, key.side(), key.tick(), cut);
        emit OrderAmended(OrderId.unwrap(orderId), newLots);
    }

    function _loadTop(Ctx memory c) internal view {
        if (!c.topLoaded) {
            c.top = _top;
            c.topLoaded = true;
        }
    }

    /// @dev The caller is the account's owner or an operator it approved; returns true for an operator.
    function _auth(AccountId acct) internal view returns (bool operator) {
        if (acct.owner() != msg.sender) {
            require(CLEARINGHOUSE.isOperator(acct, msg.sender), NotAuthorized(msg.sender, acct));
            return true;
        }
    }

    /// @dev An operator's order `p` keeps to the owner's price band around the oracle index: a bid
    /// at most `maxTick`, an ask at least `minTick`. Every fill of an order is at its limit or better
    /// (a take walks the book only while it crosses the limit), so bounding the limit bounds each
    /// executed price, and a resting remainder rests within the band. `band` is the band an earlier
    /// call returned, or not loaded to fetch it (and the operator's approval) from the
    /// Clearinghouse; returns it loaded. A tick out of the book's range is left to `_placeOne` to
    /// refuse (TickOutOfRange).
    function _checkOperatorPrice(AccountId acct, OrderWord p, OperatorBand band)
        internal
        view
        returns (OperatorBand)
    {
        if (!band.loaded()) {
            (bool approved, uint256 lo, uint256 hi) =
                CLEARINGHOUSE.operatorTickBand(acct, msg.sender, BASE, QUOTE, LOT_SIZE, TICK_SIZE);
            require(approved, NotAuthorized(msg.sender, acct));
            // ticks stop at MAX_TICK: capping both edges above it changes no outcome
            uint256 cap = TickBitmap.MAX_TICK + 1;
            band = OperatorBandLib.pack(lo < cap ? lo : cap, hi < cap ? hi : cap);
        }
        uint256 tick = p.tick();
        if (tick == 0 || tick > TickBitmap.MAX_TICK) return band;
        uint256 minTick = band.minTick();
        uint256 maxTick = band.maxTick();
        require(p.side() == 0 ? tick <= maxTick : tick >= minTick, OperatorPriceOutOfBand(tick, minTick, maxTick));
        return band;
    }

    /// @dev `sub` ≤ 255 (a uint8, or an order word's 8-bit field).
    function _account(address owner, uint256 sub) internal pure returns (AccountId) {
        return AccountIdLib.from(owner, sub);
    }

    /// @dev Finds a live order; all zero if the id does not name one.
    function _find(OrderId orderId)
        internal
        view
        returns (LevelKey key, LevelWord lw, OrderSlot ow, uint256 slotKey)
    {
        if (!orderId.isOf(INDEX)) return (key, lw, ow, 0);
        key = LevelKey.wrap(orderId.levelKey());
        lw = _levels[key];
        uint256 pos = orderId.position();
        if (orderId.epoch() != lw.epoch() || pos < lw.head() || pos >= lw.tail() || lw.isEmpty()) {
            return (key, LevelWord.wrap(0), ow, 0);
        }
        slotKey = key.slot(pos);
        ow = _orders[slotKey];
        // cancelled, or the slot holds another lap's order
        if (ow.lots() == 0 || !ow.isAt(pos)) return (key, LevelWord.wrap(0), OrderSlot.wrap(0), 0);
    }

    function _locate(OrderId orderId)
        internal
        view
        returns (LevelKey key, LevelWord lw, OrderSlot ow, uint256 slotKey)
    {
        (key, lw, ow, slotKey) = _find(orderId);
        require(OrderSlot.unwrap(ow) != 0, OrderNotFound(OrderId.unwrap(orderId)));
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IOrderBook
    function bestBidAsk() external view returns (uint256 bestBid, uint256 bestAsk) {
        TopWord top = _top;
        return (top.bestBid(), top.bestAsk());
    }

    /// @inheritdoc IOrderBook
    function getBook(uint256 depth)
        external
        view
        returns (uint256[] memory bidTicks, uint256[] memory bidLots, uint256[] memory askTicks, uint256[] memory askLots)
    {
        (bidTicks, bidLots) = _side(0, _top.bestBid(), depth);
        (askTicks, askLots) = _side(1, _top.bestAsk(), depth);
    }

    function _side(uint256 side, uint256 tick, uint256 depth)
        internal
        view
        returns (uint256[] memory ticks, uint256[] memory lots)
    {
        ticks = new uint256[](depth);
        lots = new uint256[](depth);
        uint256 n;
        while (tick != 0 && n < depth) {
            ticks[n] = tick;
            lots[n++] = _levels[LevelKeyLib.from(side, tick)].totalLots();
            tick = _nextTick(side, tick);
        }
        ArrayLib.truncate(ticks, n);
        ArrayLib.truncate(lots, n);
    }

    /// @dev The next level of `side` going away from the best price, or 0.
    function _nextTick(uint256 side, uint256 tick) internal view returns (uint256) {
        return side == 0 ? _bitmap.nextBelow(0, tick) : _bitmap.nextAbove(1, tick);
    }

    /// @inheritdoc IOrderBook
    function getOrder(uint256 orderId) external view returns (AccountId account, uint256 lots, uint256 expiry) {
        (,, OrderSlot ow,) = _find(OrderId.wrap(orderId));
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

    /// @inheritdoc IOrderBook
    /// @dev Walks bids from the best down, then asks from the best up, each level in queue order;
    /// stops once the pocket's open-order count is found (the cursor carries the count so far).
    function openOrders(address owner, uint8 sub, uint256 cursor, uint256 limit)
        external
        view
        returns (uint256[] memory ids, uint256 nextCursor)
    {
        PageScan memory s;
        s.account = _account(owner, sub);
        OpenOrdersCursor cur = OpenOrdersCursor.wrap(cursor);
        uint256 found = cur.found();
        uint256 want = _openCount(s.account);
        // the book changed between pages and fewer orders are open than were found: nothing left
        s.left = want > found ? want - found : 0;
        s.budget = limit == 0 ? OPEN_ORDERS_PAGE : limit;
        ids = new uint256[](s.left < s.budget ? s.left : s.budget);
        s.side = cur.side();
        s.tick = cur.isStart() ? _top.bestBid() : cur.tick();
        s.from = cur.position();
        while (s.n < s.left) {
            if (s.tick == 0) {
                if (s.side == 1) break;
                s.side = 1;
                s.tick = _top.bestAsk();
                continue;
            }
            (bool stopped, uint256 stoppedAt) = _scanLevel(s, ids);
            if (stopped) {
                nextCursor = OpenOrdersCursor.unwrap(OpenOrdersCursorLib.pack(s.side, s.tick, stoppedAt, found + s.n));
                break;
            }
            s.from = 0;
            s.tick = _nextTick(s.side, s.tick);
        }
        ArrayLib.truncate(ids, s.n);
    }

    /// @dev Scans one level from `s.from` (or its head) for `s.account`'s live orders; `stopped` when
    /// the page's budget ran out at position `pos` of this level (not yet examined).
    function _scanLevel(PageScan memory s, uint256[] memory ids) internal view returns (bool stopped, uint256 pos) {
        LevelKey key = LevelKeyLib.from(s.side, s.tick);
        LevelWord lw = _levels[key];
        pos = lw.head();
        if (s.from > pos) pos = s.from;
        for (uint256 tail = lw.tail(); pos < tail && s.n < s.left; ++pos) {
            if (s.budget == 0) return (true, pos);
            --s.budget;
            OrderSlot ow = _orders[key.slot(pos)];
            if (ow.isOwnedBy(s.account) && ow.lots() != 0 && ow.isAt(pos)) {
                ids[s.n++] = OrderId.unwrap(OrderIdLib.from(INDEX, LevelKey.unwrap(key), lw.epoch(), pos));
            }
        }
        return (false, 0);
    }

    /// @inheritdoc IOrderBook
    function marketState()
        external
        view
        returns (int256 makerFeeBps, uint256 takerFeeBps, bool paused, uint256 feesAccrued)
    {
        TopWord top = _top;
        return (top.makerFeeBps(), top.takerFeeBps(), top.paused(), top.feesAccrued() * TICK_SIZE);
    }

    /// @inheritdoc IOrderBook
    function levelOf(uint256 side, uint256 tick)
        external
        view
        returns (uint256 totalLots, uint256 head, uint256 tail, uint256 epoch)
    {
        LevelWord lw = _levels[LevelKeyLib.from(side, tick)];
        return (lw.totalLots(), lw.head(), lw.tail(), lw.epoch());
    }

    /// @dev Emits one taker order's `Trade` with its fill log trimmed to the fills made.
    function _emitTrade(Ctx memory c, Taker memory t, uint256 kind, uint256 takerFee) internal {
        uint256[] memory log = t.log;
        ArrayLib.truncate(log, t.fills);
        emit Trade(
            TakerWord.unwrap(TradeWordsLib.takerWord(c.account, t.side, kind)),
            TradeSummary.unwrap(TradeWordsLib.tradeSummary(t.filled, t.notional, takerFee)),
            log
        );
    }

    // ------------------------------------------------------------------ market-kind hooks

    /// @dev Validates what only this market kind knows about an order (e.g. reduce-only).
    function _checkPlace(Ctx memory c, OrderWord p, uint256 side, uint256 lots) internal view virtual;

    /// @dev Commits `lots` resting at `tick` on `side` for the acting account.
    function _lock(Ctx memory c, uint256 side, uint256 tick, uint256 lots) internal virtual;

    /// @dev Returns `lots` of the acting account's commitment (its open-order count unchanged).
    function _unlock(Ctx memory c, uint256 side, uint256 tick, uint256 lots) internal virtual;

    /// @dev Ends `lots` of another account's order in storage (one fewer open order).
    function _releaseOther(AccountId owner, uint256 side, uint256 tick, uint256 lots) internal virtual;

    /// @dev After `cancelOrder`'s lean path (no working copy, no `_flush`): a market that derives
    /// state from the book's depth (the perp premium) refreshes it here; spot does nothing.
    function _afterLeanCancel() internal virtual {}

    /// @dev Lots of a maker order that may fill now (reduce-only orders follow the live position).
    function _makerFillable(OrderSlot ow, uint256 olots, uint256 makerSide) internal view virtual returns (uint256);

    /// @dev Cancels `lots` of a maker order that may no longer fill (`ends`: the whole order).
    function _trimMaker(AccountId owner, uint256 side, uint256 tick, uint256 lots, bool ends) internal virtual;

    /// @dev Books one maker fill of `f` lots at `t.tick` (one pocket write per maker).
    function _fillMaker(TopWord top, Taker memory t, AccountId maker, uint256 f, bool done) internal virtual;

    /// @dev Books the taker's side of all its fills and emits `Trade`.
    function _settleTaker(Ctx memory c, Taker memory t, uint256 kind) internal virtual;

    function _load(AccountId acct) internal view virtual returns (Ctx memory c);

    /// @dev Writes the working copy back and settles with the Clearinghouse (its only external call).
    function _flush(Ctx memory c) internal virtual;

    /// @dev Writes only the account's pocket (liquidation cancels).
    function _storePocket(Ctx memory c) internal virtual;

    function _openCount(AccountId acct) internal view virtual returns (uint256);
}
