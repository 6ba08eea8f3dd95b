// Plain-text views of the margin layer for the demo: lending rates (exact APRs and APYs
// compounded every second, integer arithmetic only), an account's ATLAS risk (the core's view),
// and a pool's state.
import type { AtlasLens, Clearinghouse } from "../../types/ethers-contracts/index.js";

/** A lending pool: the Clearinghouse holds it, keyed by its token. */
export interface PoolRef {
  ch: Clearinghouse;
  token: string;
}
import { ratioToDecimal, groupThousands, renderTable, formatUnits } from "./report.ts";

const WAD = 10n ** 18n;
export const SECONDS_PER_YEAR = 31_536_000n;
/** Fixed-point scale of the APY computation: far finer than the digits shown. */
const ONE = 10n ** 36n;

/** A WAD fraction as an exact percentage: percentOfWad(4n * 10n ** 16n) === "4". */
export function percentOfWad(wad: bigint, maxDigits = 18): string {
  return ratioToDecimal(wad * 100n, WAD, maxDigits);
}

/** x^n in ONE fixed point, every product rounded down (so the result never exceeds the true one). */
function powDown(x: bigint, n: bigint): bigint {
  let result = ONE;
  let base = x;
  for (let e = n; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * base) / ONE;
    base = (base * base) / ONE;
  }
  return result;
}

/**
 * Yearly rates from a per-second WAD rate, as exact percentages: the APR (rate × seconds per
 * year, exact) and the APY if interest compounds every second, (1 + r)^31,536,000 − 1, computed
 * at 36-digit precision and cut (toward zero, marked "…") at `digits` fraction digits.
 */
export function yearly(ratePerSecondWad: bigint, digits = 6): { apr: string; apy: string } {
  const apr = percentOfWad(ratePerSecondWad * SECONDS_PER_YEAR);
  const growth = powDown(ONE + ratePerSecondWad * (ONE / WAD), SECONDS_PER_YEAR) - ONE;
  return { apr, apy: ratioToDecimal(growth * 100n, ONE, digits) };
}

/** One row of the rates table: utilisation and the borrow and supply APR / APY of a pool. */
export async function rateRow(moment: string, { ch, token }: PoolRef): Promise<string[]> {
  const [u, borrow, supply] = await Promise.all([
    ch.utilizationWad(token),
    ch.borrowRatePerSecondWad(token),
    ch.supplyRatePerSecondWad(token),
  ]);
  const b = yearly(borrow);
  const s = yearly(supply);
  return [moment, `${percentOfWad(u, 6)}%`, `${b.apr}%`, `${b.apy}%`, `${s.apr}%`, `${s.apy}%`];
}

export function renderRates(rows: string[][]): string {
  return renderTable(["moment", "utilisation", "borrow APR", "borrow APY", "supply APR", "supply APY"], rows, [
    "left",
    "right",
    "right",
    "right",
    "right",
    "right",
  ]);
}

/** USD WAD as dollars and cents, cut toward zero ("…" when digits were cut). */
export function usdText(wad: bigint): string {
  return groupThousands(ratioToDecimal(wad, WAD, 2));
}

/**
 * One row of a risk table: equity, maintenance value, initial value (the core's `riskOf`),
 * liquidation price (from the lens).
 */
export async function riskRow(moment: string, ch: Clearinghouse, lens: AtlasLens, account: string, token: string): Promise<string[]> {
  const [r, liq] = await Promise.all([ch.riskOf(account), lens.liquidationPrice(account, token)]);
  return [
    moment,
    usdText(r.equityWad),
    usdText(r.maintenanceWad),
    usdText(r.initialWad),
    liq === 0n ? "none" : usdText(liq),
    r.maintenanceWad < 0n ? "yes" : "no",
  ];
}

export function renderRisk(rows: string[][], symbol: string): string {
  return renderTable(
    ["moment", "equity", "maintenance value", "initial value", `liquidation price ${symbol}`, "liquidatable"],
    rows,
    ["left", "right", "right", "right", "right", "left"],
  );
}

/**
 * A pool's books: cash, borrows and reserves (with interest accrued to now), what lenders own
 * (cash + borrows − reserves, checked against totalAssets) and the price of one whole share in
 * whole assets: 10^6 × (totalAssets + 1) / (totalSupply + 10^6) with OpenZeppelin's virtual
 * share offset of 6 digits.
 */
export async function poolRow(symbol: string, decimals: number, { ch, token }: PoolRef): Promise<string[]> {
  const [cash, borrows, reserves, assets, supply] = await Promise.all([
    ch.cash(token),
    ch.totalBorrows(token),
    ch.poolReserves(token),
    ch.supplyAssets(token),
    ch.totalSupplyShares(token),
  ]);
  const amount = (x: bigint) => groupThousands(formatUnits(x, decimals));
  return [
    symbol,
    amount(cash),
    amount(borrows),
    amount(reserves),
    amount(assets),
    cash + borrows - reserves === assets ? "exact" : "MISMATCH",
    ratioToDecimal(10n ** 6n * (assets + 1n), supply + 10n ** 6n, 12),
  ];
}

export function renderPools(rows: string[][]): string {
  return renderTable(
    ["pool", "cash", "borrows", "reserves", "lenders' assets", "cash + borrows − reserves", "share price"],
    rows,
    ["left", "right", "right", "right", "right", "left", "right"],
  );
}
