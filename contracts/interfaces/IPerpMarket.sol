// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {AccountId} from "../types/AccountId.sol";
import {IOrderBook} from "./IOrderBook.sol";
import {IPriceOracle} from "./IPriceOracle.sol";

/// @notice Parameters of a perpetual market. Book fields as for spot; sizes are lots of
/// `lotSize` atoms of the underlying asset, prices `tick * tickSize` quote atoms per lot.
/// @param underlying Listed asset whose oracle price is the index (and with whose spot balance
///        a position nets in ATLAS).
/// @param quote Settlement asset (USDC): PnL, funding and fees move in it.
/// @param oiCapLots Cap on open interest (long lots = short lots).
/// @param positionCapLots Cap on one account's |position|.
/// @param maxPremiumBps Bound on the mark's premium over the index.
/// @param interestPpmPerHour Interest part of funding (ppm of the index per hour).
/// @param fundingClampPpm Clamp of (interest − premium) in the funding rate (ppm per hour).
/// @param fundingCapPpm Cap on |funding rate| (ppm per hour).
/// @param liquidityBps ATLAS liquidity charge on the scenario's perp notional (bps).
/// @param impactNotionalUsd Notional (USD, whole dollars) at which the size-scaled charge adds
///        another 100% of it: charge = n² / impact (0 = none).
/// @param basisBps ATLAS charge on hedged notional (spot and perp on opposite sides).
/// @param floorBps Floor on the requirement per underlying, as bps of gross notional.
struct PerpMarketParams {
    address underlying;
    address quote;
    uint128 lotSize;
    uint128 tickSize;
    uint64 minLots;
    int16 makerFeeBps;
    uint16 takerFeeBps;
    uint16 maxMakerFeeBps;
    uint64 oiCapLots;
    uint64 positionCapLots;
    uint16 maxPremiumBps;
    int32 interestPpmPerHour;
    uint32 fundingClampPpm;
    uint32 fundingCapPpm;
    uint16 liquidityBps;
    uint64 impactNotionalUsd;
    uint16 basisBps;
    uint16 floorBps;
}

/// @notice What ATLAS reads of one account on one perp market, in atoms.
/// @param underlying The asset the position nets with.
/// @param quote The settlement asset the cash leg is in.
/// @param sizeAtoms Signed position in underlying atoms.
/// @param bidAtoms Underlying atoms of open bids (a long if they fill).
/// @param askAtoms Underlying atoms of open asks.
/// @param cashAtoms Signed quote atoms of the position's cash leg: unsettled cash − entry value −
///        unsettled funding + size × (mark − index), each rounded against the account. So
///        sizeAtoms valued at the index plus cashAtoms is the position's value at the mark.
/// @param liquidityBps, impactNotionalUsd, basisBps, floorBps The market's ATLAS parameters.
/// @dev `AtlasReader._perp` reads these ten words of `riskOf`'s return data by position: keep the order.
struct PerpRisk {
    address underlying;
    address quote;
    int256 sizeAtoms;
    uint256 bidAtoms;
    uint256 askAtoms;
    int256 cashAtoms;
    uint256 liquidityBps;
    uint256 impactNotionalUsd;
    uint256 basisBps;
    uint256 floorBps;
}

/// @title One perpetual-futures order book, cash-settled in the quote asset
/// @notice Book, order words and events as `IOrderBook`, plus reduce-only (order bit 158, checked
/// against the live position at placement and at every fill). Positions, unsettled cash and
/// open-order exposure live here, per account; cash settles into the Clearinghouse balance
/// whenever the account acts (or anyone calls `settle`). Liquidations and bankruptcies run in
/// `PerpLiquidator`, which moves positions through the liquidator-only functions. Formulas: docs/PERPS.md.
interface IPerpMarket is IOrderBook {
    // ---- errors ----
    /// @notice A reduce-only order would open or grow a position.
    error ReduceOnlyViolated(int256 positionLots, uint256 side, uint256 lots);
    /// @notice The fill would take open interest above the market's cap.
    error OpenInterestCap(uint256 longLots, uint256 capLots);
    /// @notice The fill or order would take the account's position above the cap.
    error PositionCap(uint256 lots, uint256 capLots);
    /// @notice A market parameter is zero, inconsistent or out of its hard bounds.
    error InvalidMarketParams();
    /// @notice Only the PerpLiquidator may call this.
    error NotLiquidator(address caller);
    /// @notice Only governance (the Clearinghouse's AccessManager, immediately) may call this.
    error NotGovernance(address caller);
    /// @notice Premium parameters outside their hard bounds (impact notional $100–$100,000,000,
    ///         half-life 10–3,600 s).
    error InvalidPremiumParams(uint256 impactNotionalUsd, uint256 halfLifeSeconds);
    /// @notice The quote token has more decimals than the funding index can carry without overflow
    ///         (`MAX_QUOTE_DECIMALS`).
    error QuoteDecimalsUnsupported(uint256 decimals, uint256 maxDecimals);

    // ---- events ----
    /// @notice Funding state after an update. `indexLotWad` = index price per lot in quote atoms
    ///         × 1e18; `ratePpmPerHour` the rate now in force; `premiumPpm` the mark's premium.
    event FundingUpdated(int256 cumulativeFunding, int256 ratePpmPerHour, int256 premiumPpm, uint256 indexLotWad);
    /// @notice Unsettled cash moved into the Clearinghouse balance (signed quote atoms).
    event CashSettled(AccountId indexed account, int256 quoteAtoms);
    /// @notice Governance set the premium's impact notional (whole USD) and half-life (seconds).
    event PremiumParamsSet(uint256 impactNotionalUsd, uint256 halfLifeSeconds);
    /// @notice A bankrupt account's loss of `atoms` was charged to `side` (0 = longs, 1 = shorts):
    ///         its loss per lot rose by `perLotScaled` (quote atoms × 1e9 per lot).
    event LossSocialized(AccountId indexed account, uint256 side, uint256 atoms, uint256 perLotScaled);

    // ---- governance ----
    /// @notice Sets the impact notional the premium is taken at (whole USD, each side of the book)
    ///         and the half-life of its smoothing (seconds: the mark moves at most maxPremium / (2 ×
    ///         half-life) per second). Bounds: `InvalidPremiumParams`; caller: `NotGovernance`.
    function setPremiumParams(uint256 impactNotionalUsd, uint256 halfLifeSeconds) external;

    // ---- trading and settlement ----
    /// @notice Settles the account's funding and moves its unsettled cash into its Clearinghouse
    ///         balance. Anyone may call.
    function settle(address owner, uint8 sub) external;

    // ---- PerpLiquidator only ----
    /// @notice `to` buys `lots` (negative: sells) of `from`'s position at `priceAtoms` per lot;
    ///         both settle, and `to` is margin-checked when `checkTo`.
    function transferPosition(AccountId from, AccountId to, int256 lots, uint256 priceAtoms, bool checkTo) external;

    /// @notice Covers `lossAtoms` of a bankrupt account's loss into its cash: first the market's
    ///         accrued fees (up to all of them, in whole tick units rounded up: the account gets the
    ///         dust), then the rest is charged to the opposite side of the account's position by
    ///         raising that side's cumulative loss per lot by ⌈rest × 1e9 / open interest⌉ (rounded
    ///         up: the payers pay the dust, the market never credits more than it charges). Each
    ///         opposite position pays its share when next touched (trade, settle, liquidation), and
    ///         every valuation counts it meanwhile. O(1) whatever the number of counterparties.
    /// @return feeAtoms Covered by the fees.
    /// @return socializedAtoms Charged to the opposite side.
    function absorbLoss(AccountId account, uint256 lossAtoms) external returns (uint256 feeAtoms, uint256 socializedAtoms);

    /// @notice Forwards a hedge unwind to the Clearinghouse as this market (`liquidationSwap`).
    function liquidationSwap(AccountId from, AccountId to, uint256 baseAtoms, uint256 quoteAtoms) external;

    /// @notice Brings the funding index to now.
    function accrue() external;

    /// @notice The liquidation contract this market trusts.
    function LIQUIDATOR() external view returns (address);

    /// @notice The price source of the index (the risk engine's oracle).
    function ORACLE() external view returns (IPriceOracle);


    // ---- views ----
    /// @notice The account's position: signed lots, entry value (signed quote atoms), unsettled
    ///         cash and funding owed now (positive = the account pays; it includes the bankruptcy
    ///         losses charged to its side since it last settled), open bid and ask lots.
    function positionOf(AccountId account)
        external
        view
        returns (int256 sizeLots, int256 entryAtoms, int256 cashAtoms, int256 fundingOwedAtoms, uint256 bidLots, uint256 askLots);

    /// @notice What ATLAS reads (see `PerpRisk`).
    function riskOf(AccountId account) external view returns (PerpRisk memory);

    /// @notice Funding now: cumulative index (quote atoms × 1e9 per lot), rate in force (ppm per
    ///         hour), timestamp of the last update, and the smoothed premium of that update (ppm of
    ///         the index, truncated) the rate was computed from.
    function funding()
        external
        view
        returns (int256 cumulative, int256 ratePpmPerHour, uint256 lastUpdate, int256 premiumPpm);

    /// @notice Index and mark price per lot in quote atoms × 1e18: mark = index × (1e10 + premium
    ///         now) / 1e10, the smoothed impact premium (`premiumState`), truncated.
    function markPrice() external view returns (uint256 indexLotWad, uint256 markLotWad);

    /// @notice The mark's premium (fractions of the index × 1e10): smoothed now, smoothed at the last
    ///         update, the target it moves toward (the impact premium sampled then), the last update's
    ///         time, the impact notional (USD) and half-life (s), and the deepest tick (and its side,
    ///         0 = bids) the target counted.
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
        );

    /// @notice Cumulative bankruptcy loss charged per long and per short lot (quote atoms × 1e9 per
    ///         lot, only rising). A position owes |size| × (now − at its last settlement) of its side's.
    function lossPerLot() external view returns (uint256 longLossPerLot, uint256 shortLossPerLot);

    /// @notice Open interest (long lots) and the funding totals settled so far (quote atoms). Paid
    ///         includes the bankruptcy charges settled; received the losses socialised (credited to
    ///         the bankrupt positions at once).
    function openInterest() external view returns (uint256 longLots, uint256 fundingPaid, uint256 fundingReceived);

    /// @notice The market's parameters.
    function perpParams() external view returns (PerpMarketParams memory);
}
