/**
 * The ATLAS valuation, copied from `contracts/libraries/AtlasMath.sol` (the arithmetic) and
 * the core's `contracts/libraries/RiskLib.sol` (gathering an account's entries) and
 * `contracts/periphery/AtlasLens.sol` (the what-if views): same names,
 * same integer operations, same roundings (every one against the account), bigint only. From
 * one `AtlasSnapshot` (see `readAtlasSnapshot`) it gives the figures the contract gives at the
 * snapshot's block, to the wei; `test/sdk/atlas.property.test.ts` checks that on thousands of
 * random portfolios. docs/RISK.md states the formulas with a worked example.
 *
 * BigInt division truncates toward zero and `%` takes the dividend's sign, exactly as Solidity's
 * `/` and `%` on int256. Inputs within the contract's ranges never overflow there; this copy does
 * not emulate overflow panics.
 */
import { getAddress, isAddressEqual, zeroAddress, type Address, type Hex } from "viem";
import { AtlasTokenMissingError } from "../errors/atlas.ts";
import { InvalidParameterError } from "../errors/client.ts";
import { PriceUnavailableError } from "../errors/contract.ts";
import { contractError } from "../errors/local.ts";
import { borrowQuoteAfterRedeem, type RateModel } from "./rates.ts";
import { toDebtAssetsDown } from "./shares.ts";

export const BPS = 10_000n;
export const WAD = 10n ** 18n;
/** `type(uint128).max`: the upper end of `maxWithdraw`'s bisection when it may borrow. */
export const MAX_UINT128 = (1n << 128n) - 1n;
/** The upper end of `liquidationPrice`'s bisection (WAD). */
export const MAX_LIQUIDATION_PRICE_WAD = 10n ** 36n;

// ------------------------------------------------------------------ AtlasMath.sol

/** One asset of the account: its balance split by kind, risk parameters and prices (`AtlasMath.Entry`). */
export interface Entry {
  token: Address;
  decimals: bigint;
  shockBps: bigint;
  slippageBps: bigint;
  haircutBps: bigint;
  idleAtoms: bigint;
  lentAtoms: bigint;
  debtAtoms: bigint;
  pocketAtoms: bigint;
  borrowRateWad: bigint;
  debtInterestSeconds: bigint;
  priceWad: bigint;
  stableWad: bigint;
  /** Perps on this underlying (summed over its perp markets), and on the quote entry their cash. */
  hasPerp: boolean;
  perpAtoms: bigint;
  perpBidAtoms: bigint;
  perpAskAtoms: bigint;
  perpCashAtoms: bigint;
  perpLiquidityBps: bigint;
  perpImpactUsd: bigint;
  basisBps: bigint;
  floorBps: bigint;
}

/** An entry as the core's `riskEntries` returns it (`AtlasMath.Entry`): the token's unit, not its decimals. */
export type CoreEntry = Omit<Entry, "decimals" | "token"> & { token: string; unit: bigint };
/** A book as the core's `riskEntries` returns it (indices as the ABI decodes them). */
export interface CoreBook {
  baseIndex: bigint | number;
  quoteIndex: bigint | number;
  lockedBaseAtoms: bigint;
  lockedQuoteAtoms: bigint;
}

/** The SDK's `Entry` for one of the core's `riskEntries` entries (decimals from the unit, 10^decimals). */
export function entryFromCore(x: CoreEntry): Entry {
  const decimals = BigInt(x.unit.toString().length - 1);
  if (10n ** decimals !== x.unit) throw new InvalidParameterError(`entryFromCore: unit ${x.unit} is not a power of ten`);
  return {
    token: getAddress(x.token),
    decimals,
    shockBps: x.shockBps,
    slippageBps: x.slippageBps,
    haircutBps: x.haircutBps,
    idleAtoms: x.idleAtoms,
    lentAtoms: x.lentAtoms,
    debtAtoms: x.debtAtoms,
    pocketAtoms: x.pocketAtoms,
    borrowRateWad: x.borrowRateWad,
    debtInterestSeconds: x.debtInterestSeconds,
    priceWad: x.priceWad,
    stableWad: x.stableWad,
    hasPerp: x.hasPerp,
    perpAtoms: x.perpAtoms,
    perpBidAtoms: x.perpBidAtoms,
    perpAskAtoms: x.perpAskAtoms,
    perpCashAtoms: x.perpCashAtoms,
    perpLiquidityBps: x.perpLiquidityBps,
    perpImpactUsd: x.perpImpactUsd,
    basisBps: x.basisBps,
    floorBps: x.floorBps,
  };
}

/** The SDK's `Book` for one of the core's `riskEntries` books. */
export function bookFromCore(k: CoreBook): Book {
  return {
    baseIndex: Number(k.baseIndex),
    quoteIndex: Number(k.quoteIndex),
    lockedBaseAtoms: k.lockedBaseAtoms,
    lockedQuoteAtoms: k.lockedQuoteAtoms,
  };
}

/** Funds locked behind resting orders on one spot book; indices point into the Entry array (`AtlasMath.Book`). */
export interface Book {
  baseIndex: number;
  quoteIndex: number;
  lockedBaseAtoms: bigint;
  lockedQuoteAtoms: bigint;
}

/**
 * Adjusted balance x in atoms: idle + pockets + lent × haircut − debt × (1 + r × T), plus the cash
 * legs of perp positions settled in this asset. Lent rounds down, debt up.
 */
export function adjusted(e: Entry): bigint {
  const plus = e.idleAtoms + e.pocketAtoms + (e.lentAtoms * e.haircutBps) / BPS;
  const minus = divUp(e.debtAtoms * (WAD + e.borrowRateWad * e.debtInterestSeconds), WAD);
  return plus - minus + e.perpCashAtoms;
}

/** USD WAD value of `atoms` at `priceWad`: rounded down for holdings, up for debts. */
export function usd(atoms: bigint, priceWad: bigint, decimals: bigint): bigint {
  return usdUnit(atoms, priceWad, 10n ** decimals);
}

/** Equity: every balance and perp position at the oracle price, no haircut, no shock (`risk` mode bit 4). */
export function equity(e: readonly Entry[]): bigint {
  return risk(e, [], BPS, 4n)[0];
}

/**
 * Account value: maintenance when scaleBps = 10_000 and `conservative` is false, initial with the
 * scale and the conservative price (`AtlasMath.value`).
 */
export function value(e: readonly Entry[], b: readonly Book[], scaleBps: bigint, conservative: boolean): bigint {
  const [, maint, init] = risk(e, b, scaleBps, conservative ? 2n : 1n);
  return conservative ? init : maint;
}

/** Per-asset value (maintenance, or initial with `conservative`): the same pass as `risk` (`AtlasMath.values`). */
export function values(e: readonly Entry[], b: readonly Book[], scaleBps: bigint, conservative: boolean): bigint[] {
  const mode = conservative ? 2n : 1n;
  const [, vm, vi, pi] = pass(e, b, scaleBps, mode);
  return e.map((ei, i) =>
    conservative ? final(ei, vi[2 * i], vi[2 * i + 1], pi[i], scaleBps) : final(ei, vm[2 * i], vm[2 * i + 1], ei.priceWad, BPS),
  );
}

/** Shock or slippage scaled for initial margin, rounded up. */
export function scaled(bps: bigint, scaleBps: bigint): bigint {
  return divUp(bps * scaleBps, BPS);
}

/**
 * For initial margin: the lower of oracle and stable price for what the account holds, the higher
 * for what it owes; the net exposure (spot plus perp) decides which.
 */
export function conservativePrice(e: Entry, x: bigint): bigint {
  x += e.perpAtoms;
  const p = e.priceWad;
  const s = e.stableWad;
  if (x >= 0n) return p < s ? p : s;
  return p > s ? p : s;
}

/**
 * Equity (mode bit 4), maintenance value (mode bit 1) and initial value (mode bit 2) in one pass, each only when its bit is set
 * (`AtlasMath.risk`): per asset the worse of the up and down scenarios less the resting orders'
 * worst case, then, where perps trade on the asset, the basis charge and the gross-notional floor.
 */
export function risk(
  e: readonly Entry[],
  b: readonly Book[],
  scaleBps: bigint,
  mode: bigint,
): [equityWad: bigint, maintWad: bigint, initWad: bigint] {
  const [equityWad, vm, vi, pi] = pass(e, b, scaleBps, mode);
  let maintWad = 0n;
  let initWad = 0n;
  e.forEach((ei, i) => {
    if ((mode & 1n) !== 0n) maintWad += final(ei, vm[2 * i], vm[2 * i + 1], ei.priceWad, BPS);
    if ((mode & 2n) !== 0n) initWad += final(ei, vi[2 * i], vi[2 * i + 1], pi[i], scaleBps);
  });
  return [equityWad, maintWad, initWad];
}

/**
 * Initial-margin requirement of the portfolio and of plain cross margin (each leg, spot and perp,
 * margined alone), both at the initial scale and conservative prices (`AtlasMath.requirements`).
 */
export function requirements(e: readonly Entry[], b: readonly Book[], scaleBps: bigint): [portfolioWad: bigint, crossWad: bigint] {
  const [, , vi, pi] = pass(e, b, scaleBps, 2n);
  let portfolioWad = 0n;
  let crossWad = 0n;
  e.forEach((ei, i) => {
    const [p, c] = requirement(ei, vi[2 * i], vi[2 * i + 1], pi[i], scaleBps);
    portfolioWad += p;
    crossWad += c;
  });
  return [portfolioWad, crossWad];
}

/** `AtlasMath._requirement`: one asset's portfolio and cross requirements from its two scenario values. */
function requirement(t: Entry, vUp: bigint, vDown: bigint, p: bigint, scaleBps: bigint): [bigint, bigint] {
  const unit = 10n ** t.decimals;
  const x = adjusted(t);
  const ux = usdUnit(x, p, unit);
  const pu = usdUnit(t.perpAtoms, p, unit);
  const portfolio = ux + pu - final(t, vUp, vDown, p, scaleBps);
  // the spot leg alone: its own scenarios, with the resting spot orders' charges
  const [su, sd] = spotAlone(t, x, p, scaleBps, vUp, vDown);
  let cross = ux - (su < sd ? su : sd);
  if (t.hasPerp) {
    // the perp leg alone, with its own floor on its gross notional
    const [pUp, pDown] = [perpUp(t, p, scaleBps), perpDown(t, p, scaleBps)];
    const req = pu - (pUp < pDown ? pUp : pDown);
    const fl = divUp(abs(pu) * scaled(t.floorBps, scaleBps), BPS);
    cross += req > fl ? req : fl;
  }
  return [portfolio, cross];
}

/** `AtlasMath._spotAlone`: the spot leg's scenarios with the resting spot orders' charges. */
function spotAlone(t: Entry, x: bigint, p: bigint, scaleBps: bigint, vUp: bigint, vDown: bigint): [bigint, bigint] {
  const [ou, od] = scenarios(t, x, p, scaleBps);
  const [up, down] = spotScenarios(t, x, p, scaleBps);
  return [up + vUp - ou, down + vDown - od];
}

/** `AtlasMath._pass`: equity and both scenario values per asset ([2i] up, [2i + 1] down) before the final min. */
function pass(
  e: readonly Entry[],
  b: readonly Book[],
  scaleBps: bigint,
  mode: bigint,
): [equityWad: bigint, vm: bigint[], vi: bigint[], pi: bigint[]] {
  const n = e.length;
  const vm = new Array<bigint>(2 * n).fill(0n);
  const vi = new Array<bigint>(2 * n).fill(0n);
  const pi = new Array<bigint>(n).fill(0n);
  let equityWad = 0n;
  for (let i = 0; i < n; ++i) equityWad += entryPass(e[i], i, scaleBps, vm, vi, pi, mode);
  for (const k of b) book(e, k, scaleBps, vm, vi, pi);
  return [equityWad, vm, vi, pi];
}

/** `AtlasMath._final`: min(up, down), less the basis charge on the hedged part, capped by the floor. */
function final(t: Entry, up: bigint, down: bigint, p: bigint, scaleBps: bigint): bigint {
  let v = up < down ? up : down;
  if (!t.hasPerp) return v;
  const unit = 10n ** t.decimals;
  const x = adjusted(t);
  const y = t.perpAtoms;
  if (x !== 0n && y !== 0n && x > 0n !== y > 0n) {
    const hedged = abs(x) < abs(y) ? abs(x) : abs(y);
    v -= divUp(usdUnit(hedged, p, unit) * scaled(t.basisBps, scaleBps), BPS);
  }
  const mid = usdUnit(x, p, unit) + usdUnit(y, p, unit);
  const gross = usdUnit(abs(x), p, unit) + usdUnit(abs(y), p, unit);
  const cap = mid - divUp(gross * scaled(t.floorBps, scaleBps), BPS);
  if (cap < v) v = cap;
  return v;
}

/** `AtlasMath._entry`: one asset's equity and scenario values into `vm`/`vi`, its (conservative) price into `pi`. */
function entryPass(t: Entry, i: number, scaleBps: bigint, vm: bigint[], vi: bigint[], pi: bigint[], mode: bigint): bigint {
  const x = adjusted(t);
  const unit = 10n ** t.decimals;
  let eq = 0n;
  if ((mode & 4n) !== 0n) {
    eq = usdUnit(t.idleAtoms + t.pocketAtoms + t.lentAtoms - t.debtAtoms + t.perpCashAtoms, t.priceWad, unit);
    if (t.hasPerp) eq += usdUnit(t.perpAtoms, t.priceWad, unit);
  }
  if ((mode & 1n) !== 0n) [vm[2 * i], vm[2 * i + 1]] = scenarios(t, x, t.priceWad, BPS);
  if ((mode & 2n) === 0n) {
    pi[i] = t.priceWad;
    return eq;
  }
  const pc = conservativePrice(t, x);
  pi[i] = pc;
  [vi[2 * i], vi[2 * i + 1]] = scenarios(t, x, pc, scaleBps);
  return eq;
}

/** `AtlasMath._scenarios`: the asset's two scenario values, spot alone or spot and perps netted. */
export function scenarios(t: Entry, x: bigint, p: bigint, scaleBps: bigint): [up: bigint, down: bigint] {
  return t.hasPerp ? netted(t, x, p, scaleBps) : spotScenarios(t, x, p, scaleBps);
}

/**
 * `AtlasMath._netted`: (x + y) at P·(1 ± h'), open perp asks filled up and bids down (charged h'
 * of their notional), less the liquidity cost of what is not hedged: a perfect hedge costs nothing here.
 */
export function netted(t: Entry, x: bigint, p: bigint, scaleBps: bigint): [up: bigint, down: bigint] {
  const unit = 10n ** t.decimals;
  const h = scaled(t.shockBps, scaleBps);
  const u = usdUnit(x, p, unit) + usdUnit(t.perpAtoms, p, unit);
  let up = floorDiv(u * (BPS + h), BPS);
  up -= divUp(usdUnit(t.perpAskAtoms, p, unit) * h, BPS);
  up -= unhedgedCost(t, x, t.perpAtoms - t.perpAskAtoms, p, scaleBps);
  let down = floorDiv(u * (BPS - h), BPS);
  down -= divUp(usdUnit(t.perpBidAtoms, p, unit) * h, BPS);
  down -= unhedgedCost(t, x, t.perpAtoms + t.perpBidAtoms, p, scaleBps);
  return [up, down];
}

/** `AtlasMath._unhedgedCost`: slippage on spot and liquidity on perp beyond the hedged part. */
export function unhedgedCost(t: Entry, x: bigint, y: bigint, p: bigint, scaleBps: bigint): bigint {
  let ax = abs(x);
  let ay = abs(y);
  if (x !== 0n && y !== 0n && x > 0n !== y > 0n) {
    const hedged = ax < ay ? ax : ay;
    [ax, ay] = [ax - hedged, ay - hedged];
  }
  const slip = divUp(usdUnit(ax, p, 10n ** t.decimals) * scaled(t.slippageBps, scaleBps), BPS);
  return slip + liquidity(t, ay, p, scaleBps);
}

/** `AtlasMath._spotScenarios`: x at P·(1 ± h' − s'·sign(x)), rounded toward −∞. */
export function spotScenarios(t: Entry, x: bigint, p: bigint, scaleBps: bigint): [up: bigint, down: bigint] {
  const u = usd(x, p, t.decimals);
  const h = scaled(t.shockBps, scaleBps);
  let slip = scaled(t.slippageBps, scaleBps);
  if (x >= 0n) slip = -slip;
  return [floorDiv(u * (BPS + h + slip), BPS), floorDiv(u * (BPS - h + slip), BPS)];
}

/** `AtlasMath._perpUp`: y at P·(1 + h'), open asks filled (charged h' of their notional), liquidity on the result. */
export function perpUp(t: Entry, p: bigint, scaleBps: bigint): bigint {
  const unit = 10n ** t.decimals;
  const h = scaled(t.shockBps, scaleBps);
  let v = floorDiv(usdUnit(t.perpAtoms, p, unit) * (BPS + h), BPS);
  v -= divUp(usdUnit(t.perpAskAtoms, p, unit) * h, BPS);
  return v - liquidity(t, abs(t.perpAtoms - t.perpAskAtoms), p, scaleBps);
}

/** `AtlasMath._perpDown`: y at P·(1 − h'), open bids filled. */
export function perpDown(t: Entry, p: bigint, scaleBps: bigint): bigint {
  const unit = 10n ** t.decimals;
  const h = scaled(t.shockBps, scaleBps);
  let v = floorDiv(usdUnit(t.perpAtoms, p, unit) * (BPS - h), BPS);
  v -= divUp(usdUnit(t.perpBidAtoms, p, unit) * h, BPS);
  return v - liquidity(t, abs(t.perpAtoms + t.perpBidAtoms), p, scaleBps);
}

/**
 * `AtlasMath._liquidity`: notional × liquidity bps (rounded up), plus notional² / impact notional
 * (rounded up) capped at notional × (1 − h' − liq) / 2 (rounded down; 0 if h' + liq ≥ 1), so a
 * position's value never falls as the price moves its way.
 */
export function liquidity(t: Entry, atoms: bigint, p: bigint, scaleBps: bigint): bigint {
  const n = usdUnit(atoms, p, 10n ** t.decimals);
  const liq = scaled(t.perpLiquidityBps, scaleBps);
  let c = divUp(n * liq, BPS);
  if (t.perpImpactUsd !== 0n) {
    const impact = divUp(n * n * scaleBps, t.perpImpactUsd * WAD * BPS);
    const hl = scaled(t.shockBps, scaleBps) + liq;
    const cap = hl < BPS ? (n * (BPS - hl)) / (2n * BPS) : 0n;
    c += impact < cap ? impact : cap;
  }
  return c;
}

/** `AtlasMath._book`: resting spot orders' worst case, (h + s) of their notional, off the base's scenarios. */
function book(e: readonly Entry[], k: Book, scaleBps: bigint, vm: bigint[], vi: bigint[], pi: readonly bigint[]): void {
  const bq = e[k.quoteIndex];
  const bb = e[k.baseIndex];
  let hs = bb.shockBps + bb.slippageBps;
  const bi = 2 * k.baseIndex;
  vm[bi] -= divUp(usd(k.lockedBaseAtoms, bb.priceWad, bb.decimals) * hs, BPS);
  vm[bi + 1] -= divUp(usd(k.lockedQuoteAtoms, bq.priceWad, bq.decimals) * hs, BPS);
  hs = scaled(bb.shockBps, scaleBps) + scaled(bb.slippageBps, scaleBps);
  vi[bi] -= divUp(usd(k.lockedBaseAtoms, pi[k.baseIndex], bb.decimals) * hs, BPS);
  vi[bi + 1] -= divUp(usd(k.lockedQuoteAtoms, pi[k.quoteIndex], bq.decimals) * hs, BPS);
}

function abs(x: bigint): bigint {
  return x >= 0n ? x : -x;
}

/** `AtlasMath._usd`: as `usd`, with the unit 10^decimals given. */
function usdUnit(atoms: bigint, priceWad: bigint, unit: bigint): bigint {
  if (atoms >= 0n) return (atoms * priceWad) / unit;
  return -divUp(-atoms * priceWad, unit);
}

export function divUp(a: bigint, b: bigint): bigint {
  return a === 0n ? 0n : (a - 1n) / b + 1n;
}

/** Division rounding toward negative infinity. */
export function floorDiv(a: bigint, b: bigint): bigint {
  let q = a / b;
  if (a % b !== 0n && a < 0n !== b < 0n) q -= 1n;
  return q;
}

// ------------------------------------------------------------------ the snapshot Atlas reads

/** A token's risk configuration (`Clearinghouse.positionOf`), its pool's state and its prices. */
export interface AtlasAsset {
  token: Address;
  decimals: bigint;
  shockBps: bigint;
  slippageBps: bigint;
  lentHaircutBps: bigint;
  /** The token's LendingVault (its pool is in the Clearinghouse); the zero address when it has no pool. */
  pool: Address;
  /**
   * The core's `tryPrice` (`ok` false when the price is missing, stale or out of bounds), and the
   * stable anchor (`stableAnchorOf`, 0 before the first): a stale asset's holdings worth less than
   * $1 at the anchor are valued at 0 (`RiskLib._unpriced`).
   */
  price: { ok: boolean; priceWad: bigint; stableWad: bigint; anchorWad?: bigint };
  /** The pool's current borrow rate (0 without a pool): Atlas charges 10 days of it on debt. */
  borrowRatePerSecondWad: bigint;
  /** The pool's state at the snapshot's block, read only when asked (`pools: true`): liquidation previews need it. */
  poolState?: PoolState;
}

/** What what-if views and liquidation previews need of a pool (the Clearinghouse's views of it at the snapshot's block). */
export interface PoolState {
  borrowIndexWad: bigint;
  cash: bigint;
  reserves: bigint;
  totalBorrowShares: bigint;
  /** The cap on totalBorrows (2^112 − 1 = none). */
  borrowCapAssets: bigint;
  /** ERC-4626 totalAssets and totalSupply (supply shares). */
  totalAssets: bigint;
  totalSupply: bigint;
  rateModel: RateModel;
}

/** One balance of the account (`Clearinghouse.positionsOf`) with its atoms as Atlas reads them. */
export interface AtlasPosition {
  token: Address;
  /** Stored signed amount: atoms when idle, supply shares when lent, borrow shares when negative. */
  amount: bigint;
  lent: boolean;
  /** The three atoms figures Atlas derives (at most one is non-zero): `amount` when idle, */
  idleAtoms: bigint;
  /** `pool.convertToAssets(amount)` when lent, */
  lentAtoms: bigint;
  /** `pool.debtOf(-amount)` when negative. */
  debtAtoms: bigint;
}

/** The account's pocket on one spot market (`pocketOf(marketId, owner, sub)`). */
export interface AtlasPocket {
  /** The spot market's id in the core. */
  marketId: bigint;
  base: Address;
  quote: Address;
  lockedBaseAtoms: bigint;
  lockedQuoteAtoms: bigint;
  unsweptBaseAtoms: bigint;
  unsweptQuoteAtoms: bigint;
  openOrders: bigint;
}

/** The account on one perp market: `perpRiskOf(marketId, account)`, plus what the what-if previews need. */
export interface AtlasPerp {
  /** The perp market's id in the core. */
  marketId: bigint;
  /** `perpPositionOf`: signed lots, signed entry, unsettled cash and funding owed (quote atoms). */
  sizeLots: bigint;
  entryAtoms: bigint;
  pocketCashAtoms: bigint;
  fundingOwedAtoms: bigint;
  /** `perpRiskOf`: the underlying the position nets with and the quote its cash leg is in. */
  underlying: Address;
  quote: Address;
  /** Signed position, open bid and ask exposure, in underlying atoms. */
  sizeAtoms: bigint;
  bidAtoms: bigint;
  askAtoms: bigint;
  /** Signed quote atoms: unsettled cash − entry − funding owed + size × (mark − index). */
  cashAtoms: bigint;
  liquidityBps: bigint;
  impactNotionalUsd: bigint;
  basisBps: bigint;
  floorBps: bigint;
  /** The market's grid and taker fee (what-if fills). */
  lotSize: bigint;
  tickSize: bigint;
  takerFeeBps: bigint;
  /**
   * Premium of the mark over the index per lot, quote atoms × 1e18 (index × smoothed premium now /
   * 1e10, from `markPrice` and `premiumState` at the snapshot's block; the contract uses the index of
   * its last premium sample, equal unless the oracle moved since).
   */
  premiumLotWad: bigint;
}

/** Everything Atlas reads about one account, at one block. */
export interface AtlasSnapshot {
  /** The core: balances, pools, every market and ATLAS's parameters. */
  clearinghouse: Address;
  /** The account id (owner << 96 | sub). */
  account: Hex;
  blockNumber: bigint;
  /** Timestamp of that block. */
  timestamp: bigint;
  /** The core's `riskParams()`: initial scale (bps) and seconds of interest charged ahead on debt. */
  initialScaleBps: bigint;
  debtInterestSeconds: bigint;
  /** Held balances, in the Clearinghouse's order. */
  positions: AtlasPosition[];
  /** Ids of the markets the account may have a pocket or position on, ascending (`positionsOf`). */
  marketIds: bigint[];
  /** Pockets on the spot markets among `marketIds`. */
  pockets: AtlasPocket[];
  /** Positions and open orders on the perp markets among `marketIds`, then any perp market asked for (what-ifs). */
  perps: AtlasPerp[];
  /** Every token of `positions` and `pockets` (and any asked for), by checksummed address. */
  assets: Record<Address, AtlasAsset>;
  /** Liquidation state: when the account was first found liquidatable (0 = not flagged) and the parameters. */
  liquidatableSince: bigint;
  liquidationParams: { rampSeconds: bigint; capShareBps: bigint; bufferBps: bigint };
}

/** The asset's pool state, or AtlasTokenMissingError when the snapshot was read without it. */
export function poolStateOf(a: AtlasAsset): PoolState {
  if (!a.poolState) throw new AtlasTokenMissingError(a.token);
  return a.poolState;
}

/**
 * `Clearinghouse.borrowQuote` on a snapshot's pool state (totalBorrows as the pool derives it, rounded
 * down), or `borrowQuoteAfterRedeem` once `redeemedAssets` have left the cash.
 */
export function quote(ps: PoolState, extraAssets: bigint, redeemedAssets = 0n): { ratePerSecondWad: bigint; borrowable: bigint } {
  return borrowQuoteAfterRedeem(
    {
      cash: ps.cash,
      totalBorrows: toDebtAssetsDown(ps.totalBorrowShares, ps.borrowIndexWad),
      reserves: ps.reserves,
      borrowCapAssets: ps.borrowCapAssets,
      rateModel: ps.rateModel,
    },
    redeemedAssets,
    extraAssets,
  );
}

/** The snapshot's data for `token`, or AtlasTokenMissingError. */
export function assetOf(s: AtlasSnapshot, token: Address): AtlasAsset {
  const a = s.assets[getAddress(token)];
  if (!a) throw new AtlasTokenMissingError(getAddress(token));
  return a;
}

// ------------------------------------------------------------------ the core's ATLAS views (RiskLib) and AtlasLens

/** `IAtlas.AccountRisk`. */
export interface AccountRisk {
  equityWad: bigint;
  maintenanceWad: bigint;
  initialWad: bigint;
}

/** `IAtlas.AssetRisk`: one asset of the account. */
export interface AssetRisk {
  token: Address;
  adjustedAtoms: bigint;
  priceWad: bigint;
  maintenanceWad: bigint;
  initialWad: bigint;
  /** Net perp position on this asset as underlying (atoms), summed over its perp markets. */
  perpAtoms: bigint;
}

/** Equity, maintenance value and initial value (the core's `riskOf`). */
export function riskOf(s: AtlasSnapshot): AccountRisk {
  const [e, b] = gather(s);
  const [equityWad, maintenanceWad, initialWad] = risk(e, b, s.initialScaleBps, 7n);
  return { equityWad, maintenanceWad, initialWad };
}

/** Maintenance value and equity, no initial value (the core's `liquidationQuote`'s first two figures). */
export function maintenanceAndEquity(s: AtlasSnapshot): { maintenanceWad: bigint; equityWad: bigint } {
  const [e, b] = gather(s);
  const [equityWad, maintenanceWad] = risk(e, b, s.initialScaleBps, 5n);
  return { maintenanceWad, equityWad };
}

/** Initial-margin requirement of the portfolio and of plain cross margin, USD WAD (`AtlasLens.marginRequirements`). */
export function marginRequirements(s: AtlasSnapshot): { portfolioWad: bigint; crossWad: bigint } {
  const [e, b] = gather(s);
  const [portfolioWad, crossWad] = requirements(e, b, s.initialScaleBps);
  return { portfolioWad, crossWad };
}

/** Per-asset breakdown of `riskOf`, in the contract's order (`AtlasLens.assetRisks`). */
export function assetRisks(s: AtlasSnapshot): AssetRisk[] {
  const [e, b] = gather(s);
  const m = values(e, b, BPS, false);
  const i = values(e, b, s.initialScaleBps, true);
  return e.map((ek, k) => ({
    token: ek.token,
    adjustedAtoms: adjusted(ek),
    priceWad: ek.priceWad,
    maintenanceWad: m[k],
    initialWad: i[k],
    perpAtoms: ek.perpAtoms,
  }));
}

/** The core's `initialValue`. */
export function initialValue(s: AtlasSnapshot): bigint {
  const [e, b] = gather(s);
  return value(e, b, s.initialScaleBps, true);
}

/** The core's `maintenanceValue`. */
export function maintenanceValue(s: AtlasSnapshot): bigint {
  const [e, b] = gather(s);
  return value(e, b, BPS, false);
}

/**
 * Largest withdrawal of `token` (borrowing if `allowBorrow`) keeping initial value ≥ 0
 * (`AtlasLens.maxWithdraw`). Borrowing is bounded by the pool's cash and borrow cap; new debt is
 * booked as the pool books it and charged the rate the borrow itself brings.
 */
export function maxWithdraw(s: AtlasSnapshot, token: Address, allowBorrow: boolean): bigint {
  const [e, b] = gather(s, token);
  const t = e[find(e, token)];
  const available = t.idleAtoms + t.lentAtoms;
  const a = assetOf(s, token);
  const pool = allowBorrow ? a.pool : zeroAddress;
  const ps = pool !== zeroAddress ? poolStateOf(a) : undefined;
  let hi = available;
  // a debit redeems the lent balance before it borrows: that cash is gone from the pool
  if (ps) hi += quote(ps, 0n, t.lentAtoms).borrowable;
  // [idle, lent, debt, borrow shares, borrow index]
  const start: WithdrawStart = [t.idleAtoms, t.lentAtoms, t.debtAtoms, 0n, 0n];
  if (ps) {
    const amount = s.positions.find((p) => isAddressEqual(p.token, token))?.amount ?? 0n;
    start[3] = amount < 0n ? -amount : 0n;
    start[4] = ps.borrowIndexWad;
  }
  const rate0 = t.borrowRateWad;
  let lo = 0n;
  // the value falls as the withdrawal grows: bisection, rounding down
  while (lo < hi) {
    const mid = hi - (hi - lo) / 2n;
    withdrawFrom(t, start, mid);
    t.borrowRateWad = mid > available ? quote(ps!, mid - available, start[1]).ratePerSecondWad : rate0;
    if (value(e, b, s.initialScaleBps, true) >= 0n) lo = mid;
    else hi = mid - 1n;
  }
  return lo;
}

/** Largest borrow (and withdrawal) of `token` keeping initial value ≥ 0 (`AtlasLens.maxBorrow`). */
export function maxBorrow(s: AtlasSnapshot, token: Address): bigint {
  const [e] = gather(s, token);
  const t = e[find(e, token)];
  const w = maxWithdraw(s, token, true);
  const available = t.idleAtoms + t.lentAtoms;
  return w > available ? w - available : 0n;
}

/** Price of `token` (WAD) at which maintenance value reaches zero, others held; 0 if none (`AtlasLens.liquidationPrice`). */
export function liquidationPrice(s: AtlasSnapshot, token: Address): bigint {
  const [e, b] = gather(s, token);
  const k = find(e, token);
  const x = adjusted(e[k]) + e[k].perpAtoms; // the net exposure, spot and perp, sets the direction
  if (x === 0n) return 0n;
  let lo = 1n;
  let hi = MAX_LIQUIDATION_PRICE_WAD;
  const long = x > 0n;
  e[k].priceWad = long ? hi : lo;
  if (value(e, b, BPS, false) < 0n) return 0n; // never healthy in range
  e[k].priceWad = long ? lo : hi;
  if (value(e, b, BPS, false) >= 0n) return 0n; // never liquidatable in range
  while (lo < hi) {
    const mid = long ? lo + (hi - lo) / 2n : hi - (hi - lo) / 2n;
    e[k].priceWad = mid;
    const healthy = value(e, b, BPS, false) >= 0n;
    if (long) {
      if (healthy) hi = mid;
      else lo = mid + 1n;
    } else if (healthy) lo = mid;
    else hi = mid - 1n;
  }
  return lo;
}

/**
 * Entries and books as the core gathers them (`RiskLib`; `riskEntries` returns them): held positions, then `extra` if not held,
 * then, market by market in id order, a spot market's base and quote (pockets added) or a perp
 * market's underlying and quote (position, open orders and cash leg added), each appended if not
 * there yet; prices last, throwing PriceUnavailableError for the first entry without a usable
 * price. Fresh objects every call.
 */
export function gather(s: AtlasSnapshot, extra?: Address): [Entry[], Book[]] {
  const ps = [...s.positions];
  if (extra !== undefined && extra !== zeroAddress && !ps.some((p) => isAddressEqual(p.token, extra))) {
    if (!s.assets[getAddress(extra)]) throw new AtlasTokenMissingError(getAddress(extra));
    ps.push(emptyPosition(extra));
  }
  const e: Entry[] = ps.map((p) => entry(s, p));
  const b: Book[] = [];
  for (const id of s.marketIds) {
    const r = s.perps.find((x) => x.marketId === id);
    if (r) {
      perp(s, e, r);
      continue;
    }
    const pk = s.pockets.find((x) => x.marketId === id);
    if (!pk) continue;
    const bi = slot(s, e, pk.base);
    const qi = slot(s, e, pk.quote);
    e[bi].pocketAtoms += pk.lockedBaseAtoms + pk.unsweptBaseAtoms;
    e[qi].pocketAtoms += pk.lockedQuoteAtoms + pk.unsweptQuoteAtoms;
    b.push({ baseIndex: bi, quoteIndex: qi, lockedBaseAtoms: pk.lockedBaseAtoms, lockedQuoteAtoms: pk.lockedQuoteAtoms });
  }
  for (const [i, x] of e.entries()) {
    const { price } = assetOf(s, x.token);
    if (!price.ok) {
      unpriced(x, price.anchorWad ?? 0n, inOpenBook(b, i));
      continue;
    }
    x.priceWad = price.priceWad;
    x.stableWad = price.stableWad;
  }
  return [e, b];
}

/** Holdings of a stale asset worth less than this (USD WAD) at its last anchor count for nothing. */
export const STALE_DUST_WAD = WAD;

/** `RiskLib._inOpenBook`: entry `i` is a token of a spot book where the account has funds locked. */
function inOpenBook(b: Book[], i: number): boolean {
  return b.some((k) => (k.baseIndex === i || k.quoteIndex === i) && (k.lockedBaseAtoms | k.lockedQuoteAtoms) !== 0n);
}

/**
 * `RiskLib._unpriced`: price a stale holdings-only entry at 0 if it is dust and no resting order
 * trades it, else PriceUnavailable.
 */
function unpriced(x: Entry, anchorWad: bigint, openBook: boolean): void {
  const unit = 10n ** x.decimals;
  const held = x.idleAtoms + x.lentAtoms + x.pocketAtoms;
  const dust =
    x.debtAtoms === 0n && !x.hasPerp && x.perpCashAtoms === 0n && !openBook && anchorWad !== 0n &&
    divUp(held * anchorWad, unit) < STALE_DUST_WAD;
  if (!dust) throw contractError(PriceUnavailableError, { asset: x.token });
  x.priceWad = 0n;
  x.stableWad = 0n;
}

/**
 * `RiskLib._perp`: one perp market's position on its underlying (size, open orders, the most
 * conservative ATLAS parameters of its markets) and its cash leg on the quote entry.
 */
function perp(s: AtlasSnapshot, e: Entry[], r: AtlasPerp): void {
  const ui = slot(s, e, r.underlying);
  const qi = slot(s, e, r.quote);
  const u = e[ui];
  u.hasPerp = true;
  u.perpAtoms += r.sizeAtoms;
  u.perpBidAtoms += r.bidAtoms;
  u.perpAskAtoms += r.askAtoms;
  if (r.liquidityBps > u.perpLiquidityBps) u.perpLiquidityBps = r.liquidityBps;
  if (u.perpImpactUsd === 0n || (r.impactNotionalUsd !== 0n && r.impactNotionalUsd < u.perpImpactUsd)) {
    u.perpImpactUsd = r.impactNotionalUsd;
  }
  if (r.basisBps > u.basisBps) u.basisBps = r.basisBps;
  if (r.floorBps > u.floorBps) u.floorBps = r.floorBps;
  e[qi].perpCashAtoms += r.cashAtoms;
}

/** `RiskLib._entry`: debt and its rate when the balance is ≤ 0 and the asset has a pool, else lent or idle atoms. */
export function entry(s: AtlasSnapshot, p: AtlasPosition): Entry {
  const a = assetOf(s, p.token);
  const x: Entry = {
    token: getAddress(p.token),
    decimals: a.decimals,
    shockBps: a.shockBps,
    slippageBps: a.slippageBps,
    haircutBps: a.lentHaircutBps,
    idleAtoms: 0n,
    lentAtoms: 0n,
    debtAtoms: 0n,
    pocketAtoms: 0n,
    borrowRateWad: 0n,
    debtInterestSeconds: s.debtInterestSeconds,
    priceWad: 0n,
    stableWad: 0n,
    hasPerp: false,
    perpAtoms: 0n,
    perpBidAtoms: 0n,
    perpAskAtoms: 0n,
    perpCashAtoms: 0n,
    perpLiquidityBps: 0n,
    perpImpactUsd: 0n,
    basisBps: 0n,
    floorBps: 0n,
  };
  if (p.amount <= 0n && a.pool !== zeroAddress) {
    if (p.amount < 0n) x.debtAtoms = p.debtAtoms;
    x.borrowRateWad = a.borrowRatePerSecondWad;
  } else if (p.lent) {
    x.lentAtoms = p.lentAtoms;
  } else {
    x.idleAtoms = p.amount;
  }
  return x;
}

/**
 * `RiskLib._slot`: index of `token` among the entries, appending a bare one if absent: amount 0 and
 * no borrow rate (it owes nothing; the core reads no pool for it).
 */
function slot(s: AtlasSnapshot, e: Entry[], token: Address): number {
  const i = e.findIndex((x) => isAddressEqual(x.token, token));
  if (i >= 0) return i;
  e.push({ ...entry(s, emptyPosition(token)), borrowRateWad: 0n });
  return e.length - 1;
}

/** `AtlasLens._find`. */
export function find(e: readonly Entry[], token: Address): number {
  const i = e.findIndex((x) => isAddressEqual(x.token, token));
  if (i < 0) throw contractError(PriceUnavailableError, { asset: getAddress(token) }); // unreachable, as in the contract
  return i;
}

/** `[idle, lent, debt, borrow shares, borrow index]` before a what-if withdrawal. */
export type WithdrawStart = [bigint, bigint, bigint, bigint, bigint];

/**
 * `AtlasLens._withdrawFrom`: idle or lent funds first, then new debt, booked as the pool books it
 * (shares rounded up, the whole debt's assets rounded up).
 */
export function withdrawFrom(t: Entry, start: WithdrawStart, w: bigint): void {
  const [idle0, lent0] = start;
  if (w <= idle0 + lent0) {
    t.idleAtoms = idle0 >= w ? idle0 - w : 0n;
    t.lentAtoms = idle0 >= w ? lent0 : lent0 - (w - idle0);
    t.debtAtoms = start[2];
  } else {
    t.idleAtoms = 0n;
    t.lentAtoms = 0n;
    const idx = start[4];
    const shares = start[3] + divUp((w - idle0 - lent0) * WAD, idx);
    t.debtAtoms = divUp(shares * idx, WAD);
  }
}

function emptyPosition(token: Address): AtlasPosition {
  return { token: getAddress(token), amount: 0n, lent: false, idleAtoms: 0n, lentAtoms: 0n, debtAtoms: 0n };
}

