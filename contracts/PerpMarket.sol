// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IAccessManaged} from "@openzeppelin/contracts/access/manager/IAccessManaged.sol";
import {IAccessManager} from "@openzeppelin/contracts/access/manager/IAccessManager.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SignedMath} from "@openzeppelin/contracts/utils/math/SignedMath.sol";
import {IPerpMarket, PerpMarketParams, PerpRisk} from "./interfaces/IPerpMarket.sol";
import {IOrderBook, BookParams} from "./interfaces/IOrderBook.sol";
import {IClearinghouse} from "./interfaces/IClearinghouse.sol";
import {IPriceOracle} from "./interfaces/IPriceOracle.sol";
import {AccountId} from "./types/AccountId.sol";
import {Position, PositionLib} from "./types/Position.sol";
import {PerpPocket, PerpPocketLib} from "./types/PerpPocket.sol";
import {FundingWord, FundingWordLib} from "./types/FundingWord.sol";
import {PerpStats} from "./types/PerpStats.sol";
import {PremiumWord, PremiumWordLib} from "./types/PremiumWord.sol";
import {LossWord} from "./types/LossWord.sol";
import {PerpRiskReturn} from "./libraries/PerpRiskReturn.sol";
import {OrderWord} from "./types/OrderWord.sol";
import {OrderSlot} from "./types/OrderSlot.sol";
import {TopWord} from "./types/TopWord.sol";
import {LevelKeyLib} from "./types/LevelWord.sol";
import {FeeMath} from "./libraries/FeeMath.sol";
import {PerpMath} from "./libraries/PerpMath.sol";
import {TickBitmap} from "./libraries/TickBitmap.sol";
import {OrderBook} from "./book/OrderBook.sol";
import {Ctx, Taker} from "./book/BookCtx.sol";

/// @title PerpMarket: one perpetual-futures book, cash-settled in the quote asset
/// @notice The book is `OrderBook`'s. Per account two slots: the position (size, entry value,
/// funding snapshot) and the pocket (open bid and ask lots, order count, unsettled cash). A maker
/// fill writes both; the account's own actions settle its cash into the Clearinghouse. Formulas
/// (mark, funding, realised PnL, liquidation, bankruptcy) are in docs/PERPS.md.
contract PerpMarket is IPerpMarket, OrderBook {
    using SafeCast for uint256;
    using SafeCast for int256;
    using TickBitmap for mapping(uint256 => uint256);

    uint256 internal constant WAD = 1e18;
    uint256 internal constant PPM = 1e6;
    int256 internal constant FS = PerpMath.FUNDING_SCALE;
    /// @notice Default premium parameters of a new market (governance may change them, within bounds).
    uint256 internal constant DEFAULT_HALF_LIFE = 60;
    uint256 internal constant DEFAULT_IMPACT_USD = 10_000;
    /// @notice A funding update whose book top did not move (same best bid and ask) re-reads the
    /// oracle only when this long has passed since the last update. The premium depends on the
    /// oracle index too, so this bounds how stale the index behind the rate and the premium may be
    /// while the book's top stands still (the mark's index, `markPrice`, is always the oracle's
    /// now); a call that moves the best bid or ask always updates. One minute, as the premium
    /// samples of dYdX or BitMEX: small against the hourly rate, and it spares a busy book's
    /// placements and partial takes two oracle reads and the funding writes.
    uint256 internal constant INDEX_REFRESH_SECONDS = 60;
    /// @notice Premiums are kept in units of 1e-10 of the index (1e-4 ppm), fine enough that the
    /// per-second rate limit never rounds to a standstill (docs/PERPS.md, "Mark price").
    int256 internal constant PREMIUM_SCALE = PerpMath.PREMIUM_SCALE;
    /// @notice Book levels one impact walk reads per side at most: it runs on trading paths.
    uint256 public constant MAX_IMPACT_LEVELS = 8;
    /// @notice Hard bounds of the governance-set premium parameters.
    uint256 public constant MIN_PREMIUM_IMPACT_USD = 100;
    uint256 public constant MAX_PREMIUM_IMPACT_USD = 100_000_000;
    uint256 public constant MIN_PREMIUM_HALF_LIFE = 10;
    uint256 public constant MAX_PREMIUM_HALF_LIFE = 3600;
    /// @notice Largest quote-token decimals a market accepts: the funding index (int96, quote atoms
    /// × 1e9 per lot) then grows at most 10%/hour × a lot's value × 1e9 per hour, which for a lot worth
    /// up to 1e14 quote atoms ($1,000,000 at 8 decimals) takes over 450 years to overflow.
    uint256 public constant MAX_QUOTE_DECIMALS = 8;

    IPriceOracle public immutable ORACLE;
    /// @notice The one contract allowed to move positions for liquidations and bankruptcies.
    address public immutable LIQUIDATOR;
    uint256 internal immutable BASE_UNIT;
    uint256 internal immutable QUOTE_UNIT;
    uint256 internal immutable OI_CAP;
    uint256 internal immutable POSITION_CAP;
    int256 internal immutable MAX_PREMIUM_PPM;
    int256 internal immutable INTEREST_PPM;
    int256 internal immutable CLAMP_PPM;
    int256 internal immutable CAP_PPM;
    uint256 internal immutable LIQUIDITY_BPS;
    uint256 internal immutable IMPACT_USD;
    uint256 internal immutable BASIS_BPS;
    uint256 internal immutable FLOOR_BPS;

    /// @dev Each account's position: size, entry, charge-index snapshot (layout: `Position`).
    mapping(AccountId account => Position) internal _positions;
    /// @dev Each account's pocket: open bid and ask lots, open orders, unsettled cash (`PerpPocket`).
    mapping(AccountId account => PerpPocket) internal _pockets;
    /// @dev Funding index, rate, smoothed premium, last update and the loss flag (`FundingWord`).
    ///      The loss flag spares every valuation and settlement of a market without a bankruptcy
    ///      the read of `_loss`.
    FundingWord internal _funding;
    /// @dev Cumulative bankruptcy loss per long and per short lot (`LossWord`). A position's snapshot
    ///      is of its side's charge index: funding index + loss per long lot for a long, − loss per
    ///      short lot for a short, so `PerpMath.fundingOwed` settles funding and loss in one rounding.
    LossWord internal _loss;
    /// @dev Long open interest and the funding totals (`PerpStats`).
    PerpStats internal _stats;
    /// @dev The premium's word: the last sample's index per lot and target, the deepest counted tick
    ///      and the premium's parameters (`PremiumWord`): one slot for all the premium's state.
    PremiumWord internal _index;
    /// @dev This call removed depth the target counted: `_flush` re-samples.
    bool internal transient _depthRemoved;

    modifier onlyLiquidator() {
        require(msg.sender == LIQUIDATOR, NotLiquidator(msg.sender));
        _;
    }

    /// @notice Deployed by governance with the index it will be listed under
    ///         (`Clearinghouse.listPerpMarket`); `oracle` must be the risk engine's.
    constructor(uint256 index, address clearinghouse, PerpMarketParams memory p, address oracle, address liquidator)
        OrderBook(
            BookParams(
                index, clearinghouse, p.underlying, p.quote, p.lotSize, p.tickSize, p.minLots, p.makerFeeBps, p.takerFeeBps,
                p.maxMakerFeeBps
            )
        )
    {
        require(
            p.underlying != p.quote && p.lotSize != 0 && p.tickSize != 0 && p.minLots != 0 && p.minLots < (1 << 48)
                && p.maxMakerFeeBps <= 100 && p.oiCapLots != 0 && p.oiCapLots < (1 << 63) && p.positionCapLots != 0
                && p.positionCapLots < (1 << 48) && p.maxPremiumBps <= 1000 && p.fundingCapPpm <= 100_000
                && p.fundingClampPpm <= p.fundingCapPpm && p.liquidityBps <= 1000 && p.basisBps <= 1000
                && p.floorBps <= 1000 && oracle != address(0) && liquidator != address(0),
            InvalidMarketParams()
        );
        uint8 quoteDecimals = IERC20Metadata(p.quote).decimals();
        require(quoteDecimals <= MAX_QUOTE_DECIMALS, QuoteDecimalsUnsupported(quoteDecimals, MAX_QUOTE_DECIMALS));
        ORACLE = IPriceOracle(oracle);
        LIQUIDATOR = liquidator;
        BASE_UNIT = 10 ** IERC20Metadata(p.underlying).decimals();
        QUOTE_UNIT = 10 ** quoteDecimals;
        OI_CAP = p.oiCapLots;
        POSITION_CAP = p.positionCapLots;
        MAX_PREMIUM_PPM = int256(uint256(p.maxPremiumBps) * 100);
        INTEREST_PPM = p.interestPpmPerHour;
        CLAMP_PPM = int256(uint256(p.fundingClampPpm));
        CAP_PPM = int256(uint256(p.fundingCapPpm));
        LIQUIDITY_BPS = p.liquidityBps;
        IMPACT_USD = p.impactNotionalUsd;
        BASIS_BPS = p.basisBps;
        FLOOR_BPS = p.floorBps;
        _funding = FundingWordLib.initial(block.timestamp);
        _index = PremiumWordLib.initial(DEFAULT_HALF_LIFE, DEFAULT_IMPACT_USD);
    }

    // ------------------------------------------------------------------ governance

    /// @inheritdoc IPerpMarket
    function setPremiumParams(uint256 impactNotionalUsd, uint256 halfLifeSeconds) external nonReentrant {
        // governance is the Clearinghouse's AccessManager: an immediate permission (a delayed one
        // goes through the manager's schedule and `execute`, which calls from the manager itself)
        (bool immediate,) = IAccessManager(IAccessManaged(address(CLEARINGHOUSE)).authority()).canCall(
            msg.sender, address(this), msg.sig
        );
        require(immediate, NotGovernance(msg.sender));
        require(
            impactNotionalUsd >= MIN_PREMIUM_IMPACT_USD && impactNotionalUsd <= MAX_PREMIUM_IMPACT_USD
                && halfLifeSeconds >= MIN_PREMIUM_HALF_LIFE && halfLifeSeconds <= MAX_PREMIUM_HALF_LIFE,
            InvalidPremiumParams(impactNotionalUsd, halfLifeSeconds)
        );
        _accrue(); // the smoothed premium to now under the old half-life
        _index = _index.withParams(halfLifeSeconds, impactNotionalUsd);
        emit PremiumParamsSet(impactNotionalUsd, halfLifeSeconds);
    }

    // ------------------------------------------------------------------ settlement

    /// @inheritdoc IPerpMarket
    function settle(address owner, uint8 sub) external nonReentrant {
        Ctx memory c = _load(_account(owner, sub));
        c.owedBase = 1; // settle the funding even though the position did not trade
        _flush(c);
    }

    // ------------------------------------------------------------------ liquidation (PerpLiquidator only)

    /// @inheritdoc IPerpMarket
    function transferPosition(AccountId from, AccountId to, int256 lots, uint256 priceAtoms, bool checkTo)
        external
        onlyLiquidator
    {
        Ctx memory a = _load(from);
        Ctx memory b = _load(to);
        int256 longBefore = _longPart(a.size) + _longPart(b.size);
        uint256 notional = SignedMath.abs(lots) * priceAtoms;
        _applyTrade(a, -lots, notional);
        _applyTrade(b, lots, notional);
        _setOpenInterest(_longPart(a.size) + _longPart(b.size) - longBefore);
        b.risky = checkTo;
        _flush(a);
        _flush(b);
    }

    /// @inheritdoc IPerpMarket
    function absorbLoss(AccountId account, uint256 lossAtoms)
        external
        onlyLiquidator
        returns (uint256 feeAtoms, uint256 socializedAtoms)
    {
        // (2) the market's fees, in whole tick units rounded up: the account gets the dust
        TopWord top = _book.top;
        uint256 ticks = Math.ceilDiv(lossAtoms, TICK_SIZE);
        if (ticks > top.feesAccrued()) ticks = top.feesAccrued();
        _book.top = top.subFees(ticks);
        feeAtoms = ticks * TICK_SIZE;
        // (4) the rest: every lot of the opposite side owes the same share, through its loss index
        int256 size = _positions[account].size();
        if (lossAtoms > feeAtoms && size != 0) {
            socializedAtoms = lossAtoms - feeAtoms;
            // the opposite side holds as many lots as the long open interest (>= |size| > 0)
            uint256 oi = _stats.longLots();
            // rounded up: the opposite side pays up to oi / 1e9 atoms more than the loss in all, the
            // market never credits more than it charges
            uint256 perLot = Math.ceilDiv(socializedAtoms * uint256(FS), oi);
            _loss = _loss.charged(size > 0, perLot);
            _funding = _funding.withLoss();
            // credited now, collected as each opposite position is next touched: counted as received
            // (P2, P3 of docs/INVARIANTS.md), the charges as paid
            _countFunding(-int256(socializedAtoms));
            emit LossSocialized(account, size > 0 ? 1 : 0, socializedAtoms, perLot);
        }
        _pockets[account] = _pockets[account].addCash(int256(feeAtoms + socializedAtoms));
    }

    /// @inheritdoc IPerpMarket
    function liquidationSwap(AccountId from, AccountId to, uint256 baseAtoms, uint256 quoteAtoms) external onlyLiquidator {
        CLEARINGHOUSE.liquidationSwap(INDEX, BASE, QUOTE, from, to, baseAtoms, quoteAtoms);
    }

    /// @inheritdoc IPerpMarket
    function accrue() external onlyLiquidator {
        _accrue();
    }

    // ------------------------------------------------------------------ book hooks

    /// @dev Reduce-only orders must shrink the live position and not beyond it; any order must fit
    /// the position cap even if every open order on its side fills.
    function _checkPlace(Ctx memory c, OrderWord p, uint256 side, uint256 lots) internal view override {
        if (p.reduceOnly()) {
            bool ok = side == 0 ? c.size < 0 && lots <= uint256(-c.size) : c.size > 0 && lots <= uint256(c.size);
            require(ok, ReduceOnlyViolated(c.size, side, lots));
            return;
        }
        int256 worst = side == 0 ? c.size + int256(c.lockedQuote + lots) : c.size - int256(c.lockedBase + lots);
        // if/revert, not require: require would evaluate the error's arguments on the success path too
        if (SignedMath.abs(worst) > POSITION_CAP) revert PositionCap(SignedMath.abs(worst), POSITION_CAP);
    }

    /// @dev A resting perp order commits exposure, not funds: ATLAS charges it at worst case.
    function _lock(Ctx memory c, uint256 side, uint256, uint256 lots) internal pure override {
        if (side == 0) c.lockedQuote += lots;
        else c.lockedBase += lots;
    }

    function _unlock(Ctx memory c, uint256 side, uint256 tick, uint256 lots) internal override {
        if (side == 0) c.lockedQuote -= lots;
        else c.lockedBase -= lots;
        _noteRemoval(side, tick);
    }

    function _releaseOther(AccountId owner, uint256 side, uint256 tick, uint256 lots) internal override {
        _trimMaker(owner, side, tick, lots, true);
    }

    /// @dev `cancelOrder`'s lean path (the level stays non-empty) has no working copy and no
    /// `_flush`: if the lots it removed were counted in the premium's target, it re-samples here.
    function _afterLeanCancel() internal override {
        if (_depthRemoved) {
            _depthRemoved = false;
            _updateFunding();
        }
    }

    /// @dev A reduce-only maker order fills at most the position it reduces; any maker order at
    /// most what keeps the position within the cap (a position taken over in a liquidation may
    /// leave less room than the order had): the rest is cancelled, never the taker's transaction.
    /// The position slot read here is warm for the fill that follows.
    function _makerFillable(OrderSlot ow, uint256 olots, uint256 makerSide) internal view override returns (uint256) {
        int256 size = _positions[ow.account()].size();
        int256 room;
        if (ow.reduceOnly()) room = makerSide == 0 ? -size : size;
        else room = makerSide == 0 ? int256(POSITION_CAP) - size : int256(POSITION_CAP) + size;
        if (room <= 0) return 0;
        return uint256(room) < olots ? uint256(room) : olots;
    }

    function _trimMaker(AccountId acct, uint256 side, uint256 tick, uint256 lots, bool ends) internal override {
        _pockets[acct] = _pockets[acct].less(side, lots, ends);
        _noteRemoval(side, tick);
    }

    /// @dev Records that this call removed lots the premium's target counted (on its side, from the
    /// best price to the deepest counted tick): the call then re-samples, so the target never counts
    /// depth that is gone. Adding depth needs no record: an unsampled addition only understates.
    function _noteRemoval(uint256 side, uint256 tick) internal {
        if (_depthRemoved) return;
        PremiumWord iw = _index;
        uint256 deepest = iw.countedTick();
        if (deepest != 0 && iw.countedSide() == side && (side == 0 ? tick >= deepest : tick <= deepest)) {
            _depthRemoved = true;
        }
    }

    function _openCount(AccountId acct) internal view override returns (uint256) {
        return _pockets[acct].openOrders();
    }

    /// @dev One maker fill: funding, position and pocket of the maker (two slot writes).
    function _fillMaker(TopWord top, Taker memory t, AccountId acct, uint256 f, bool done) internal override {
        (int256 size, int256 entry, int256 snapshot) = _positions[acct].unpack();
        FundingWord fw = _funding;
        int256 index = fw.indexAt(block.timestamp);
        uint256 n = f * t.tick;
        (uint256 fee, uint256 rebate) = FeeMath.makerFee(n, top.makerFeeBps());
        t.makerFees += int256(fee) - int256(rebate);
        // the maker sells when the taker buys
        int256 d = t.side == 0 ? -int256(f) : int256(f);
        (int256 size1, int256 entry1, int256 realised) = PerpMath.trade(size, entry, d, n * TICK_SIZE);
        t.makerLongDelta += _longPart(size1) - _longPart(size);
        // the charge indexes of the size held and of the new size (`_owedNow`), `_loss` read once
        (int256 charged, int256 snapshot1) = (index, index);
        if (fw.hasLoss()) {
            LossWord loss = _loss;
            (charged, snapshot1) = (index + loss.offsetFor(size), index + loss.offsetFor(size1));
        }
        int256 owed = PerpMath.fundingOwed(size, charged, snapshot);
        _positions[acct] = PositionLib.pack(size1, entry1, snapshot1);
        _pockets[acct] = _pockets[acct].less(t.side ^ 1, f, done).addCash(
            realised - owed - int256(fee * TICK_SIZE) + int256(rebate * TICK_SIZE)
        );
        _countFunding(owed);
    }

    /// @dev The taker's side of all its fills at their total notional; fees to the market.
    function _settleTaker(Ctx memory c, Taker memory t, uint256 kind) internal override {
        uint256 takerFee = FeeMath.takerFee(t.notional, c.top.takerFeeBps());
        int256 protocolFee = int256(takerFee) + t.makerFees; // >= 0: rebate <= taker fee
        c.top = c.top.addFees(uint256(protocolFee));
        c.cash -= int256(takerFee * TICK_SIZE);
        int256 d = t.side == 0 ? int256(t.filled) : -int256(t.filled);
        // the fills began at the maker side's best price as stored (the book's top is written in `_flush`)
        _noteRemoval(t.side ^ 1, _book.top.best(t.side ^ 1));
        int256 longBefore = _longPart(c.size);
        _applyTrade(c, d, t.notional * TICK_SIZE);
        _setOpenInterest(_longPart(c.size) - longBefore + t.makerLongDelta);
        _emitTrade(c, t, kind, takerFee);
    }

    // ------------------------------------------------------------------ working copy

    /// @dev Loads position and pocket. `owedQuote` keeps the position word as loaded: its funding
    /// snapshot and size say what funding is owed when the position is written back (`_flush`);
    /// `owedBase` != 0 asks `_flush` to settle the funding even if the position did not trade.
    function _load(AccountId acct) internal view override returns (Ctx memory c) {
        c.account = acct;
        Position pw = _positions[acct];
        c.size = pw.size();
        c.entry = pw.entry();
        c.sizeBefore = SignedMath.abs(c.size);
        (c.lockedQuote, c.lockedBase, c.openOrders, c.cash) = _pockets[acct].unpack();
        // the open lots as loaded (the spot-only unswept fields are free here): more on either side
        // after the call is added risk
        (c.unsweptQuote, c.unsweptBase) = (c.lockedQuote, c.lockedBase);
        c.owedQuote = Position.unwrap(pw);
    }

    function _applyTrade(Ctx memory c, int256 d, uint256 notional) internal pure {
        int256 realised;
        (c.size, c.entry, realised) = PerpMath.trade(c.size, c.entry, d, notional);
        c.cash += realised;
    }

    /// @dev Only `cancelForLiquidation` calls this outside `_flush`: if its cancels removed counted
    /// depth, the book's top is written first and the premium re-sampled.
    function _storePocket(Ctx memory c) internal override {
        _writePocket(c);
        if (_depthRemoved) {
            _depthRemoved = false;
            if (c.topLoaded) _book.top = c.top;
            _updateFunding();
        }
    }

    function _writePocket(Ctx memory c) internal {
        require(c.lockedQuote <= PerpPocketLib.MAX_LOTS && c.lockedBase <= PerpPocketLib.MAX_LOTS, AmountOverflow());
        _pockets[c.account] = PerpPocketLib.pack(c.lockedQuote, c.lockedBase, c.openOrders, c.cash);
    }

    /// @dev Writes pocket and (if it traded) position, settles the cash into the Clearinghouse,
    /// refreshes funding after a book move, and has the Clearinghouse margin-check a risk-adding
    /// action. Funding owed settles only when the position is rewritten anyway (it traded, or
    /// `settle`): a placement, cancel or amend leaves it accruing on the snapshot — exact, since the
    /// owed amount is a function of size and snapshot, and ATLAS counts it meanwhile (`riskOf`). That
    /// spares those calls the position write, the funding totals and a Clearinghouse balance update.
    function _flush(Ctx memory c) internal override {
        Position pw = Position.wrap(c.owedQuote);
        int256 cash = c.cash;
        int256 held = pw.size();
        FundingWord fw; // read once, if the position is settled, for the refresh check below too
        bool fwRead;
        if (c.size != held || c.entry != pw.entry() || c.owedBase != 0) {
            (fw, fwRead) = (_funding, true);
            // funding and loss charges over [snapshot, now] on the size held then (a fill earlier in
            // this call changed `c.size`, not the past: a position closed before it settles still pays)
            int256 index = fw.indexAt(block.timestamp);
            (int256 charged, int256 snapshot1) = (index, index); // as in `_fillMaker`
            if (fw.hasLoss()) {
                LossWord loss = _loss;
                (charged, snapshot1) = (index + loss.offsetFor(held), index + loss.offsetFor(c.size));
            }
            int256 owed = PerpMath.fundingOwed(held, charged, pw.snapshot());
            _countFunding(owed);
            cash -= owed;
            _positions[c.account] = PositionLib.pack(c.size, c.entry, snapshot1);
        }
        c.cash = 0;
        // risk added: a larger position, or more open lots on a side (a reducing trade of an account
        // with resting orders is not margin-checked, so an account below initial value can still de-risk)
        bool riskUp = c.risky
            && (SignedMath.abs(c.size) > c.sizeBefore || c.lockedQuote > c.unsweptQuote || c.lockedBase > c.unsweptBase);
        if (c.risky) _checkCaps(c);
        _writePocket(c);
        bool removed = _depthRemoved;
        if (removed) _depthRemoved = false;
        if (c.topLoaded) {
            TopWord before = _book.top; // warm: loaded by `_loadTop`
            _book.top = c.top;
            // a place or a take: a new sample and rate if the best bid or ask moved or counted depth
            // left, else only if the index is due for a refresh. A liquidation transfer leaves the
            // book alone, so the mark it priced at stays the one ATLAS values at.
            if (
                removed || before.bestsDiffer(c.top)
                    || block.timestamp >= (fwRead ? fw : _funding).lastUpdate() + INDEX_REFRESH_SECONDS
            ) _updateFunding();
        } else if (removed) {
            _updateFunding(); // an amend or a cancel took counted lots off a level it left non-empty
        }
        if (cash != 0 || riskUp) {
            CLEARINGHOUSE.settlePerp(INDEX, BASE, QUOTE, c.account, cash, riskUp);
            if (cash != 0) emit CashSettled(c.account, cash);
        }
    }

    function _checkCaps(Ctx memory c) internal view {
        uint256 s = SignedMath.abs(c.size);
        require(s <= POSITION_CAP || s <= c.sizeBefore, PositionCap(s, POSITION_CAP));
    }

    // ------------------------------------------------------------------ funding and prices

    /// @dev Cumulative funding index now: the stored index plus the per-second change since.
    function _indexNow() internal view returns (int256) {
        return _funding.indexAt(block.timestamp);
    }

    /// @dev What a position owes now (positive = pays): funding and unsettled loss charges. The
    /// charge index of a position of `size` lots is the funding index, plus the loss charged per long
    /// lot for a long (it pays as the index rises), less the loss per short lot for a short (it pays
    /// as the index falls); a position's snapshot is of this index, so one `PerpMath.fundingOwed`
    /// settles both. `_loss` is read only once a loss was socialised (the funding word's flag).
    function _owedNow(Position pw) internal view returns (int256) {
        FundingWord f = _funding;
        int256 size = pw.size();
        int256 charged = f.indexAt(block.timestamp);
        if (f.hasLoss()) charged += _loss.offsetFor(size);
        return PerpMath.fundingOwed(size, charged, pw.snapshot());
    }

    /// @dev Brings the stored index and the smoothed premium to now (keeping the rate and the loss flag).
    function _accrue() internal {
        FundingWord f = _funding;
        _funding = f.accrued(f.indexAt(block.timestamp), _smoothedNow(f, _index), block.timestamp);
    }

    /// @dev The smoothed premium now (1e-10 of the index): the one stored at the last update moved
    /// toward the target sampled then, at most maxPremium / (2 × half-life) per second
    /// (`PerpMath.smooth`). |premium| <= maxPremium <= 1e9 (1000 bps): it fits the words' int32.
    function _smoothedNow(FundingWord f, PremiumWord iw) internal view returns (int256) {
        int256 stored = f.premium();
        int256 target = iw.target();
        if (stored == target) return stored; // at its target: the common case
        return PerpMath.smooth(stored, target, block.timestamp - f.lastUpdate(), MAX_PREMIUM_PPM, iw.halfLife());
    }

    /// @dev A sample: index to now, the smoothed premium to now (toward the last target), then a new
    /// target from the book at the impact size and a new rate from the smoothed premium, applied from
    /// now on. With no usable oracle price (stale, out of bounds) the index runs on at the rate in
    /// force and the premium toward the index (target 0): trades that only reduce risk still go
    /// through (adding risk is refused by the ATLAS check).
    function _updateFunding() internal {
        (bool ok, uint256 pu,) = ORACLE.tryPrice(BASE);
        (bool okQ, uint256 pq,) = ORACLE.tryPrice(QUOTE);
        uint256 indexLot;
        if (ok && okQ) indexLot = (pu * LOT_SIZE * QUOTE_UNIT * WAD) / (BASE_UNIT * pq);
        // an index per lot beyond 2^152 (or 0) has no premium to speak of: as with no price. The
        // book cannot be priced, so the target becomes the index (0, nothing counted): a removal
        // that asked for this sample must not leave its size counted
        if (indexLot == 0 || indexLot > PremiumWordLib.MAX_INDEX_LOT) {
            _accrue();
            PremiumWord iw0 = _index;
            PremiumWord neutral = iw0.neutral();
            if (!neutral.eq(iw0)) _index = neutral;
            return;
        }
        FundingWord f = _funding;
        PremiumWord iw = _index;
        int256 index = f.indexAt(block.timestamp);
        int256 smoothed = _smoothedNow(f, iw);
        (int256 target, uint256 counted) = _samplePremium(indexLot, pq, iw);
        int256 premiumPpm = smoothed / (PREMIUM_SCALE / int256(PPM));
        int256 r = PerpMath.rate(premiumPpm, INTEREST_PPM, CLAMP_PPM, CAP_PPM);
        // change of the index per second: rate × index price per lot, in quote atoms × 1e9 per lot
        int256 perSec = (r * int256(indexLot)) / int256(PPM * 3600 * (WAD / uint256(FS)));
        int256 perSecBefore = f.perSecond();
        _funding = f.sampled(index, perSec, smoothed, block.timestamp);
        // |target| <= maxPremium <= 1e9: it fits the word's int32
        PremiumWord iw1 = iw.sampled(indexLot, target, counted);
        if (!iw1.eq(iw)) _index = iw1;
        // the index and rate are logged when they change, not on every update (a log is costly on MegaETH)
        if (perSec != perSecBefore || indexLot != iw.indexLot()) emit FundingUpdated(index, r, premiumPpm, indexLot);
    }

    /// @dev The book's impact premium over the index (1e-10 of it): the average price at which the
    /// impact notional (valued at the index) fills on each side, bids counted only above the index
    /// and asks only below it, each level's price bounded by the clamp, the rest of the notional at
    /// the index; at most `MAX_IMPACT_LEVELS` levels. Only one side can lie beyond the index (the book
    /// never crosses), so at most one side is walked, and on a book quoted around the index no level
    /// is read. Also returns the deepest tick counted and its side (`counted`, as
    /// `PremiumWordLib.counted` packs them), kept for the removal checks.
    /// Rounded toward zero (neutral: a price, not a payment).
    function _samplePremium(uint256 indexLot, uint256 pq, PremiumWord iw)
        internal
        view
        returns (int256 target, uint256 counted)
    {
        TopWord top = _book.top;
        uint256 side = 0;
        uint256 tick = top.bestBid();
        if (tick * TICK_SIZE * WAD <= indexLot) {
            side = 1;
            tick = top.bestAsk();
            if (tick == 0 || tick * TICK_SIZE * WAD >= indexLot) tick = 0;
        }
        uint256 deepest;
        if (tick != 0) {
            // notional to fill, quote atoms × 1e18: impact USD / quote USD price
            uint256 budget = Math.mulDiv(iw.impactUsd() * QUOTE_UNIT, WAD * WAD, pq);
            uint256 notional = budget;
            // the farthest a level may count: the clamp (premium per lot, quote atoms × 1e18)
            uint256 maxGap = (indexLot * uint256(MAX_PREMIUM_PPM)) / PPM;
            uint256 excess; // Σ lots × |price − index|, quote atoms × 1e18
            for (uint256 i; i < MAX_IMPACT_LEVELS && tick != 0 && budget != 0; ++i) {
                uint256 price = tick * TICK_SIZE * WAD;
                if (side == 0 ? price <= indexLot : price >= indexLot) break;
                uint256 gap = side == 0 ? price - indexLot : indexLot - price;
                if (gap > maxGap) gap = maxGap;
                uint256 lots = _book.levels[LevelKeyLib.from(side, tick)].totalLots();
                deepest = tick;
                if (lots >= Math.ceilDiv(budget, indexLot)) {
                    excess += Math.mulDiv(budget, gap, indexLot); // the last level's part, rounded down
                    break;
                }
                // lots × index < budget: no overflow
                excess += lots * gap;
                budget -= lots * indexLot;
                tick = side == 0 ? _book.bitmap.nextBelow(0, tick) : _book.bitmap.nextAbove(1, tick);
            }
            // <= maxPremium: every lot counted is worth at most the clamp over the index
            target = int256(Math.mulDiv(excess, uint256(PREMIUM_SCALE), notional));
            if (side == 1) target = -target;
        }
        counted = PremiumWordLib.counted(deepest, side);
    }

    /// @dev Index and mark per lot now: the oracle's index, the smoothed premium now.
    function _prices() internal view returns (uint256 indexLot, uint256 markLot) {
        (uint256 pu,) = ORACLE.price(BASE);
        (uint256 pq,) = ORACLE.price(QUOTE);
        indexLot = (pu * LOT_SIZE * QUOTE_UNIT * WAD) / (BASE_UNIT * pq);
        int256 premium = _smoothedNow(_funding, _index);
        markLot = uint256((int256(indexLot) * (PREMIUM_SCALE + premium)) / PREMIUM_SCALE);
    }

    function _setOpenInterest(int256 delta) internal {
        if (delta == 0) return;
        PerpStats s = _stats;
        uint256 oi = uint256(int256(s.longLots()) + delta);
        require(delta < 0 || oi <= OI_CAP, OpenInterestCap(oi, OI_CAP));
        _stats = s.withLongLots(oi);
    }

    /// @dev Σ paid and Σ received, for the invariant Σ paid = Σ received + dust. Statistics only:
    /// each saturates at 2^80 − 1 rather than revert, so no fill or settlement can fail on them.
    function _countFunding(int256 owed) internal {
        if (owed == 0) return;
        _stats = owed > 0 ? _stats.addPaid(uint256(owed)) : _stats.addReceived(uint256(-owed));
    }

    // ------------------------------------------------------------------ helpers

    function _longPart(int256 size) internal pure returns (int256) {
        return size > 0 ? size : int256(0);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IPerpMarket
    function positionOf(AccountId account)
        external
        view
        returns (int256 sizeLots, int256 entryAtoms, int256 cashAtoms, int256 fundingOwedAtoms, uint256 bidLots, uint256 askLots)
    {
        Position pw = _positions[account];
        PerpPocket w = _pockets[account];
        sizeLots = pw.size();
        entryAtoms = pw.entry();
        cashAtoms = w.cash();
        fundingOwedAtoms = _owedNow(pw);
        bidLots = w.bidLots();
        askLots = w.askLots();
    }

    /// @inheritdoc IPerpMarket
    /// @dev No oracle call: the smoothed premium now, applied to the index per lot of the last sample
    /// (ATLAS prices the size at its own oracle read).
    function riskOf(AccountId account) external view returns (PerpRisk memory r) {
        Position pw = _positions[account];
        PerpPocket w = _pockets[account];
        FundingWord f = _funding; // one read for the owed amount and the premium
        int256 size = pw.size();
        int256 charged = f.indexAt(block.timestamp); // its charge index, as in `_owedNow`
        if (f.hasLoss()) charged += _loss.offsetFor(size);
        int256 owed = PerpMath.fundingOwed(size, charged, pw.snapshot());
        PremiumWord iw = _index;
        int256 premiumLot = (int256(iw.indexLot()) * _smoothedNow(f, iw)) / PREMIUM_SCALE;
        int256 prem = size * premiumLot;
        // the premium's value rounded against the account
        int256 premAtoms = prem >= 0 ? prem / int256(WAD) : -int256(Math.ceilDiv(uint256(-prem), WAD));
        r.underlying = BASE;
        r.quote = QUOTE;
        r.sizeAtoms = size * int256(LOT_SIZE);
        r.bidAtoms = w.bidLots() * LOT_SIZE;
        r.askAtoms = w.askLots() * LOT_SIZE;
        r.cashAtoms = w.cash() - pw.entry() - owed + premAtoms;
        r.liquidityBps = LIQUIDITY_BPS;
        r.impactNotionalUsd = IMPACT_USD;
        r.basisBps = BASIS_BPS;
        r.floorBps = FLOOR_BPS;
        // a struct of ten static fields is laid out in memory as its ABI encoding: returned as it is,
        // without the encoder's copy (ATLAS reads this for every perp market of every account it values)
        PerpRiskReturn.returnRaw(r);
    }

    /// @notice The `ISpotMarket.pocketOf` shape, so the Clearinghouse's loops read both kinds:
    ///         (ask atoms, bid atoms, |size| atoms, |unsettled cash|, open orders).
    function pocketOf(address owner, uint8 sub) external view returns (uint256, uint256, uint256, uint256, uint256) {
        AccountId acct = _account(owner, sub);
        PerpPocket w = _pockets[acct];
        return (
            w.askLots() * LOT_SIZE,
            w.bidLots() * LOT_SIZE,
            SignedMath.abs(_positions[acct].size()) * LOT_SIZE,
            SignedMath.abs(w.cash()),
            w.openOrders()
        );
    }

    /// @inheritdoc IPerpMarket
    function funding() external view returns (int256 cumulative, int256 ratePpmPerHour, uint256 lastUpdate, int256 premiumPpm) {
        FundingWord f = _funding;
        premiumPpm = f.premium() / (PREMIUM_SCALE / int256(PPM));
        ratePpmPerHour = PerpMath.rate(premiumPpm, INTEREST_PPM, CLAMP_PPM, CAP_PPM);
        return (f.indexAt(block.timestamp), ratePpmPerHour, f.lastUpdate(), premiumPpm);
    }

    /// @inheritdoc IPerpMarket
    function markPrice() external view returns (uint256 indexLotWad, uint256 markLotWad) {
        return _prices();
    }

    /// @inheritdoc IPerpMarket
    function premiumState()
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
        FundingWord f = _funding;
        PremiumWord iw = _index;
        return (
            _smoothedNow(f, iw),
            f.premium(),
            iw.target(),
            f.lastUpdate(),
            iw.impactUsd(),
            iw.halfLife(),
            iw.countedTick(),
            iw.countedSide()
        );
    }

    /// @inheritdoc IPerpMarket
    function openInterest() external view returns (uint256 longLots, uint256 fundingPaid, uint256 fundingReceived) {
        PerpStats s = _stats;
        return (s.longLots(), s.paid(), s.received());
    }

    /// @inheritdoc IPerpMarket
    function lossPerLot() external view returns (uint256 longLossPerLot, uint256 shortLossPerLot) {
        LossWord loss = _loss;
        return (loss.perLongLot(), loss.perShortLot());
    }

    /// @inheritdoc IPerpMarket
    function perpParams() external view returns (PerpMarketParams memory p) {
        p.underlying = BASE;
        p.quote = QUOTE;
        p.lotSize = uint128(LOT_SIZE);
        p.tickSize = uint128(TICK_SIZE);
        p.minLots = uint64(MIN_LOTS);
        (p.makerFeeBps, p.takerFeeBps) = (_book.top.makerFeeBps(), _book.top.takerFeeBps());
        p.maxMakerFeeBps = uint16(MAX_MAKER_FEE_BPS);
        p.oiCapLots = uint64(OI_CAP);
        p.positionCapLots = uint64(POSITION_CAP);
        p.maxPremiumBps = uint16(uint256(MAX_PREMIUM_PPM) / 100);
        p.interestPpmPerHour = int32(INTEREST_PPM);
        p.fundingClampPpm = uint32(uint256(CLAMP_PPM));
        p.fundingCapPpm = uint32(uint256(CAP_PPM));
        p.liquidityBps = uint16(LIQUIDITY_BPS);
        p.impactNotionalUsd = uint64(IMPACT_USD);
        p.basisBps = uint16(BASIS_BPS);
        p.floorBps = uint16(FLOOR_BPS);
    }
}
