// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SignedMath} from "@openzeppelin/contracts/utils/math/SignedMath.sol";
import {IPerpMarkets, PerpRisk} from "../interfaces/IPerpMarkets.sol";
import {IMarkets} from "../interfaces/IMarkets.sol";
import {AccountId} from "../types/AccountId.sol";
import {Position, PositionLib} from "../types/Position.sol";
import {PerpPocket, PerpPocketLib} from "../types/PerpPocket.sol";
import {FundingWord, FundingWordLib} from "../types/FundingWord.sol";
import {PerpStats} from "../types/PerpStats.sol";
import {PremiumWord, PremiumWordLib} from "../types/PremiumWord.sol";
import {LossWord} from "../types/LossWord.sol";
import {OrderWord} from "../types/OrderWord.sol";
import {OrderSlot} from "../types/OrderSlot.sol";
import {TopWord} from "../types/TopWord.sol";
import {LevelKey, LevelKeyLib, LevelWord} from "../types/LevelWord.sol";
import {FeeMath} from "../libraries/FeeMath.sol";
import {PerpMath} from "../libraries/PerpMath.sol";
import {TickBitmap} from "../libraries/TickBitmap.sol";
import {Ctx, Taker} from "../book/BookCtx.sol";

/// @title PerpLib: one perpetual-futures market's state and arithmetic
/// @notice Everything a perp market keeps beyond its order book: each account's position and pocket,
/// the funding and premium words, the open-interest and funding totals and the loss-per-lot index,
/// in one `State`, with the funding sample, the position arithmetic, the loss index and the book
/// hooks' bodies over it. The core holds one `State` per perp market id (`Market.perp`). The library
/// holds no contract address: the core reads the oracle and passes the prices in, settles the cash
/// into its vault, and passes the market's constants in (`Config`, or the one constant a
/// hot path needs, so a fill allocates no memory). The book's storage is read only through
/// arguments (its top word, level words and bitmap). Formulas in docs/PERPS.md.
library PerpLib {
    using TickBitmap for mapping(uint256 => uint256);

    /// @dev One perp market's state (`Market.perp` in the core).
    struct State {
        /// @dev Each account's position: size, entry, charge-index snapshot (layout: `Position`).
        mapping(AccountId account => Position) positions;
        /// @dev Each account's pocket: open bid and ask lots, open orders, unsettled cash (`PerpPocket`).
        mapping(AccountId account => PerpPocket) pockets;
        /// @dev Funding index, rate, smoothed premium, last update and the loss flag (`FundingWord`).
        ///      The loss flag spares every valuation and settlement of a market without a bankruptcy
        ///      the read of `loss`.
        FundingWord funding;
        /// @dev Cumulative bankruptcy loss per long and per short lot (`LossWord`). A position's
        ///      snapshot is of its side's charge index: funding index + loss per long lot for a long,
        ///      − loss per short lot for a short, so `PerpMath.fundingOwed` settles funding and loss in
        ///      one rounding.
        LossWord loss;
        /// @dev Long open interest and the funding totals (`PerpStats`).
        PerpStats stats;
        /// @dev The premium's word: the last sample's index per lot and target, the deepest counted
        ///      tick and the premium's parameters (`PremiumWord`): one slot for all the premium's state.
        PremiumWord premium;
    }

    /// @dev The market's constants a funding sample reads: today its holder's immutables, in the
    /// core its stored parameters. The paths run per fill or per order take the one constant they
    /// need as an argument instead (tick size, position or open-interest cap), so they allocate no
    /// memory; the market's other constants (units, risk parameters) stay with its holder.
    struct Config {
        /// @dev the market's id (its events' indexed topic)
        uint256 marketId;
        uint256 tickSize;
        /// @dev 10^decimals of the quote token
        uint256 quoteUnit;
        int256 maxPremiumPpm;
        int256 interestPpmPerHour;
        int256 clampPpm;
        int256 capPpm;
    }

    uint256 internal constant WAD = 1e18;
    uint256 internal constant PPM = 1e6;
    int256 internal constant FS = PerpMath.FUNDING_SCALE;
    /// @dev Default premium parameters of a new market (governance may change them, within bounds).
    uint256 internal constant DEFAULT_HALF_LIFE = 60;
    uint256 internal constant DEFAULT_IMPACT_USD = 10_000;
    /// @dev A funding update whose book top did not move (same best bid and ask) re-reads the
    /// oracle only when this long has passed since the last update. The premium depends on the
    /// oracle index too, so this bounds how stale the index behind the rate and the premium may be
    /// while the book's top stands still (the mark's index, `markPrice`, is always the oracle's
    /// now); a call that moves the best bid or ask always updates. One minute, as the premium
    /// samples of dYdX or BitMEX: small against the hourly rate, and it spares a busy book's
    /// placements and partial takes two oracle reads and the funding writes.
    uint256 internal constant INDEX_REFRESH_SECONDS = 60;
    /// @dev Premiums are kept in units of 1e-10 of the index (1e-4 ppm), fine enough that the
    /// per-second rate limit never rounds to a standstill (docs/PERPS.md, "Mark price").
    int256 internal constant PREMIUM_SCALE = PerpMath.PREMIUM_SCALE;
    /// @dev Book levels one impact walk reads per side at most: it runs on trading paths.
    uint256 internal constant MAX_IMPACT_LEVELS = 8;
    /// @dev Hard bounds of the governance-set premium parameters.
    uint256 internal constant MIN_PREMIUM_IMPACT_USD = 100;
    uint256 internal constant MAX_PREMIUM_IMPACT_USD = 100_000_000;
    uint256 internal constant MIN_PREMIUM_HALF_LIFE = 10;
    uint256 internal constant MAX_PREMIUM_HALF_LIFE = 3600;

    // ------------------------------------------------------------------ setup and governance

    /// @dev A new market: funding from now, the premium's default parameters.
    function initialize(State storage s) internal {
        s.funding = FundingWordLib.initial(block.timestamp);
        s.premium = PremiumWordLib.initial(DEFAULT_HALF_LIFE, DEFAULT_IMPACT_USD);
    }

    /// @dev New premium parameters within their bounds; the smoothed premium is first brought to now
    /// under the old half-life.
    function setPremiumParams(State storage s, int256 maxPremiumPpm, uint256 impactNotionalUsd, uint256 halfLifeSeconds)
        internal
    {
        require(
            impactNotionalUsd >= MIN_PREMIUM_IMPACT_USD && impactNotionalUsd <= MAX_PREMIUM_IMPACT_USD
                && halfLifeSeconds >= MIN_PREMIUM_HALF_LIFE && halfLifeSeconds <= MAX_PREMIUM_HALF_LIFE,
            IPerpMarkets.InvalidPremiumParams(impactNotionalUsd, halfLifeSeconds)
        );
        accrue(s, maxPremiumPpm);
        s.premium = s.premium.withParams(halfLifeSeconds, impactNotionalUsd);
    }

    // ------------------------------------------------------------------ liquidation

    /// @dev A liquidation's transfer of `lots` (positive: `a` sells to `b`) at `priceAtoms` per lot,
    /// on both working copies, and the open interest it changes.
    function transferPosition(State storage s, Ctx memory a, Ctx memory b, int256 lots, uint256 priceAtoms, uint256 oiCap)
        internal
    {
        int256 longBefore = longPart(a.size) + longPart(b.size);
        uint256 notional = SignedMath.abs(lots) * priceAtoms;
        applyTrade(a, -lots, notional);
        applyTrade(b, lots, notional);
        setOpenInterest(s, longPart(a.size) + longPart(b.size) - longBefore, oiCap);
    }

    /// @dev A bankrupt position's loss beyond the market's fees (`feeAtoms`, already taken from the
    /// book's fees by the holder): every lot of the opposite side owes the same share, through its
    /// loss index. Credits the account's pocket with fees and the socialised part.
    function absorbLoss(State storage s, uint256 marketId, AccountId account, uint256 lossAtoms, uint256 feeAtoms)
        internal
        returns (uint256 socializedAtoms)
    {
        int256 size = s.positions[account].size();
        if (lossAtoms > feeAtoms && size != 0) {
            socializedAtoms = lossAtoms - feeAtoms;
            // the opposite side holds as many lots as the long open interest (>= |size| > 0)
            uint256 oi = s.stats.longLots();
            // rounded up: the opposite side pays up to oi / 1e9 atoms more than the loss in all, the
            // market never credits more than it charges
            uint256 perLot = Math.ceilDiv(socializedAtoms * uint256(FS), oi);
            s.loss = s.loss.charged(size > 0, perLot);
            s.funding = s.funding.withLoss();
            // credited now, collected as each opposite position is next touched: counted as received
            // (P2, P3 of docs/INVARIANTS.md), the charges as paid
            countFunding(s, -int256(socializedAtoms));
            emit IPerpMarkets.LossSocialized(marketId, account, size > 0 ? 1 : 0, socializedAtoms, perLot);
        }
        s.pockets[account] = s.pockets[account].addCash(int256(feeAtoms + socializedAtoms));
    }

    // ------------------------------------------------------------------ book hooks

    /// @dev Reduce-only orders must shrink the live position and not beyond it; any order must fit
    /// the position cap even if every open order on its side fills.
    function checkPlace(Ctx memory c, OrderWord p, uint256 side, uint256 lots, uint256 positionCap) internal pure {
        if (p.reduceOnly()) {
            bool ok = side == 0 ? c.size < 0 && lots <= uint256(-c.size) : c.size > 0 && lots <= uint256(c.size);
            require(ok, IPerpMarkets.ReduceOnlyViolated(c.size, side, lots));
            return;
        }
        int256 worst = side == 0 ? c.size + int256(c.lockedQuote + lots) : c.size - int256(c.lockedBase + lots);
        // if/revert, not require: require would evaluate the error's arguments on the success path too
        if (SignedMath.abs(worst) > positionCap) revert IPerpMarkets.PositionCap(SignedMath.abs(worst), positionCap);
    }

    /// @dev A resting perp order commits exposure, not funds: ATLAS charges it at worst case.
    function lock(Ctx memory c, uint256 side, uint256 lots) internal pure {
        if (side == 0) c.lockedQuote += lots;
        else c.lockedBase += lots;
    }

    function unlock(Ctx memory c, uint256 side, uint256 lots) internal pure {
        if (side == 0) c.lockedQuote -= lots;
        else c.lockedBase -= lots;
    }

    /// @dev A reduce-only maker order fills at most the position it reduces; any maker order at
    /// most what keeps the position within the cap (a position taken over in a liquidation may
    /// leave less room than the order had): the rest is cancelled, never the taker's transaction.
    /// The position slot read here is warm for the fill that follows.
    function makerFillable(State storage s, OrderSlot ow, uint256 olots, uint256 makerSide, uint256 positionCap)
        internal
        view
        returns (uint256)
    {
        int256 size = s.positions[ow.account()].size();
        int256 room;
        if (ow.reduceOnly()) room = makerSide == 0 ? -size : size;
        else room = makerSide == 0 ? int256(positionCap) - size : int256(positionCap) + size;
        if (room <= 0) return 0;
        return uint256(room) < olots ? uint256(room) : olots;
    }

    /// @dev A maker order's lots leave its owner's pocket (`ends`: the order is gone).
    function trimMaker(State storage s, AccountId acct, uint256 side, uint256 lots, bool ends) internal {
        s.pockets[acct] = s.pockets[acct].less(side, lots, ends);
    }

    /// @dev Whether removing lots at `tick` on `side` takes depth the premium's target counted (on its
    /// side, from the best price to the deepest counted tick): the holder then re-samples, so the
    /// target never counts depth that is gone. Adding depth needs no record: an unsampled addition
    /// only understates.
    function removesCounted(State storage s, uint256 side, uint256 tick) internal view returns (bool) {
        PremiumWord iw = s.premium;
        uint256 deepest = iw.countedTick();
        return deepest != 0 && iw.countedSide() == side && (side == 0 ? tick >= deepest : tick <= deepest);
    }

    function openCount(State storage s, AccountId acct) internal view returns (uint256) {
        return s.pockets[acct].openOrders();
    }

    /// @dev One maker fill: funding, position and pocket of the maker (two slot writes).
    function fillMaker(State storage s, TopWord top, Taker memory t, AccountId acct, uint256 f, bool done, uint256 tickSize)
        internal
    {
        (int256 size, int256 entry, int256 snapshot) = s.positions[acct].unpack();
        FundingWord fw = s.funding;
        int256 index = fw.indexAt(block.timestamp);
        uint256 n = f * t.tick;
        (uint256 fee, uint256 rebate) = FeeMath.makerFee(n, top.makerFeeBps());
        t.makerFees += int256(fee) - int256(rebate);
        // the maker sells when the taker buys
        int256 d = t.side == 0 ? -int256(f) : int256(f);
        (int256 size1, int256 entry1, int256 realised) = PerpMath.trade(size, entry, d, n * tickSize);
        t.makerLongDelta += longPart(size1) - longPart(size);
        // the charge indexes of the size held and of the new size (`owedNow`), `loss` read once
        (int256 charged, int256 snapshot1) = (index, index);
        if (fw.hasLoss()) {
            LossWord loss = s.loss;
            (charged, snapshot1) = (index + loss.offsetFor(size), index + loss.offsetFor(size1));
        }
        int256 owed = PerpMath.fundingOwed(size, charged, snapshot);
        s.positions[acct] = PositionLib.pack(size1, entry1, snapshot1);
        s.pockets[acct] = s.pockets[acct].less(t.side ^ 1, f, done).addCash(
            realised - owed - int256(fee * tickSize) + int256(rebate * tickSize)
        );
        countFunding(s, owed);
    }

    /// @dev The taker's side of all its fills at their total notional; fees to the market (`c.top`).
    /// Returns the taker fee (tick units) for the trade's log.
    function settleTaker(State storage s, Ctx memory c, Taker memory t, uint256 tickSize, uint256 oiCap)
        internal
        returns (uint256 takerFee)
    {
        takerFee = FeeMath.takerFee(t.notional, c.top.takerFeeBps());
        int256 protocolFee = int256(takerFee) + t.makerFees; // >= 0: rebate <= taker fee
        c.top = c.top.addFees(uint256(protocolFee));
        c.cash -= int256(takerFee * tickSize);
        int256 d = t.side == 0 ? int256(t.filled) : -int256(t.filled);
        int256 longBefore = longPart(c.size);
        applyTrade(c, d, t.notional * tickSize);
        setOpenInterest(s, longPart(c.size) - longBefore + t.makerLongDelta, oiCap);
    }

    // ------------------------------------------------------------------ working copy

    /// @dev Loads position and pocket. `owedQuote` keeps the position word as loaded: its funding
    /// snapshot and size say what funding is owed when the position is written back (`flush`);
    /// `owedBase` != 0 asks `flush` to settle the funding even if the position did not trade.
    /// Fills the caller's zeroed `c` (the book hook's return value: no second copy is allocated).
    function load(State storage s, AccountId acct, Ctx memory c) internal view {
        c.account = acct;
        Position pw = s.positions[acct];
        c.size = pw.size();
        c.entry = pw.entry();
        c.sizeBefore = SignedMath.abs(c.size);
        (c.lockedQuote, c.lockedBase, c.openOrders, c.cash) = s.pockets[acct].unpack();
        // the open lots as loaded (the spot-only unswept fields are free here): more on either side
        // after the call is added risk
        (c.unsweptQuote, c.unsweptBase) = (c.lockedQuote, c.lockedBase);
        c.owedQuote = Position.unwrap(pw);
    }

    function applyTrade(Ctx memory c, int256 d, uint256 notional) internal pure {
        int256 realised;
        (c.size, c.entry, realised) = PerpMath.trade(c.size, c.entry, d, notional);
        c.cash += realised;
    }

    function writePocket(State storage s, Ctx memory c) internal {
        require(
            c.lockedQuote <= PerpPocketLib.MAX_LOTS && c.lockedBase <= PerpPocketLib.MAX_LOTS, IMarkets.AmountOverflow()
        );
        s.pockets[c.account] = PerpPocketLib.pack(c.lockedQuote, c.lockedBase, c.openOrders, c.cash);
    }

    /// @dev Writes the pocket and (if it traded) the position. Funding owed settles only when the
    /// position is rewritten anyway (it traded, or `settle`): a placement, cancel or amend leaves it
    /// accruing on the snapshot — exact, since the owed amount is a function of size and snapshot,
    /// and ATLAS counts it meanwhile (`riskOf`). That spares those calls the position write, the
    /// funding totals and a Clearinghouse balance update. Returns the cash to settle into the
    /// Clearinghouse, whether the call added risk (the holder has it margin-checked), and the
    /// funding word if it was read (`fwRead`), for the holder's refresh check (`indexDue`).
    function flush(State storage s, Ctx memory c, uint256 positionCap)
        internal
        returns (int256 cash, bool riskUp, FundingWord fw, bool fwRead)
    {
        Position pw = Position.wrap(c.owedQuote);
        cash = c.cash;
        int256 held = pw.size();
        if (c.size != held || c.entry != pw.entry() || c.owedBase != 0) {
            (fw, fwRead) = (s.funding, true);
            // funding and loss charges over [snapshot, now] on the size held then (a fill earlier in
            // this call changed `c.size`, not the past: a position closed before it settles still pays)
            int256 index = fw.indexAt(block.timestamp);
            (int256 charged, int256 snapshot1) = (index, index); // as in `fillMaker`
            if (fw.hasLoss()) {
                LossWord loss = s.loss;
                (charged, snapshot1) = (index + loss.offsetFor(held), index + loss.offsetFor(c.size));
            }
            int256 owed = PerpMath.fundingOwed(held, charged, pw.snapshot());
            countFunding(s, owed);
            cash -= owed;
            s.positions[c.account] = PositionLib.pack(c.size, c.entry, snapshot1);
        }
        c.cash = 0;
        // risk added: a larger position, or more open lots on a side (a reducing trade of an account
        // with resting orders is not margin-checked, so an account below initial value can still de-risk)
        riskUp = c.risky
            && (SignedMath.abs(c.size) > c.sizeBefore || c.lockedQuote > c.unsweptQuote || c.lockedBase > c.unsweptBase);
        if (c.risky) checkCaps(c, positionCap);
        writePocket(s, c);
    }

    /// @dev Whether the index is due for a refresh (`INDEX_REFRESH_SECONDS` since the last update);
    /// `fw` is the funding word if `flush` read it (`fwRead`), else it is read here.
    function indexDue(State storage s, FundingWord fw, bool fwRead) internal view returns (bool) {
        return block.timestamp >= (fwRead ? fw : s.funding).lastUpdate() + INDEX_REFRESH_SECONDS;
    }

    function checkCaps(Ctx memory c, uint256 positionCap) internal pure {
        uint256 size = SignedMath.abs(c.size);
        require(size <= positionCap || size <= c.sizeBefore, IPerpMarkets.PositionCap(size, positionCap));
    }

    // ------------------------------------------------------------------ funding and prices

    /// @dev What a position owes now (positive = pays): funding and unsettled loss charges. The
    /// charge index of a position of `size` lots is the funding index, plus the loss charged per long
    /// lot for a long (it pays as the index rises), less the loss per short lot for a short (it pays
    /// as the index falls); a position's snapshot is of this index, so one `PerpMath.fundingOwed`
    /// settles both. `loss` is read only once a loss was socialised (the funding word's flag).
    function owedNow(State storage s, Position pw) internal view returns (int256) {
        FundingWord f = s.funding;
        int256 size = pw.size();
        int256 charged = f.indexAt(block.timestamp);
        if (f.hasLoss()) charged += s.loss.offsetFor(size);
        return PerpMath.fundingOwed(size, charged, pw.snapshot());
    }

    /// @dev Brings the stored index and the smoothed premium to now (keeping the rate and the loss flag).
    function accrue(State storage s, int256 maxPremiumPpm) internal {
        FundingWord f = s.funding;
        s.funding = f.accrued(f.indexAt(block.timestamp), smoothedNow(f, s.premium, maxPremiumPpm), block.timestamp);
    }

    /// @dev The smoothed premium now (1e-10 of the index): the one stored at the last update moved
    /// toward the target sampled then, at most maxPremium / (2 × half-life) per second
    /// (`PerpMath.smooth`). |premium| <= maxPremium <= 1e9 (1000 bps): it fits the words' int32.
    function smoothedNow(FundingWord f, PremiumWord iw, int256 maxPremiumPpm) internal view returns (int256) {
        int256 stored = f.premium();
        int256 target = iw.target();
        if (stored == target) return stored; // at its target: the common case
        return PerpMath.smooth(stored, target, block.timestamp - f.lastUpdate(), maxPremiumPpm, iw.halfLife());
    }

    /// @dev The index price of one lot, quote atoms × 1e18, from the underlying's and the quote's
    /// oracle prices (WAD) and the market's units. Rounded down (neutral: a price, not a payment).
    function indexLotOf(
        uint256 underlyingPriceWad,
        uint256 quotePriceWad,
        uint256 lotSize,
        uint256 baseUnit,
        uint256 quoteUnit
    ) internal pure returns (uint256) {
        return (underlyingPriceWad * lotSize * quoteUnit * WAD) / (baseUnit * quotePriceWad);
    }

    /// @dev A sample: index to now, the smoothed premium to now (toward the last target), then a new
    /// target from the book at the impact size and a new rate from the smoothed premium, applied from
    /// now on. `indexLot` is the index per lot from the holder's oracle read (`indexLotOf`), 0 if it
    /// had no usable price (stale, out of bounds): the index then runs on at the rate in force and the
    /// premium toward the index (target 0): trades that only reduce risk still go through (adding
    /// risk is refused by the ATLAS check). `quotePriceWad` is the quote's price of that read. `top`,
    /// `levels` and `bitmap` are the book's, read only.
    function updateFunding(
        State storage s,
        Config memory cfg,
        uint256 indexLot,
        uint256 quotePriceWad,
        TopWord top,
        mapping(LevelKey => LevelWord) storage levels,
        mapping(uint256 => uint256) storage bitmap
    ) internal {
        // an index per lot beyond 2^152 (or 0) has no premium to speak of: as with no price. The
        // book cannot be priced, so the target becomes the index (0, nothing counted): a removal
        // that asked for this sample must not leave its size counted
        if (indexLot == 0 || indexLot > PremiumWordLib.MAX_INDEX_LOT) {
            accrue(s, cfg.maxPremiumPpm);
            PremiumWord iw0 = s.premium;
            PremiumWord neutral = iw0.neutral();
            if (!neutral.eq(iw0)) s.premium = neutral;
            return;
        }
        FundingWord f = s.funding;
        PremiumWord iw = s.premium;
        int256 index = f.indexAt(block.timestamp);
        int256 smoothed = smoothedNow(f, iw, cfg.maxPremiumPpm);
        (int256 target, uint256 counted) = samplePremium(cfg, indexLot, quotePriceWad, iw, top, levels, bitmap);
        int256 premiumPpm = smoothed / (PREMIUM_SCALE / int256(PPM));
        int256 r = PerpMath.rate(premiumPpm, cfg.interestPpmPerHour, cfg.clampPpm, cfg.capPpm);
        // change of the index per second: rate × index price per lot, in quote atoms × 1e9 per lot
        int256 perSec = (r * int256(indexLot)) / int256(PPM * 3600 * (WAD / uint256(FS)));
        int256 perSecBefore = f.perSecond();
        s.funding = f.sampled(index, perSec, smoothed, block.timestamp);
        // |target| <= maxPremium <= 1e9: it fits the word's int32
        PremiumWord iw1 = iw.sampled(indexLot, target, counted);
        if (!iw1.eq(iw)) s.premium = iw1;
        // the index and rate are logged when they change, not on every update (a log is costly on MegaETH)
        if (perSec != perSecBefore || indexLot != iw.indexLot()) {
            emit IPerpMarkets.FundingUpdated(cfg.marketId, index, r, premiumPpm, indexLot);
        }
    }

    /// @dev The book's impact premium over the index (1e-10 of it): the average price at which the
    /// impact notional (valued at the index) fills on each side, bids counted only above the index
    /// and asks only below it, each level's price bounded by the clamp, the rest of the notional at
    /// the index; at most `MAX_IMPACT_LEVELS` levels. Only one side can lie beyond the index (the book
    /// never crosses), so at most one side is walked, and on a book quoted around the index no level
    /// is read. Also returns the deepest tick counted and its side (`counted`, as
    /// `PremiumWordLib.counted` packs them), kept for the removal checks.
    /// Rounded toward zero (neutral: a price, not a payment).
    function samplePremium(
        Config memory cfg,
        uint256 indexLot,
        uint256 quotePriceWad,
        PremiumWord iw,
        TopWord top,
        mapping(LevelKey => LevelWord) storage levels,
        mapping(uint256 => uint256) storage bitmap
    ) internal view returns (int256 target, uint256 counted) {
        uint256 tickSize = cfg.tickSize;
        uint256 side = 0;
        uint256 tick = top.bestBid();
        if (tick * tickSize * WAD <= indexLot) {
            side = 1;
            tick = top.bestAsk();
            if (tick == 0 || tick * tickSize * WAD >= indexLot) tick = 0;
        }
        uint256 deepest;
        if (tick != 0) {
            // notional to fill, quote atoms × 1e18: impact USD / quote USD price
            uint256 budget = Math.mulDiv(iw.impactUsd() * cfg.quoteUnit, WAD * WAD, quotePriceWad);
            uint256 notional = budget;
            // the farthest a level may count: the clamp (premium per lot, quote atoms × 1e18)
            uint256 maxGap = (indexLot * uint256(cfg.maxPremiumPpm)) / PPM;
            uint256 excess; // Σ lots × |price − index|, quote atoms × 1e18
            for (uint256 i; i < MAX_IMPACT_LEVELS && tick != 0 && budget != 0; ++i) {
                uint256 price = tick * tickSize * WAD;
                if (side == 0 ? price <= indexLot : price >= indexLot) break;
                uint256 gap = side == 0 ? price - indexLot : indexLot - price;
                if (gap > maxGap) gap = maxGap;
                uint256 lots = levels[LevelKeyLib.from(side, tick)].totalLots();
                deepest = tick;
                if (lots >= Math.ceilDiv(budget, indexLot)) {
                    excess += Math.mulDiv(budget, gap, indexLot); // the last level's part, rounded down
                    break;
                }
                // lots × index < budget: no overflow
                excess += lots * gap;
                budget -= lots * indexLot;
                tick = side == 0 ? bitmap.nextBelow(0, tick) : bitmap.nextAbove(1, tick);
            }
            // <= maxPremium: every lot counted is worth at most the clamp over the index
            target = int256(Math.mulDiv(excess, uint256(PREMIUM_SCALE), notional));
            if (side == 1) target = -target;
        }
        counted = PremiumWordLib.counted(deepest, side);
    }

    /// @dev The mark per lot now: the smoothed premium now applied to the index per lot (`indexLotOf`
    /// of the holder's oracle read).
    function markPrice(State storage s, uint256 indexLot, int256 maxPremiumPpm) internal view returns (uint256) {
        int256 premium = smoothedNow(s.funding, s.premium, maxPremiumPpm);
        return uint256((int256(indexLot) * (PREMIUM_SCALE + premium)) / PREMIUM_SCALE);
    }

    function setOpenInterest(State storage s, int256 delta, uint256 oiCap) internal {
        if (delta == 0) return;
        PerpStats st = s.stats;
        uint256 oi = uint256(int256(st.longLots()) + delta);
        require(delta < 0 || oi <= oiCap, IPerpMarkets.OpenInterestCap(oi, oiCap));
        s.stats = st.withLongLots(oi);
    }

    /// @dev Σ paid and Σ received, for the invariant Σ paid = Σ received + dust. Statistics only:
    /// each saturates at 2^80 − 1 rather than revert, so no fill or settlement can fail on them.
    function countFunding(State storage s, int256 owed) internal {
        if (owed == 0) return;
        s.stats = owed > 0 ? s.stats.addPaid(uint256(owed)) : s.stats.addReceived(uint256(-owed));
    }

    function longPart(int256 size) internal pure returns (int256) {
        return size > 0 ? size : int256(0);
    }

    // ------------------------------------------------------------------ views

    /// @dev `IPerpMarkets.perpPositionOf`.
    function positionOf(State storage s, AccountId account)
        internal
        view
        returns (int256 sizeLots, int256 entryAtoms, int256 cashAtoms, int256 fundingOwedAtoms, uint256 bidLots, uint256 askLots)
    {
        Position pw = s.positions[account];
        PerpPocket w = s.pockets[account];
        sizeLots = pw.size();
        entryAtoms = pw.entry();
        cashAtoms = w.cash();
        fundingOwedAtoms = owedNow(s, pw);
        bidLots = w.bidLots();
        askLots = w.askLots();
    }

    /// @dev `IPerpMarkets.perpRiskOf`'s account fields into `r` (the holder fills the market's constant
    /// fields). No oracle read: the smoothed premium now, applied to the index per lot of the last
    /// sample (ATLAS prices the size at its own oracle read).
    function riskOf(State storage s, AccountId account, PerpRisk memory r, uint256 lotSize, int256 maxPremiumPpm)
        internal
        view
    {
        Position pw = s.positions[account];
        PerpPocket w = s.pockets[account];
        FundingWord f = s.funding; // one read for the owed amount and the premium
        int256 size = pw.size();
        int256 charged = f.indexAt(block.timestamp); // its charge index, as in `owedNow`
        if (f.hasLoss()) charged += s.loss.offsetFor(size);
        int256 owed = PerpMath.fundingOwed(size, charged, pw.snapshot());
        PremiumWord iw = s.premium;
        int256 premiumLot = (int256(iw.indexLot()) * smoothedNow(f, iw, maxPremiumPpm)) / PREMIUM_SCALE;
        int256 prem = size * premiumLot;
        // the premium's value rounded against the account
        int256 premAtoms = prem >= 0 ? prem / int256(WAD) : -int256(Math.ceilDiv(uint256(-prem), WAD));
        r.sizeAtoms = size * int256(lotSize);
        r.bidAtoms = w.bidLots() * lotSize;
        r.askAtoms = w.askLots() * lotSize;
        r.cashAtoms = w.cash() - pw.entry() - owed + premAtoms;
    }

    /// @dev `pocketOf`'s numbers: (ask atoms, bid atoms, |size| atoms, |unsettled cash|, open orders).
    function pocketOf(State storage s, AccountId acct, uint256 lotSize)
        internal
        view
        returns (uint256, uint256, uint256, uint256, uint256)
    {
        PerpPocket w = s.pockets[acct];
        return (
            w.askLots() * lotSize,
            w.bidLots() * lotSize,
            SignedMath.abs(s.positions[acct].size()) * lotSize,
            SignedMath.abs(w.cash()),
            w.openOrders()
        );
    }

    /// @dev `IPerpMarkets.funding`.
    function fundingView(State storage s, int256 interestPpmPerHour, int256 clampPpm, int256 capPpm)
        internal
        view
        returns (int256 cumulative, int256 ratePpmPerHour, uint256 lastUpdate, int256 premiumPpm)
    {
        FundingWord f = s.funding;
        premiumPpm = f.premium() / (PREMIUM_SCALE / int256(PPM));
        ratePpmPerHour = PerpMath.rate(premiumPpm, interestPpmPerHour, clampPpm, capPpm);
        return (f.indexAt(block.timestamp), ratePpmPerHour, f.lastUpdate(), premiumPpm);
    }

    /// @dev `IPerpMarkets.premiumState`.
    function premiumState(State storage s, int256 maxPremiumPpm)
        internal
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
        FundingWord f = s.funding;
        PremiumWord iw = s.premium;
        return (
            smoothedNow(f, iw, maxPremiumPpm),
            f.premium(),
            iw.target(),
            f.lastUpdate(),
            iw.impactUsd(),
            iw.halfLife(),
            iw.countedTick(),
            iw.countedSide()
        );
    }

    /// @dev `IPerpMarkets.openInterest`.
    function openInterest(State storage s)
        internal
        view
        returns (uint256 longLots, uint256 fundingPaid, uint256 fundingReceived)
    {
        PerpStats st = s.stats;
        return (st.longLots(), st.paid(), st.received());
    }

    /// @dev `IPerpMarkets.lossPerLot`.
    function lossPerLot(State storage s) internal view returns (uint256 longLossPerLot, uint256 shortLossPerLot) {
        LossWord loss = s.loss;
        return (loss.perLongLot(), loss.perShortLot());
    }
}
