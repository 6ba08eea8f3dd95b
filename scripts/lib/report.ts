// Exact decimal formatting of on-chain integers (bigint only, no floats) and plain-text tables,
// for the demo and the bench.

/**
 * The decimal expansion of num / den, exact when it terminates within `maxDigits` fraction
 * digits; otherwise truncated there and marked with a trailing "…" (rounded toward zero).
 * Trailing fraction zeros are dropped. Example: ratioToDecimal(7n, 4n) === "1.75".
 */
export function ratioToDecimal(num: bigint, den: bigint, maxDigits = 36): string {
  if (den <= 0n) throw new RangeError("denominator must be positive");
  const sign = num < 0n ? "-" : "";
  const n = num < 0n ? -num : num;
  const whole = n / den;
  let rem = n % den;
  let frac = "";
  while (rem !== 0n && frac.length < maxDigits) {
    rem *= 10n;
    frac += (rem / den).toString();
    rem %= den;
  }
  frac = frac.replace(/0+$/, "");
  const more = rem !== 0n ? "…" : "";
  return `${sign}${whole}${frac || more ? "." : ""}${frac}${more}`;
}

/** Token atoms as a decimal string of whole tokens. Example: formatUnits(1_500_000n, 6) === "1.5". */
export function formatUnits(atoms: bigint, decimals: number): string {
  return ratioToDecimal(atoms, 10n ** BigInt(decimals));
}

/** Groups the integer part in thousands: "1234567.5" → "1,234,567.5". */
export function groupThousands(decimal: string): string {
  const [int, frac] = decimal.split(".");
  const sign = int.startsWith("-") ? "-" : "";
  const digits = sign ? int.slice(1) : int;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${sign}${grouped}${frac !== undefined ? `.${frac}` : ""}`;
}

/** Grid and decimals of one market, enough to turn ticks and lots into prices and sizes. */
export interface MarketUnits {
  lotSize: bigint;
  tickSize: bigint;
  baseDecimals: number;
  quoteDecimals: number;
}

/**
 * Price of a tick in whole quote tokens per whole base token, exactly:
 * tick × tickSize quote atoms buy lotSize base atoms, so
 * price = tick × tickSize × 10^baseDecimals / (lotSize × 10^quoteDecimals).
 * Example (WETH/USDC, lot 1e15, tick size 10): tickToPrice(300000n, u) === "3000".
 */
export function tickToPrice(tick: bigint, u: MarketUnits): string {
  return ratioToDecimal(tick * u.tickSize * 10n ** BigInt(u.baseDecimals), u.lotSize * 10n ** BigInt(u.quoteDecimals));
}

/** Size of `lots` in whole base tokens. Example: lotsToSize(25n, u) === "0.025" for 0.001-token lots. */
export function lotsToSize(lots: bigint, u: MarketUnits): string {
  return formatUnits(lots * u.lotSize, u.baseDecimals);
}

/** Quote tick units (what the market counts quote in) as whole quote tokens. */
export function tickUnitsToQuote(units: bigint, u: MarketUnits): string {
  return formatUnits(units * u.tickSize, u.quoteDecimals);
}

/** Pads the fraction of an exact decimal with zeros to at least `places` digits (never cuts). */
export function padFraction(decimal: string, places: number): string {
  if (decimal.endsWith("…")) return decimal;
  const [int, frac = ""] = decimal.split(".");
  const padded = frac.padEnd(places, "0");
  return padded ? `${int}.${padded}` : int;
}

const fractionDigits = (decimal: string) => (decimal.split(".")[1] ?? "").replace("…", "").length;

/** A tick's price, grouped and padded to the decimals of the market's price step: "3,001.50". */
export function priceText(tick: bigint, u: MarketUnits): string {
  return groupThousands(padFraction(tickToPrice(tick, u), fractionDigits(tickToPrice(1n, u))));
}

/** A size in lots, padded to the decimals of one lot: "0.500". */
export function sizeText(lots: bigint, u: MarketUnits): string {
  return groupThousands(padFraction(lotsToSize(lots, u), fractionDigits(lotsToSize(1n, u))));
}

export type Align = "left" | "right";

/** A plain-text table: columns padded to their widest cell, numbers usually right-aligned. */
export function renderTable(headers: string[], rows: string[][], align: Align[] = []): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const cell = (s: string, i: number) => (align[i] === "right" ? s.padStart(widths[i]) : s.padEnd(widths[i]));
  const line = (r: string[]) => r.map(cell).join(" | ").trimEnd();
  const rule = widths.map((w) => "-".repeat(w)).join("-+-");
  return [line(headers), rule, ...rows.map(line)].join("\n");
}
