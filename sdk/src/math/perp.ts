/**
 * Perp arithmetic copied from `contracts/libraries/PerpMath.sol`, `FeeMath.takerFee` and
 * `PerpLib.riskOf` (the core's `perpRiskOf`; same names, same roundings, bigint only), and the what-if views the SDK
 * builds on the Atlas copy: a snapshot after a hypothetical taker fill (`withPerpFill`), the largest
 * fill that keeps initial value ≥ 0 (`maxOrderSize`) and the risk after a fill (`previewOrder`).
 */
import { getAddress, isAddressEqual, type Address } from "viem";
import { AtlasMarketMissingError } from "../errors/atlas.ts";
import { Side, MAX_LOTS } from "./order.ts";
import { divUp, marginRequirements, riskOf, value, gather, type AccountRisk, type AtlasPerp, type AtlasSnapshot } from "./atlas.ts";

/** Funding index scale: quote atoms × 1e9 per lot (`PerpMath.FUNDING_SCALE`). */
export const FUNDING_SCALE = 10n ** 9n;
export const PPM = 1_000_000n;
const WAD = 10n ** 18n;

/**
 * `PerpMath.trade`: a trade of `d` lots (positive = buy) for `notional` quote atoms on a position
 * (size lots, signed entry atoms); returns the new size, entry and the realised PnL.
 */
export function trade(size: bigint, entry: bigint, d: bigint, notional: bigint): [size1: bigint, entry1: bigint, realised: bigint] {
  const n = notional;
  if (size === 0n || size > 0n === d > 0n) return [size + d, d > 0n ? entry + n : entry - n, 0n];
  const absD = d > 0n ? d : -d;
  const absS = size > 0n ? size : -size;
  const q = absD < absS ? absD : absS;
  let nq: bigint;
  if (q === absD) nq = n;
  else if (d < 0n) nq = (notional * q) / absD;
  else nq = divUp(notional * q, absD);
  let eq: bigint;
  if (q === absS) eq = entry;
  else if (size > 0n) eq = divUp(entry * q, absS);
  else eq = -((-entry * q) / absS);
  const realised = size > 0n ? nq - eq : -nq - eq;
  let entry1 = entry - eq;
  let size1 = size > 0n ? size - q : size + q;
  if (absD > q) {
    size1 = d > 0n ? absD - q : -(absD - q);
    entry1 = d > 0n ? n - nq : -(n - nq);
  }
  return [size1, entry1, realised];
}

/** `PerpMath.fundingOwed`: size × Δindex / 1e9, positive = the position pays; rounded toward +∞. */
export function fundingOwed(size: bigint, indexNow: bigint, snapshot: bigint): bigint {
  const x = size * (indexNow - snapshot);
  let q = x / FUNDING_SCALE;
  if (x % FUNDING_SCALE !== 0n && x > 0n) q += 1n;
  return q;
}

/** `PerpMath.rate`: premium + clamp(interest − premium, ±clamp), capped at ±cap (ppm per hour). */
export function rate(premiumPpm: bigint, interestPpm: bigint, clampPpm: bigint, capPpm: bigint): bigint {
  let gap = interestPpm - premiumPpm;
  if (gap > clampPpm) gap = clampPpm;
  if (gap < -clampPpm) gap = -clampPpm;
  let r = premiumPpm + gap;
  if (r > capPpm) r = capPpm;
  if (r < -capPpm) r = -capPpm;
  return r;
}

/** Premium scale: premiums are fractions of the index × 1e10 (`PerpMath.PREMIUM_SCALE`). */
export const PREMIUM_SCALE = 10n ** 10n;
/** Book levels one impact walk reads per side at most (`PerpLib.MAX_IMPACT_LEVELS`). */
export const MAX_IMPACT_LEVELS = 8;

/**
 * `PerpMath.smooth`: the smoothed premium `dt` seconds after it was `premium`, moving toward
 * `target` (both 1e-10 of the index) by at most maxPremium / (2 × halfLife) per second, the step
 * rounded down.
 *
 * @example
 * perpMath.smoothPremium(0n, 100_000_000n, 60n, 10_000n, 60n) // 50_000_000n: half-way to a +1% target in one half-life
 */
export function smoothPremium(premium: bigint, target: bigint, dt: bigint, maxPremiumPpm: bigint, halfLife: bigint): bigint {
  const step = (maxPremiumPpm * (PREMIUM_SCALE / PPM) * dt) / (2n * halfLife);
  if (premium < target) return premium + step < target ? premium + step : target;
  return premium - step > target ? premium - step : target;
}

/** One side of a book, best price first (`getBook`). */
export interface BookSide {
  ticks: readonly bigint[];
  lots: readonly bigint[];
}

/** Inputs of `impactPremium`: the book, the index and the market's premium parameters. */
export interface ImpactPremiumParameters {
  bids: BookSide;
  asks: BookSide;
  /** Index per lot, quote atoms × 1e18 (`markPrice().indexLotWad`). */
  indexLotWad: bigint;
  /** Oracle USD price of the quote token, WAD. */
  quotePriceWad: bigint;
  quoteDecimals: bigint;
  tickSize: bigint;
  maxPremiumPpm: bigint;
  /** Impact notional, whole USD (`premiumState().impactNotionalUsd`). */
  impactNotionalUsd: bigint;
}

const mulDivDown = (a: bigint, b: bigint, c: bigint) => (a * b) / c;
const ceilDiv = (a: bigint, b: bigint) => (a === 0n ? 0n : (a - 1n) / b + 1n);

/**
 * `PerpLib.samplePremium`: the book's impact premium (1e-10 of the index) — the average price at
 * which the impact notional (valued at the index) fills on each side, bids counted only above the
 * index and asks only below it, each level's price bounded by the clamp, the rest at the index; at
 * most `MAX_IMPACT_LEVELS` levels. Also the deepest tick counted and its side (0 = bids).
 *
 * @example
 * const { target } = perpMath.impactPremium({ bids, asks, indexLotWad, quotePriceWad: 10n ** 18n, quoteDecimals: 6n, tickSize: 10n, maxPremiumPpm: 10_000n, impactNotionalUsd: 10_000n })
 */
export function impactPremium(p: ImpactPremiumParameters): { target: bigint; countedTick: bigint; countedSide: 0n | 1n } {
  const WAD2 = WAD * WAD;
  const I = p.indexLotWad;
  let side: 0n | 1n = 0n;
  let book = p.bids;
  const bestOf = (x: BookSide) => (x.ticks.length > 0 ? x.ticks[0] : 0n);
  if (bestOf(book) * p.tickSize * WAD <= I) {
    side = 1n;
    book = p.asks;
    const best = bestOf(book);
    if (best === 0n || best * p.tickSize * WAD >= I) return { target: 0n, countedTick: 0n, countedSide: side };
  }
  let budget = mulDivDown(p.impactNotionalUsd * 10n ** p.quoteDecimals, WAD2, p.quotePriceWad);
  const notional = budget;
  const maxGap = (I * p.maxPremiumPpm) / PPM;
  let excess = 0n;
  let deepest = 0n;
  for (let i = 0; i < MAX_IMPACT_LEVELS && i < book.ticks.length && budget !== 0n; i++) {
    const tick = book.ticks[i];
    const price = tick * p.tickSize * WAD;
    if (side === 0n ? price <= I : price >= I) break;
    let gap = side === 0n ? price - I : I - price;
    if (gap > maxGap) gap = maxGap;
    const lots = book.lots[i];
    deepest = tick;
    if (lots >= ceilDiv(budget, I)) {
      excess += mulDivDown(budget, gap, I);
      break;
    }
    excess += lots * gap;
    budget -= lots * I;
  }
  const t = mulDivDown(excess, PREMIUM_SCALE, notional);
  return { target: side === 1n ? -t : t, countedTick: deepest, countedSide: side };
}

/** Mark per lot from the index per lot and a premium (1e-10 of the index), as `markPrice`. */
export function markLotWad(indexLotWad: bigint, premium: bigint): bigint {
  return (indexLotWad * (PREMIUM_SCALE + premium)) / PREMIUM_SCALE;
}

/** `FeeMath.takerFee`: ceil(notional × bps / 10_000), in tick units. */
export function takerFee(notional: bigint, bps: bigint): bigint {
  return (notional * bps + 9_999n) / 10_000n;
}

/** The premium part of `riskOf`'s cash leg: size × premium per lot, rounded against the account. */
export function premiumAtoms(sizeLots: bigint, premiumLotWad: bigint): bigint {
  const prem = sizeLots * premiumLotWad;
  return prem >= 0n ? prem / WAD : -divUp(-prem, WAD);
}

/** A hypothetical taker fill on a perp market. */
export interface PerpFill {
  /** The perp market's id in the core. */
  marketId: bigint;
  side: Side;
  lots: bigint;
  /** Fill price in ticks (quote atoms per lot = tick × tickSize). */
  tick: bigint;
}

/**
 * The snapshot after `fill` as the account's own taker fill: the position trades at the price
 * (`PerpMath.trade`), the taker fee is charged, and the unsettled cash, realised PnL and funding owed
 * settle into the quote balance (an idle one; a lent or borrowed quote balance keeps them in the
 * perp's cash leg, which Atlas values the same but for the lent haircut and the debt interest).
 * The perp market need not be among the account's markets yet if the snapshot was read with it
 * (`readAtlasSnapshot({ perpMarketIds })`).
 *
 * @example
 * const after = perpMath.withPerpFill(snap, { marketId: ethPerp, side: Side.Bid, lots: 1_000n, tick: 300_000n })
 * atlasMath.riskOf(after).initialWad
 */
export function withPerpFill(s: AtlasSnapshot, fill: PerpFill): AtlasSnapshot {
  const r = perpOf(s, fill.marketId);
  const d = fill.side === Side.Bid ? fill.lots : -fill.lots;
  const notional = fill.lots * fill.tick;
  const fee = takerFee(notional, r.takerFeeBps) * r.tickSize;
  const [size1, entry1, realised] = trade(r.sizeLots, r.entryAtoms, d, notional * r.tickSize);
  const settled = r.pocketCashAtoms + realised - fee - r.fundingOwedAtoms;
  const next: AtlasPerp = {
    ...r,
    sizeLots: size1,
    entryAtoms: entry1,
    pocketCashAtoms: 0n,
    fundingOwedAtoms: 0n,
    sizeAtoms: size1 * r.lotSize,
    cashAtoms: -entry1 + premiumAtoms(size1, r.premiumLotWad),
  };
  let positions = s.positions;
  const held = positions.find((p) => isAddressEqual(p.token, r.quote));
  if (held ? !held.lent && held.amount >= 0n && held.amount + settled >= 0n : settled >= 0n) {
    const amount = (held?.amount ?? 0n) + settled;
    const p = { token: getAddress(r.quote), amount, lent: false, idleAtoms: amount, lentAtoms: 0n, debtAtoms: 0n };
    positions = held ? positions.map((x) => (x === held ? p : x)) : [...positions, p];
  } else {
    next.cashAtoms += settled;
  }
  const perps = s.perps.map((x) => (x.marketId === r.marketId ? next : x));
  let marketIds = s.marketIds;
  if (!marketIds.includes(r.marketId)) {
    // the market joins the account's mask: in id order
    let at = marketIds.findIndex((i) => i > r.marketId);
    if (at < 0) at = marketIds.length;
    marketIds = [...marketIds.slice(0, at), r.marketId, ...marketIds.slice(at)];
  }
  return { ...s, positions, perps, marketIds };
}

/**
 * Largest lots of a taker fill at `tick` after which the account's initial value is still ≥ 0
 * (the margin check a risk-adding perp trade must pass), by bisection on the Atlas copy; 0 if
 * none. `maxLots` bounds the search (default the order word's 2^48 − 1).
 *
 * @example
 * const lots = perpMath.maxOrderSize(snap, { marketId: ethPerp, side: Side.Bid, tick: 300_000n })
 */
export function maxOrderSize(s: AtlasSnapshot, p: Omit<PerpFill, "lots"> & { maxLots?: bigint }): bigint {
  let lo = 0n;
  let hi = p.maxLots ?? MAX_LOTS;
  while (lo < hi) {
    const mid = hi - (hi - lo) / 2n;
    const [e, b] = gather(withPerpFill(s, { ...p, lots: mid }));
    if (value(e, b, s.initialScaleBps, true) >= 0n) lo = mid;
    else hi = mid - 1n;
  }
  return lo;
}

/** Risk before and after a hypothetical fill. */
export interface OrderPreview {
  before: AccountRisk;
  after: AccountRisk;
  /** Initial-margin requirements after the fill (portfolio, plain cross margin). */
  requirements: { portfolioWad: bigint; crossWad: bigint };
  /** The snapshot after the fill. */
  snapshot: AtlasSnapshot;
}

/**
 * Equity, maintenance and initial value before and after a hypothetical taker fill, and the
 * margin requirements after it, from the Atlas copy.
 *
 * @example
 * const { after } = perpMath.previewOrder(snap, { marketId: ethPerp, side: Side.Ask, lots: 500n, tick: 299_000n })
 * if (after.initialWad < 0n) console.log("would be refused")
 */
export function previewOrder(s: AtlasSnapshot, fill: PerpFill): OrderPreview {
  const after = withPerpFill(s, fill);
  return { before: riskOf(s), after: riskOf(after), requirements: marginRequirements(after), snapshot: after };
}

/** The snapshot's data for a perp market, or AtlasMarketMissingError when it was read without it. */
export function perpOf(s: AtlasSnapshot, marketId: bigint): AtlasPerp {
  const r = s.perps.find((x) => x.marketId === marketId);
  if (!r) throw new AtlasMarketMissingError(marketId);
  return r;
}
