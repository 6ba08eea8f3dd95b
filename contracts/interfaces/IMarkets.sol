// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {AccountId} from "../types/AccountId.sol";
import {OrderFields} from "../types/OrderWord.sol";

/// @notice A market's constants (`marketInfo`).
/// @param perp True for a perpetual-futures market, false for spot.
/// @param base Spot: the base token. Perp: the underlying asset (its oracle price, netting with spot).
/// @param quote The quote (settlement) token.
/// @param lotSize Base (underlying) atoms per lot.
/// @param tickSize Quote atoms per lot per tick.
/// @param minLots Smallest order size in lots.
/// @param maxMakerFeeBps Hard bound of the maker fee (rebate) and of what a resting bid locks for it.
/// @param minPricePerLot Lowest quotable price, quote atoms per lot (tick 1: `tickSize`).
/// @param maxPricePerLot Highest quotable price, quote atoms per lot (`MAX_TICK` = 255³ − 1 ticks).
/// @param maxOrderLots Largest order size in lots (the 48-bit lots field of an order).
struct MarketInfo {
    bool perp;
    address base;
    address quote;
    uint256 lotSize;
    uint256 tickSize;
    uint256 minLots;
    uint256 maxMakerFeeBps;
    /// Hard bound of the taker fee; the maker fee's lower bound is minus the current taker fee.
    uint256 maxTakerFeeBps;
    /// Current maker fee (negative = rebate) and taker fee, in basis points of notional.
    int256 makerFeeBps;
    uint256 takerFeeBps;
    /// Whether the market is paused (a pause halts the book: no place, take or amend).
    bool paused;
    uint256 minPricePerLot;
    uint256 maxPricePerLot;
    uint256 maxOrderLots;
}

/// @title The order books inside the core, spot and perp, each addressed by its market id
/// @notice Every market lives in the one core and is addressed by its id (1, 2, …: the order
/// it was created in, also carried in each order id). Prices are linear ticks (`tick * tickSize` quote atoms per lot), sizes are lots of
/// `lotSize` base (or underlying) atoms. Calldata is packed into words; each layout is a type in
/// `contracts/types/` (`OrderWord`, `OrderId`, `BatchOp`, the event words in `TradeWords`), drawn
/// in `docs/EVENTS.md` too, and the SDK's codec (`sdk/src/math/codec.ts`) builds them.
///
/// Order word (uint256, bit 0 = least significant):
///   [47..0] lots | [71..48] tick | [72] side (0 bid, 1 ask) | [75..73] type (0 GTC, 1 post-only,
///   2 IOC, 3 FOK, 4 market) | [77..76] self-trade mode (0 cancel resting, 1 cancel incoming,
///   2 cancel both) | [85..78] max fills (0 = market default) | [93..86] sub-account |
///   [125..94] expiry (unix seconds, 0 = none) | [157..126] client order id (0 = none) |
///   [158] reduce-only (perp markets only; a spot market rejects it as ReduceOnlyOnSpot) |
///   [255..159] zero (else OrderWordUnusedBits). `placeOrderFields` takes the same fields unpacked.
/// Order id (uint256): [31..0] queue position | [63..32] level epoch | [87..64] tick |
///   [88] side | [111..96] market index
/// Batch op (uint256): [255..254] kind (0 place: order word, its sub-account = the batch's;
///   1 cancel: order id; 2 amend: order id | new lots << 112; 3 cancel by client id: client id in
///   [39..8]) | [253] skip if missing (kinds 1-3; other bits of kinds 1-3 zero), `BatchOp`
/// Batch result (uint256): [111..0] order id | [159..112] filled lots | [207..160] lots |
///   [215..208] status (1 placed, 2 filled, 3 unfilled, 4 cancelled, 5 amended, 6 skipped), `BatchResult`
interface IMarkets {
    // ---- errors ----
    /// @notice Size of zero lots.
    error ZeroSize();
    /// @notice Size below the market's minimum.
    error BelowMinSize(uint256 lots, uint256 minLots);
    /// @notice Tick is zero or above the book's last tick.
    error TickOutOfRange(uint256 tick);
    /// @notice Expiry is in the past.
    error Expired(uint256 expiry);
    /// @notice Unknown order kind (0 GTC, 1 post-only, 2 IOC, 3 FOK, 4 market).
    error InvalidOrderKind(uint256 kind);
    /// @notice Unknown self-trade mode (0 cancel resting, 1 cancel incoming, 2 cancel both).
    error InvalidSelfTradeMode(uint256 mode);
    /// @notice A reduce-only order on a spot market (reduce-only is for perp markets).
    error ReduceOnlyOnSpot();
    /// @notice An order word with a bit set outside its fields (bits 159..255 must be zero).
    error OrderWordUnusedBits(uint256 order);
    /// @notice An order size above what one order can hold (`MarketInfo.maxOrderLots`).
    error LotsAboveMax(uint256 lots, uint256 maxLots);
    /// @notice An order side other than 0 (bid) or 1 (ask).
    error InvalidSide(uint256 side);
    /// @notice A sub-account above 255.
    error SubAccountOutOfRange(uint256 sub);
    /// @notice An expiry that does not fit 32 bits of unix seconds.
    error ExpiryOutOfRange(uint256 expiry);
    /// @notice A client order id that does not fit 32 bits.
    error ClientOrderIdOutOfRange(uint256 clientOrderId);
    /// @notice Caller is neither the account's owner nor an operator it approved.
    error NotAuthorized(address caller, AccountId account);
    /// @notice An operator's order is priced outside the owner's band around the oracle index: a bid
    ///         above `maxTick` or an ask below `minTick` (`IClearinghouse.setOperatorBand`).
    error OperatorPriceOutOfBand(uint256 tick, uint256 minTick, uint256 maxTick);
    /// @notice Placing and taking are paused on this market.
    error MarketPaused();
    /// @notice A post-only order would have crossed a live order (expired ones it crosses are removed
    ///         first, at most 8; past that `bestOpposite` may be a level still holding expired ones).
    error PostOnlyWouldCross(uint256 tick, uint256 bestOpposite);
    /// @notice A fill-or-kill order could not be filled completely.
    error FokNotFilled(uint256 lots, uint256 filledLots);
    /// @notice A lone market order filled nothing within its worst price (no live order there, or
    ///         only expired ones or the caller's own, removed by self-trade prevention). In a batch
    ///         such an order does not revert: it is reported unfilled and logs `OrderDropped`.
    error WorstPriceExceeded(uint256 worstTick, uint256 bestOpposite);
    /// @notice More fills asked for than the market allows in one transaction.
    error TooManyFills(uint256 requested, uint256 maxFills);
    /// @notice The account already has the maximum number of open orders on this market.
    error TooManyOpenOrders(uint256 maxOpenOrders);
    /// @notice The price level holds 256 live orders (or its queue spans 32,512 positions).
    error LevelFull(uint256 tick);
    /// @notice No live order has this id on this market.
    error OrderNotFound(uint256 orderId);
    /// @notice The order belongs to another account.
    error NotOrderOwner(uint256 orderId, AccountId account);
    /// @notice An amend must shrink the order and keep it at or above the minimum size.
    error InvalidAmend(uint256 orderId, uint256 lots, uint256 newLots);
    /// @notice The order has not expired, so it may not be purged.
    error NotExpired(uint256 orderId, uint256 expiry);
    /// @notice No live order of the account carries this client order id: never used, 0, its order
    ///         ended (filled, cancelled, expired), or a later placement with a client id equal to
    ///         it mod 64 replaced its entry (see `cancelOrderByClientId`).
    error ClientOrderNotFound(AccountId account, uint256 clientOrderId);
    /// @notice The account still has open orders after a cancel-all.
    error OpenOrdersRemain(uint256 count);
    /// @notice No market has this id.
    error UnknownMarket(uint256 marketId);
    /// @notice The market exists but is of the other kind (spot or perp).
    error WrongMarketKind(uint256 marketId);
    /// @notice Fees outside the market's hard bounds.
    error FeeOutOfBounds(int256 makerFeeBps, uint256 takerFeeBps);
    /// @notice The amount does not fit its packed field.
    error AmountOverflow();
    /// @notice The account is not liquidatable, so others may not cancel its orders.
    error AccountNotLiquidatable(AccountId account);
    /// @notice Batch op `opIndex` places an order whose sub-account field is not the batch's `sub`.
    error BatchSubMismatch(uint256 opIndex, uint256 orderSub, uint256 batchSub);
    /// @notice Batch op `opIndex` (cancel, amend or cancel by client id) sets a bit outside its fields.
    error BatchOpReservedBits(uint256 opIndex, uint256 op);

    // ---- events (layouts in docs/EVENTS.md) ----
    /// @notice An order rests on the book. `info` = account (owner << 96 | sub) | lots << 8 |
    ///         client order id << 56; `expiry` = unix second from which it can no longer trade
    ///         (0 = none).
    event OrderPlaced(uint256 indexed marketId, uint256 orderId, uint256 info, uint256 expiry);
    /// @notice A resting order was cancelled (by its owner, self-trade prevention or
    ///         cancel-replace); `lots` were still open.
    event OrderCancelled(uint256 indexed marketId, uint256 orderId, uint256 lots);
    /// @notice An expired order was removed (during matching or by a purge).
    event OrderExpired(uint256 indexed marketId, uint256 orderId, uint256 lots);
    /// @notice A resting order shrank to `newLots`, keeping its queue position.
    event OrderAmended(uint256 indexed marketId, uint256 orderId, uint256 newLots);
    /// @notice One taker order's fills. `taker` = account | side << 8 | type << 9;
    ///         `summary` = filled lots | notional (tick units) << 48 | taker fee (tick units) << 160;
    ///         each `fills` entry = maker order id | lots << 112 (price = the id's tick).
    event Trade(uint256 indexed marketId, uint256 taker, uint256 summary, uint256[] fills);
    /// @notice `lots` of a taker order ended neither filled nor resting, for a reason other than
    ///         its type (IOC/FOK remainders are not reported): `taker` as in `Trade`; `reason` 1 = a
    ///         market order found no live liquidity within its worst price (in a batch; alone it
    ///         reverts `WorstPriceExceeded`), 2 = self-trade prevention (cancel incoming / cancel
    ///         both) stopped a GTC order, 3 = the fill or skip cap stopped a GTC order with the book
    ///         still crossing it.
    event OrderDropped(uint256 indexed marketId, uint256 taker, uint256 lots, uint256 reason);
    event FeesCollected(uint256 indexed marketId, uint256 quoteAtoms);
    event PausedSet(uint256 indexed marketId, bool paused);
    event FeesSet(uint256 indexed marketId, int16 makerFeeBps, uint16 takerFeeBps);
    /// @notice Spot: pocket proceeds moved into the account's vault balance.
    event Swept(uint256 indexed marketId, AccountId indexed account, uint256 baseAtoms, uint256 quoteAtoms);
    /// @notice A batch ran: one `BatchResult` word per op, in op order (status, order id, filled
    ///         lots, lots), emitted once at its end besides the per-order events.
    event BatchExecuted(uint256 indexed marketId, AccountId indexed account, uint256[] results);

    // ---- trading ----
    /// @notice Places an order for the caller's sub-account given in the order word.
    /// @return orderId Id of the resting remainder, or 0 if nothing rests.
    /// @return filledLots Lots filled as taker.
    function placeOrder(uint256 marketId, uint256 order) external returns (uint256 orderId, uint256 filledLots);

    /// @notice Places an order for `owner`'s account as its approved operator (or as the owner).
    /// @dev An operator's order must be priced within the owner's band around the oracle index
    ///      (`IClearinghouse.operatorTickBand`): a bid at most its `maxTick`, an ask at least its
    ///      `minTick`. A take fills at its limit or better, so every fill keeps to the band too.
    function placeOrderFor(uint256 marketId, address owner, uint256 order) external returns (uint256 orderId, uint256 filledLots);

    /// @notice `placeOrderFor` with the order's fields as typed arguments, so no caller packs a word
    ///         by hand: each field is range-checked with a custom error naming it (`TickOutOfRange`,
    ///         `LotsAboveMax`, `InvalidSide`, `InvalidOrderKind`, `InvalidSelfTradeMode`,
    ///         `TooManyFills`, `SubAccountOutOfRange`, `ExpiryOutOfRange`, `ClientOrderIdOutOfRange`),
    ///         then packed and placed exactly as `placeOrderFor(marketId, owner, word)`. `owner` =
    ///         the caller for one's own orders.
    function placeOrderFields(uint256 marketId, address owner, OrderFields calldata order)
        external
        returns (uint256 orderId, uint256 filledLots);

    /// @notice Cancels a resting order; its locked funds return to the account's pocket.
    function cancelOrder(uint256 marketId, uint256 orderId) external;

    /// @notice Cancels the account's order carrying `clientOrderId`.
    /// @dev Client ids live in a ring of 64 entries per account per market: a placement with client
    ///      id `cid` (≠ 0) writes entry `cid mod 64` = (cid, order id), replacing what it held, so a
    ///      fresh client id creates no storage slot once the entry was written. This cancels the
    ///      order that entry names if the entry still holds `clientOrderId` and that order is live
    ///      (the newest placement with `clientOrderId` wins); otherwise it reverts
    ///      `ClientOrderNotFound`, and an order whose entry was replaced stays live (cancel it by
    ///      its order id). Ids from a per-account counter never lose a live order: an account has
    ///      at most 64 open orders in a market. Entries are per account: no client id reaches
    ///      another account's order. Entries are not cleared when an order ends; order ids are
    ///      never reused, so an old entry names no later order.
    function cancelOrderByClientId(uint256 marketId, address owner, uint8 sub, uint256 clientOrderId) external;

    /// @notice Shrinks a resting order to `newLots` (0 < newLots < lots) keeping its queue place.
    function amendOrder(uint256 marketId, uint256 orderId, uint256 newLots) external;

    /// @notice Cancels the given orders of one account and requires that none remain open.
    /// @dev The ids come from `openOrders`' pages (the SDK fetches them); the count is capped, so
    ///      the loop is bounded.
    function cancelAll(uint256 marketId, address owner, uint8 sub, uint256[] calldata orderIds) external;

    /// @notice Runs place / cancel / amend / cancel-by-client-id ops for one account with one
    ///         pocket write and at most one Clearinghouse call. Cancel-replace = cancel + place.
    ///         An operator's place ops keep to the owner's price band as in `placeOrderFor` (the
    ///         oracle is read once, at the first place op; cancels and amends never read it).
    ///         A cancel, amend or cancel by client id with its skip flag (`BatchOp` bit 253) is
    ///         skipped, not reverted, when its order is no longer live (filled, cancelled, purged):
    ///         a quoting loop's "cancel my old quotes, place new ones" survives a taker filling a
    ///         quote in the same block. A live order of another account still reverts
    ///         `NotOrderOwner`, skip flag or not. Any other failing op reverts the whole batch.
    ///         Emits `BatchExecuted` with `results` at the end.
    /// @param owner Account owner (0 = the caller).
    /// @param sub The account's sub-account; each place op's sub-account field must equal it
    ///        (`BatchSubMismatch` naming the op).
    /// @return results Per op a `BatchResult` word: status (placed, filled, unfilled, cancelled,
    ///         amended, skipped), order id (placed or targeted), filled lots, lots (resting,
    ///         cancelled or new).
    function batch(uint256 marketId, address owner, uint8 sub, uint256[] calldata ops) external returns (uint256[] memory results);

    /// @notice Removes expired orders; their locked funds return to their owners' pockets.
    function purgeExpired(uint256 marketId, uint256[] calldata orderIds) external;

    /// @notice Clears expired orders from the top of one side of the book without their ids: from
    ///         the best price of `side` (0 bids, 1 asks), level by level and in queue order, removes
    ///         expired orders (`OrderExpired`; funds return to their owners' pockets) and steps over
    ///         cancelled entries, until the first live order or until `maxOrders` expired orders
    ///         (or 8 × `maxOrders` cancelled entries) are done. Anyone may call, also while paused;
    ///         a keeper calls it so no taker pays for orders it cannot fill.
    function purgeTop(uint256 marketId, uint256 side, uint256 maxOrders) external;

    /// @notice Moves accrued fees into the Clearinghouse reserve. Anyone may call.
    function collectFees(uint256 marketId) external;

    /// @notice Cancels orders of an account whose maintenance value is below zero, so it can be
    ///         liquidated. Anyone may call; funds return to the account's pocket.
    function cancelForLiquidation(uint256 marketId, address owner, uint8 sub, uint256[] calldata orderIds) external;

    /// @notice Cancels orders of an account whose maintenance value is below zero on all the markets
    ///         they rest on, with one valuation (`AccountNotLiquidatable` otherwise). Anyone may call;
    ///         funds return to the account's pocket on each market, as `cancelForLiquidation` per
    ///         market would (`OrderCancelled` with each order's market id).
    /// @dev One flat list rather than (market ids, ids per market): an order id carries its market
    ///      id (`OrderId.market()`, bits 111..96), so a bot concatenates the pages of `openOrders` of
    ///      each market the account uses and cannot pair a list with the wrong market or lengths
    ///      that differ. Ids of the same market next to each other share one pocket read and write
    ///      (order the list by market); an id whose market does not exist reverts `UnknownMarket`,
    ///      one that is not live `OrderNotFound`, another account's `NotOrderOwner`. The account is
    ///      valued once, before any cancel, so every listed order goes even if an earlier cancel
    ///      already lifted it above zero (a cancel only returns the account's own locked funds).
    /// @param orderIds The orders to cancel, of any markets.
    function cancelAllForLiquidation(address owner, uint8 sub, uint256[] calldata orderIds) external;

    /// @notice Spot: moves an account's unswept proceeds into its vault balance. Anyone may call.
    function sweep(uint256 marketId, address owner, uint8 sub) external;

    // ---- views ----
    /// @notice The market's constants; `UnknownMarket` for an id no market has.
    function marketInfo(uint256 marketId) external view returns (MarketInfo memory);

    /// @notice The account's pocket on the market. Spot: funds locked behind orders and proceeds
    ///         not yet swept, in atoms, plus its open order count. Perp: (ask atoms, bid atoms,
    ///         |size| atoms, |unsettled cash| quote atoms, open orders).
    function pocketOf(uint256 marketId, address owner, uint8 sub)
        external
        view
        returns (uint256 lockedBase, uint256 lockedQuote, uint256 unsweptBase, uint256 unsweptQuote, uint256 openOrderCount);

    /// @notice Best bid and best ask ticks holding a live order (0 = none): expired orders still
    ///         queued are skipped (at most 4,096 queue positions examined per side past its best
    ///         level; past that, the level reached is reported).
    function bestBidAsk(uint256 marketId) external view returns (uint256 bestBid, uint256 bestAsk);

    /// @notice Up to `depth` levels per side from the top (at most 256): ticks and live
    ///         lots, expired orders left out. The first `bookPage` of each side: page on with it.
    function getBook(uint256 marketId, uint256 depth)
        external
        view
        returns (uint256[] memory bidTicks, uint256[] memory bidLots, uint256[] memory askTicks, uint256[] memory askLots);

    /// @notice One page of one side of the book with bounded gas: levels holding live,
    ///         unexpired lots, from `fromTick` away from the best price.
    /// @dev Each level's lots are summed over its queue (expired orders left out); a page returns
    ///      at most `maxLevels` levels (0 or more than 256 = 256) and examines at most 4,096 queue
    ///      positions past its first level, stopping before a level that does not fit. Start with
    ///      `fromTick` 0 (= the best price) and pass `nextTick` back until it is 0.
    /// @param ask false = bids (from the best down), true = asks (from the best up)
    /// @param fromTick First tick to report (a tick with no level starts at the next one); 0 = best
    /// @return ticks Level ticks, best first
    /// @return lots Live lots at each tick
    /// @return nextTick Where the next page starts; 0 when the side is done
    function bookPage(uint256 marketId, bool ask, uint256 fromTick, uint256 maxLevels)
        external
        view
        returns (uint256[] memory ticks, uint256[] memory lots, uint256 nextTick);

    /// @notice A live order: its account, remaining lots and expiry (lots 0 if not live).
    function getOrder(uint256 marketId, uint256 orderId) external view returns (AccountId account, uint256 lots, uint256 expiry);

    /// @notice One page of the ids of the account's live orders, with bounded gas per call.
    /// @dev Scans bids from the best price down, then asks from the best up, each level in queue
    ///      order, examining at most `limit` queue positions (0 = 1,024). Start with
    ///      `cursor` 0 and pass each `nextCursor` back until it is 0: on a book that does not change
    ///      between the calls (read them at one block), the pages together list every live order of
    ///      the account exactly once. A page may be empty while `nextCursor` is not 0.
    /// @param cursor 0, or the `nextCursor` of the previous page (layout in `OpenOrdersCursor`)
    /// @param limit Most queue positions to examine (each costs about one storage read)
    /// @return orderIds Live orders found on this page, in scan order
    /// @return nextCursor Where the next page starts; 0 when every open order was listed
    function openOrders(uint256 marketId, address owner, uint8 sub, uint256 cursor, uint256 limit)
        external
        view
        returns (uint256[] memory orderIds, uint256 nextCursor);

    /// @notice Fees, pause flag and accrued fees (quote atoms).
    function marketState(uint256 marketId)
        external
        view
        returns (int256 makerFeeBps, uint256 takerFeeBps, bool paused, uint256 feesAccrued);

    /// @notice Level summary: total lots and queue head/tail/epoch.
    function levelOf(uint256 marketId, uint256 side, uint256 tick)
        external
        view
        returns (uint256 totalLots, uint256 head, uint256 tail, uint256 epoch);
}
