// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SignedMath} from "@openzeppelin/contracts/utils/math/SignedMath.sol";
import {IPerpMarkets, PerpMarketParams, PerpRisk} from "./interfaces/IPerpMarkets.sol";
import {IClearinghouse} from "./interfaces/IClearinghouse.sol";
import {PriceLib} from "./libraries/PriceLib.sol";
import {RiskLib} from "./libraries/RiskLib.sol";
import {AccountId, AccountIdLib} from "./types/AccountId.sol";
import {BookConfig} from "./types/BookConfig.sol";
import {FundingWord} from "./types/FundingWord.sol";
import {TopWord} from "./types/TopWord.sol";
import {Ctx} from "./book/BookCtx.sol";
import {PerpLib} from "./perp/PerpLib.sol";
import {LiquidationLib} from "./perp/LiquidationLib.sol";
import {Market, MarketLib} from "./core/Market.sol";
import {ClearinghouseMarkets} from "./ClearinghouseMarkets.sol";

/// @title ClearinghousePerps: the perp markets' settlement, funding, views and liquidations
/// @notice A perp market's positions, pockets, funding, premium and loss index are `PerpLib`'s, in
/// the market's `Market.perp`. Its cash settles into the vault balance in the same contract, every
/// risk-adding action is margin-checked by ATLAS over the core's own storage, and liquidations and
/// bankruptcies move positions directly (formulas: docs/PERPS.md; arithmetic: `LiquidationLib`).
/// The only calls out are feed reads, when a stored price is older than 3 s (`ClearinghousePrices`).
abstract contract ClearinghousePerps is ClearinghouseMarkets {
    using PriceLib for PriceLib.State;
    using MarketLib for Market;

    /// @notice Book levels one impact walk reads per side at most: it runs on trading paths.
    uint256 public constant MAX_IMPACT_LEVELS = PerpLib.MAX_IMPACT_LEVELS;
    /// @notice Hard bounds of the governance-set premium parameters.
    uint256 public constant MIN_PREMIUM_IMPACT_USD = PerpLib.MIN_PREMIUM_IMPACT_USD;
    uint256 public constant MAX_PREMIUM_IMPACT_USD = PerpLib.MAX_PREMIUM_IMPACT_USD;
    uint256 public constant MIN_PREMIUM_HALF_LIFE = PerpLib.MIN_PREMIUM_HALF_LIFE;
    uint256 public constant MAX_PREMIUM_HALF_LIFE = PerpLib.MAX_PREMIUM_HALF_LIFE;
    /// @notice Largest quote-token decimals a perp market accepts: the funding index (int96, quote
    /// atoms × 1e9 per lot) then grows at most 10%/hour × a lot's value × 1e9 per hour, which for a
    /// lot worth up to 1e14 quote atoms ($1,000,000 at 8 decimals) takes over 450 years to overflow.
    uint256 public constant MAX_QUOTE_DECIMALS = 8;

    // ------------------------------------------------------------------ governance

    /// @inheritdoc IPerpMarkets
    function setPremiumParams(uint256 marketId, uint256 impactNotionalUsd, uint256 halfLifeSeconds)
        external
        restricted
        nonReentrant
    {
        Market storage m = _perpMarket(marketId);
        PerpLib.setPremiumParams(m.perp, _maxPremiumPpm(m), impactNotionalUsd, halfLifeSeconds);
        emit PremiumParamsSet(marketId, impactNotionalUsd, halfLifeSeconds);
    }

    /// @inheritdoc IClearinghouse
    function createPerpMarket(PerpMarketParams calldata p) external restricted returns (uint256 marketId) {
        AssetConfig memory u = _assets[p.underlying];
        AssetConfig memory q = _assets[p.quote];
        require(u.id != 0, AssetNotListed(p.underlying));
        require(q.id != 0, AssetNotListed(p.quote));
        RiskLib.Config memory rc = _riskConfig;
        require(rc.initialScaleBps != 0, NoRiskEngine());
        // the hard bounds first, then the bounds against the venue's risk parameters (docs/RISK.md)
        require(
            p.underlying != p.quote && p.lotSize != 0 && p.lotSize < (1 << 96) && p.tickSize != 0 && p.minLots != 0
                && p.minLots < (1 << 48) && p.maxMakerFeeBps <= 100 && p.oiCapLots != 0 && p.oiCapLots < (1 << 63)
                && p.positionCapLots != 0 && p.positionCapLots < (1 << 48) && p.maxPremiumBps <= 1000
                && p.fundingCapPpm <= 100_000 && p.fundingClampPpm <= p.fundingCapPpm && p.liquidityBps <= 1000
                && p.basisBps <= 1000 && p.floorBps <= 1000 && p.impactNotionalUsd < (1 << 32),
            InvalidMarketParams()
        );
        require(q.decimals <= MAX_QUOTE_DECIMALS, QuoteDecimalsUnsupported(q.decimals, MAX_QUOTE_DECIMALS));
        marketId = _nextMarketId();
        _checkPerpBounds(marketId, p.basisBps, p.maxPremiumBps, p.floorBps, rc.initialScaleBps, liquidationParams.capShareBps);
        Market storage m = _markets[marketId];
        // safe casts: lot size and impact notional checked above, market id ≤ 64 (`_nextMarketId`)
        _initBook(
            m, marketId, p.underlying, p.quote, p.lotSize, p.tickSize, p.minLots, p.makerFeeBps, p.takerFeeBps,
            p.maxMakerFeeBps, true
        );
        (m.liquidityBps, m.basisBps, m.floorBps, m.maxPremiumBps, m.impactNotionalUsd) =
            (p.liquidityBps, p.basisBps, p.floorBps, p.maxPremiumBps, uint32(p.impactNotionalUsd));
        (m.oiCapLots, m.positionCapLots, m.interestPpmPerHour, m.fundingClampPpm, m.fundingCapPpm) =
            (p.oiCapLots, p.positionCapLots, p.interestPpmPerHour, p.fundingClampPpm, p.fundingCapPpm);
        (m.baseDecimals, m.quoteDecimals) = (u.decimals, q.decimals);
        PerpLib.initialize(m.perp);
        _perpMarketMask |= uint64(1 << (marketId - 1)); // marketId ≤ 64
        emit PerpMarketCreated(marketId, p);
    }

    // ------------------------------------------------------------------ settlement

    /// @inheritdoc IPerpMarkets
    function settlePerp(uint256 marketId, address owner, uint8 sub) external nonReentrant {
        Market storage m = _perpMarket(marketId);
        BookConfig cfg = m.config;
        Ctx memory c = m.load(cfg, AccountIdLib.from(owner, sub));
        c.owedBase = 1; // settle the funding even though the position did not trade
        _flushPerp(m, cfg, c);
    }

    /// @dev Writes pocket and (if it traded) position (`PerpLib.flush`), refreshes funding after a
    /// book move, settles the cash into the vault balance and margin-checks a risk-adding action.
    function _flushPerp(Market storage m, BookConfig cfg, Ctx memory c) internal override {
        (int256 cash, bool riskUp, FundingWord fw, bool fwRead) = PerpLib.flush(m.perp, c, m.positionCapLots);
        bool removed = MarketLib.takeDepthRemoved();
        if (c.topLoaded) {
            TopWord before = m.book.top; // warm: loaded by `BookLib.loadTop`
            m.book.top = c.top;
            // a place or a take: a new sample and rate if the best bid or ask moved or counted depth
            // left, else only if the index is due for a refresh. A liquidation transfer leaves the
            // book alone, so the mark it priced at stays the one ATLAS values at.
            if (removed || before.bestsDiffer(c.top) || PerpLib.indexDue(m.perp, fw, fwRead)) _updateFunding(m, c.top);
        } else if (removed) {
            _updateFunding(m, m.book.top); // an amend or a cancel took counted lots off a level it left non-empty
        }
        if (cash != 0 || riskUp) {
            _settlePerp(cfg.index(), m.quote, c.account, cash, riskUp);
            if (cash != 0) emit CashSettled(cfg.index(), c.account, cash);
        }
    }

    /// @dev A liquidation cancel's write: the pocket, and if its cancels removed counted depth, the
    /// book's top first and a new premium sample.
    function _storePerpPocket(Market storage m, Ctx memory c) internal override {
        PerpLib.writePocket(m.perp, c);
        if (MarketLib.takeDepthRemoved()) {
            if (c.topLoaded) m.book.top = c.top;
            _updateFunding(m, m.book.top);
        }
    }

    /// @dev Reads both prices, storing a read from a feed (with no usable one the index per lot is 0:
    /// the index runs on at the rate in force), and has `PerpLib` sample the book: `top` is the
    /// book's top word as stored.
    function _updateFunding(Market storage m, TopWord top) internal override {
        (bool ok, uint256 pu,) = _readPrice(m.base);
        (bool okQ, uint256 pq,) = _readPrice(m.quote);
        BookConfig cfg = m.config;
        uint256 quoteUnit = 10 ** m.quoteDecimals;
        uint256 indexLot;
        if (ok && okQ) indexLot = PerpLib.indexLotOf(pu, pq, m.lotSize, 10 ** m.baseDecimals, quoteUnit);
        PerpLib.updateFunding(
            m.perp,
            PerpLib.Config({
                marketId: cfg.index(),
                tickSize: cfg.tickSize(),
                quoteUnit: quoteUnit,
                maxPremiumPpm: _maxPremiumPpm(m),
                interestPpmPerHour: m.interestPpmPerHour,
                clampPpm: int256(uint256(m.fundingClampPpm)),
                capPpm: int256(uint256(m.fundingCapPpm))
            }),
            indexLot,
            pq,
            top,
            m.book.levels,
            m.book.bitmap
        );
    }

    // ------------------------------------------------------------------ liquidation

    /// @inheritdoc IPerpMarkets
    function liquidatePerp(uint256 marketId, AccountId account, uint256 lots, uint8 liquidatorSub, bool withSpot)
        external
        nonReentrant
        returns (uint256 priceAtoms)
    {
        AccountId liq = AccountIdLib.from(msg.sender, liquidatorSub);
        require(!liq.eq(account), SelfLiquidation());
        Market storage m = _perpMarket(marketId);
        (, int256 mvBefore,,,) = _valuation(account, address(0), 1);
        require(mvBefore < 0, NotLiquidatable(account, mvBefore));
        // the first liquidation starts the auction clock
        _flag(account);
        (int256 size,,,, uint256 bids, uint256 asks) = PerpLib.positionOf(m.perp, account);
        require(bids | asks == 0, OrdersStillOpen(marketId, bids + asks));
        require(size != 0, NoPosition(account));
        require(lots != 0 && lots <= SignedMath.abs(size), InvalidLiquidation(size, lots));
        (uint256 indexLot, uint256 markLot) = _markPrice(m);
        uint256 discountBps = liquidationDiscountBps(account, m.base);
        uint256 spotAtoms;
        if (withSpot) {
            // the pair carries little risk: the perp leg moves at the mark, the spot leg at the
            // index less a discount below the basis charge: at most the same share of the basis
            // charge as the Dutch cap takes of shock + slippage, so unwinding the pair still raises
            // maintenance value
            uint256 hedgeCap = LiquidationLib.hedgeCapBps(m.basisBps, liquidationParams.capShareBps);
            if (discountBps > hedgeCap) discountBps = hedgeCap;
            spotAtoms = lots * m.lotSize;
            _moveSpot(m, account, liq, size, spotAtoms, indexLot * lots, discountBps);
            // the liquidator's side of the mark, rounded its way: it buys a long, sells a short
            priceAtoms = LiquidationLib.closeAtMark(size, markLot);
        } else {
            // a long is bought below the mark, a short sold above it
            priceAtoms = LiquidationLib.discounted(size, markLot, discountBps);
        }
        int256 moved = size > 0 ? int256(lots) : -int256(lots);
        _transferPosition(m, account, liq, moved, priceAtoms, true);
        // the spot leg may have borrowed for the liquidator even where its perp position shrank
        if (withSpot) _checkMargin(liq);
        // one lot may always go (else a dust position, or a pair, whose smallest take overshoots the
        // buffer could never be closed); a take that restores the account ends its auction
        if (_checkImproved(account, mvBefore, lots == 1) >= 0) _endAuction(account);
        emit PositionLiquidated(marketId, account, liq, moved, priceAtoms, spotAtoms, discountBps);
    }

    /// @dev The hedging spot leg: a long perp is hedged by a spot debt (the liquidator delivers the
    /// asset and is paid above the index), a short perp by spot held (bought below the index).
    function _moveSpot(
        Market storage m,
        AccountId account,
        AccountId liq,
        int256 size,
        uint256 spotAtoms,
        uint256 indexValueWad,
        uint256 discountBps
    ) internal {
        address base = m.base;
        int256 spot = balanceOf(account, base);
        if (size > 0) {
            require(spot < 0 && uint256(-spot) >= spotAtoms, InvalidLiquidation(spot, spotAtoms));
            _liquidationSwap(
                base, m.quote, liq, account, spotAtoms, LiquidationLib.spotLegQuote(true, indexValueWad, discountBps)
            );
        } else {
            require(spot > 0 && uint256(spot) >= spotAtoms, InvalidLiquidation(spot, spotAtoms));
            _liquidationSwap(
                base, m.quote, account, liq, spotAtoms, LiquidationLib.spotLegQuote(false, indexValueWad, discountBps)
            );
        }
    }

    /// @dev Every liquidation raises maintenance value, and stops at the buffer above zero (unless
    /// `smallest`: the least take there is); returns the maintenance value after.
    function _checkImproved(AccountId account, int256 mvBefore, bool smallest) internal returns (int256 mv) {
        // a fresh valuation (the takeover settled cash and funding), without initial value
        int256 equity;
        (equity, mv,,,) = _valuation(account, address(0), 5);
        require(mv > mvBefore, LiquidationDidNotImprove(mvBefore, mv));
        if (smallest) return mv;
        int256 buffer = LiquidationLib.bufferValue(equity, liquidationParams.bufferBps);
        require(mv <= buffer, LiquidationTooLarge(mv, buffer));
    }

    /// @inheritdoc IPerpMarkets
    function resolveBankruptcy(uint256 marketId, AccountId account, uint8 resolverSub)
        external
        nonReentrant
        returns (uint256 priceAtoms)
    {
        AccountId resolver = AccountIdLib.from(msg.sender, resolverSub);
        require(!resolver.eq(account), SelfLiquidation());
        Market storage m = _perpMarket(marketId);
        // (1) the account's own assets are gone: nothing left anywhere but this loss
        require(
            _holdsNothing(account, _state[account], _perpMarketMask) && _noValueElsewhere(marketId, account),
            NotBankrupt(account)
        );
        (int256 size, int256 entry, int256 cash, int256 owed, uint256 bids, uint256 asks) =
            PerpLib.positionOf(m.perp, account);
        (, uint256 markLot) = _markPrice(m);
        // the resolver's side of the mark, as a liquidator's: it buys a long, sells a short
        priceAtoms = LiquidationLib.closeAtMark(size, markLot);
        // the position's value closed at that price (owed: funding and losses charged to its side)
        int256 value = LiquidationLib.valueAt(size, entry, cash, owed, priceAtoms);
        require(size != 0 && bids | asks == 0 && value < 0, NotBankrupt(account));
        // (2) the market's fees, then (4) the opposite side through its loss index: the account's cash
        // then covers the close exactly (the fees' tick rounding may leave it a few atoms over)
        (uint256 feeAtoms, uint256 socializedAtoms) = _absorbLoss(m, marketId, account, uint256(-value));
        _transferPosition(m, account, resolver, size, priceAtoms, true);
        emit BankruptcyResolved(marketId, account, resolver, size, priceAtoms, feeAtoms, socializedAtoms);
    }

    /// @dev `to` buys `lots` (negative: sells) of `from`'s position at `priceAtoms` per lot; both
    /// settle, and `to` is margin-checked when `checkTo`.
    function _transferPosition(Market storage m, AccountId from, AccountId to, int256 lots, uint256 priceAtoms, bool checkTo)
        internal
    {
        BookConfig cfg = m.config;
        Ctx memory a = m.load(cfg, from);
        Ctx memory b = m.load(cfg, to);
        PerpLib.transferPosition(m.perp, a, b, lots, priceAtoms, m.oiCapLots);
        b.risky = checkTo;
        _flushPerp(m, cfg, a);
        _flushPerp(m, cfg, b);
    }

    /// @dev Covers `lossAtoms` of a bankrupt account's loss into its cash: the market's accrued fees
    /// first (in whole tick units rounded up: the account gets the dust), then the opposite side
    /// through its loss index (`PerpLib.absorbLoss`).
    function _absorbLoss(Market storage m, uint256 marketId, AccountId account, uint256 lossAtoms)
        internal
        returns (uint256 feeAtoms, uint256 socializedAtoms)
    {
        uint256 tickSize = m.config.tickSize();
        TopWord top = m.book.top;
        uint256 ticks = Math.ceilDiv(lossAtoms, tickSize);
        if (ticks > top.feesAccrued()) ticks = top.feesAccrued();
        m.book.top = top.subFees(ticks);
        feeAtoms = ticks * tickSize;
        socializedAtoms = PerpLib.absorbLoss(m.perp, marketId, account, lossAtoms, feeAtoms);
    }

    /// @dev No other perp market holds value for the account: each position there is flat or under
    /// water at its mark, with no open orders (else its owner keeps a gain while others cover a loss).
    function _noValueElsewhere(uint256 selfId, AccountId account) internal view returns (bool) {
        uint256 mask = _state[account].markets() & _perpMarketMask;
        for (uint256 i; mask != 0; ++i) {
            if (mask & 1 != 0 && i + 1 != selfId) {
                Market storage other = _markets[i + 1];
                (int256 size, int256 entry, int256 cash, int256 owed, uint256 bids, uint256 asks) =
                    PerpLib.positionOf(other.perp, account);
                (, uint256 markLot) = _markPrice(other);
                if (LiquidationLib.valueAtMark(size, entry, cash, owed, markLot) > 0 || bids | asks != 0) return false;
            }
            mask >>= 1;
        }
        return true;
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IPerpMarkets
    function perpPositionOf(uint256 marketId, AccountId account)
        external
        view
        returns (int256 sizeLots, int256 entryAtoms, int256 cashAtoms, int256 fundingOwedAtoms, uint256 bidLots, uint256 askLots)
    {
        return PerpLib.positionOf(_perpMarket(marketId).perp, account);
    }

    /// @inheritdoc IPerpMarkets
    /// @dev No oracle call: the smoothed premium now, applied to the index per lot of the last sample
    /// (ATLAS prices the size at its own oracle read).
    function perpRiskOf(uint256 marketId, AccountId account) external view returns (PerpRisk memory r) {
        Market storage m = _perpMarket(marketId);
        PerpLib.riskOf(m.perp, account, r, m.lotSize, _maxPremiumPpm(m));
        (r.underlying, r.quote) = (m.base, m.quote);
        (r.liquidityBps, r.impactNotionalUsd, r.basisBps, r.floorBps) =
            (m.liquidityBps, m.impactNotionalUsd, m.basisBps, m.floorBps);
    }

    /// @inheritdoc IPerpMarkets
    function funding(uint256 marketId)
        external
        view
        returns (int256 cumulative, int256 ratePpmPerHour, uint256 lastUpdate, int256 premiumPpm)
    {
        Market storage m = _perpMarket(marketId);
        return PerpLib.fundingView(
            m.perp, m.interestPpmPerHour, int256(uint256(m.fundingClampPpm)), int256(uint256(m.fundingCapPpm))
        );
    }

    /// @inheritdoc IPerpMarkets
    function markPrice(uint256 marketId) external view returns (uint256 indexLotWad, uint256 markLotWad) {
        return _markPrice(_perpMarket(marketId));
    }

    /// @dev Index and mark per lot (quote atoms × 1e18) at the core's prices (reverting if none): a
    /// liquidation asks after its valuation, so it reads the prices that valuation stored.
    function _markPrice(Market storage m) internal view returns (uint256 indexLotWad, uint256 markLotWad) {
        (uint256 pu,) = _prices.price(m.base);
        (uint256 pq,) = _prices.price(m.quote);
        indexLotWad = PerpLib.indexLotOf(pu, pq, m.lotSize, 10 ** m.baseDecimals, 10 ** m.quoteDecimals);
        markLotWad = PerpLib.markPrice(m.perp, indexLotWad, _maxPremiumPpm(m));
    }

    /// @inheritdoc IPerpMarkets
    function premiumState(uint256 marketId)
        external
        view
        returns (
            int256 premiumNow,
            int256 premiumAtUpdate,
            int256 target,
            uint256 lastUpdate,
            uint256 impactNotionalUsd,
            uint256 halfLifeSeconds,
            uint256 countedTick,
            uint256 countedSide
        )
    {
        Market storage m = _perpMarket(marketId);
        return PerpLib.premiumState(m.perp, _maxPremiumPpm(m));
    }

    /// @inheritdoc IPerpMarkets
    function openInterest(uint256 marketId)
        external
        view
        returns (uint256 longLots, uint256 fundingPaid, uint256 fundingReceived)
    {
        return PerpLib.openInterest(_perpMarket(marketId).perp);
    }

    /// @inheritdoc IPerpMarkets
    function lossPerLot(uint256 marketId) external view returns (uint256 longLossPerLot, uint256 shortLossPerLot) {
        return PerpLib.lossPerLot(_perpMarket(marketId).perp);
    }

    /// @inheritdoc IPerpMarkets
    /// @dev Safe narrowing casts: each field was stored from a `PerpMarketParams` field of the same
    /// or a smaller width.
    function perpParams(uint256 marketId) external view returns (PerpMarketParams memory p) {
        Market storage m = _perpMarket(marketId);
        BookConfig cfg = m.config;
        (p.underlying, p.quote, p.lotSize) = (m.base, m.quote, m.lotSize);
        p.tickSize = uint128(cfg.tickSize());
        p.minLots = uint64(cfg.minLots());
        (p.makerFeeBps, p.takerFeeBps) = (m.book.top.makerFeeBps(), m.book.top.takerFeeBps());
        p.maxMakerFeeBps = uint16(cfg.maxMakerFeeBps());
        (p.oiCapLots, p.positionCapLots, p.maxPremiumBps) = (m.oiCapLots, m.positionCapLots, m.maxPremiumBps);
        (p.interestPpmPerHour, p.fundingClampPpm, p.fundingCapPpm) =
            (m.interestPpmPerHour, m.fundingClampPpm, m.fundingCapPpm);
        (p.liquidityBps, p.impactNotionalUsd, p.basisBps, p.floorBps) =
            (m.liquidityBps, m.impactNotionalUsd, m.basisBps, m.floorBps);
    }

    // ------------------------------------------------------------------ helpers

    /// @dev The perp market under `marketId` (`UnknownMarket`, or `WrongMarketKind` for a spot one).
    function _perpMarket(uint256 marketId) internal view returns (Market storage m) {
        BookConfig cfg;
        (m, cfg) = _market(marketId);
        require(cfg.isPerp(), WrongMarketKind(marketId));
    }

    /// @dev The premium's bound in ppm (the market's bound is stored in bps).
    function _maxPremiumPpm(Market storage m) internal view returns (int256) {
        return int256(uint256(m.maxPremiumBps) * 100);
    }
}
