/**
 * The perp, price and Clearinghouse words (part of the one codec module: `./codec.ts` re-exports
 * this file). Each decoder mirrors the getters of a user-defined value type in `contracts/types/`
 * (`AccountState`, `AssetWord`, `PriceWord`, `FeedWord`, `Position`, `PerpPocket`, `FundingWord`,
 * `PremiumWord`, `PerpStats`, `LossWord`) bit for bit, including the bits a getter ignores. The
 * Clearinghouse returns `AccountState` (`accountState`, `riskInputsOf`) and `AssetWord`
 * (`assetWordOf`, `riskInputsOf`) whole; the others (an asset's price and feed slots, the perp
 * markets' words) are storage words an integrator reads by slot. None of them is an
 * input the contracts take, so there are decoders only. test/sdk/codec.venue.test.ts checks each
 * against the type library on chain (through `VenueCodecMock`) at the edge values. Every field is a
 * bigint (or a boolean for a flag, an address for a token or feed).
 */
import { getAddress, type Address } from "viem";

const M16 = 0xffffn;
const M32 = (1n << 32n) - 1n;
const M48 = (1n << 48n) - 1n;
const M64 = (1n << 64n) - 1n;
const M80 = (1n << 80n) - 1n;
const M87 = (1n << 87n) - 1n;
const M128 = (1n << 128n) - 1n;
const M152 = (1n << 152n) - 1n;
const M160 = (1n << 160n) - 1n;

/** The low `bits` bits of `w` read as a two's-complement integer (Solidity's `intN(uintN(w))`). */
function signed(w: bigint, bits: bigint): bigint {
  return BigInt.asIntN(Number(bits), w);
}

function bit(w: bigint, at: bigint): boolean {
  return ((w >> at) & 1n) === 1n;
}

function address(w: bigint): Address {
  return getAddress(`0x${(w & M160).toString(16).padStart(40, "0")}`);
}

/**
 * The ids (1..64) whose bit (id − 1) is set in a 64-bit mask, ascending: asset ids of an
 * `AccountState`'s held or owed mask, market ids of its market mask or of `perpMarketMask`.
 */
export function maskIndexes(mask: bigint): bigint[] {
  const out: bigint[] = [];
  for (let m = mask & M64, i = 1n; m !== 0n; m >>= 1n, ++i) if (m & 1n) out.push(i);
  return out;
}

// ---------------------------------------------------------------- Clearinghouse

export interface AccountStateWord {
  /** Bit id − 1 set when asset `id`'s balance may be non-zero (cleared lazily). */
  heldMask: bigint;
  /** Bit id − 1 set exactly when asset `id`'s balance is negative (debt). */
  owedMask: bigint;
  /** Bit index − 1 set when the account may have a pocket on market `index`. */
  marketMask: bigint;
  borrowsForOrders: boolean;
  borrowsForWithdrawals: boolean;
  /** The account has traded on a perp market. */
  hasPerp: boolean;
  /** Unix seconds its liquidation auction started; 0 = none running. */
  liquidatableSince: bigint;
}

/** The Clearinghouse's account state word (`AccountState`, as `accountState` returns it). */
export function decodeAccountState(w: bigint): AccountStateWord {
  return {
    heldMask: w & M64,
    owedMask: (w >> 64n) & M64,
    marketMask: (w >> 128n) & M64,
    borrowsForOrders: bit(w, 192n),
    borrowsForWithdrawals: bit(w, 193n),
    hasPerp: bit(w, 194n),
    liquidatableSince: w >> 208n,
  };
}

export interface AssetWord {
  token: Address;
  decimals: bigint;
  shockBps: bigint;
  slippageBps: bigint;
  lentHaircutBps: bigint;
  /** Set only in `riskInputsOf`, for a lent balance. */
  lent: boolean;
}

/** A listed asset's config word (`AssetWord`: `assetWordOf`, the first of each asset's three words in `riskInputsOf`). */
export function decodeAssetWord(w: bigint): AssetWord {
  return {
    token: address(w),
    decimals: (w >> 160n) & 0xffn,
    shockBps: (w >> 168n) & M16,
    slippageBps: (w >> 184n) & M16,
    lentHaircutBps: (w >> 200n) & M16,
    lent: bit(w, 255n),
  };
}

// ---------------------------------------------------------------- prices (the core's feeds)

export const FeedKind = { None: 0n, Admin: 1n, Chainlink: 2n, Pyth: 3n } as const;
export type FeedKind = (typeof FeedKind)[keyof typeof FeedKind];

/**
 * An asset's hot price slot in the core (`PriceWord`, slot 0 of its feed), for every feed kind:
 * the last price and the stable anchor, so a fresh price is one cold slot.
 */
export interface PriceWord {
  /** The feed's kind (`FeedKind`; bits 0..1). */
  kind: FeedKind;
  maxStableMoveBpsPerHour: bigint;
  /**
   * Unix seconds after which `lastPriceWad` is no longer used. Admin: the push's time + maxAge.
   * Chainlink / Pyth: the stored read's time (the feed's, never later than the block that stored
   * it) + min(3, maxAge); 0 = none stored.
   */
  expiresAt: bigint;
  /** Unix seconds of the stable anchor; 0 = no anchor yet. */
  stableAt: bigint;
  /** Admin: the pushed price. Chainlink / Pyth: the stored read of the feed (0 = none). */
  lastPriceWad: bigint;
  /** The stable anchor. */
  stableWad: bigint;
}

/** An asset's hot price slot (`PriceWord`): every field at its bits, whatever the kind. */
export function decodePriceWord(w: bigint): PriceWord {
  return {
    kind: (w & 3n) as FeedKind,
    maxStableMoveBpsPerHour: (w >> 2n) & M16,
    expiresAt: (w >> 18n) & M32,
    stableAt: (w >> 50n) & M32,
    lastPriceWad: (w >> 82n) & M87,
    stableWad: w >> 169n,
  };
}

export interface FeedWord {
  kind: FeedKind;
  maxAgeSeconds: bigint;
  maxConfBps: bigint;
  maxStableMoveBpsPerHour: bigint;
  /** A Chainlink feed's `decimals()`, cached by setFeed. */
  feedDecimals: bigint;
  /** The Chainlink aggregator or the Pyth contract. */
  feed: Address;
}

/**
 * A Chainlink or Pyth feed's configuration slot in the core (`FeedWord`, slot 1 of the asset's
 * feed; Admin and None feeds leave it zero).
 */
export function decodeFeedWord(w: bigint): FeedWord {
  return {
    kind: (w & 0xffn) as FeedKind,
    maxAgeSeconds: (w >> 8n) & M32,
    maxConfBps: (w >> 40n) & M16,
    maxStableMoveBpsPerHour: (w >> 56n) & M16,
    feedDecimals: (w >> 72n) & 0xffn,
    feed: address(w >> 80n),
  };
}

// ---------------------------------------------------------------- perp market

export interface PositionWord {
  /** Positive = long. */
  sizeLots: bigint;
  /** Entry value with the size's sign. */
  entryQuoteAtoms: bigint;
  /** Charge-index snapshot, quote atoms × 1e9 per lot (funding index ± loss per lot). */
  chargeIndexSnapshot: bigint;
}

/** A perp position (`Position`). */
export function decodePosition(w: bigint): PositionWord {
  return { sizeLots: signed(w, 64n), entryQuoteAtoms: signed(w >> 64n, 96n), chargeIndexSnapshot: signed(w >> 160n, 96n) };
}

export interface PerpPocketWord {
  bidLots: bigint;
  askLots: bigint;
  openOrders: bigint;
  /** Unsettled cash, signed. */
  cashQuoteAtoms: bigint;
}

/** A perp account's pocket (`PerpPocket`): open order lots per side, open orders, unsettled cash. */
export function decodePerpPocket(w: bigint): PerpPocketWord {
  return { bidLots: w & M48, askLots: (w >> 48n) & M48, openOrders: (w >> 96n) & M16, cashQuoteAtoms: signed(w >> 128n, 128n) };
}

export interface FundingWord {
  /** Cumulative funding index, quote atoms × 1e9 per lot. */
  index: bigint;
  /** Index change per second, quote atoms × 1e9 per lot. */
  perSecond: bigint;
  /** A bankruptcy loss was socialised on this market. */
  hasLoss: boolean;
  /** Smoothed premium at the last update, 1e-10 of the index. */
  premium: bigint;
  /** Unix seconds. */
  lastUpdate: bigint;
}

/** A perp market's funding word (`FundingWord`). */
export function decodeFundingWord(w: bigint): FundingWord {
  return {
    index: signed(w, 96n),
    perSecond: signed(w >> 96n, 88n),
    hasLoss: bit(w, 184n),
    premium: signed(w >> 192n, 32n),
    lastUpdate: w >> 224n,
  };
}

export interface PremiumWord {
  /** Index price per lot at the last sample, quote atoms × 1e18. */
  indexLot: bigint;
  /** The impact premium sampled then, 1e-10 of the index. */
  target: bigint;
  halfLifeSeconds: bigint;
  /** Deepest tick the target counted (0 = none). */
  countedTick: bigint;
  /** Side of that tick (0 = bids). */
  countedSide: bigint;
  impactNotionalUsd: bigint;
}

/** A perp market's premium sampler word (`PremiumWord`). */
export function decodePremiumWord(w: bigint): PremiumWord {
  return {
    indexLot: w & M152,
    target: signed(w >> 152n, 32n),
    halfLifeSeconds: (w >> 184n) & M16,
    countedTick: (w >> 200n) & ((1n << 24n) - 1n),
    countedSide: (w >> 224n) & 1n,
    impactNotionalUsd: w >> 225n,
  };
}

export interface PerpStatsWord {
  longLots: bigint;
  /** Saturating at 2^80 − 1. */
  fundingPaidQuoteAtoms: bigint;
  /** Saturating at 2^80 − 1. */
  fundingReceivedQuoteAtoms: bigint;
}

/** A perp market's open interest and funding totals (`PerpStats`). */
export function decodePerpStats(w: bigint): PerpStatsWord {
  return { longLots: w & M64, fundingPaidQuoteAtoms: (w >> 64n) & M80, fundingReceivedQuoteAtoms: (w >> 144n) & M80 };
}

export interface LossWord {
  /** Socialised loss per long lot, quote atoms × 1e9 per lot. */
  perLongLot: bigint;
  /** Socialised loss per short lot, quote atoms × 1e9 per lot. */
  perShortLot: bigint;
}

/** A perp market's socialised loss index (`LossWord`). */
export function decodeLossWord(w: bigint): LossWord {
  return { perLongLot: w & M128, perShortLot: w >> 128n };
}
