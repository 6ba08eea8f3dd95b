/**
 * Exact conversions between decimal strings and the book's integer units, in bigint only.
 *
 * - a **lot** is `lotSize` base atoms; a size "1.5" (base units) is 1.5 × 10^baseDecimals atoms;
 * - a **tick** prices one lot at `tick × tickSize` quote atoms, so a price P (quote units per
 *   base unit) is tick = P × 10^quoteDecimals × lotSize / (10^baseDecimals × tickSize).
 *
 * A value off its grid is rejected with a typed error unless a rounding is asked for; nothing
 * goes through a float.
 */
import {
  AmountPrecisionError,
  InexactDecimalError,
  InvalidDecimalError,
  InvalidGridError,
  PriceOffGridError,
  SizeOffGridError,
  ValueOutOfRangeError,
} from "../errors/units.ts";
import { MAX_LOTS, MAX_TICK } from "./order.ts";

/** What converting prices and sizes of one market needs (see `getMarket`). */
export interface MarketGrid {
  /** Base atoms per lot. */
  lotSize: bigint;
  /** Quote atoms per lot per tick. */
  tickSize: bigint;
  baseDecimals: number;
  quoteDecimals: number;
}

/** `exact` rejects off-grid values; `down` / `up` take the grid point below / above. */
export type Rounding = "exact" | "down" | "up";

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;
const pow10 = (n: number): bigint => 10n ** BigInt(n);

/** A decimal string as `digits / 10^scale`. */
export interface ParsedDecimal {
  digits: bigint;
  scale: number;
}

/**
 * Parses a plain non-negative decimal string ("3000.01", "0.5", "42").
 * @example parseDecimal("3000.01") // { digits: 300001n, scale: 2 }
 */
export function parseDecimal(value: string): ParsedDecimal {
  const m = DECIMAL.exec(value);
  if (!m) throw new InvalidDecimalError(value);
  const fraction = m[2] ?? "";
  return { digits: BigInt(m[1] + fraction), scale: fraction.length };
}

function checkDecimals(decimals: number, what: string): void {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 77) {
    throw new InvalidGridError(`${what} must be an integer in [0, 77], got ${decimals}`);
  }
}

function checkGrid(grid: MarketGrid): void {
  if (grid.lotSize <= 0n) throw new InvalidGridError("lotSize must be positive");
  if (grid.tickSize <= 0n) throw new InvalidGridError("tickSize must be positive");
  checkDecimals(grid.baseDecimals, "baseDecimals");
  checkDecimals(grid.quoteDecimals, "quoteDecimals");
}

function divide(num: bigint, den: bigint, rounding: Rounding): { q: bigint; exact: boolean } {
  const q = num / den;
  const exact = q * den === num;
  return { q: !exact && rounding === "up" ? q + 1n : q, exact };
}

function inRange(field: string, value: bigint, min: bigint, max: bigint): bigint {
  if (value < min || value > max) throw new ValueOutOfRangeError(field, value, min, max);
  return value;
}

const gcd = (a: bigint, b: bigint): bigint => {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
};

/** Writes `digits / 10^scale` without trailing fractional zeros ("1.50" -> "1.5"). */
function formatScaled(digits: bigint, scale: number): string {
  if (scale === 0) return digits.toString();
  const s = digits.toString().padStart(scale + 1, "0");
  const int = s.slice(0, s.length - scale);
  const frac = s.slice(s.length - scale).replace(/0+$/, "");
  return frac ? `${int}.${frac}` : int;
}

/**
 * `num / den` as a decimal string: exact when the expansion terminates, else rounded toward
 * zero at `decimals` digits (required then).
 * @example formatRatio(7n, 40n) // "0.175"; formatRatio(2n, 3n, 2) // "0.66"
 */
export function formatRatio(num: bigint, den: bigint, decimals?: number): string {
  if (den <= 0n) throw new InvalidGridError("a ratio's denominator must be positive");
  if (num < 0n) return `-${formatRatio(-num, den, decimals)}`;
  if (decimals !== undefined) {
    checkDecimals(decimals, "decimals");
    return formatScaled((num * pow10(decimals)) / den, decimals);
  }
  const g = gcd(num, den) || 1n;
  let d = den / g;
  let twos = 0;
  let fives = 0;
  while (d % 2n === 0n) [d, twos] = [d / 2n, twos + 1];
  while (d % 5n === 0n) [d, fives] = [d / 5n, fives + 1];
  if (d !== 1n) throw new InexactDecimalError(num, den);
  const scale = Math.max(twos, fives);
  return formatScaled((num * pow10(scale)) / den, scale);
}

/**
 * Exact decimal amount to token atoms; more fractional digits than `decimals` is an error
 * (unlike viem's `parseUnits`, which rounds).
 * @example amountToAtoms("1.5", 6) // 1_500_000n
 */
export function amountToAtoms(amount: string, decimals: number): bigint {
  checkDecimals(decimals, "decimals");
  const { digits, scale } = parseDecimal(amount);
  if (scale <= decimals) return digits * pow10(decimals - scale);
  const factor = pow10(scale - decimals);
  if (digits % factor !== 0n) throw new AmountPrecisionError(amount, decimals);
  return digits / factor;
}

/**
 * Token atoms to an exact decimal amount.
 * @example atomsToAmount(1_500_000n, 6) // "1.5"
 */
export function atomsToAmount(atoms: bigint, decimals: number): string {
  checkDecimals(decimals, "decimals");
  if (atoms < 0n) return `-${formatScaled(-atoms, decimals)}`;
  return formatScaled(atoms, decimals);
}

/**
 * Price (quote units per base unit) to a tick. Off-grid prices throw `PriceOffGridError`
 * unless `rounding` is "down" or "up"; the tick must lie in [1, MAX_TICK].
 * @example
 * // WETH/USDC with 0.001 WETH lots and 10-atom ticks: one tick is $0.01
 * priceToTick("3000.01", { lotSize: 10n ** 15n, tickSize: 10n, baseDecimals: 18, quoteDecimals: 6 }) // 300001n
 */
export function priceToTick(price: string, grid: MarketGrid, options: { rounding?: Rounding } = {}): bigint {
  checkGrid(grid);
  const { digits, scale } = parseDecimal(price);
  const num = digits * pow10(grid.quoteDecimals) * grid.lotSize;
  const den = pow10(scale + grid.baseDecimals) * grid.tickSize;
  const rounding = options.rounding ?? "exact";
  const { q, exact } = divide(num, den, rounding);
  if (!exact && rounding === "exact") throw new PriceOffGridError(price, q, q + 1n);
  return inRange("tick", q, 1n, MAX_TICK);
}

/**
 * Tick to its price (quote units per base unit) as an exact decimal string; pass `decimals`
 * to round toward zero when the grid makes the price non-terminating.
 * @example tickToPrice(300001n, grid) // "3000.01"
 */
export function tickToPrice(tick: bigint, grid: MarketGrid, options: { decimals?: number } = {}): string {
  checkGrid(grid);
  inRange("tick", tick, 0n, MAX_TICK);
  const num = tick * grid.tickSize * pow10(grid.baseDecimals);
  const den = grid.lotSize * pow10(grid.quoteDecimals);
  return formatRatio(num, den, options.decimals);
}

/**
 * Size (base units) to lots. Off-grid sizes throw `SizeOffGridError` unless `rounding` is
 * "down" or "up"; the result must lie in [1, MAX_LOTS].
 * @example sizeToLots("1.5", grid) // 1500n when a lot is 0.001
 */
export function sizeToLots(size: string, grid: MarketGrid, options: { rounding?: Rounding } = {}): bigint {
  checkGrid(grid);
  const { digits, scale } = parseDecimal(size);
  const num = digits * pow10(grid.baseDecimals);
  const den = pow10(scale) * grid.lotSize;
  const rounding = options.rounding ?? "exact";
  const { q, exact } = divide(num, den, rounding);
  if (!exact && rounding === "exact") throw new SizeOffGridError(size, q, q + 1n);
  return inRange("lots", q, 1n, MAX_LOTS);
}

/**
 * Lots to a size in base units, exact (a lot is a whole number of atoms).
 * @example lotsToSize(1500n, grid) // "1.5"
 */
export function lotsToSize(lots: bigint, grid: MarketGrid): string {
  checkGrid(grid);
  inRange("lots", lots, 0n, MAX_LOTS);
  return atomsToAmount(lots * grid.lotSize, grid.baseDecimals);
}

/**
 * Quote atoms of `lots` at `tick` (the notional, before fees).
 * @example notionalAtoms(300001n, 1500n, grid) // 4_500_015_000n (4500.015 USDC)
 */
export function notionalAtoms(tick: bigint, lots: bigint, grid: Pick<MarketGrid, "tickSize">): bigint {
  return tick * lots * grid.tickSize;
}
