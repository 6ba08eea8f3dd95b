// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IMarkets, MarketInfo} from "./interfaces/IMarkets.sol";
import {IClearinghouse, SpotMarketParams} from "./interfaces/IClearinghouse.sol";
import {BookConfigLib} from "./types/BookConfig.sol";
import {AccountId, AccountIdLib} from "./types/AccountId.sol";
import {BookConfig} from "./types/BookConfig.sol";
import {OrderFields, OrderWord} from "./types/OrderWord.sol";
import {OrderId} from "./types/OrderId.sol";
import {OrderSlot} from "./types/OrderSlot.sol";
import {LevelKey, LevelWord} from "./types/LevelWord.sol";
import {OperatorBand, OperatorBandLib} from "./types/OperatorBand.sol";
import {TopWord} from "./types/TopWord.sol";
import {TickBitmap} from "./libraries/TickBitmap.sol";
import {Ctx} from "./book/BookCtx.sol";
import {BookLib} from "./book/BookLib.sol";
import {SpotLib} from "./book/SpotLib.sol";
import {Market, MarketLib} from "./core/Market.sol";
import {ClearinghouseVault} from "./ClearinghouseVault.sol";

/// @title ClearinghouseMarkets: every order book inside the core, addressed by market id
/// @notice The entry points of `IMarkets` for both kinds, and the spot kind's settlement. Each
/// call takes the one lock, loads the market's first word (`BookConfig`: what the book reads, with
/// the kind), has `BookLib` do the book's work over `_markets[marketId]` (the kind's parts through
/// `MarketLib`), then writes the account's pocket back and settles it against the vault in the
/// same contract: no call leaves the core but the perp funding's oracle reads.
abstract contract ClearinghouseMarkets is ClearinghouseVault {
    using MarketLib for Market;

    uint256 public constant MAX_OPEN_ORDERS = BookLib.MAX_OPEN_ORDERS;
    uint256 public constant MAX_FILLS = BookLib.MAX_FILLS;
    /// @notice Skip units one taker order may spend on queue entries it cannot fill: stepping over a
    /// cancelled or dead entry costs 1, removing an expired order costs `EXPIRED_SKIPS`.
    uint256 public constant MAX_SKIPS = BookLib.MAX_SKIPS;
    /// @notice Skip units one expired order's removal costs (it writes its owner's pocket and logs),
    /// so a taker removes at most 8 expired orders; `purgeTop` clears the rest.
    uint256 public constant EXPIRED_SKIPS = BookLib.EXPIRED_SKIPS;
    uint256 public constant MAX_TAKER_FEE_BPS = BookLib.MAX_TAKER_FEE_BPS;

    // ------------------------------------------------------------------ trading

    /// @inheritdoc IMarkets
    function placeOrder(uint256 marketId, uint256 order)
        external
        nonReentrant
        returns (uint256 orderId, uint256 filledLots)
    {
        (Market storage m, BookConfig cfg) = _market(marketId);
        OrderWord p = OrderWord.wrap(order);
        Ctx memory c = m.load(cfg, AccountIdLib.from(msg.sender, p.sub()));
        (orderId, filledLots) = BookLib.placeLone(m.book, cfg, m, c, p);
        _flush(m, cfg, c);
    }

    /// @inheritdoc IMarkets
    function placeOrderFor(uint256 marketId, address owner, uint256 order)
        external
        nonReentrant
        returns (uint256 orderId, uint256 filledLots)
    {
        return _placeFor(marketId, owner, OrderWord.wrap(order));
    }

    /// @dev `placeOrderFor` and `placeOrderFields`: one call site of the book's placement.
    function _placeFor(uint256 marketId, address owner, OrderWord p) internal returns (uint256 orderId, uint256 filledLots) {
        (Market storage m, BookConfig cfg) = _market(marketId);
        Ctx memory c = m.load(cfg, AccountIdLib.from(owner, p.sub()));
        // an operator: authorised and bounded to the owner's price band
        if (owner != msg.sender) _checkOperatorPrice(m, c.account, p, OperatorBand.wrap(0));
        (orderId, filledLots) = BookLib.placeLone(m.book, cfg, m, c, p);
        _flush(m, cfg, c);
    }

    /// @inheritdoc IMarkets
    /// @dev Its selector sorts after `placeOrder`, `batch` and `cancelOrder`: their dispatch is unchanged.
    function placeOrderFields(uint256 marketId, address owner, OrderFields calldata order)
        external
        nonReentrant
        returns (uint256 orderId, uint256 filledLots)
    {
        return _placeFor(marketId, owner, BookLib.packFields(order));
    }

    /// @inheritdoc IMarkets
    /// @dev The hot path of a market maker, kept lean when the order is not its level's last: three
    /// slots (order, level, pocket word), no working copy.
    function cancelOrder(uint256 marketId, uint256 orderId) external nonReentrant {
        (Market storage m, BookConfig cfg) = _market(marketId);
        OrderId id = OrderId.wrap(orderId);
        (LevelKey key, LevelWord lw, OrderSlot ow, uint256 slotKey) = BookLib.locate(m.book, cfg.index(), id);
        AccountId acct = ow.account();
        _auth(acct);
        if (BookLib.isLastOfLevel(lw, ow)) {
            // last order of its level: the general path resets the level and moves the best price
            Ctx memory c = m.load(cfg, acct);
            BookLib.remove(m.book, m, cfg, c, id, key, lw, ow, slotKey, false);
            _flush(m, cfg, c);
            return;
        }
        uint256 lots = ow.lots();
        BookLib.cancelLean(m.book, id, key, lw, ow, slotKey);
        m.releaseOther(cfg, acct, key.side(), key.tick(), lots);
        // a perp book's premium counted these lots: re-sample (no working copy to flush)
        if (cfg.isPerp() && MarketLib.takeDepthRemoved()) _updateFunding(m, m.book.top);
        emit OrderCancelled(marketId, orderId, lots);
    }

    /// @inheritdoc IMarkets
    function cancelOrderByClientId(uint256 marketId, address owner, uint8 sub, uint256 clientOrderId)
        external
        nonReentrant
    {
        (Market storage m, BookConfig cfg) = _market(marketId);
        Ctx memory c = m.load(cfg, AccountIdLib.from(owner, sub));
        _auth(c.account);
        BookLib.cancelByClientId(m.book, cfg, m, c, clientOrderId);
        _flush(m, cfg, c);
    }

    /// @inheritdoc IMarkets
    function amendOrder(uint256 marketId, uint256 orderId, uint256 newLots) external nonReentrant {
        (Market storage m, BookConfig cfg) = _market(marketId);
        OrderId id = OrderId.wrap(orderId);
        (,, OrderSlot ow,) = BookLib.locate(m.book, cfg.index(), id);
        Ctx memory c = m.load(cfg, ow.account());
        _auth(c.account);
        BookLib.amend(m.book, cfg, m, c, id, newLots);
        _flush(m, cfg, c);
    }

    /// @inheritdoc IMarkets
    function cancelAll(uint256 marketId, address owner, uint8 sub, uint256[] calldata orderIds) external nonReentrant {
        (Market storage m, BookConfig cfg) = _market(marketId);
        Ctx memory c = m.load(cfg, AccountIdLib.from(owner, sub));
        _auth(c.account);
        BookLib.cancelAll(m.book, cfg, m, c, orderIds);
        _flush(m, cfg, c);
    }

    /// @inheritdoc IMarkets
    function batch(uint256 marketId, address owner, uint8 sub, uint256[] calldata ops)
        external
        nonReentrant
        returns (uint256[] memory results)
    {
        (Market storage m, BookConfig cfg) = _market(marketId);
        Ctx memory c = m.load(cfg, AccountIdLib.from(owner == address(0) ? msg.sender : owner, sub));
        // an operator's price band is read at its first place op (`_checkOperatorPrice`)
        bool operator = _auth(c.account);
        results = BookLib.batch(m.book, cfg, m, c, ops, operator, _checkOperatorPrice);
        _flush(m, cfg, c);
        emit BatchExecuted(marketId, c.account, results);
    }

    /// @inheritdoc IMarkets
    function purgeExpired(uint256 marketId, uint256[] calldata orderIds) external nonReentrant {
        (Market storage m, BookConfig cfg) = _market(marketId);
        BookLib.purgeExpired(m.book, cfg, m, orderIds, _flush);
    }

    /// @inheritdoc IMarkets
    /// @dev Allowed while the market is paused (`BookLib.purgeTop`).
    function purgeTop(uint256 marketId, uint256 side, uint256 maxOrders) external nonReentrant {
        (Market storage m, BookConfig cfg) = _market(marketId);
        BookLib.purgeTop(m.book, cfg, m, side, maxOrders);
        // expired makers' lots left the book: a perp premium that counted them re-samples
        if (cfg.isPerp() && MarketLib.takeDepthRemoved()) _updateFunding(m, m.book.top);
    }

    /// @inheritdoc IMarkets
    function cancelForLiquidation(uint256 marketId, address owner, uint8 sub, uint256[] calldata orderIds)
        external
        nonReentrant
    {
        (Market storage m, BookConfig cfg) = _market(marketId);
        AccountId acct = AccountIdLib.from(owner, sub);
        require(_isLiquidatable(acct), AccountNotLiquidatable(acct));
        _cancelForLiquidation(m, cfg, acct, orderIds);
    }

    /// @inheritdoc IMarkets
    /// @dev One valuation, then one working copy per run of ids on the same market: `[i, j)` is the
    /// run that starts at `i`. A market named again after another one loads the pocket its first
    /// run wrote, so the result is that of one single-market call per run.
    function cancelAllForLiquidation(address owner, uint8 sub, uint256[] calldata orderIds) external nonReentrant {
        AccountId acct = AccountIdLib.from(owner, sub);
        require(_isLiquidatable(acct), AccountNotLiquidatable(acct));
        uint256 n = orderIds.length;
        for (uint256 i; i < n;) {
            uint256 marketId = OrderId.wrap(orderIds[i]).market();
            uint256 j = i + 1;
            while (j < n && OrderId.wrap(orderIds[j]).market() == marketId) ++j;
            (Market storage m, BookConfig cfg) = _market(marketId);
            _cancelForLiquidation(m, cfg, acct, orderIds[i:j]);
            i = j;
        }
    }

    /// @inheritdoc IMarkets
    /// @dev Fees accrued in the book (tick units) move to the reserve in quote atoms.
    function collectFees(uint256 marketId) external nonReentrant {
        (Market storage m, BookConfig cfg) = _market(marketId);
        uint256 quoteAtoms = BookLib.takeFees(m.book) * cfg.tickSize();
        if (quoteAtoms != 0) _creditReserve(m.quote, quoteAtoms);
        emit FeesCollected(marketId, quoteAtoms);
    }

    /// @inheritdoc IMarkets
    function sweep(uint256 marketId, address owner, uint8 sub) external nonReentrant {
        (Market storage m, BookConfig cfg) = _market(marketId);
        require(!cfg.isPerp(), WrongMarketKind(marketId));
        Ctx memory c = m.load(cfg, AccountIdLib.from(owner, sub));
        (uint256 baseAtoms, uint256 quoteAtoms) = SpotLib.takeUnswept(c, m.lotSize, cfg.tickSize());
        _flushSpot(m, cfg, c);
        if (baseAtoms | quoteAtoms != 0) {
            // both products are < 2^72 * 2^128, far inside int256
            _settle(marketId, m.base, m.quote, c.account, int256(baseAtoms), int256(quoteAtoms), 0);
        }
        emit Swept(marketId, c.account, baseAtoms, quoteAtoms);
    }

    // ------------------------------------------------------------------ governance

    /// @inheritdoc IClearinghouse
    function createSpotMarket(SpotMarketParams calldata p) external restricted returns (uint256 marketId) {
        require(_assets[p.base].id != 0, AssetNotListed(p.base));
        require(_assets[p.quote].id != 0, AssetNotListed(p.quote));
        require(
            p.base != p.quote && p.lotSize != 0 && p.lotSize < (1 << 96) && p.tickSize != 0 && p.minLots != 0
                && p.minLots < (1 << 48) && p.maxMakerFeeBps <= 100,
            InvalidMarketParams()
        );
        marketId = _nextMarketId();
        _initBook(
            _markets[marketId], marketId, p.base, p.quote, p.lotSize, p.tickSize, p.minLots, p.makerFeeBps,
            p.takerFeeBps, p.maxMakerFeeBps, false
        );
        emit SpotMarketCreated(marketId, p);
    }

    /// @dev The id the next market gets (ids start at 1, so an order id is never 0); at most 64
    /// markets, one bit each in an account's market mask.
    function _nextMarketId() internal returns (uint256 marketId) {
        marketId = _marketCount + 1;
        require(marketId <= 64, CapacityReached());
        _marketCount = marketId;
    }

    /// @dev A new market's constants and empty book with its fees (`FeeOutOfBounds`).
    function _initBook(
        Market storage m,
        uint256 marketId,
        address base,
        address quote,
        uint256 lotSize,
        uint256 tickSize,
        uint256 minLots,
        int16 makerFeeBps,
        uint16 takerFeeBps,
        uint16 maxMakerFeeBps,
        bool perp
    ) internal {
        // safe casts: the callers bound the market id to 64, the lot size below 2^96, the minimum
        // size below 2^48, and the tick size is a uint128 parameter
        m.config = BookConfigLib.pack(uint16(marketId), uint64(minLots), maxMakerFeeBps, uint128(tickSize), perp);
        (m.base, m.lotSize, m.quote) = (base, uint96(lotSize), quote);
        m.book.top = BookLib.withFees(TopWord.wrap(0), maxMakerFeeBps, makerFeeBps, takerFeeBps);
    }

    /// @inheritdoc IClearinghouse
    function pause(uint256 marketId) external restricted {
        if (marketId == 0) _setAllPaused(true);
        else _setPaused(marketId, true);
    }

    /// @inheritdoc IClearinghouse
    function setMarketPaused(uint256 marketId, bool paused) external restricted {
        _setPaused(marketId, paused);
    }

    /// @inheritdoc IClearinghouse
    function setAllPaused(bool paused) external restricted {
        _setAllPaused(paused);
    }

    /// @inheritdoc IClearinghouse
    function setMarketFees(uint256 marketId, int16 makerFeeBps, uint16 takerFeeBps) external restricted {
        _setFees(marketId, makerFeeBps, takerFeeBps);
    }

    function _setAllPaused(bool paused) internal {
        for (uint256 id = 1; id <= _marketCount; ++id) {
            _setPaused(id, paused);
        }
    }

    /// @dev Pauses or resumes placing and taking on one market.
    function _setPaused(uint256 marketId, bool paused) internal {
        (Market storage m,) = _market(marketId);
        BookLib.setPaused(m.book, paused);
        emit PausedSet(marketId, paused);
    }

    /// @dev Sets one market's fees within its hard bounds.
    function _setFees(uint256 marketId, int16 makerFeeBps, uint16 takerFeeBps) internal {
        (Market storage m, BookConfig cfg) = _market(marketId);
        BookLib.setFees(m.book, cfg, makerFeeBps, takerFeeBps);
        emit FeesSet(marketId, makerFeeBps, takerFeeBps);
    }

    // ------------------------------------------------------------------ working copy, settlement

    /// @dev The market under `marketId` and its first word (`UnknownMarket` if none).
    function _market(uint256 marketId) internal view returns (Market storage m, BookConfig cfg) {
        m = _markets[marketId];
        cfg = m.config;
        require(cfg.exists(), UnknownMarket(marketId));
    }

    /// @dev Writes the working copy back and settles it, by the market's kind.
    function _flush(Market storage m, BookConfig cfg, Ctx memory c) internal {
        if (cfg.isPerp()) _flushPerp(m, cfg, c);
        else _flushSpot(m, cfg, c);
    }

    /// @dev A liquidation's cancels on one market (the caller checked the account is liquidatable):
    /// each order must be live, on this market and the account's own; the pocket, the book's top and
    /// a perp's premium sample are written (`_storePocket`), nothing settles.
    function _cancelForLiquidation(Market storage m, BookConfig cfg, AccountId acct, uint256[] calldata orderIds)
        private
    {
        Ctx memory c = m.load(cfg, acct);
        BookLib.cancelForLiquidation(m.book, cfg, m, c, orderIds, _storePocket);
    }

    /// @dev Writes only the account's pocket (liquidation cancels), by the market's kind.
    function _storePocket(Market storage m, Ctx memory c) internal {
        if (m.config.isPerp()) _storePerpPocket(m, c);
        else SpotLib.storePocket(m.spot, c);
    }

    /// @dev Writes the spot pocket and the book's top, then takes from the vault balance what the
    /// pocket could not cover.
    function _flushSpot(Market storage m, BookConfig cfg, Ctx memory c) internal {
        SpotLib.storePocket(m.spot, c);
        if (c.topLoaded) m.book.top = c.top;
        if (c.owedBase | c.owedQuote != 0) {
            // only the words of the tokens that move are read (a bid's settlement reads no base
            // word, an ask's no quote word): `_settle` never reads a token whose delta is 0
            (address base, uint256 baseAtoms) = c.owedBase != 0 ? (m.base, c.owedBase * m.lotSize) : (address(0), 0);
            address quote = c.owedQuote != 0 ? m.quote : address(0);
            // products are < 2^72 * 2^128: they fit int256
            bool margin = _settle(
                cfg.index(),
                base,
                quote,
                c.account,
                -int256(baseAtoms),
                -int256(c.owedQuote * cfg.tickSize()),
                (c.margin ? 1 : 0) | (c.fresh ? 2 : 0)
            );
            if (margin != c.margin) {
                c.margin = margin;
                SpotLib.storePocket(m.spot, c); // same slot, already written: a warm rewrite
            }
        } else if (c.margin && c.risky) {
            // funded from the pocket alone: the vault's settlement did not check it, so check now
            _checkMargin(c.account);
        }
    }

    /// @dev A perp market's write-back and settlement (`ClearinghousePerps`).
    function _flushPerp(Market storage m, BookConfig cfg, Ctx memory c) internal virtual;

    /// @dev A perp market's pocket write of a liquidation cancel (`ClearinghousePerps`).
    function _storePerpPocket(Market storage m, Ctx memory c) internal virtual;

    /// @dev Re-samples a perp market's premium and funding rate (`ClearinghousePerps`).
    function _updateFunding(Market storage m, TopWord top) internal virtual;

    // ------------------------------------------------------------------ who may act

    /// @dev The caller is the account's owner or an operator it approved; returns true for an operator.
    function _auth(AccountId acct) internal view returns (bool operator) {
        if (acct.owner() != msg.sender) {
            require(_operators[acct][msg.sender], NotAuthorized(msg.sender, acct));
            return true;
        }
    }

    /// @dev An operator's order `p` keeps to the owner's price band around the oracle index: a bid
    /// at most `maxTick`, an ask at least `minTick`. Every fill of an order is at its limit or better
    /// (a take walks the book only while it crosses the limit), so bounding the limit bounds each
    /// executed price, and a resting remainder rests within the band. `band` is the band an earlier
    /// call returned, or not loaded to read it (and the operator's approval); returns it loaded. A
    /// tick out of the book's range is left to `BookLib.placeOne` to refuse (TickOutOfRange).
    function _checkOperatorPrice(Market storage m, AccountId acct, OrderWord p, OperatorBand band)
        internal
        view
        returns (OperatorBand)
    {
        if (!band.loaded()) {
            (bool approved, uint256 lo, uint256 hi) =
                operatorTickBand(acct, msg.sender, m.base, m.quote, m.lotSize, m.config.tickSize());
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

    // ------------------------------------------------------------------ views

    /// @inheritdoc IMarkets
    function marketInfo(uint256 marketId) external view returns (MarketInfo memory i) {
        (Market storage m, BookConfig cfg) = _market(marketId);
        TopWord top = m.book.top;
        uint256 tickSize = cfg.tickSize();
        return MarketInfo(
            cfg.isPerp(),
            m.base,
            m.quote,
            m.lotSize,
            tickSize,
            cfg.minLots(),
            cfg.maxMakerFeeBps(),
            BookLib.MAX_TAKER_FEE_BPS,
            top.makerFeeBps(),
            top.takerFeeBps(),
            top.paused(),
            tickSize,
            tickSize * TickBitmap.MAX_TICK,
            BookLib.MAX_ORDER_LOTS
        );
    }

    /// @inheritdoc IMarkets
    function bestBidAsk(uint256 marketId) external view returns (uint256 bestBid, uint256 bestAsk) {
        (Market storage m,) = _market(marketId);
        return BookLib.bestBidAsk(m.book);
    }

    /// @inheritdoc IMarkets
    function getBook(uint256 marketId, uint256 depth)
        external
        view
        returns (uint256[] memory bidTicks, uint256[] memory bidLots, uint256[] memory askTicks, uint256[] memory askLots)
    {
        (Market storage m,) = _market(marketId);
        return BookLib.getBook(m.book, depth);
    }

    /// @inheritdoc IMarkets
    function bookPage(uint256 marketId, bool ask, uint256 fromTick, uint256 maxLevels)
        external
        view
        returns (uint256[] memory ticks, uint256[] memory lots, uint256 nextTick)
    {
        (Market storage m,) = _market(marketId);
        return BookLib.bookPage(m.book, ask ? 1 : 0, fromTick, maxLevels);
    }

    /// @inheritdoc IMarkets
    function getOrder(uint256 marketId, uint256 orderId)
        external
        view
        returns (AccountId account, uint256 lots, uint256 expiry)
    {
        (Market storage m,) = _market(marketId);
        return BookLib.getOrder(m.book, marketId, orderId);
    }

    /// @inheritdoc IMarkets
    function openOrders(uint256 marketId, address owner, uint8 sub, uint256 cursor, uint256 limit)
        external
        view
        returns (uint256[] memory orderIds, uint256 nextCursor)
    {
        (Market storage m,) = _market(marketId);
        AccountId account = AccountIdLib.from(owner, sub);
        return BookLib.openOrders(m.book, marketId, account, m.openCount(account), cursor, limit);
    }

    /// @inheritdoc IMarkets
    function marketState(uint256 marketId)
        external
        view
        returns (int256 makerFeeBps, uint256 takerFeeBps, bool paused, uint256 feesAccrued)
    {
        (Market storage m, BookConfig cfg) = _market(marketId);
        return BookLib.marketState(m.book, cfg);
    }

    /// @inheritdoc IMarkets
    function levelOf(uint256 marketId, uint256 side, uint256 tick)
        external
        view
        returns (uint256 totalLots, uint256 head, uint256 tail, uint256 epoch)
    {
        (Market storage m,) = _market(marketId);
        return BookLib.levelOf(m.book, side, tick);
    }

    /// @inheritdoc IMarkets
    function pocketOf(uint256 marketId, address owner, uint8 sub)
        external
        view
        returns (uint256 lockedBase, uint256 lockedQuote, uint256 unsweptBase, uint256 unsweptQuote, uint256 openOrderCount)
    {
        (Market storage m,) = _market(marketId);
        return m.pocketOf(AccountIdLib.from(owner, sub));
    }
}
