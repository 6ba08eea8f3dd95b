// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {AccountId} from "../types/AccountId.sol";
import {IAtlas} from "./IAtlas.sol";
import {AtlasMath} from "../libraries/AtlasMath.sol";
import {ICoreLending} from "./ICoreLending.sol";
import {IOracle} from "./IOracle.sol";
import {IMarkets} from "./IMarkets.sol";
import {IPerpMarkets, PerpMarketParams} from "./IPerpMarkets.sol";

/// @notice Parameters of a spot market, fixed at listing except the fees.
/// @param base Token bought and sold (sizes are lots of `lotSize` base atoms).
/// @param quote Token prices are paid in (a price is `tick * tickSize` quote atoms per lot).
/// @param lotSize Base atoms per lot.
/// @param tickSize Quote atoms per lot per tick.
/// @param minLots Smallest order size in lots.
/// @param makerFeeBps Maker fee in basis points; negative is a rebate (at most the taker fee).
/// @param takerFeeBps Taker fee in basis points.
/// @param maxMakerFeeBps Hard upper bound on the maker fee for this market's life; bids lock
///        this much fee on top of their cost so a fee change can never under-fund a bid.
struct SpotMarketParams {
    address base;
    address quote;
    uint128 lotSize;
    uint128 tickSize;
    uint64 minLots;
    int16 makerFeeBps;
    uint16 takerFeeBps;
    uint16 maxMakerFeeBps;
}

/// @notice One asset of an account as the risk engine reads it. `amount` is the signed balance
/// in its stored unit: token atoms when idle, supply shares of the asset's pool when lent
/// (`lent`), borrow shares when negative. `vault` is the asset's LendingVault (zero without a pool).
struct Position {
    address token;
    uint8 decimals;
    uint16 shockBps;
    uint16 slippageBps;
    uint16 lentHaircutBps;
    address vault;
    int256 amount;
    bool lent;
}

/// @notice Parameters of liquidation: the Dutch-auction discount grows linearly from 0 over
/// `rampSeconds` to `capShareBps` of the seized asset's shock + slippage (always below it, so a
/// liquidation raises maintenance value), and a liquidation may leave the account at most
/// `bufferBps` of its equity above zero maintenance value.
struct LiquidationParams {
    uint32 rampSeconds;
    uint16 capShareBps;
    uint16 bufferBps;
}

/// @title Clearinghouse: the one vault and the one account per trader
/// @notice Holds every listed token for every account; markets settle into it.
/// Balances are in each token's own atoms. Funds committed to a market (locked behind
/// resting orders, or fill proceeds not yet swept) live in that market's pocket for the
/// account and are not part of the balance here.
interface IClearinghouse is ICoreLending, IMarkets, IPerpMarkets, IOracle {
    // ---- errors ----
    /// @notice The token is not listed.
    error AssetNotListed(address token);
    /// @notice The token is listed already.
    error AssetAlreadyListed(address token);
    /// @notice The account's free balance is smaller than the amount asked for.
    error InsufficientBalance(address token, uint256 requested, uint256 available);
    /// @notice From and to sub-accounts are the same.
    error SameAccount();
    /// @notice A market parameter is zero, inconsistent or out of its hard bounds.
    error InvalidMarketParams();
    /// @notice The reserve holds less of the token than asked for.
    error InsufficientReserve(address token, uint256 requested, uint256 available);
    /// @notice The action would leave the account's initial value below zero.
    error InsufficientMargin(AccountId account, int256 initialWad);
    /// @notice The asset has no lending pool.
    error NoPool(address token);
    /// @notice Too many assets or markets for the account bitmasks (64 each).
    error CapacityReached();
    /// @notice A risk or liquidation parameter is outside its hard bounds.
    error InvalidRiskParams();
    /// @notice The risk parameters (initial scale, debt interest) are not set (`setRiskParams`).
    error NoRiskEngine();
    /// @notice An operator price band outside (0, MAX_OPERATOR_BAND_BPS].
    error InvalidOperatorBand(uint256 bandBps);
    /// @notice The account's maintenance value is not below zero.
    error NotLiquidatable(AccountId account, int256 maintenanceWad);
    /// @notice The account still has resting orders on a market: cancel them first.
    error OrdersStillOpen(uint256 marketId, uint256 count);
    /// @notice The account owes less of the token than the liquidator offered to repay.
    error RepayExceedsDebt(address token, uint256 repay, uint256 debt);
    /// @notice The account holds less of the collateral than the liquidation would seize.
    error InsufficientCollateral(address token, uint256 seize, uint256 available);
    /// @notice The liquidation would leave maintenance value above the buffer (overshoot).
    error LiquidationTooLarge(int256 maintenanceAfterWad, int256 bufferWad);
    /// @notice The liquidation would not raise the maintenance value.
    error LiquidationDidNotImprove(int256 beforeWad, int256 afterWad);
    /// @notice A liquidator may not liquidate its own account.
    error SelfLiquidation();
    /// @notice The account still holds pockets, or assets worth more than one cent or with equity >= 0: not bankrupt.
    error NotBankrupt(AccountId account);
    /// @notice The account owes nothing in this token.
    error NoDebt(address token);

    /// @notice Lent collateral whose pool had no cash to redeem it was seized as the pool's supply
    ///         shares: the liquidator's balance of that token must be empty or lent to receive them.
    error SeizedAsShares(address token);
    /// @notice A perp market's ATLAS parameters break the bounds of docs/RISK.md ("Parameter bounds")
    ///         with the risk engine's initial scale and the liquidation cap share: the basis charge β
    ///         must cover the premium clamp c and the hedged pair's liquidation discount through a
    ///         +30% move, β·(k − 1.3·q) ≥ 1.3·c, and the gross-notional floor φ ≤ β/2.
    error PerpRiskBounds(uint256 marketId, uint256 basisBps, uint256 maxPremiumBps, uint256 floorBps);

    // ---- events ----
    event AssetListed(address indexed token, uint8 decimals);
    event Deposited(AccountId indexed account, address indexed token, uint256 amount);
    event Withdrawn(AccountId indexed account, address indexed token, uint256 amount, address to);
    event Transferred(AccountId indexed from, AccountId indexed to, address token, uint256 amount);
    event OperatorSet(AccountId indexed account, address indexed operator, bool approved);
    /// @notice The price band the account's operators trade within is now `bandBps` around the index.
    event OperatorBandSet(AccountId indexed account, uint256 bandBps);
    event SpotMarketCreated(uint256 indexed marketId, SpotMarketParams params);
    event PerpMarketCreated(uint256 indexed marketId, PerpMarketParams params);
    event ReserveCredited(address indexed token, uint256 amount);
    event ReserveWithdrawn(address indexed token, uint256 amount, address treasury);
    event TreasurySet(address treasury);
    event LendingSet(AccountId indexed account, address indexed token, bool lent);
    event BorrowPolicySet(AccountId indexed account, bool forOrders, bool forWithdrawals);
    /// @notice New debt of `atoms` (`shares` borrow shares of the token's pool, held here); `to` is where
    ///         they went: the vault (a market settlement), or the receiver of a `borrow` or `withdraw`.
    ///         The only log of a borrow.
    event Borrowed(AccountId indexed account, address indexed token, uint256 atoms, uint256 shares, address to);
    /// @notice `atoms` paid in by `repay`, or by a `deposit` into a balance in debt, which burnt `shares`
    ///         borrow shares (0 if there was no debt); what exceeded the debt was credited to the balance.
    ///         A liquidation's repayment is in `Liquidated`; a market credit that repays debt is not logged
    ///         apart from the settlement.
    event Repaid(AccountId indexed account, address indexed token, uint256 atoms, uint256 shares);
    /// @notice A spot liquidation: `liquidator` repaid `repaidAtoms` of the account's `debtToken` debt,
    ///         burning `repaidShares` of its borrow shares (the one log of that repayment: no `Repaid`),
    ///         and took `seizedAtoms` of `collateralToken` at the oracle price less `discountBps`.
    event Liquidated(
        AccountId indexed account,
        AccountId indexed liquidator,
        address debtToken,
        uint256 repaidAtoms,
        uint256 repaidShares,
        address collateralToken,
        uint256 seizedAtoms,
        uint256 discountBps
    );
    event LiquidatableFlagged(AccountId indexed account, uint256 since);
    /// @notice The bits of markets where the account holds nothing (no position, orders, unswept
    ///         proceeds or unsettled cash) were cleared from its market mask.
    event MarketsPruned(AccountId indexed account, uint256 marketMask);
    event BadDebtSettled(AccountId indexed account, address indexed token, uint256 shares, uint256 lossAtoms);
    event AssetRiskSet(address indexed token, uint16 shockBps, uint16 slippageBps, uint16 lentHaircutBps);
    event RiskParamsSet(uint16 initialScaleBps, uint32 debtInterestSeconds);
    event LiquidationParamsSet(LiquidationParams params);
    event FrozenSet(bool frozen);

    // ---- accounts ----
    /// @notice Deposits `amount` of a listed `token` from the caller into sub-account `sub`: debt
    ///         first (then logged as `Repaid` too), the rest idle or lent as the account chose.
    /// @dev Refuses tokens that deliver less than `amount` (TransferShortfall): the pools' cash is in
    ///      the vault too, so a lent deposit or a repayment is pulled into it like an idle one.
    function deposit(address token, uint8 sub, uint256 amount) external;

    /// @notice Withdraws free balance to `to`. Owner only; operators may not withdraw.
    /// @dev Works while markets are paused; reverts Frozen during an incident freeze, and
    ///      InsufficientMargin if the account has a liability and would fall below initial value.
    ///      Proceeds still in a market pocket must be swept first.
    function withdraw(address token, uint8 sub, uint256 amount, address to) external;

    /// @notice Moves free balance between two of the caller's own sub-accounts.
    function transfer(address token, uint8 fromSub, uint8 toSub, uint256 amount) external;

    /// @notice Approves or revokes an operator (agent key) that may trade, but never withdraw
    ///         or transfer, for the caller's sub-account `sub`. An operator's orders keep to the
    ///         account's price band around the oracle index (`setOperatorBand`, default 2%).
    function setOperator(uint8 sub, address operator, bool approved) external;

    /// @notice Sets the price band, in bps around the oracle index price, within which the
    ///         operators of the caller's sub-account `sub` may trade: an operator's bid may not be
    ///         priced above index × (1 + band), its ask not below index × (1 − band). The owner's own
    ///         orders are never bounded. 0 < `bandBps` <= MAX_OPERATOR_BAND_BPS (50%).
    function setOperatorBand(uint8 sub, uint16 bandBps) external;

    /// @notice Whether `operator` may trade for `account`.
    function isOperator(AccountId account, address operator) external view returns (bool);

    /// @notice The price band of `account`'s operators in bps (the default, 200, until the owner sets one).
    function operatorBandOf(AccountId account) external view returns (uint256 bandBps);

    /// @notice For a book of `base` priced in `quote` (`lotSize` base atoms per lot, `tickSize` quote
    ///         atoms per lot per tick): whether `operator` may trade for `account`, and if so the
    ///         ticks its orders keep to: a bid at most `maxTick`, an ask at least `minTick`. The index
    ///         is the core's price of `base` over that of `quote` (`price`); the
    ///         edges round inward, in the account's favour. Reverts when a price is unavailable, so
    ///         an operator cannot place while the oracle is stale (cancels never ask).
    function operatorTickBand(
        AccountId account,
        address operator,
        address base,
        address quote,
        uint256 lotSize,
        uint256 tickSize
    ) external view returns (bool approved, uint256 minTick, uint256 maxTick);

    /// @notice Signed balance of `account` in `token`, in token atoms: idle or lent (with the
    ///         pool's interest) when positive, debt (with interest) when negative.
    function balanceOf(AccountId account, address token) external view returns (int256);

    // ---- lending and borrowing ----
    /// @notice Opts the caller's sub-account in or out of lending `token` to its pool: a positive
    ///         balance is then held as pool shares and earns the supply rate. Lent funds count at
    ///         the lent haircut, so turning lending on for a positive balance of an account with
    ///         debt must leave its initial value >= 0 (`InsufficientMargin`).
    function setLending(address token, uint8 sub, bool lent) external;

    /// @notice Whether orders (settled by markets) and withdrawals may take balances negative.
    ///         Losses may always do so; this governs voluntary borrowing only.
    function setBorrowPolicy(uint8 sub, bool forOrders, bool forWithdrawals) external;

    /// @notice Withdraws `atoms` to `to`, borrowing from the pool whatever the balance lacks (out of the
    ///         pool's cash, which is in the vault); the account's initial value must stay >= 0.
    function borrow(address token, uint8 sub, uint256 atoms, address to) external;

    /// @notice Pays `atoms` (pulled from the caller) into `owner`'s sub-account: debt first.
    ///         Never blocked by prices or pause. Logs `Repaid` with the borrow shares burnt.
    /// @dev Reverts ZeroAmount, AssetNotListed; TransferShortfall as `deposit`.
    function repay(address token, address owner, uint8 sub, uint256 atoms) external;

    /// @notice Partially liquidates `account`: the caller's sub-account `liquidatorSub` pays
    ///         `repayAtoms` of the account's `debtToken` debt and receives `collateralToken` worth
    ///         that much at the oracle price plus the Dutch-auction discount.
    /// @return seizedAtoms Collateral atoms moved to the liquidator.
    function liquidate(
        AccountId account,
        address debtToken,
        uint256 repayAtoms,
        address collateralToken,
        uint8 liquidatorSub
    ) external returns (uint256 seizedAtoms);

    /// @notice Records that `account` is liquidatable (starts its auction clock). Anyone may call.
    ///         On a healthy account it ends a running auction instead (a deposit or repayment that
    ///         restores the account ends it too, and so does a liquidation that restores it).
    function flagLiquidatable(AccountId account) external;

    /// @notice Clears from the account's market mask every market where it holds nothing (no
    ///         position, no orders, no unswept proceeds, no unsettled perp cash): that market's
    ///         parameters stop counting in its valuation, and valuing it stops reading the market.
    ///         The next order or settlement there sets the bit again. With no perp market left in
    ///         the mask, the account's perp-exposure flag is cleared too (it is no longer liable for
    ///         perps: its exits are margin-checked only if it has debt). Anyone may call.
    function pruneMarkets(AccountId account) external;

    /// @notice Whether the account's maintenance value is below zero.
    function isLiquidatable(AccountId account) external view returns (bool);

    /// @notice Writes off a bankrupt account's debt in `token` against that token's pool (its
    ///         reserve first, then its lenders). Anyone may call once the account holds nothing,
    ///         or once its equity is below zero and what it holds is worth at most one cent: that
    ///         dust (lent shares redeemed) goes to the reserve first (`ReserveCredited`).
    function settleBadDebt(AccountId account, address token) external;

    /// @notice The account's positions (`extra`, if not zero and not held, is added with amount 0)
    ///         and the ids of the markets where it may have a pocket.
    function positionsOf(AccountId account, address extra)
        external
        view
        returns (Position[] memory positions, uint256[] memory marketIds);

    // ---- ATLAS, valued here (RiskLib): the margin checks' own figures, equal to Atlas's views ----
    /// @notice Equity (no shocks), maintenance value and initial value of `account` (USD WAD), as
    ///         `IAtlas.riskOf`, valued by this contract from its own storage (docs/RISK.md).
    /// @dev Reverts PriceUnavailable when a held asset has no usable price, NoRiskEngine before
    ///      `setRiskParams`.
    function riskOf(AccountId account) external view returns (IAtlas.AccountRisk memory);

    /// @notice Initial value, the figure every risk-increasing action must leave >= 0 (`IAtlas.initialValue`).
    function initialValue(AccountId account) external view returns (int256);

    /// @notice Maintenance value; below zero the account may be liquidated (`IAtlas.maintenanceValue`).
    function maintenanceValue(AccountId account) external view returns (int256);

    /// @notice What a liquidation needs, from one valuation, as `IAtlas.liquidationQuote`: maintenance
    ///         value and equity, the debt owed in `debtToken` (atoms, rounded up; 0 if none), the oracle
    ///         prices of both tokens, and whether any funds rest behind open orders (told only when a
    ///         collateral is named).
    function liquidationQuote(AccountId account, address debtToken, address collateralToken)
        external
        view
        returns (
            int256 maintenanceWad,
            int256 equityWad,
            uint256 debtAtoms,
            uint256 debtPriceWad,
            uint256 collateralPriceWad,
            bool ordersOpen
        );

    /// @notice The entries ATLAS values the account from, priced (`extra`, if not zero and not held,
    ///         is added with amount 0): one per asset, and the spot books where it has funds locked.
    ///         The what-if views of `AtlasLens` start from these.
    function riskEntries(AccountId account, address extra)
        external
        view
        returns (AtlasMath.Entry[] memory entries, AtlasMath.Book[] memory books);

    /// @notice A listed asset's config word (`AssetWord`, lent flag clear).
    function assetWordOf(address token) external view returns (uint256);

    /// @notice One position of the account (amount 0 if none).
    function positionOf(AccountId account, address token) external view returns (Position memory);

    /// @notice Packed account state: held mask | debt mask << 64 | market mask << 128 | flags << 192 |
    ///         liquidatable-since << 208.
    function accountState(AccountId account) external view returns (uint256);

    // ---- governance (through the AccessManager) ----
    /// @notice Lists an ERC20 for deposits and markets.
    function listAsset(address token) external;

    /// @notice Creates a spot market on two listed assets; returns its market id (1, 2, …; at most 64
    ///         markets of both kinds).
    function createSpotMarket(SpotMarketParams calldata params) external returns (uint256 marketId);

    /// @notice Creates a perp market on two listed assets, valued at the core's prices (the risk
    ///         parameters must be set), whose basis charge, premium clamp and floor keep docs/RISK.md's
    ///         parameter bounds (`PerpRiskBounds`); returns its market id.
    function createPerpMarket(PerpMarketParams calldata params) external returns (uint256 marketId);

    /// @notice Pauses one market (`index`), or every market (`index` 0): no placements or takes
    ///         there; cancels, amends, purges and sweeps go on (guardian: at once; only governance
    ///         resumes, through `setMarketPaused` / `setAllPaused`).
    function pause(uint256 marketId) external;

    /// @notice Incident freeze (guardian, at once): stops withdrawals, transfers between sub-accounts,
    ///         voluntary borrows (`borrow`, withdrawals and orders that would borrow) and outside
    ///         lenders' pool withdrawals. Deposits, repayments, cancels, trading from balances and
    ///         liquidations go on. Only governance lifts it (`unfreeze`).
    function freeze() external;

    /// @notice Lifts the incident freeze (governance).
    function unfreeze() external;

    /// @notice Whether the venue is frozen (see `freeze`).
    function frozen() external view returns (bool);

    /// @notice Pauses or resumes placing and taking on one market (governance).
    function setMarketPaused(uint256 marketId, bool paused) external;

    /// @notice Pauses or resumes every market (governance).
    function setAllPaused(bool paused) external;

    /// @notice Changes a market's fees within its hard bounds.
    function setMarketFees(uint256 marketId, int16 makerFeeBps, uint16 takerFeeBps) external;

    /// @notice Sets an asset's shock, slippage (bps) and the haircut applied to lent balances.
    function setAssetRisk(address token, uint16 shockBps, uint16 slippageBps, uint16 lentHaircutBps) external;

    /// @notice Sets ATLAS's parameters: the initial scale (bps, 10,000–20,000)
    ///         and the seconds of interest a debt is charged ahead (at most a year), with which
    ///         every account is valued (`riskOf`, every margin check); every perp market must keep
    ///         the parameter bounds with the initial scale (`PerpRiskBounds`).
    function setRiskParams(uint16 initialScaleBps, uint32 debtInterestSeconds) external;

    /// @notice Sets the liquidation parameters within hard bounds; every listed perp market must
    ///         keep the parameter bounds with the new cap share (`PerpRiskBounds`).
    function setLiquidationParams(LiquidationParams calldata params) external;

    /// @notice Sets where reserve withdrawals go.
    function setTreasury(address treasury) external;

    /// @notice Sends reserve fees to the treasury (and only there).
    function withdrawReserve(address token, uint256 amount) external;

    // ---- views ----
    /// @notice The Dutch-auction discount (bps) a liquidator gets now on `collateral` of `account`.
    function liquidationDiscountBps(AccountId account, address collateral) external view returns (uint256);

    /// @notice Whether the account has no positive balance and nothing in any spot pocket (perp
    ///         positions aside): what a perp bankruptcy needs.
    function holdsNoAssets(AccountId account) external view returns (bool);

    /// @notice Bit i - 1 set: market i is a perp market.
    function perpMarketMask() external view returns (uint256);

    /// @notice ATLAS's parameters (`setRiskParams`; zeros before they are set).
    function riskParams() external view returns (uint16 initialScaleBps, uint32 debtInterestSeconds);

    /// @notice Liquidation parameters.
    function liquidationParams() external view returns (uint32 rampSeconds, uint16 capShareBps, uint16 bufferBps);

    function reserveOf(address token) external view returns (uint256);
    function marketCount() external view returns (uint256);
    function isListed(address token) external view returns (bool);
    function treasury() external view returns (address);
}
