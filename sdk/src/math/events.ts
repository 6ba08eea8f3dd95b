/**
 * Packed words of the order book's events (layouts in `ISpotMarket` and docs/EVENTS.md).
 */
import { getAddress, type Address, type Hex } from "viem";
import type { OrderKind, Side } from "./order.ts";

const M8 = 0xffn;
const M32 = (1n << 32n) - 1n;
const M48 = (1n << 48n) - 1n;
const M112 = (1n << 112n) - 1n;
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
