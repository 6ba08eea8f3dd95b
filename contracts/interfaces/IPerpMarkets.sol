// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {AccountId} from "../types/AccountId.sol";

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

/// @title The perpetual-futures markets inside the core, cash-settled in the quote asset
/// @notice Book, order words and events as `IMarkets`, plus reduce-only (order bit 158, checked
/// against the live position at placement and at every fill). Positions, unsettled cash and
/// open-order exposure are kept per market and account; cash settles into the vault balance
/// whenever the account acts (or anyone calls `settlePerp`). Liquidations and bankruptcies of perp
/// positions run here too. Formulas: docs/PERPS.md.
interface IPerpMarkets {
    // ---- errors ----
    /// @notice A reduce-only order would open or grow a position.
    error ReduceOnlyViolated(int256 positionLots, uint256 side, uint256 lots);
    /// @notice The fill would take open interest above the market's cap.
    error OpenInterestCap(uint256 longLots, uint256 capLots);
    /// @notice The fill or order would take the account's position above the cap.
    error PositionCap(uint256 lots, uint256 capLots);
    /// @notice Premium parameters outside their hard bounds (impact notional $100–$100,000,000,
    ///         half-life 10–3,600 s).
    error InvalidPremiumParams(uint256 impactNotionalUsd, uint256 halfLifeSeconds);
    /// @notice The quote token has more decimals than the funding index can carry without overflow
    ///         (`MAX_QUOTE_DECIMALS`).
    error QuoteDecimalsUnsupported(uint256 decimals, uint256 maxDecimals);

    // ---- events ----
    /// @notice Funding state after an update. `indexLotWad` = index price per lot in quote atoms
    ///         × 1e18; `ratePpmPerHour` the rate now in force; `premiumPpm` the mark's premium.
    event FundingUpdated(uint256 indexed marketId, int256 cumulativeFunding, int256 ratePpmPerHour, int256 premiumPpm, uint256 indexLotWad);
    /// @notice Unsettled cash moved into the Clearinghouse balance (signed quote atoms).
    event CashSettled(uint256 indexed marketId, AccountId indexed account, int256 quoteAtoms);
    /// @notice Governance set the premium's impact notional (whole USD) and half-life (seconds).
    event PremiumParamsSet(uint256 indexed marketId, uint256 impactNotionalUsd, uint256 halfLifeSeconds);
    /// @notice A bankrupt account's loss of `atoms` was charged to `side` (0 = longs, 1 = shorts):
    ///         its loss per lot rose by `perLotScaled` (quote atoms × 1e9 per lot).
    event LossSocialized(uint256 indexed marketId, AccountId indexed account, uint256 side, uint256 atoms, uint256 perLotScaled);

    // ---- governance ----
    /// @notice Sets the impact notional the premium is taken at (whole USD, each side of the book)
    ///         and the half-life of its smoothing (seconds: the mark moves at most maxPremium / (2 ×
    ///         half-life) per second). Bounds: `InvalidPremiumParams`; caller: governance (restricted).
    function setPremiumParams(uint256 marketId, uint256 impactNotionalUsd, uint256 halfLifeSeconds) external;

    // ---- trading and settlement ----
    /// @notice Settles the account's funding and moves its unsettled cash into its Clearinghouse
    ///         balance. Anyone may call.
    function settlePerp(uint256 marketId, address owner, uint8 sub) external;


    // ---- views ----
    /// @notice The account's position: signed lots, entry value (signed quote atoms), unsettled
    ///         cash and funding owed now (positive = the account pays; it includes the bankruptcy
    ///         losses charged to its side since it last settled), open bid and ask lots.
    function perpPositionOf(uint256 marketId, AccountId account)
        external
        view
        returns (int256 sizeLots, int256 entryAtoms, int256 cashAtoms, int256 fundingOwedAtoms, uint256 bidLots, uint256 askLots);

    /// @notice What ATLAS reads (see `PerpRisk`).
    function perpRiskOf(uint256 marketId, AccountId account) external view returns (PerpRisk memory);

    /// @notice Funding now: cumulative index (quote atoms × 1e9 per lot), rate in force (ppm per
    ///         hour), timestamp of the last update, and the smoothed premium of that update (ppm of
    ///         the index, truncated) the rate was computed from.
    function funding(uint256 marketId)
        external
        view
        returns (int256 cumulative, int256 ratePpmPerHour, uint256 lastUpdate, int256 premiumPpm);

    /// @notice Index and mark price per lot in quote atoms × 1e18: mark = index × (1e10 + premium
    ///         now) / 1e10, the smoothed impact premium (`premiumState`), truncated.
    function markPrice(uint256 marketId) external view returns (uint256 indexLotWad, uint256 markLotWad);

    /// @notice The mark's premium (fractions of the index × 1e10): smoothed now, smoothed at the last
    ///         update, the target it moves toward (the impact premium sampled then), the last update's
    ///         time, the impact notional (USD) and half-life (s), and the deepest tick (and its side,
    ///         0 = bids) the target counted.
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
        );

    /// @notice Cumulative bankruptcy loss charged per long and per short lot (quote atoms × 1e9 per
    ///         lot, only rising). A position owes |size| × (now − at its last settlement) of its side's.
    function lossPerLot(uint256 marketId) external view returns (uint256 longLossPerLot, uint256 shortLossPerLot);

    /// @notice Open interest (long lots) and the funding totals settled so far (quote atoms). Paid
    ///         includes the bankruptcy charges settled; received the losses socialised (credited to
    ///         the bankrupt positions at once).
    function openInterest(uint256 marketId) external view returns (uint256 longLots, uint256 fundingPaid, uint256 fundingReceived);

    /// @notice The market's parameters.
    function perpParams(uint256 marketId) external view returns (PerpMarketParams memory);

    // ---- liquidation and bankruptcy of perp positions ----
    /// @notice The account has no position on the market.
    error NoPosition(AccountId account);
    /// @notice Zero lots, more lots than the position, or a spot leg that is not an opposite hedge.
    error InvalidLiquidation(int256 position, uint256 lots);

    /// @notice A liquidator took over `lots` (signed, as the liquidator's trade) of the account's
    ///         position at `priceAtoms` per lot; `spotAtoms` of the hedging spot leg moved with it.
    event PositionLiquidated(
        uint256 indexed marketId,
        AccountId indexed account,
        AccountId liquidator,
        int256 lots,
        uint256 priceAtoms,
        uint256 spotAtoms,
        uint256 discountBps
    );
    /// @notice A bankrupt position of `lots` closed at the mark (`priceAtoms` per lot) into the
    ///         `resolver`'s account; the market's fees covered `feeAtoms` of the shortfall, the
    ///         opposite side owes `socializedAtoms` through its loss index.
    event BankruptcyResolved(
        uint256 indexed marketId,
        AccountId indexed account,
        AccountId resolver,
        int256 lots,
        uint256 priceAtoms,
        uint256 feeAtoms,
        uint256 socializedAtoms
    );

    /// @notice Takes over `lots` of a liquidatable account's position on market `marketId` into the
    ///         caller's sub-account `liquidatorSub`, at the mark ∓ the discount. With `withSpot`
    ///         the caller also takes the account's opposite spot leg (`lots` × lotSize atoms of the
    ///         underlying) at the index ∓ the smaller hedge discount, and the perp leg moves at the mark.
    /// @dev The account must have no open orders on the market (cancel them with
    ///      `cancelForLiquidation`); its maintenance value must rise and stay within the buffer.
    /// @return priceAtoms Quote atoms per lot the position moved at.
    function liquidatePerp(uint256 marketId, AccountId account, uint256 lots, uint8 liquidatorSub, bool withSpot)
        external
        returns (uint256 priceAtoms);

    /// @notice Closes the position of a bankrupt account (no positive balance, no spot pockets, no
    ///         value on another perp market, no open orders here) whose position is under water at
    ///         the mark: the caller's sub-account `resolverSub` takes it over at the mark (rounded
    ///         its way, margin-checked if its risk grows; an opposite holder closes against it, and
    ///         open interest shrinks); the market's fees cover the shortfall first, then the rest
    ///         is charged to every opposite-side lot through the market's loss index
    ///         (`absorbLoss` in docs/PERPS.md). Costs the same whatever the number of counterparties.
    /// @return priceAtoms Quote atoms per lot the position moved at.
    function resolveBankruptcy(uint256 marketId, AccountId account, uint8 resolverSub) external returns (uint256 priceAtoms);
}
