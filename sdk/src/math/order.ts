/**
 * Packed words of the order book, mirrored from `contracts/libraries/OrderCodec.sol` and
 * `contracts/interfaces/IOrderBook.sol`. Every field is a bigint; nothing here is a float.
 */
import { ValueOutOfRangeError } from "../errors/units.ts";

export const Side = { Bid: 0n, Ask: 1n } as const;
export type Side = (typeof Side)[keyof typeof Side];

export const OrderKind = { Gtc: 0n, PostOnly: 1n, Ioc: 2n, Fok: 3n, Market: 4n } as const;
export type OrderKind = (typeof OrderKind)[keyof typeof OrderKind];

export const SelfTrade = { CancelResting: 0n, CancelIncoming: 1n, CancelBoth: 2n } as const;
export type SelfTrade = (typeof SelfTrade)[keyof typeof SelfTrade];

export const BatchOp = { Place: 0n, Cancel: 1n, Amend: 2n, CancelClientId: 3n } as const;

export const MAX_LOTS = (1n << 48n) - 1n;
export const MAX_TICK = 255n * 255n * 255n - 1n;

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

/**
 * Packs an order into the uint256 word `placeOrder` takes.
 * @example encodeOrder({ side: Side.Bid, tick: 300_000n, lots: 10n, kind: OrderKind.PostOnly })
 */
export function encodeOrder(o: OrderParams): bigint {
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

export interface DecodedOrderId {
  marketIndex: bigint;
  side: Side;
  tick: bigint;
  epoch: bigint;
  position: bigint;
}

/**
 * Splits an order id into market index, side, tick, level epoch and queue position.
 * @example decodeOrderId(orderId).tick // 300000n
 */
export function decodeOrderId(id: bigint): DecodedOrderId {
  return {
    marketIndex: (id >> 96n) & 0xffffn,
    side: ((id >> 88n) & 1n) as Side,
    tick: (id >> 64n) & 0xffffffn,
    epoch: (id >> 32n) & 0xffffffffn,
    position: id & 0xffffffffn,
  };
}

/** Batch op: place an order. */
export const placeOp = (o: OrderParams): bigint => encodeOrder(o);
/** Batch op: cancel an order by id. */
export const cancelOp = (orderId: bigint): bigint => (BatchOp.Cancel << 254n) | orderId;
/** Batch op: shrink an order to `newLots`, keeping its queue place. */
export const amendOp = (orderId: bigint, newLots: bigint): bigint =>
  (BatchOp.Amend << 254n) | orderId | (field(newLots, 48n, "newLots") << 112n);
/** Batch op: cancel the order carrying a client order id. */
export const cancelClientIdOp = (clientOrderId: bigint): bigint =>
  (BatchOp.CancelClientId << 254n) | (field(clientOrderId, 32n, "clientOrderId") << 8n);

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
