// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IAccessManaged} from "@openzeppelin/contracts/access/manager/IAccessManaged.sol";
import {IAccessManager} from "@openzeppelin/contracts/access/manager/IAccessManager.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IPerpMarket, PerpMarketParams, PerpRisk} from "./interfaces/IPerpMarket.sol";
import {IOrderBook, BookParams} from "./interfaces/IOrderBook.sol";
import {IPriceOracle} from "./interfaces/IPriceOracle.sol";
import {AccountId} from "./types/AccountId.sol";
import {FundingWord} from "./types/FundingWord.sol";
import {PerpRiskReturn} from "./libraries/PerpRiskReturn.sol";
import {OrderWord} from "./types/OrderWord.sol";
import {OrderSlot} from "./types/OrderSlot.sol";
import {TopWord} from "./types/TopWord.sol";
import {OrderBook} from "./book/OrderBook.sol";
import {Ctx, Taker} from "./book/BookCtx.sol";
import {PerpLib} from "./perp/PerpLib.sol";

/// @title PerpMarket: one perpetual-futures book, cash-settled in the quote asset
/// @notice The book is `OrderBook`'s. Per account two slots: the position (size, entry value,
/// funding snapshot) and the pocket (open bid and ask lots, order count, unsettled cash). A maker
/// fill writes both; the account's own actions settle its cash into the Clearinghouse. Formulas
/// (mark, funding, realised PnL, liquidation, bankruptcy) are in docs/PERPS.md.
/// @dev The perp state and its arithmetic are `PerpLib`'s (one `PerpLib.State`, `_perp`); this
/// contract holds them with the market's constants, and keeps what crosses to another contract
/// (the oracle's prices, the Clearinghouse's settlement, the liquidator's checks) and what touches
/// the book's storage (its top word, levels and bitmap, passed into `PerpLib` as arguments).
contract PerpMarket is IPerpMarket, OrderBook {
    /// @notice Book levels one impact walk reads per side at most: it runs on trading paths.
    uint256 public constant MAX_IMPACT_LEVELS = PerpLib.MAX_IMPACT_LEVELS;
    /// @notice Hard bounds of the governance-set premium parameters.
    uint256 public constant MIN_PREMIUM_IMPACT_USD = PerpLib.MIN_PREMIUM_IMPACT_USD;
    uint256 public constant MAX_PREMIUM_IMPACT_USD = PerpLib.MAX_PREMIUM_IMPACT_USD;
    uint256 public constant MIN_PREMIUM_HALF_LIFE = PerpLib.MIN_PREMIUM_HALF_LIFE;
    uint256 public constant MAX_PREMIUM_HALF_LIFE = PerpLib.MAX_PREMIUM_HALF_LIFE;
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

    /// @dev Positions, pockets, funding, premium, totals and the loss index (`PerpLib.State`; its
    ///      slots are where this contract's own variables of the same names stood).
    PerpLib.State internal _perp;
    /// @dev This call removed depth the premium's target counted: `_flush` re-samples.
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
        PerpLib.initialize(_perp);
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
        PerpLib.setPremiumParams(_perp, MAX_PREMIUM_PPM, impactNotionalUsd, halfLifeSeconds);
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
        PerpLib.transferPosition(_perp, a, b, lots, priceAtoms, OI_CAP);
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
        // (2) the market's fees (the book's top word), in whole tick units rounded up: the account
        // gets the dust
        TopWord top = _book.top;
        uint256 ticks = Math.ceilDiv(lossAtoms, TICK_SIZE);
        if (ticks > top.feesAccrued()) ticks = top.feesAccrued();
        _book.top = top.subFees(ticks);
        feeAtoms = ticks * TICK_SIZE;
        // (4) the rest through the opposite side's loss index
        socializedAtoms = PerpLib.absorbLoss(_perp, account, lossAtoms, feeAtoms);
    }

    /// @inheritdoc IPerpMarket
    function liquidationSwap(AccountId from, AccountId to, uint256 baseAtoms, uint256 quoteAtoms) external onlyLiquidator {
        CLEARINGHOUSE.liquidationSwap(INDEX, BASE, QUOTE, from, to, baseAtoms, quoteAtoms);
    }

    /// @inheritdoc IPerpMarket
    function accrue() external onlyLiquidator {
        PerpLib.accrue(_perp, MAX_PREMIUM_PPM);
    }

    // ------------------------------------------------------------------ book hooks

    function _checkPlace(Ctx memory c, OrderWord p, uint256 side, uint256 lots) internal view override {
        PerpLib.checkPlace(c, p, side, lots, POSITION_CAP);
    }

    function _lock(Ctx memory c, uint256 side, uint256, uint256 lots) internal pure override {
        PerpLib.lock(c, side, lots);
    }

    function _unlock(Ctx memory c, uint256 side, uint256 tick, uint256 lots) internal override {
        PerpLib.unlock(c, side, lots);
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
            _updateFunding(_book.top);
        }
    }

    function _makerFillable(OrderSlot ow, uint256 olots, uint256 makerSide) internal view override returns (uint256) {
        return PerpLib.makerFillable(_perp, ow, olots, makerSide, POSITION_CAP);
    }

    function _trimMaker(AccountId acct, uint256 side, uint256 tick, uint256 lots, bool ends) internal override {
        PerpLib.trimMaker(_perp, acct, side, lots, ends);
        _noteRemoval(side, tick);
    }

    /// @dev Records that this call removed lots the premium's target counted (`PerpLib.removesCounted`):
    /// the call then re-samples. A transient flag of the holder: a library's `State` holds no
    /// transient storage.
    function _noteRemoval(uint256 side, uint256 tick) internal {
        if (_depthRemoved) return;
        if (PerpLib.removesCounted(_perp, side, tick)) _depthRemoved = true;
    }

    function _openCount(AccountId acct) internal view override returns (uint256) {
        return PerpLib.openCount(_perp, acct);
    }

    function _fillMaker(TopWord top, Taker memory t, AccountId acct, uint256 f, bool done) internal override {
        PerpLib.fillMaker(_perp, top, t, acct, f, done, TICK_SIZE);
    }

    /// @dev The fills began at the maker side's best price as stored (the book's top is written in
    /// `_flush`): that removal is noted before `PerpLib` books the taker's side.
    function _settleTaker(Ctx memory c, Taker memory t, uint256 kind) internal override {
        _noteRemoval(t.side ^ 1, _book.top.best(t.side ^ 1));
        uint256 takerFee = PerpLib.settleTaker(_perp, c, t, TICK_SIZE, OI_CAP);
        _emitTrade(c, t, kind, takerFee);
    }

    // ------------------------------------------------------------------ working copy

    function _load(AccountId acct) internal view override returns (Ctx memory c) {
        PerpLib.load(_perp, acct, c);
    }

    /// @dev Only `cancelForLiquidation` calls this outside `_flush`: if its cancels removed counted
    /// depth, the book's top is written first and the premium re-sampled.
    function _storePocket(Ctx memory c) internal override {
        PerpLib.writePocket(_perp, c);
        if (_depthRemoved) {
            _depthRemoved = false;
            if (c.topLoaded) _book.top = c.top;
            _updateFunding(_book.top);
        }
    }

    /// @dev Writes pocket and (if it traded) position (`PerpLib.flush`), refreshes funding after a
    /// book move, settles the cash into the Clearinghouse and has it margin-check a risk-adding action.
    function _flush(Ctx memory c) internal override {
        (int256 cash, bool riskUp, FundingWord fw, bool fwRead) = PerpLib.flush(_perp, c, POSITION_CAP);
        bool removed = _depthRemoved;
        if (removed) _depthRemoved = false;
        if (c.topLoaded) {
            TopWord before = _book.top; // warm: loaded by `_loadTop`
            _book.top = c.top;
            // a place or a take: a new sample and rate if the best bid or ask moved or counted depth
            // left, else only if the index is due for a refresh. A liquidation transfer leaves the
            // book alone, so the mark it priced at stays the one ATLAS values at.
            if (removed || before.bestsDiffer(c.top) || PerpLib.indexDue(_perp, fw, fwRead)) _updateFunding(c.top);
        } else if (removed) {
            _updateFunding(_book.top); // an amend or a cancel took counted lots off a level it left non-empty
        }
        if (cash != 0 || riskUp) {
            CLEARINGHOUSE.settlePerp(INDEX, BASE, QUOTE, c.account, cash, riskUp);
            if (cash != 0) emit CashSettled(c.account, cash);
        }
    }

    // ------------------------------------------------------------------ funding and prices

    /// @dev Reads both oracle prices (with no usable one the index per lot is 0: the index runs on at
    /// the rate in force) and has `PerpLib` sample the book: `top` is the book's top word as stored.
    function _updateFunding(TopWord top) internal {
        (bool ok, uint256 pu,) = ORACLE.tryPrice(BASE);
        (bool okQ, uint256 pq,) = ORACLE.tryPrice(QUOTE);
        uint256 indexLot;
        if (ok && okQ) indexLot = PerpLib.indexLotOf(pu, pq, LOT_SIZE, BASE_UNIT, QUOTE_UNIT);
        // the market's constants a sample reads (`PerpLib.Config`; the core will load them per market
        // id), built in place: a struct returned by a helper is first allocated zeroed (≈ 200 gas more)
        PerpLib.updateFunding(
            _perp,
            PerpLib.Config({
                tickSize: TICK_SIZE,
                quoteUnit: QUOTE_UNIT,
                maxPremiumPpm: MAX_PREMIUM_PPM,
                interestPpmPerHour: INTEREST_PPM,
                clampPpm: CLAMP_PPM,
                capPpm: CAP_PPM
            }),
            indexLot,
            pq,
            top,
            _book.levels,
            _book.bitmap
        );
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IPerpMarket
    function positionOf(AccountId account)
        external
        view
        returns (int256 sizeLots, int256 entryAtoms, int256 cashAtoms, int256 fundingOwedAtoms, uint256 bidLots, uint256 askLots)
    {
        return PerpLib.positionOf(_perp, account);
    }

    /// @inheritdoc IPerpMarket
    /// @dev No oracle call: the smoothed premium now, applied to the index per lot of the last sample
    /// (ATLAS prices the size at its own oracle read).
    function riskOf(AccountId account) external view returns (PerpRisk memory r) {
        PerpLib.riskOf(_perp, account, r, LOT_SIZE, MAX_PREMIUM_PPM);
        r.underlying = BASE;
        r.quote = QUOTE;
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
        return PerpLib.pocketOf(_perp, _account(owner, sub), LOT_SIZE);
    }

    /// @inheritdoc IPerpMarket
    function funding() external view returns (int256 cumulative, int256 ratePpmPerHour, uint256 lastUpdate, int256 premiumPpm) {
        return PerpLib.fundingView(_perp, INTEREST_PPM, CLAMP_PPM, CAP_PPM);
    }

    /// @inheritdoc IPerpMarket
    function markPrice() external view returns (uint256 indexLotWad, uint256 markLotWad) {
        (uint256 pu,) = ORACLE.price(BASE);
        (uint256 pq,) = ORACLE.price(QUOTE);
        indexLotWad = PerpLib.indexLotOf(pu, pq, LOT_SIZE, BASE_UNIT, QUOTE_UNIT);
        markLotWad = PerpLib.markPrice(_perp, indexLotWad, MAX_PREMIUM_PPM);
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
        return PerpLib.premiumState(_perp, MAX_PREMIUM_PPM);
    }

    /// @inheritdoc IPerpMarket
    function openInterest() external view returns (uint256 longLots, uint256 fundingPaid, uint256 fundingReceived) {
        return PerpLib.openInterest(_perp);
    }

    /// @inheritdoc IPerpMarket
    function lossPerLot() external view returns (uint256 longLossPerLot, uint256 shortLossPerLot) {
        return PerpLib.lossPerLot(_perp);
    }

    /// @inheritdoc IPerpMarket
    /// @dev Safe narrowing casts: each constant came from a `PerpMarketParams` field of the same width.
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
