/**
 * The lending pools' interest math, copied from `contracts/libraries/RateModelLib.sol` (same
 * names, same integer operations and roundings; every rounding favours the pool), plus
 * annualised figures for display. Conversions between shares and assets are in `shares.ts`
 * (SharesMathLib). bigint only.
 */

export const WAD = 10n ** 18n;
export const BPS = 10_000n;
export const SECONDS_PER_YEAR = 365n * 86_400n;

/** A pool's kinked utilisation model, rates per year in WAD (as `Clearinghouse.rateModelOf(token)`). */
export interface RateModel {
  baseRatePerYearWad: bigint;
  slope1PerYearWad: bigint;
  slope2PerYearWad: bigint;
  kinkWad: bigint;
}

/** `Math.mulDiv(a, b, d, rounding)`: a·b/d rounded down or up (a, b, d ≥ 0). */
export function mulDiv(a: bigint, b: bigint, d: bigint, rounding: "floor" | "ceil" = "floor"): bigint {
  const p = a * b;
  const q = p / d;
  return rounding === "ceil" && q * d !== p ? q + 1n : q;
}

/** `Math.ceilDiv`. */
export function ceilDiv(a: bigint, b: bigint): bigint {
  return a === 0n ? 0n : (a - 1n) / b + 1n;
}

/** u = borrows / (cash + borrows − reserves) in WAD, rounded up, at most 1e18; 0 without borrows. */
export function utilizationWad(cash: bigint, borrows: bigint, reserves: bigint): bigint {
  if (borrows === 0n) return 0n;
  const supplied = cash + borrows;
  if (supplied <= reserves) return WAD;
  const u = mulDiv(borrows, WAD, supplied - reserves, "ceil");
  return u < WAD ? u : WAD;
}

/** Borrow rate per year in WAD at utilisation `uWad`; both slope terms rounded up. */
export function ratePerYearWad(m: RateModel, uWad: bigint): bigint {
  const kink = m.kinkWad;
  let rate = m.baseRatePerYearWad;
  rate += mulDiv(m.slope1PerYearWad, uWad < kink ? uWad : kink, kink, "ceil");
  if (uWad > kink) rate += mulDiv(m.slope2PerYearWad, uWad - kink, WAD - kink, "ceil");
  return rate;
}

/** Borrow rate per second in WAD: the yearly rate / 365 days, rounded up. */
export function ratePerSecondWad(m: RateModel, uWad: bigint): bigint {
  return ceilDiv(ratePerYearWad(m, uWad), SECONDS_PER_YEAR);
}

/** The borrow index after `dt` seconds: index + ceil(index · rate · dt / 1e18). */
export function grow(indexWad: bigint, ratePerSecond: bigint, dt: bigint): bigint {
  return indexWad + mulDiv(indexWad, ratePerSecond * dt, WAD, "ceil");
}

/** What `Clearinghouse.borrowQuote` reads: the pool's state with interest accrued. */
export interface QuoteState {
  cash: bigint;
  totalBorrows: bigint;
  reserves: bigint;
  borrowCapAssets: bigint;
  rateModel: RateModel;
}

/**
 * `Clearinghouse.borrowQuote`: the borrow rate once `extraAssets` more are borrowed (at most the
 * cash), and how much can be borrowed now (cash, and room under the borrow cap).
 */
export function borrowQuote(s: QuoteState, extraAssets: bigint): { ratePerSecondWad: bigint; borrowable: bigint } {
  return borrowQuoteAfterRedeem(s, 0n, extraAssets);
}

/**
 * `Clearinghouse.borrowQuoteAfterRedeem`: `borrowQuote` once `redeemedAssets` have left the cash
 * first (a margin account's lent balance, redeemed before it borrows; at most all the cash).
 * @example borrowQuoteAfterRedeem(state, lentAtoms, 0n).borrowable // what a lender can borrow on top
 */
export function borrowQuoteAfterRedeem(
  s0: QuoteState,
  redeemedAssets: bigint,
  extraAssets: bigint,
): { ratePerSecondWad: bigint; borrowable: bigint } {
  const s = { ...s0, cash: s0.cash - (redeemedAssets < s0.cash ? redeemedAssets : s0.cash) };
  const capRoom = s.borrowCapAssets > s.totalBorrows ? s.borrowCapAssets - s.totalBorrows : 0n;
  const borrowable = s.cash < capRoom ? s.cash : capRoom;
  const extra = extraAssets < s.cash ? extraAssets : s.cash;
  const ratePerSecond = ratePerSecondWad(s.rateModel, utilizationWad(s.cash - extra, s.totalBorrows + extra, s.reserves));
  return { ratePerSecondWad: ratePerSecond, borrowable };
}

/** Supply rate per second as `Clearinghouse.supplyRatePerSecondWad`: rate · u · (1 − reserve factor), rounded down. */
export function supplyRatePerSecondWad(m: RateModel, uWad: bigint, reserveFactorBps: bigint): bigint {
  const grossWad = mulDiv(ratePerSecondWad(m, uWad), uWad, WAD);
  return (grossWad * (BPS - reserveFactorBps)) / BPS;
}

/**
 * A per-second rate as a simple yearly rate in bps (rate × 365 days), rounded down or up.
 * @example aprBps(1_268_391_679n, "floor") // 400n: 4 % a year
 */
export function aprBps(ratePerSecondWad_: bigint, rounding: "floor" | "ceil"): bigint {
  return mulDiv(ratePerSecondWad_ * SECONDS_PER_YEAR, BPS, WAD, rounding);
}

/**
 * A per-second rate compounded every second for a year, (1 + r)^31,536,000 − 1, in bps:
 * exactly floored or ceiled. The power is bracketed by two fixed-point computations (one
 * rounding every step down, the other up) and the precision doubles until both brackets give
 * the same bps, so the answer is the true value's floor (or ceiling), not an approximation.
 * Accrual happens on each touch of the pool, so lenders and borrowers see this only when the
 * pool is touched every second; fewer touches compound slightly less.
 *
 * @example apyBps(1_268_391_679n, "floor") // 408n: 4 % a year compounds to 4.08 %
 */
export function apyBps(ratePerSecondWad_: bigint, rounding: "floor" | "ceil"): bigint {
  for (let digits = 36n; ; digits *= 2n) {
    const scale = 10n ** digits;
    const base = scale + (ratePerSecondWad_ * scale) / WAD; // exact: WAD divides scale
    const low = powScaled(base, SECONDS_PER_YEAR, scale, "floor");
    const high = powScaled(base, SECONDS_PER_YEAR, scale, "ceil");
    const lo = mulDiv(low - scale, BPS, scale, rounding);
    const hi = mulDiv(high - scale, BPS, scale, rounding);
    if (lo === hi) return lo;
  }
}

/** base^exp in fixed point of `scale`, every product rounded the same way (a bound on the true power). */
function powScaled(base: bigint, exp: bigint, scale: bigint, rounding: "floor" | "ceil"): bigint {
  let result = scale;
  let b = base;
  for (let e = exp; e > 0n; e >>= 1n) {
    if (e & 1n) result = mulDiv(result, b, scale, rounding);
    if (e > 1n) b = mulDiv(b, b, scale, rounding);
  }
  return result;
}
