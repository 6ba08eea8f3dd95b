/**
 * The order book's packed words, in one place: every layout the SDK sends or reads, mirrored from
 * the user-defined value types in `contracts/types/` (`OrderWord`, `OrderId`, `BatchOp`,
 * `TradeWords`, `LevelWord`, `SpotPocket`, `TopWord`, `OrderSlot`, `ClientSlot`, `OpenOrdersCursor`) and drawn in
 * docs/EVENTS.md. test/sdk/codec.test.ts checks each encoder and decoder against those type
 * libraries on chain (through `BookCodecMock`), at the edge values. Every field is a bigint.
 */
import { getAddress, type Address, type Hex } from "viem";
import { ValueOutOfRangeError } from "../errors/units.ts";

// the perp, oracle and Clearinghouse words: the same module, in a sibling file
export * from "./codec.venue.ts";

const M8 = 0xffn;
const M24 = (1n << 24n) - 1n;
const M32 = (1n << 32n) - 1n;
const M48 = (1n << 48n) - 1n;
const M64 = (1n << 64n) - 1n;
const M72 = (1n << 72n) - 1n;
const M112 = (1n << 112n) - 1n;

export const Side = { Bid: 0n, Ask: 1n } as const;
export type Side = (typeof Side)[keyof typeof Side];

export const OrderKind = { Gtc: 0n, PostOnly: 1n, Ioc: 2n, Fok: 3n, Market: 4n } as const;
export type OrderKind = (typeof OrderKind)[keyof typeof OrderKind];

export const SelfTrade = { CancelResting: 0n, CancelIncoming: 1n, CancelBoth: 2n } as const;
export type SelfTrade = (typeof SelfTrade)[keyof typeof SelfTrade];

export const BatchOp = { Place: 0n, Cancel: 1n, Amend: 2n, CancelClientId: 3n } as const;
/** Batch op bit 253 (cancel, amend, cancel by client id): skip the op if its order is no longer live. */
export const BATCH_SKIP_MISSING = 1n << 253n;

/** `BatchResult` status: what one batch op did. */
export const BatchStatus = { Placed: 1n, Filled: 2n, Unfilled: 3n, Cancelled: 4n, Amended: 5n, Skipped: 6n } as const;
export type BatchStatus = (typeof BatchStatus)[keyof typeof BatchStatus];

/** Options of a cancel, amend or cancel-by-client-id batch op. */
export interface BatchOpOptions {
  /** Skip the op (status `Skipped`) instead of reverting the batch if the order is no longer live
   * (filled, cancelled, purged). A live order of another account still reverts `NotOrderOwner`. */
  skipMissing?: boolean;
}

/** Largest order size in lots (the 48-bit lots field; `marketInfo().maxOrderLots`). */
export const MAX_LOTS = (1n << 48n) - 1n;
/** Last tick of every book (255³ − 1); tick 1 is the first. */
export const MAX_TICK = 255n * 255n * 255n - 1n;
/** Most fills one taker order may ask for (`maxFills`; the core's `MAX_FILLS`). */
export const MAX_FILLS = 128n;

export interface OrderParams {
  side: Side;
  tick: bigint;
  lots: bigint;
  kind?: OrderKind;
  selfTrade?: SelfTrade;
  /** 0 = the market's default cap. */
  maxFills?: bigint;
  sub?: bigint;
  /** Unix seconds; 0 = good till cancelled. */
  expiry?: bigint;
  clientOrderId?: bigint;
  /** Perp markets only: the order may only shrink the live position (a spot book rejects it). */
  reduceOnly?: boolean;
}

function field(value: bigint, bits: bigint, name: string): bigint {
  if (value < 0n || value >= 1n << bits) throw new ValueOutOfRangeError(name, value, 0n, (1n << bits) - 1n);
  return value;
}

function within(value: bigint, min: bigint, max: bigint, name: string): bigint {
  if (value < min || value > max) throw new ValueOutOfRangeError(name, value, min, max);
  return value;
}

/**
 * Packs an order into the uint256 word `placeOrder` takes, after checking every field against what
 * the book accepts (lots 1..MAX_LOTS, tick 1..MAX_TICK, side 0..1, kind 0..4, self-trade mode 0..2,
 * max fills 0..MAX_FILLS, sub-account 0..255, expiry and client id 0..2³²−1): an out-of-range value
 * throws `ValueOutOfRangeError` naming the field, never a word that means another order.
 * The market's own minimum size is checked by the core (`BelowMinSize`).
 * @example encodeOrder({ side: Side.Bid, tick: 300_000n, lots: 10n, kind: OrderKind.PostOnly })
 */
export function encodeOrder(o: OrderParams): bigint {
  within(o.lots, 1n, MAX_LOTS, "lots");
  within(o.tick, 1n, MAX_TICK, "tick");
  within(o.kind ?? OrderKind.Gtc, 0n, OrderKind.Market, "kind");
  within(o.selfTrade ?? SelfTrade.CancelResting, 0n, SelfTrade.CancelBoth, "selfTrade");
  within(o.maxFills ?? 0n, 0n, MAX_FILLS, "maxFills");
  return packOrder(o);
}

/**
 * Packs an order word checking only that each field fits its width (`ValueOutOfRangeError`
 * otherwise), like the contract's `OrderWordLib.pack`: for tests and tools that must send a word
 * the book rejects (tick 0, kind 7, …). Orders meant to trade go through `encodeOrder`.
 */
export function packOrder(o: OrderParams): bigint {
  return (
    field(o.lots, 48n, "lots") |
    (field(o.tick, 24n, "tick") << 48n) |
    (field(o.side, 1n, "side") << 72n) |
    (field(o.kind ?? OrderKind.Gtc, 3n, "kind") << 73n) |
    (field(o.selfTrade ?? SelfTrade.CancelResting, 2n, "selfTrade") << 76n) |
    (field(o.maxFills ?? 0n, 8n, "maxFills") << 78n) |
    (field(o.sub ?? 0n, 8n, "sub") << 86n) |
    (field(o.expiry ?? 0n, 32n, "expiry") << 94n) |
    (field(o.clientOrderId ?? 0n, 32n, "clientOrderId") << 126n) |
    ((o.reduceOnly ? 1n : 0n) << 158n)
  );
}

/** Bits 159..255 of an order word: the core rejects a word where any is set (`OrderWordUnusedBits`). */
export const ORDER_WORD_UNUSED_SHIFT = 159n;

export interface DecodedOrderId {
  marketId: bigint;
  side: Side;
  tick: bigint;
  epoch: bigint;
  position: bigint;
}

/**
 * Splits an order id into market id, side, tick, level epoch and queue position.
 * @example decodeOrderId(orderId).tick // 300000n
 */
export function decodeOrderId(id: bigint): DecodedOrderId {
  return {
    marketId: (id >> 96n) & 0xffffn,
    side: ((id >> 88n) & 1n) as Side,
    tick: (id >> 64n) & 0xffffffn,
    epoch: (id >> 32n) & 0xffffffffn,
    position: id & 0xffffffffn,
  };
}

/** Batch op: place an order. */
export const placeOp = (o: OrderParams): bigint => encodeOrder(o);
const skipBit = (o?: BatchOpOptions): bigint => (o?.skipMissing ? BATCH_SKIP_MISSING : 0n);
/** Batch op: cancel an order by id (`{ skipMissing: true }`: skipped if no longer live). */
export const cancelOp = (orderId: bigint, o?: BatchOpOptions): bigint =>
  (BatchOp.Cancel << 254n) | skipBit(o) | field(orderId, 112n, "orderId");
/** Batch op: shrink an order to `newLots`, keeping its queue place (`skipMissing` as `cancelOp`). */
export const amendOp = (orderId: bigint, newLots: bigint, o?: BatchOpOptions): bigint =>
  (BatchOp.Amend << 254n) | skipBit(o) | field(orderId, 112n, "orderId") | (field(newLots, 48n, "newLots") << 112n);
/** Batch op: cancel the order carrying a client order id (`skipMissing` as `cancelOp`). */
export const cancelClientIdOp = (clientOrderId: bigint, o?: BatchOpOptions): bigint =>
  (BatchOp.CancelClientId << 254n) | skipBit(o) | (field(clientOrderId, 32n, "clientOrderId") << 8n);

/** One batch op's outcome (`BatchResult`: `batch`'s return value and `BatchExecuted.results`). */
export interface BatchResult {
  status: BatchStatus;
  /** Placed: the resting order; Cancelled / Amended / Skipped: the op's order (0 for a skipped
   * cancel by client id); Filled / Unfilled: 0. */
  orderId: bigint;
  /** Lots the place op took as taker. */
  filledLots: bigint;
  /** Placed: resting lots; Cancelled: lots still open when cancelled; Amended: the new size. */
  lots: bigint;
}

/**
 * Splits a `BatchResult` word: [111..0] order id | [159..112] filled lots | [207..160] lots |
 * [215..208] status.
 * @example decodeBatchResult(results[0]).status === BatchStatus.Skipped
 */
export function decodeBatchResult(w: bigint): BatchResult {
  return {
    status: ((w >> 208n) & M8) as BatchStatus,
    orderId: w & M112,
    filledLots: (w >> 112n) & M48,
    lots: (w >> 160n) & M48,
  };
}

/** A `BatchResult` word from its fields (the inverse of `decodeBatchResult`). */
export function encodeBatchResult(r: BatchResult): bigint {
  return (
    (field(r.status, 8n, "status") << 208n) |
    (field(r.lots, 48n, "lots") << 160n) |
    (field(r.filledLots, 48n, "filledLots") << 112n) |
    field(r.orderId, 112n, "orderId")
  );
}

/**
 * AccountId (bytes32) of an owner's sub-account: owner << 96 | sub.
 * @example accountId("0x70997970C51812dc3A010C7d01b50e0d17dc79C8", 1n) // "0x7099…79c8000000000000000000000001"
 */
export function accountId(owner: `0x${string}`, sub = 0n): `0x${string}` {
  const v = (BigInt(owner) << 96n) | field(sub, 8n, "sub");
  return `0x${v.toString(16).padStart(64, "0")}`;
}

export interface DecodedFill {
  makerOrderId: bigint;
  lots: bigint;
  tick: bigint;
}

/**
 * Decodes one entry of a `Trade` event's `fills`.
 * @example trade.args.fills.map(decodeFill) // [{ makerOrderId, lots, tick }, …]
 */
export function decodeFill(word: bigint): DecodedFill {
  const makerOrderId = word & ((1n << 112n) - 1n);
  return { makerOrderId, lots: word >> 112n, tick: (makerOrderId >> 64n) & 0xffffffn };
}

// ------------------------------------------------------------------ event words (decode)

/** Bits of an AccountId inside a packed word: owner (255..96) and sub (7..0). */
export const ACCOUNT_MASK = (((1n << 256n) - 1n) ^ ((1n << 96n) - 1n)) | M8;

export interface DecodedAccount {
  /** The AccountId as bytes32. */
  account: Hex;
  owner: Address;
  sub: bigint;
}

/**
 * Splits an AccountId (bytes32 or the account bits of a packed word) into owner and sub.
 * @example decodeAccountId(accountId(alice, 2n)) // { owner: alice, sub: 2n, account: "0x…" }
 */
export function decodeAccountId(id: Hex | bigint): DecodedAccount {
  const v = (typeof id === "bigint" ? id : BigInt(id)) & ACCOUNT_MASK;
  return {
    account: `0x${v.toString(16).padStart(64, "0")}`,
    owner: getAddress(`0x${(v >> 96n).toString(16).padStart(40, "0")}`),
    sub: v & M8,
  };
}

export interface DecodedPlacedInfo extends DecodedAccount {
  lots: bigint;
  clientOrderId: bigint;
}

/**
 * `OrderPlaced.info` = account | lots << 8 | client order id << 56.
 * @example decodePlacedInfo(log.args.info) // { owner, sub, account, lots, clientOrderId }
 */
export function decodePlacedInfo(info: bigint): DecodedPlacedInfo {
  return { ...decodeAccountId(info), lots: (info >> 8n) & M48, clientOrderId: (info >> 56n) & M32 };
}

export interface DecodedTaker extends DecodedAccount {
  side: Side;
  kind: OrderKind;
}

/**
 * `Trade.taker` = account | side << 8 | type << 9.
 * @example decodeTaker(log.args.taker).side === Side.Bid
 */
export function decodeTaker(taker: bigint): DecodedTaker {
  return {
    ...decodeAccountId(taker),
    side: ((taker >> 8n) & 1n) as Side,
    kind: ((taker >> 9n) & 7n) as OrderKind,
  };
}

export interface DecodedTradeSummary {
  filledLots: bigint;
  /** Σ lots × tick over the fills, in tick units (× tickSize = quote atoms). */
  notionalTicks: bigint;
  /** Taker fee in tick units. */
  takerFeeTicks: bigint;
}

/**
 * `Trade.summary` = filled lots | notional << 48 | taker fee << 160 (tick units).
 * @example
 * const { filledLots, notionalTicks, takerFeeTicks } = decodeTradeSummary(log.args.summary)
 * const paidAtoms = (notionalTicks + takerFeeTicks) * market.tickSize // a buyer's cost
 */
export function decodeTradeSummary(summary: bigint): DecodedTradeSummary {
  return { filledLots: summary & M48, notionalTicks: (summary >> 48n) & M112, takerFeeTicks: summary >> 160n };
}

// ------------------------------------------------------------------ order word (decode)

/** An order word's fields, as `encodeOrder` takes them (every field present). */
export type DecodedOrder = Required<OrderParams>;

/**
 * Splits an order word (`placeOrder`'s argument, a batch place op) into its fields.
 * @example decodeOrder(encodeOrder({ side: Side.Ask, tick: 5n, lots: 1n })).tick // 5n
 */
export function decodeOrder(word: bigint): DecodedOrder {
  return {
    lots: word & M48,
    tick: (word >> 48n) & M24,
    side: ((word >> 72n) & 1n) as Side,
    kind: ((word >> 73n) & 7n) as OrderKind,
    selfTrade: ((word >> 76n) & 3n) as SelfTrade,
    maxFills: (word >> 78n) & M8,
    sub: (word >> 86n) & M8,
    expiry: (word >> 94n) & M32,
    clientOrderId: (word >> 126n) & M32,
    reduceOnly: ((word >> 158n) & 1n) === 1n,
  };
}

// ------------------------------------------------------------------ order id (encode)

/**
 * Builds an order id from its parts (the inverse of `decodeOrderId`).
 * @example encodeOrderId({ marketId: 1n, side: Side.Bid, tick: 300n, epoch: 0n, position: 2n })
 */
export function encodeOrderId(id: DecodedOrderId): bigint {
  return (
    (field(id.marketId, 16n, "marketId") << 96n) |
    (field(id.side, 1n, "side") << 88n) |
    (field(id.tick, 24n, "tick") << 64n) |
    (field(id.epoch, 32n, "epoch") << 32n) |
    field(id.position, 32n, "position")
  );
}

// ------------------------------------------------------------------ batch op (decode)

export type DecodedBatchOp =
  | { kind: typeof BatchOp.Place; order: DecodedOrder }
  | { kind: typeof BatchOp.Cancel; orderId: bigint; skipMissing: boolean }
  | { kind: typeof BatchOp.Amend; orderId: bigint; newLots: bigint; skipMissing: boolean }
  | { kind: typeof BatchOp.CancelClientId; clientOrderId: bigint; skipMissing: boolean };

/**
 * Splits a batch op into its kind and fields (the inverse of `placeOp`, `cancelOp`, `amendOp`,
 * `cancelClientIdOp`).
 * @example decodeBatchOp(cancelOp(id)) // { kind: BatchOp.Cancel, orderId: id }
 */
export function decodeBatchOp(op: bigint): DecodedBatchOp {
  const kind = op >> 254n;
  if (kind === BatchOp.Place) return { kind: BatchOp.Place, order: decodeOrder(op) };
  const skipMissing = (op & BATCH_SKIP_MISSING) !== 0n;
  if (kind === BatchOp.Cancel) return { kind: BatchOp.Cancel, orderId: op & M112, skipMissing };
  if (kind === BatchOp.Amend) return { kind: BatchOp.Amend, orderId: op & M112, newLots: (op >> 112n) & M48, skipMissing };
  return { kind: BatchOp.CancelClientId, clientOrderId: (op >> 8n) & M32, skipMissing };
}

// ------------------------------------------------------------------ event words (encode)

/** `Trade.fills[i]` from its maker order id and lots (the inverse of `decodeFill`). */
export function encodeFill(makerOrderId: bigint, lots: bigint): bigint {
  return field(makerOrderId, 112n, "makerOrderId") | (field(lots, 48n, "lots") << 112n);
}

/** `Trade.summary` from its totals (the inverse of `decodeTradeSummary`). */
export function encodeTradeSummary(s: DecodedTradeSummary): bigint {
  return field(s.filledLots, 48n, "filledLots") | (field(s.notionalTicks, 112n, "notionalTicks") << 48n) | (field(s.takerFeeTicks, 96n, "takerFeeTicks") << 160n);
}

/** `Trade.taker` from an AccountId, side and order type (the inverse of `decodeTaker`). */
export function encodeTaker(account: Hex, side: Side, kind: OrderKind): bigint {
  return (BigInt(account) & ACCOUNT_MASK) | (field(side, 1n, "side") << 8n) | (field(kind, 3n, "kind") << 9n);
}

/** `OrderPlaced.info` from an AccountId, lots and client order id (the inverse of `decodePlacedInfo`). */
export function encodePlacedInfo(account: Hex, lots: bigint, clientOrderId: bigint): bigint {
  return (BigInt(account) & ACCOUNT_MASK) | (field(lots, 48n, "lots") << 8n) | (field(clientOrderId, 32n, "clientOrderId") << 56n);
}

// ------------------------------------------------------------------ storage words (read by indexers)

export interface LevelWord {
  totalLots: bigint;
  head: bigint;
  tail: bigint;
  epoch: bigint;
  stragglers: bigint;
}

/** A price level's packed word (`LevelWord`): total lots, queue head and tail, epoch, stragglers. */
export function decodeLevelWord(w: bigint): LevelWord {
  return { totalLots: w & M64, head: (w >> 64n) & M32, tail: (w >> 96n) & M32, epoch: (w >> 128n) & M32, stragglers: (w >> 160n) & M8 };
}

/** Packs a level word (the inverse of `decodeLevelWord`). */
export function encodeLevelWord(l: LevelWord): bigint {
  return (
    field(l.totalLots, 64n, "totalLots") |
    (field(l.head, 32n, "head") << 64n) |
    (field(l.tail, 32n, "tail") << 96n) |
    (field(l.epoch, 32n, "epoch") << 128n) |
    (field(l.stragglers, 8n, "stragglers") << 160n)
  );
}

export interface SpotPocketWord {
  /** Tick units. */
  lockedQuote: bigint;
  /** Lots. */
  lockedBase: bigint;
  /** Tick units. */
  unsweptQuote: bigint;
  /** Lots. */
  unsweptBase: bigint;
  openOrders: bigint;
  /** The account has a liability (debt or perp exposure). */
  margin: boolean;
}

/** A spot pocket's packed word (`SpotPocket`), in tick units and lots. */
export function decodeSpotPocket(w: bigint): SpotPocketWord {
  return {
    lockedQuote: w & M72,
    lockedBase: (w >> 72n) & M48,
    unsweptQuote: (w >> 120n) & M72,
    unsweptBase: (w >> 192n) & M48,
    openOrders: (w >> 240n) & 0x7fffn,
    margin: w >> 255n === 1n,
  };
}

/** Packs a spot pocket word (the inverse of `decodeSpotPocket`). */
export function encodeSpotPocket(p: SpotPocketWord): bigint {
  return (
    field(p.lockedQuote, 72n, "lockedQuote") |
    (field(p.lockedBase, 48n, "lockedBase") << 72n) |
    (field(p.unsweptQuote, 72n, "unsweptQuote") << 120n) |
    (field(p.unsweptBase, 48n, "unsweptBase") << 192n) |
    (field(p.openOrders, 15n, "openOrders") << 240n) |
    ((p.margin ? 1n : 0n) << 255n)
  );
}

export interface TopWord {
  bestBid: bigint;
  bestAsk: bigint;
  paused: boolean;
  makerFeeBps: bigint;
  takerFeeBps: bigint;
  /** Tick units. */
  feesAccrued: bigint;
}

/** A book's market-state word (`TopWord`): best prices, pause, fees, fees accrued. */
export function decodeTopWord(w: bigint): TopWord {
  const maker = (w >> 56n) & 0xffffn;
  return {
    bestBid: w & M24,
    bestAsk: (w >> 24n) & M24,
    paused: ((w >> 48n) & M8) !== 0n,
    makerFeeBps: maker >= 0x8000n ? maker - 0x10000n : maker,
    takerFeeBps: (w >> 72n) & 0xffffn,
    feesAccrued: w >> 128n,
  };
}

/** Packs a market-state word (the inverse of `decodeTopWord`). */
export function encodeTopWord(t: TopWord): bigint {
  if (t.makerFeeBps < -0x8000n || t.makerFeeBps > 0x7fffn) throw new ValueOutOfRangeError("makerFeeBps", t.makerFeeBps, -0x8000n, 0x7fffn);
  return (
    field(t.bestBid, 24n, "bestBid") |
    (field(t.bestAsk, 24n, "bestAsk") << 24n) |
    ((t.paused ? 1n : 0n) << 48n) |
    ((t.makerFeeBps & 0xffffn) << 56n) |
    (field(t.takerFeeBps, 16n, "takerFeeBps") << 72n) |
    (field(t.feesAccrued, 128n, "feesAccrued") << 128n)
  );
}

export interface OrderSlotWord extends DecodedAccount {
  lots: bigint;
  reduceOnly: boolean;
  /** (queue position >> 8) mod 128. */
  lapTag: bigint;
  expiry: bigint;
}

/** A resting order's stored slot (`OrderSlot`). */
export function decodeOrderSlot(w: bigint): OrderSlotWord {
  return { ...decodeAccountId(w), lots: (w >> 8n) & M48, reduceOnly: ((w >> 56n) & 1n) === 1n, lapTag: (w >> 57n) & 0x7fn, expiry: (w >> 64n) & M32 };
}

/**
 * Entries of an account's client-id ring in one market: client id `cid` uses entry
 * `cid mod CLIENT_RING`, so a later placement with `cid ± k·64` replaces the earlier mapping
 * (cancel by the earlier id then reverts `ClientOrderNotFound`; its order stays live). Client ids
 * from a counter never evict a live order: an account has at most 64 open orders per market.
 */
export const CLIENT_RING = 64n;

/** Index of client id `clientOrderId`'s entry in its account's ring (`ClientSlotLib.indexOf`). */
export const clientSlotIndex = (clientOrderId: bigint): bigint => field(clientOrderId, 32n, "clientOrderId") % CLIENT_RING;

export interface ClientSlotWord {
  clientOrderId: bigint;
  /** The order the client id last named (it may have ended since: `getOrder` tells). */
  orderId: bigint;
}

/** A client-id ring entry as stored (`ClientSlot`) = order id | client id << 112. */
export function encodeClientSlot(e: ClientSlotWord): bigint {
  return (field(e.clientOrderId, 32n, "clientOrderId") << 112n) | field(e.orderId, 112n, "orderId");
}

export function decodeClientSlot(w: bigint): ClientSlotWord {
  return { clientOrderId: (w >> 112n) & M32, orderId: w & M112 };
}

export interface OpenOrdersCursor {
  side: Side;
  tick: bigint;
  position: bigint;
  /** Orders the earlier pages found. */
  found: bigint;
}

/** Where a paged `openOrders` scan resumes (`OpenOrdersCursor`); 0 is the start. */
export function decodeOpenOrdersCursor(c: bigint): OpenOrdersCursor {
  return { side: ((c >> 56n) & 1n) as Side, tick: (c >> 32n) & M24, position: c & M32, found: (c >> 57n) & 0x7fn };
}
