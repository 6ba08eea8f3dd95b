// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IOrderBook, BookParams} from "../interfaces/IOrderBook.sol";
import {IClearinghouse} from "../interfaces/IClearinghouse.sol";
import {AccountId, AccountIdLib} from "../types/AccountId.sol";
import {TickBitmap} from "../libraries/TickBitmap.sol";
import {OrderWord} from "../types/OrderWord.sol";
import {OrderId} from "../types/OrderId.sol";
import {OrderSlot} from "../types/OrderSlot.sol";
import {LevelKey, LevelWord} from "../types/LevelWord.sol";
import {TopWord} from "../types/TopWord.sol";
import {BookConfig, BookConfigLib} from "../types/BookConfig.sol";
import {OperatorBand, OperatorBandLib} from "../types/OperatorBand.sol";
import {Ctx, Taker} from "./BookCtx.sol";
import {BookLib} from "./BookLib.sol";

/// @title OrderBook: one market's holder of the book both market kinds share
/// @notice The book's logic and storage layout are `BookLib`'s; this contract holds its `State`,
/// the market's constants (immutables; the library reads them as one `BookConfig` word), the
/// reentrancy lock, the entry points and the checks that call the Clearinghouse (who may act for
/// an account). What a resting order commits and what a fill moves differ by market kind: those
/// parts are the virtual hooks at the end, handed to the library as `BookLib.Hooks`.
abstract contract OrderBook is IOrderBook, ReentrancyGuardTransient {
    uint256 public constant MAX_OPEN_ORDERS = BookLib.MAX_OPEN_ORDERS;
    uint256 public constant MAX_FILLS = BookLib.MAX_FILLS;
    /// @notice Skip units one taker order may spend on queue entries it cannot fill: stepping over a
    /// cancelled or dead entry costs 1, removing an expired order costs `EXPIRED_SKIPS`.
    uint256 public constant MAX_SKIPS = BookLib.MAX_SKIPS;
    /// @notice Skip units one expired order's removal costs (it writes its owner's pocket and logs),
    /// so a taker removes at most 8 expired orders; `purgeTop` clears the rest.
    uint256 public constant EXPIRED_SKIPS = BookLib.EXPIRED_SKIPS;
    uint256 public constant MAX_TAKER_FEE_BPS = BookLib.MAX_TAKER_FEE_BPS;

    IClearinghouse public immutable CLEARINGHOUSE;
    uint256 public immutable INDEX;
    /// @notice Spot: the base token. Perp: the underlying asset (oracle price, netting with spot).
    address public immutable BASE;
    address public immutable QUOTE;
    uint256 public immutable LOT_SIZE;
    uint256 public immutable TICK_SIZE;
    uint256 public immutable MIN_LOTS;
    uint256 public immutable MAX_MAKER_FEE_BPS;
    /// @dev What the book reads of the above, in one word (`BookConfig`): a constant, so handing it
    /// to the library costs a push.
    BookConfig internal immutable CONFIG;

    /// @dev The book (slots 0-4: top word, levels, order rings, bitmap, client ids).
    BookLib.State internal _book;

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
        // safe because the deployers fill `p` from typed parameters: index ≤ 64 (the market cap),
        // min lots a uint64 (perp) or < 2^48 (spot, checked at listing), tick size a uint128 (both)
        CONFIG = BookConfigLib.pack(uint16(p.index), uint64(p.minLots), p.maxMakerFeeBps, uint128(p.tickSize));
        _book.top = BookLib.withFees(TopWord.wrap(0), p.maxMakerFeeBps, p.makerFeeBps, p.takerFeeBps);
    }

    // ------------------------------------------------------------------ trading

    /// @inheritdoc IOrderBook
    function placeOrder(uint256 order) external nonReentrant returns (uint256 orderId, uint256 filledLots) {
        OrderWord p = OrderWord.wrap(order);
        Ctx memory c = _load(_account(msg.sender, p.sub()));
        (orderId, filledLots) = BookLib.placeOne(_book, _config(), _hooks(), c, p);
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
        (orderId, filledLots) = BookLib.placeOne(_book, _config(), _hooks(), c, p);
        _flush(c);
    }

    /// @inheritdoc IOrderBook
    /// @dev The hot path of a market maker, kept lean: three slots (order, level, pocket word), no
    /// working copy. No reentrancy guard: it calls nothing but the Clearinghouse's
    /// `isOperator` view, and moves no tokens.
    function cancelOrder(uint256 orderId) external {
        OrderId id = OrderId.wrap(orderId);
        (LevelKey key, LevelWord lw, OrderSlot ow, uint256 slotKey) = BookLib.locate(_book, INDEX, id);
        AccountId acct = ow.account();
        _auth(acct);
        if (BookLib.isLastOfLevel(lw, ow)) {
            // last order of its level: the general path resets the level and moves the best price
            Ctx memory c = _load(acct);
            BookLib.remove(_book, _hooks(), c, id, key, lw, ow, slotKey, false);
            _flush(c);
            return;
        }
        uint256 lots = ow.lots();
        BookLib.cancelLean(_book, id, key, lw, ow, slotKey);
        _releaseOther(acct, key.side(), key.tick(), lots);
        _afterLeanCancel();
        emit OrderCancelled(orderId, lots);
    }

    /// @inheritdoc IOrderBook
    function cancelOrderByClientId(address owner, uint8 sub, uint256 clientOrderId) external nonReentrant {
        Ctx memory c = _load(_account(owner, sub));
        _auth(c.account);
        BookLib.cancelByClientId(_book, _config(), _hooks(), c, clientOrderId);
        _flush(c);
    }

    /// @inheritdoc IOrderBook
    function amendOrder(uint256 orderId, uint256 newLots) external nonReentrant {
        OrderId id = OrderId.wrap(orderId);
        (,, OrderSlot ow,) = BookLib.locate(_book, INDEX, id);
        Ctx memory c = _load(ow.account());
        _auth(c.account);
        BookLib.amend(_book, _config(), _hooks(), c, id, newLots);
        _flush(c);
    }

    /// @inheritdoc IOrderBook
    function cancelAll(address owner, uint8 sub, uint256[] calldata orderIds) external nonReentrant {
        Ctx memory c = _load(_account(owner, sub));
        _auth(c.account);
        BookLib.cancelAll(_book, _config(), _hooks(), c, orderIds);
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
        results = BookLib.batch(_book, _config(), _hooks(), c, ops, operator, _checkOperatorPrice);
        _flush(c);
    }

    /// @inheritdoc IOrderBook
    function purgeExpired(uint256[] calldata orderIds) external nonReentrant {
        BookLib.purgeExpired(_book, _config(), _hooks(), orderIds, _load, _flush);
    }

    /// @inheritdoc IOrderBook
    /// @dev Allowed while the market is paused (`BookLib.purgeTop`).
    function purgeTop(uint256 side, uint256 maxOrders) external nonReentrant {
        BookLib.purgeTop(_book, _config(), _hooks(), side, maxOrders);
    }

    /// @inheritdoc IOrderBook
    function cancelForLiquidation(address owner, uint8 sub, uint256[] calldata orderIds) external nonReentrant {
        Ctx memory c = _load(_account(owner, sub));
        require(CLEARINGHOUSE.isLiquidatable(c.account), AccountNotLiquidatable(c.account));
        BookLib.cancelForLiquidation(_book, _config(), _hooks(), c, orderIds, _storePocket);
    }

    /// @inheritdoc IOrderBook
    function setPaused(bool paused) external onlyClearinghouse {
        BookLib.setPaused(_book, paused);
        emit PausedSet(paused);
    }

    /// @inheritdoc IOrderBook
    function setFees(int16 makerFeeBps, uint16 takerFeeBps) external onlyClearinghouse {
        BookLib.setFees(_book, _config(), makerFeeBps, takerFeeBps);
        emit FeesSet(makerFeeBps, takerFeeBps);
    }

    /// @inheritdoc IOrderBook
    /// @dev Fees accrued in the book (tick units) move to the Clearinghouse reserve in quote atoms.
    function collectFees() external nonReentrant {
        uint256 quoteAtoms = BookLib.takeFees(_book) * TICK_SIZE;
        if (quoteAtoms != 0) CLEARINGHOUSE.creditReserve(INDEX, BASE, QUOTE, quoteAtoms);
        emit FeesCollected(quoteAtoms);
    }

    // ------------------------------------------------------------------ what the library is handed

    /// @dev The market's constants for the library, packed once (in the core: one word per market id).
    function _config() internal view returns (BookConfig) {
        return CONFIG;
    }

    /// @dev This market kind's hooks for the book's logic (in the core: the kind's library
    /// functions, chosen by the market's kind). The other hooks (`_load`, `_flush`,
    /// `_storePocket`, `_openCount`, `_afterLeanCancel`) run here around the book's work, or reach
    /// the few library functions that loop over accounts as arguments (`purgeExpired`,
    /// `cancelForLiquidation`), as does the operator band check (`batch`).
    function _hooks() internal pure returns (BookLib.Hooks memory h) {
        h.checkPlace = _checkPlace;
        h.lock = _lock;
        h.unlock = _unlock;
        h.releaseOther = _releaseOther;
        h.makerFillable = _makerFillable;
        h.trimMaker = _trimMaker;
        h.fillMaker = _fillMaker;
        h.settleTaker = _settleTaker;
    }

    // ------------------------------------------------------------------ checks that call the Clearinghouse

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
    /// Clearinghouse; returns it loaded. A tick out of the book's range is left to
    /// `BookLib.placeOne` to refuse (TickOutOfRange).
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

    /// @dev Emits one taker order's `Trade` (a market kind's `_settleTaker` calls it).
    function _emitTrade(Ctx memory c, Taker memory t, uint256 kind, uint256 takerFee) internal {
        BookLib.emitTrade(c, t, kind, takerFee);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IOrderBook
    function bestBidAsk() external view returns (uint256 bestBid, uint256 bestAsk) {
        return BookLib.bestBidAsk(_book);
    }

    /// @inheritdoc IOrderBook
    function getBook(uint256 depth)
        external
        view
        returns (uint256[] memory bidTicks, uint256[] memory bidLots, uint256[] memory askTicks, uint256[] memory askLots)
    {
        return BookLib.getBook(_book, depth);
    }

    /// @inheritdoc IOrderBook
    function getOrder(uint256 orderId) external view returns (AccountId account, uint256 lots, uint256 expiry) {
        return BookLib.getOrder(_book, INDEX, orderId);
    }

    /// @inheritdoc IOrderBook
    function openOrders(address owner, uint8 sub, uint256 cursor, uint256 limit)
        external
        view
        returns (uint256[] memory ids, uint256 nextCursor)
    {
        AccountId account = _account(owner, sub);
        return BookLib.openOrders(_book, INDEX, account, _openCount(account), cursor, limit);
    }

    /// @inheritdoc IOrderBook
    function marketState()
        external
        view
        returns (int256 makerFeeBps, uint256 takerFeeBps, bool paused, uint256 feesAccrued)
    {
        return BookLib.marketState(_book, _config());
    }

    /// @inheritdoc IOrderBook
    function levelOf(uint256 side, uint256 tick)
        external
        view
        returns (uint256 totalLots, uint256 head, uint256 tail, uint256 epoch)
    {
        return BookLib.levelOf(_book, side, tick);
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
