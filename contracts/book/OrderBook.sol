// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IOrderBook, BookParams} from "../interfaces/IOrderBook.sol";
import {IClearinghouse} from "../interfaces/IClearinghouse.sol";
import {AccountId} from "../types/AccountId.sol";
import {TickBitmap} from "../libraries/TickBitmap.sol";
import {OrderCodec as C} from "../libraries/OrderCodec.sol";

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
/// lives in ring slot `p mod 256`, tagged with its lap (`OrderCodec.lapTag`). While the queue spans
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
    /// @dev Widest a level's queue (tail − head) may grow: lap tags tell positions apart within 32,768.
    uint256 internal constant MAX_SPAN = 32_512;
    /// @dev order word bit: reduce-only (perp markets); order slot flag bit for the same
    uint256 internal constant REDUCE_ONLY_BIT = 158;
    uint256 internal constant SLOT_REDUCE_ONLY = 1 << 56;

    IClearinghouse public immutable CLEARINGHOUSE;
    uint256 public immutable INDEX;
    /// @notice Spot: the base token. Perp: the underlying asset (oracle price, netting with spot).
    address public immutable BASE;
    address public immutable QUOTE;
    uint256 public immutable LOT_SIZE;
    uint256 public immutable TICK_SIZE;
    uint256 public immutable MIN_LOTS;
    uint256 public immutable MAX_MAKER_FEE_BPS;

    /// @dev Market state, read by every place and take:
    ///   [23..0] best bid tick | [47..24] best ask tick (0 = none) | [55..48] paused |
    ///   [71..56] maker fee bps (int16) | [87..72] taker fee bps | [255..128] fees accrued (tick units)
    uint256 internal _top;
    /// @dev key side << 24 | tick => level word (OrderCodec.level)
    mapping(uint256 levelKey => uint256) internal _levels;
    /// @dev key (side << 24 | tick) << 8 | position % 256 => order slot
    mapping(uint256 slotKey => uint256) internal _orders;
    mapping(uint256 wordKey => uint256) internal _bitmap;
    mapping(AccountId account => mapping(uint256 clientOrderId => uint256 orderId)) internal _clientIds;

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
        uint256 top;
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
        _top = _withFees(0, p.makerFeeBps, p.takerFeeBps);
    }

    // ------------------------------------------------------------------ trading

    /// @inheritdoc IOrderBook
    function placeOrder(uint256 order) external nonReentrant returns (uint256 orderId, uint256 filledLots) {
        Ctx memory c = _load(AccountId.wrap(bytes32((uint256(uint160(msg.sender)) << 96) | ((order >> 86) & C.M8))));
        (orderId, filledLots) = _placeOne(c, order);
        _flush(c);
    }

    /// @inheritdoc IOrderBook
    function placeOrderFor(address owner, uint256 order)
        external
        nonReentrant
        returns (uint256 orderId, uint256 filledLots)
    {
        Ctx memory c = _load(AccountId.wrap(bytes32((uint256(uint160(owner)) << 96) | ((order >> 86) & C.M8))));
        // an operator: authorised and bounded to the owner's price band in one Clearinghouse call
        if (owner != msg.sender) _checkOperatorPrice(c.account, order, 0);
        (orderId, filledLots) = _placeOne(c, order);
        _flush(c);
    }

    /// @inheritdoc IOrderBook
    /// @dev The hot path of a market maker, kept lean: three slots (order, level, pocket word), no
    /// working copy. No reentrancy guard: it calls nothing but the Clearinghouse's
    /// `isOperator` view, and moves no tokens.
    function cancelOrder(uint256 orderId) external {
        (uint256 key, uint256 lw, uint256 ow, uint256 slotKey) = _locate(orderId);
        AccountId acct = AccountId.wrap(bytes32(ow & C.ACCOUNT_MASK));
        _auth(acct);
        uint256 lots = (ow >> 8) & C.M48;
        if (lw & C.M64 == lots) {
            // last order of its level: the general path resets the level and moves the best price
            Ctx memory c = _load(acct);
            _remove(c, orderId, key, lw, ow, slotKey, false);
            _flush(c);
            return;
        }
        _orders[slotKey] = ow & ~(C.M48 << 8);
        _levels[key] = _leave(lw, orderId & C.M32) - lots;
        _releaseOther(uint256(AccountId.unwrap(acct)), key >> 24, key & C.M24, lots);
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
        (,, uint256 ow,) = _locate(orderId);
        Ctx memory c = _load(AccountId.wrap(bytes32(ow & C.ACCOUNT_MASK)));
        _auth(c.account);
        _amend(c, orderId, newLots);
        _flush(c);
    }

    /// @inheritdoc IOrderBook
    function cancelAll(address owner, uint8 sub, uint256[] calldata orderIds) external nonReentrant {
        Ctx memory c = _load(_account(owner, sub));
        _auth(c.account);
        for (uint256 i; i < orderIds.length; ++i) {
            _cancel(c, orderIds[i], false);
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
        // an operator's price band, read at its first place op (`_checkOperatorPrice`); 0 for the owner
        uint256 band = _auth(c.account) ? 1 : 0;
        results = new uint256[](ops.length);
        for (uint256 i; i < ops.length; ++i) {
            uint256 op = ops[i];
            uint256 kind = op >> 254;
            if (kind == C.OP_PLACE) {
                if (band != 0) band = _checkOperatorPrice(c.account, op, band);
                (results[i],) = _placeOne(c, op);
            } else if (kind == C.OP_CANCEL) {
                _cancel(c, op & C.M112, false);
            } else if (kind == C.OP_AMEND) {
                _amend(c, op & C.M112, (op >> 112) & C.M48);
            } else {
                _cancelByClientId(c, (op >> 8) & C.M32);
            }
        }
        _flush(c);
    }

    /// @inheritdoc IOrderBook
    function purgeExpired(uint256[] calldata orderIds) external nonReentrant {
        for (uint256 i; i < orderIds.length; ++i) {
            (,, uint256 ow,) = _locate(orderIds[i]);
            uint256 expiry = (ow >> 64) & C.M32;
            require(expiry != 0 && expiry <= block.timestamp, NotExpired(orderIds[i], expiry));
            Ctx memory c = _load(AccountId.wrap(bytes32(ow & C.ACCOUNT_MASK)));
            _cancel(c, orderIds[i], true);
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
        if ((makerSide == 1 ? c.top >> 24 : c.top) & C.M24 == 0) return;
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
            _cancel(c, orderIds[i], false);
        }
        _storePocket(c);
        if (c.topLoaded) _top = c.top;
    }

    /// @inheritdoc IOrderBook
    function setPaused(bool paused) external onlyClearinghouse {
        uint256 top = _top & ~(C.M8 << 48);
        _top = paused ? top | (1 << 48) : top;
        emit PausedSet(paused);
    }

    /// @inheritdoc IOrderBook
    function setFees(int16 makerFeeBps, uint16 takerFeeBps) external onlyClearinghouse {
        _top = _withFees(_top, makerFeeBps, takerFeeBps);
        emit FeesSet(makerFeeBps, takerFeeBps);
    }

    function _withFees(uint256 top, int16 makerFeeBps, uint16 takerFeeBps) internal view returns (uint256) {
        require(
            takerFeeBps <= MAX_TAKER_FEE_BPS && makerFeeBps <= int256(MAX_MAKER_FEE_BPS)
                && makerFeeBps >= -int256(uint256(takerFeeBps)),
            FeeOutOfBounds(makerFeeBps, takerFeeBps)
        );
        top &= ~(uint256(type(uint32).max) << 56);
        return top | (uint256(uint16(makerFeeBps)) << 56) | (uint256(takerFeeBps) << 72);
    }

    /// @inheritdoc IOrderBook
    /// @dev Fees accrued in the book (tick units) move to the Clearinghouse reserve in quote atoms.
    function collectFees() external nonReentrant {
        uint256 top = _top;
        uint256 quoteAtoms = (top >> 128) * TICK_SIZE;
        _top = top & type(uint128).max;
        if (quoteAtoms != 0) CLEARINGHOUSE.creditReserve(INDEX, BASE, QUOTE, quoteAtoms);
        emit FeesCollected(quoteAtoms);
    }

    // ------------------------------------------------------------------ core

    function _placeOne(Ctx memory c, uint256 p) internal returns (uint256 orderId, uint256 filled) {
        uint256 lots = p & C.M48;
        uint256 tick = (p >> 48) & C.M24;
        uint256 side = (p >> 72) & 1;
        uint256 kind = (p >> 73) & 7;
        uint256 expiry = (p >> 94) & C.M32;
        require(lots != 0, ZeroSize());
        require(lots >= MIN_LOTS, BelowMinSize(lots, MIN_LOTS));
        require(tick != 0 && tick <= TickBitmap.MAX_TICK, TickOutOfRange(tick));
        require(kind <= C.MARKET, InvalidOrderType(kind));
        require(expiry == 0 || expiry > block.timestamp, Expired(expiry));
        require((p >> 76) & 3 <= C.STP_CANCEL_BOTH, InvalidOrderType((p >> 76) & 3));
        require((p >> 78) & C.M8 <= MAX_FILLS, TooManyFills((p >> 78) & C.M8, MAX_FILLS));
        _checkPlace(c, p, side, lots);

        _loadTop(c);
        require((c.top >> 48) & C.M8 == 0, MarketPaused());
        c.risky = true;
        uint256 bestOpp = side == 0 ? (c.top >> 24) & C.M24 : c.top & C.M24;
        bool crosses = bestOpp != 0 && (side == 0 ? bestOpp <= tick : bestOpp >= tick);
        if (!crosses) {
            require(kind != C.MARKET, WorstPriceExceeded(tick, bestOpp));
            require(kind != C.FOK, FokNotFilled(lots, 0));
            if (kind <= C.POST_ONLY) orderId = _rest(c, p, lots);
            return (orderId, 0);
        }
        require(kind != C.POST_ONLY, PostOnlyWouldCross(tick, bestOpp));

        Taker memory t = _newTaker(p, side, tick, lots);
        _match(c, t);
        filled = t.filled;
        require(kind != C.FOK || t.remaining == 0, FokNotFilled(lots, filled));
        if (filled != 0) _settleTaker(c, t, kind);
        // A GTC remainder rests, unless matching stopped early (fill or skip cap) with the book
        // still crossing it: resting then would leave a crossed book, so it is dropped like IOC.
        if (t.remaining != 0 && kind == C.GTC && !t.stopped) {
            bestOpp = side == 0 ? (c.top >> 24) & C.M24 : c.top & C.M24;
            if (bestOpp == 0 || (side == 0 ? bestOpp > tick : bestOpp < tick)) orderId = _rest(c, p, t.remaining);
        }
    }

    function _newTaker(uint256 p, uint256 side, uint256 tick, uint256 lots) internal pure returns (Taker memory t) {
        uint256 maxFills = (p >> 78) & C.M8; // validated in _placeOne
        if (maxFills == 0) maxFills = MAX_FILLS;
        t.side = side;
        t.limitTick = tick;
        t.remaining = lots;
        t.maxFills = maxFills;
        t.skipsLeft = MAX_SKIPS;
        t.stp = (p >> 76) & 3;
        // every fill takes at least one lot, so `lots` also bounds the log: smaller memory
        t.log = new uint256[](lots < maxFills ? lots : maxFills);
    }

    /// @dev Walks the opposite side from its best tick while it crosses `t.limitTick`.
    function _match(Ctx memory c, Taker memory t) internal {
        uint256 makerSide = t.side ^ 1;
        t.tick = makerSide == 1 ? (c.top >> 24) & C.M24 : c.top & C.M24;
        while (true) {
            uint256 key = (makerSide << 24) | t.tick;
            uint256 lw = _matchLevel(c, t, key, _levels[key]);
            if (lw & C.M64 != 0) {
                _levels[key] = lw;
                return;
            }
            // level emptied: reset it so its ring restarts at 0, and move the best price on
            _levels[key] = C.level(0, 0, 0, ((lw >> 128) & C.M32) + 1, 0);
            _bitmap.clear(makerSide, t.tick);
            uint256 tick;
            if (makerSide == 1) {
                tick = _bitmap.nextAbove(1, t.tick);
                c.top = (c.top & ~(C.M24 << 24)) | (tick << 24);
                if (tick == 0 || tick > t.limitTick) return;
            } else {
                tick = _bitmap.nextBelow(0, t.tick);
                c.top = (c.top & ~C.M24) | tick;
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
    function _leave(uint256 lw, uint256 pos) internal pure returns (uint256) {
        bool head = pos == (lw >> 64) & C.M32;
        if (pos + RING < (lw >> 96) & C.M32) {
            lw -= 1 << 160; // a straggler leaves
            return head ? _next(lw) : lw;
        }
        // the head is within a ring of the tail: one step on, no jump
        return head ? lw + (1 << 64) : lw;
    }

    /// @dev The level word with its head one position on; with no straggler left, nothing more
    /// than a ring behind the tail is live, so the head jumps there.
    function _next(uint256 lw) internal pure returns (uint256) {
        unchecked {
            uint256 head = ((lw >> 64) & C.M32) + 1; // ≤ tail < 2^32
            uint256 tail = (lw >> 96) & C.M32;
            if ((lw >> 160) & C.M8 == 0 && head + RING < tail) head = tail - RING;
            return (lw & ~(C.M32 << 64)) | (head << 64);
        }
    }

    /// @dev Fills from one level's queue head; returns the level word after it (total lots, head
    /// and straggler count updated; the caller writes it or resets an emptied level).
    function _matchLevel(Ctx memory c, Taker memory t, uint256 key, uint256 lw) internal returns (uint256) {
        uint256 idBase = C.orderId(INDEX, key >> 24, key & C.M24, (lw >> 128) & C.M32, 0);
        while (lw & C.M64 != 0 && !_stopped(t)) {
            uint256 head = (lw >> 64) & C.M32;
            uint256 slotKey = (key << 8) | (head & C.M8);
            uint256 ow = _orders[slotKey];
            uint256 olots = (ow >> 8) & C.M48;
            if (olots == 0 || ow & (C.LAP_MASK << C.LAP_SHIFT) != C.lapTag(head)) {
                // cancelled earlier, or the slot holds another lap's order: step over it
                lw = _next(lw);
                --t.skipsLeft;
                continue;
            }
            uint256 expiry = (ow >> 64) & C.M32;
            if (expiry != 0 && expiry <= block.timestamp) {
                _release(c, ow & C.ACCOUNT_MASK, key >> 24, t.tick, olots);
                t.skipsLeft = t.skipsLeft > EXPIRED_SKIPS ? t.skipsLeft - EXPIRED_SKIPS : 0;
                emit OrderExpired(idBase | head, olots);
                lw = _leave(lw, head) - olots;
                continue;
            }
            if (t.purge) {
                t.stopped = true;
                break;
            }
            if (ow & C.ACCOUNT_MASK == uint256(AccountId.unwrap(c.account))) {
                if (t.stp == C.STP_CANCEL_INCOMING) {
                    t.stopped = true;
                    break;
                }
                _release(c, ow & C.ACCOUNT_MASK, key >> 24, t.tick, olots);
                emit OrderCancelled(idBase | head, olots);
                lw = _leave(lw, head) - olots;
                if (t.stp == C.STP_CANCEL_BOTH) t.stopped = true;
                continue;
            }
            uint256 fillable = _makerFillable(ow, olots, key >> 24);
            if (fillable < olots) {
                // a reduce-only maker whose position no longer allows it all: the excess is cancelled
                uint256 cut = olots - fillable;
                _trimMaker(ow & C.ACCOUNT_MASK, key >> 24, t.tick, cut, fillable == 0);
                lw -= cut;
                if (fillable == 0) {
                    --t.skipsLeft;
                    emit OrderCancelled(idBase | head, olots);
                    lw = _leave(lw, head);
                    continue;
                }
                emit OrderAmended(idBase | head, fillable);
                ow -= cut << 8;
                olots = fillable;
            }
            uint256 f = olots < t.remaining ? olots : t.remaining;
            _fillMaker(c.top, t, ow & C.ACCOUNT_MASK, f, f == olots);
            t.log[t.fills++] = idBase | head | (f << 112);
            t.remaining -= f;
            t.filled += f;
            t.notional += f * t.tick;
            lw -= f;
            if (f != olots) _orders[slotKey] = ow - (f << 8);
            else if (head + RING < (lw >> 96) & C.M32) lw = _leave(lw, head);
            else lw += 1 << 64; // not a straggler, and the head cannot jump: one step on
        }
        return lw;
    }

    /// @dev Queues `lots` of order word `p` at its tick and commits them (`_lock`).
    function _rest(Ctx memory c, uint256 p, uint256 lots) internal returns (uint256 orderId) {
        require(c.openOrders < MAX_OPEN_ORDERS, TooManyOpenOrders(MAX_OPEN_ORDERS));
        uint256 tick = (p >> 48) & C.M24;
        uint256 side = (p >> 72) & 1;
        uint256 acct = uint256(AccountId.unwrap(c.account));
        uint256 flags = (p >> REDUCE_ONLY_BIT) & 1 != 0 ? SLOT_REDUCE_ONLY : 0;
        orderId = _enqueue(c, side, tick, acct | (lots << 8) | flags | (((p >> 94) & C.M32) << 64));
        _lock(c, side, tick, lots);
        ++c.openOrders;
        uint256 cid = (p >> 126) & C.M32;
        if (cid != 0) _clientIds[c.account][cid] = orderId;
        emit OrderPlaced(orderId, acct | (lots << 8) | (cid << 56));
    }

    /// @dev Ends a resting order's commitment (cancel, expiry, self-trade): the acting account's
    /// in its working copy, anyone else's in storage.
    function _release(Ctx memory c, uint256 owner, uint256 side, uint256 tick, uint256 lots) internal {
        if (owner == uint256(AccountId.unwrap(c.account))) {
            _unlock(c, side, tick, lots);
            --c.openOrders;
            return;
        }
        _releaseOther(owner, side, tick, lots);
    }

    /// @dev Appends an order slot at the level's tail; flags the tick and moves the best
    /// price when the level was empty.
    function _enqueue(Ctx memory c, uint256 side, uint256 tick, uint256 slot) internal returns (uint256) {
        uint256 key = (side << 24) | tick;
        uint256 lw = _levels[key];
        uint256 total = lw & C.M64;
        uint256 head = (lw >> 64) & C.M32;
        uint256 pos = (lw >> 96) & C.M32;
        uint256 strays = (lw >> 160) & C.M8;
        // below a full ring, slot `pos mod 256` last held position pos − 256 < head: free
        if (pos - head >= RING) (pos, strays) = _freeSlot(key, head, pos, strays);
        _orders[(key << 8) | (pos & C.M8)] = slot | C.lapTag(pos);
        uint256 epoch = (lw >> 128) & C.M32;
        _levels[key] = C.level(total + ((slot >> 8) & C.M48), head, pos + 1, epoch, strays);
        if (total == 0) {
            _bitmap.set(side, tick);
            uint256 top = c.top;
            if (side == 0) {
                if (tick > top & C.M24) c.top = (top & ~C.M24) | tick;
            } else {
                uint256 ask = (top >> 24) & C.M24;
                if (ask == 0 || tick < ask) c.top = (top & ~(C.M24 << 24)) | (tick << 24);
            }
        }
        return C.orderId(INDEX, side, tick, epoch, pos);
    }

    /// @dev The queue spans the whole ring: returns the first position from `pos` whose slot holds
    /// no live order (cancelled, filled or expired-and-removed), stepping over slots whose order is
    /// still live; those become stragglers the first time they are lapped. Reverts `LevelFull` when
    /// all 256 slots hold live orders or the queue would span more than `MAX_SPAN` positions.
    function _freeSlot(uint256 key, uint256 head, uint256 pos, uint256 strays)
        internal
        view
        returns (uint256, uint256)
    {
        for (uint256 n; n < RING; ++n) {
            require(pos + 1 - head <= MAX_SPAN, LevelFull(key & C.M24));
            uint256 ow = _orders[(key << 8) | (pos & C.M8)];
            // the slot's occupant: the latest position before `pos` on this slot with its lap tag
            // (pos ≥ head + 256, so the tail wrote or stepped over this slot in this epoch)
            uint256 lap = (pos >> 8) - 1;
            uint256 back = (lap + 128 - ((ow >> C.LAP_SHIFT) & C.LAP_MASK)) & C.LAP_MASK;
            if ((ow >> 8) & C.M48 == 0 || back > lap || (((lap - back) << 8) | (pos & C.M8)) < head) {
                return (pos, strays);
            }
            if (back == 0) ++strays; // lapped for the first time
            ++pos;
        }
        revert LevelFull(key & C.M24);
    }

    /// @dev Removes a live order of `c.account`; `expired` only changes the event emitted.
    function _cancel(Ctx memory c, uint256 orderId, bool expired) internal {
        (uint256 key, uint256 lw, uint256 ow, uint256 slotKey) = _locate(orderId);
        require(ow & C.ACCOUNT_MASK == uint256(AccountId.unwrap(c.account)), NotOrderOwner(orderId, c.account));
        _remove(c, orderId, key, lw, ow, slotKey, expired);
    }

    /// @dev Takes a located order off its level and returns its lock to the owner's pocket.
    function _remove(
        Ctx memory c,
        uint256 orderId,
        uint256 key,
        uint256 lw,
        uint256 ow,
        uint256 slotKey,
        bool expired
    ) internal {
        uint256 lots = (ow >> 8) & C.M48;
        // keep the owner bits: the slot stays non-zero so the next order there rewrites, not creates
        _orders[slotKey] = ow & ~(C.M48 << 8);
        uint256 total = (lw & C.M64) - lots;
        uint256 epoch = (lw >> 128) & C.M32;
        uint256 side = key >> 24;
        uint256 tick = key & C.M24;
        if (total == 0) {
            _levels[key] = C.level(0, 0, 0, epoch + 1, 0);
            _bitmap.clear(side, tick);
            _loadTop(c);
            if (side == 0) {
                if (c.top & C.M24 == tick) c.top = (c.top & ~C.M24) | _bitmap.nextBelow(0, tick);
            } else if ((c.top >> 24) & C.M24 == tick) {
                c.top = (c.top & ~(C.M24 << 24)) | (_bitmap.nextAbove(1, tick) << 24);
            }
        } else {
            _levels[key] = _leave(lw, orderId & C.M32) - lots;
        }
        _release(c, ow & C.ACCOUNT_MASK, side, tick, lots);
        if (expired) emit OrderExpired(orderId, lots);
        else emit OrderCancelled(orderId, lots);
    }

    function _cancelByClientId(Ctx memory c, uint256 cid) internal {
        uint256 orderId = _clientIds[c.account][cid];
        (,, uint256 ow,) = _find(orderId);
        require(
            cid != 0 && ow != 0 && ow & C.ACCOUNT_MASK == uint256(AccountId.unwrap(c.account)),
            ClientOrderNotFound(c.account, cid)
        );
        _cancel(c, orderId, false);
    }

    function _amend(Ctx memory c, uint256 orderId, uint256 newLots) internal {
        (uint256 key, uint256 lw, uint256 ow, uint256 slotKey) = _locate(orderId);
        require(ow & C.ACCOUNT_MASK == uint256(AccountId.unwrap(c.account)), NotOrderOwner(orderId, c.account));
        uint256 lots = (ow >> 8) & C.M48;
        require(newLots != 0 && newLots < lots && newLots >= MIN_LOTS, InvalidAmend(orderId, lots, newLots));
        uint256 cut = lots - newLots;
        _orders[slotKey] = ow - (cut << 8);
        _levels[key] = lw - cut; // total lots is the low field and stays > 0
        _unlock(c, key >> 24, key & C.M24, cut);
        emit OrderAmended(orderId, newLots);
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
    /// executed price, and a resting remainder rests within the band. `band` is the band as packed
    /// by an earlier call (1 << 255 | maxTick << 128 | minTick), or 0 / 1 to fetch it (and the
    /// operator's approval) from the Clearinghouse; returns it packed. A tick out of the book's
    /// range is left to `_placeOne` to refuse (TickOutOfRange).
    function _checkOperatorPrice(AccountId acct, uint256 p, uint256 band) internal view returns (uint256) {
        if (band >> 255 == 0) {
            (bool approved, uint256 lo, uint256 hi) =
                CLEARINGHOUSE.operatorTickBand(acct, msg.sender, BASE, QUOTE, LOT_SIZE, TICK_SIZE);
            require(approved, NotAuthorized(msg.sender, acct));
            // ticks stop at MAX_TICK: capping both edges above it changes no outcome
            uint256 cap = TickBitmap.MAX_TICK + 1;
            band = (1 << 255) | ((hi < cap ? hi : cap) << 128) | (lo < cap ? lo : cap);
        }
        uint256 tick = (p >> 48) & C.M24;
        if (tick == 0 || tick > TickBitmap.MAX_TICK) return band;
        uint256 minTick = band & C.M64;
        uint256 maxTick = (band >> 128) & C.M64;
        require(
            (p >> 72) & 1 == 0 ? tick <= maxTick : tick >= minTick, OperatorPriceOutOfBand(tick, minTick, maxTick)
        );
        return band;
    }

    function _account(address owner, uint8 sub) internal pure returns (AccountId) {
        return AccountId.wrap(bytes32((uint256(uint160(owner)) << 96) | sub));
    }

    /// @dev Finds a live order; all zero if the id does not name one.
    function _find(uint256 orderId) internal view returns (uint256 key, uint256 lw, uint256 ow, uint256 slotKey) {
        if (orderId >> 96 != INDEX || (orderId >> 89) & 0x7f != 0) return (0, 0, 0, 0);
        key = (orderId >> 64) & ((1 << 25) - 1);
        lw = _levels[key];
        uint256 pos = orderId & C.M32;
        if (
            (orderId >> 32) & C.M32 != (lw >> 128) & C.M32 || pos < (lw >> 64) & C.M32
                || pos >= (lw >> 96) & C.M32 || lw & C.M64 == 0
        ) return (0, 0, 0, 0);
        slotKey = (key << 8) | (pos & C.M8);
        ow = _orders[slotKey];
        // cancelled, or the slot holds another lap's order
        if ((ow >> 8) & C.M48 == 0 || ow & (C.LAP_MASK << C.LAP_SHIFT) != C.lapTag(pos)) return (0, 0, 0, 0);
    }

    function _locate(uint256 orderId) internal view returns (uint256 key, uint256 lw, uint256 ow, uint256 slotKey) {
        (key, lw, ow, slotKey) = _find(orderId);
        require(ow != 0, OrderNotFound(orderId));
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IOrderBook
    function bestBidAsk() external view returns (uint256 bestBid, uint256 bestAsk) {
        uint256 top = _top;
        return (top & C.M24, (top >> 24) & C.M24);
    }

    /// @inheritdoc IOrderBook
    function getBook(uint256 depth)
        external
        view
        returns (uint256[] memory bidTicks, uint256[] memory bidLots, uint256[] memory askTicks, uint256[] memory askLots)
    {
        (bidTicks, bidLots) = _side(0, _top & C.M24, depth);
        (askTicks, askLots) = _side(1, (_top >> 24) & C.M24, depth);
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
            lots[n++] = _levels[(side << 24) | tick] & C.M64;
            tick = side == 0 ? _bitmap.nextBelow(0, tick) : _bitmap.nextAbove(1, tick);
        }
        assembly ("memory-safe") {
            mstore(ticks, n)
            mstore(lots, n)
        }
    }

    /// @inheritdoc IOrderBook
    function getOrder(uint256 orderId) external view returns (AccountId account, uint256 lots, uint256 expiry) {
        (,, uint256 ow,) = _find(orderId);
        return (AccountId.wrap(bytes32(ow & C.ACCOUNT_MASK)), (ow >> 8) & C.M48, (ow >> 64) & C.M32);
    }

    /// @inheritdoc IOrderBook
    function openOrders(address owner, uint8 sub) external view returns (uint256[] memory ids) {
        uint256 acct = uint256(AccountId.unwrap(_account(owner, sub)));
        uint256 want = _openCount(AccountId.wrap(bytes32(acct)));
        ids = new uint256[](want);
        uint256 n;
        for (uint256 side; side < 2 && n < want; ++side) {
            uint256 tick = side == 0 ? _top & C.M24 : (_top >> 24) & C.M24;
            while (tick != 0 && n < want) {
                uint256 key = (side << 24) | tick;
                uint256 lw = _levels[key];
                for (uint256 pos = (lw >> 64) & C.M32; pos < (lw >> 96) & C.M32; ++pos) {
                    uint256 ow = _orders[(key << 8) | (pos & C.M8)];
                    if (
                        ow & C.ACCOUNT_MASK == acct && (ow >> 8) & C.M48 != 0
                            && ow & (C.LAP_MASK << C.LAP_SHIFT) == C.lapTag(pos)
                    ) {
                        ids[n++] = C.orderId(INDEX, side, tick, (lw >> 128) & C.M32, pos);
                    }
                }
                tick = side == 0 ? _bitmap.nextBelow(0, tick) : _bitmap.nextAbove(1, tick);
            }
        }
    }

    /// @inheritdoc IOrderBook
    function marketState()
        external
        view
        returns (int256 makerFeeBps, uint256 takerFeeBps, bool paused, uint256 feesAccrued)
    {
        uint256 top = _top;
        return (int16(uint16(top >> 56)), uint16(top >> 72), (top >> 48) & C.M8 != 0, (top >> 128) * TICK_SIZE);
    }

    /// @inheritdoc IOrderBook
    function levelOf(uint256 side, uint256 tick)
        external
        view
        returns (uint256 totalLots, uint256 head, uint256 tail, uint256 epoch)
    {
        uint256 lw = _levels[(side << 24) | tick];
        return (lw & C.M64, (lw >> 64) & C.M32, (lw >> 96) & C.M32, (lw >> 128) & C.M32);
    }

    /// @dev Emits one taker order's `Trade` with its fill log trimmed to the fills made.
    function _emitTrade(Ctx memory c, Taker memory t, uint256 kind, uint256 takerFee) internal {
        uint256[] memory log = t.log;
        uint256 n = t.fills;
        assembly ("memory-safe") {
            mstore(log, n)
        }
        emit Trade(
            uint256(AccountId.unwrap(c.account)) | (t.side << 8) | (kind << 9),
            t.filled | (t.notional << 48) | (takerFee << 160),
            log
        );
    }

    // ------------------------------------------------------------------ market-kind hooks

    /// @dev Validates what only this market kind knows about an order (e.g. reduce-only).
    function _checkPlace(Ctx memory c, uint256 p, uint256 side, uint256 lots) internal view virtual;

    /// @dev Commits `lots` resting at `tick` on `side` for the acting account.
    function _lock(Ctx memory c, uint256 side, uint256 tick, uint256 lots) internal virtual;

    /// @dev Returns `lots` of the acting account's commitment (its open-order count unchanged).
    function _unlock(Ctx memory c, uint256 side, uint256 tick, uint256 lots) internal virtual;

    /// @dev Ends `lots` of another account's order in storage (one fewer open order).
    function _releaseOther(uint256 owner, uint256 side, uint256 tick, uint256 lots) internal virtual;

    /// @dev After `cancelOrder`'s lean path (no working copy, no `_flush`): a market that derives
    /// state from the book's depth (the perp premium) refreshes it here; spot does nothing.
    function _afterLeanCancel() internal virtual {}

    /// @dev Lots of a maker order that may fill now (reduce-only orders follow the live position).
    function _makerFillable(uint256 ow, uint256 olots, uint256 makerSide) internal view virtual returns (uint256);

    /// @dev Cancels `lots` of a maker order that may no longer fill (`ends`: the whole order).
    function _trimMaker(uint256 owner, uint256 side, uint256 tick, uint256 lots, bool ends) internal virtual;

    /// @dev Books one maker fill of `f` lots at `t.tick` (one pocket write per maker).
    function _fillMaker(uint256 top, Taker memory t, uint256 maker, uint256 f, bool done) internal virtual;

    /// @dev Books the taker's side of all its fills and emits `Trade`.
    function _settleTaker(Ctx memory c, Taker memory t, uint256 kind) internal virtual;

    function _load(AccountId acct) internal view virtual returns (Ctx memory c);

    /// @dev Writes the working copy back and settles with the Clearinghouse (its only external call).
    function _flush(Ctx memory c) internal virtual;

    /// @dev Writes only the account's pocket (liquidation cancels).
    function _storePocket(Ctx memory c) internal virtual;

    function _openCount(AccountId acct) internal view virtual returns (uint256);
}
