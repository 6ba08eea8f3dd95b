/**
 * The ATLAS valuation, copied from `contracts/libraries/AtlasMath.sol` (the arithmetic) and
 * `contracts/Atlas.sol` (gathering an account's entries and the what-if views): same names,
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
import { PriceUnavailableError } from "../errors/contract.ts";
import { contractError } from "../errors/local.ts";
import { borrowQuoteAfterRedeem, toAssetsDown, type RateModel } from "./rates.ts";

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
}

/** Funds locked behind resting orders on one spot book; indices point into the Entry array (`AtlasMath.Book`). */
export interface Book {
  baseIndex: number;
  quoteIndex: number;
  lockedBaseAtoms: bigint;
  lockedQuoteAtoms: bigint;
}

/** Adjusted balance x in atoms: idle + pockets + lent × haircut − debt × (1 + r × T); lent rounds down, debt up. */
export function adjusted(e: Entry): bigint {
  const plus = e.idleAtoms + e.pocketAtoms + (e.lentAtoms * e.haircutBps) / BPS;
  const minus = divUp(e.debtAtoms * (WAD + e.borrowRateWad * e.debtInterestSeconds), WAD);
  return plus - minus;
}

/** USD WAD value of `atoms` at `priceWad`: rounded down for holdings, up for debts. */
export function usd(atoms: bigint, priceWad: bigint, decimals: bigint): bigint {
  const unit = 10n ** decimals;
  if (atoms >= 0n) return (atoms * priceWad) / unit;
  return -divUp(-atoms * priceWad, unit);
}

/** Equity: every balance at the oracle price, no haircut, no shock. */
export function equity(e: readonly Entry[]): bigint {
  let total = 0n;
  for (const x of e) total += usd(x.idleAtoms + x.pocketAtoms + x.lentAtoms - x.debtAtoms, x.priceWad, x.decimals);
  return total;
}

/** Account value: Σ per-asset values (maintenance: scale 10_000, not conservative; initial: scaled, conservative). */
export function value(e: readonly Entry[], b: readonly Book[], scaleBps: bigint, conservative: boolean): bigint {
  let total = 0n;
  for (const v of values(e, b, scaleBps, conservative)) total += v;
  return total;
}

/** Per-asset value: min over the up and down scenarios, each less the resting orders' worst case. */
export function values(e: readonly Entry[], b: readonly Book[], scaleBps: bigint, conservative: boolean): bigint[] {
  const x = e.map(adjusted);
  const px = e.map((ei, i) => (conservative ? conservativePrice(ei, x[i]) : ei.priceWad));
  const hs = e.map((ei) => scaled(ei.shockBps, scaleBps) + scaled(ei.slippageBps, scaleBps));
  const [downCharge, upCharge] = charges(e, b, px, hs);
  return worse(e, x, px, scaleBps, downCharge, upCharge);
}

/** min(up − up charge, down − down charge) per asset. */
export function worse(
  e: readonly Entry[],
  x: readonly bigint[],
  px: readonly bigint[],
  scaleBps: bigint,
  downCharge: readonly bigint[],
  upCharge: readonly bigint[],
): bigint[] {
  return e.map((ei, i) => {
    const up = upValue(ei, x[i], px[i], scaleBps) - upCharge[i];
    const down = downValue(ei, x[i], px[i], scaleBps) - downCharge[i];
    return up < down ? up : down;
  });
}

/** Worst case of resting orders per base asset: (h' + s') of a bid's notional when the base falls, of an ask's when it rises; rounded up. */
export function charges(
  e: readonly Entry[],
  b: readonly Book[],
  px: readonly bigint[],
  hs: readonly bigint[],
): [downCharge: bigint[], upCharge: bigint[]] {
  const downCharge = e.map(() => 0n);
  const upCharge = e.map(() => 0n);
  for (const k of b) {
    const bidUsd = usd(k.lockedQuoteAtoms, px[k.quoteIndex], e[k.quoteIndex].decimals);
    const askUsd = usd(k.lockedBaseAtoms, px[k.baseIndex], e[k.baseIndex].decimals);
    downCharge[k.baseIndex] += divUp(bidUsd * hs[k.baseIndex], BPS);
    upCharge[k.baseIndex] += divUp(askUsd * hs[k.baseIndex], BPS);
  }
  return [downCharge, upCharge];
}

/** Value in the up scenario: x at P·(1 + h' − s'·sign(x)), rounded toward −∞. */
export function upValue(e: Entry, x: bigint, p: bigint, scaleBps: bigint): bigint {
  const slip = x >= 0n ? -scaled(e.slippageBps, scaleBps) : scaled(e.slippageBps, scaleBps);
  return floorDiv(usd(x, p, e.decimals) * (BPS + scaled(e.shockBps, scaleBps) + slip), BPS);
}

/** Value in the down scenario: x at P·(1 − h' − s'·sign(x)), rounded toward −∞. */
export function downValue(e: Entry, x: bigint, p: bigint, scaleBps: bigint): bigint {
  const slip = x >= 0n ? -scaled(e.slippageBps, scaleBps) : scaled(e.slippageBps, scaleBps);
  return floorDiv(usd(x, p, e.decimals) * (BPS - scaled(e.shockBps, scaleBps) + slip), BPS);
}

/** Shock or slippage scaled for initial margin, rounded up. */
export function scaled(bps: bigint, scaleBps: bigint): bigint {
  return divUp(bps * scaleBps, BPS);
}

/** For initial margin: the lower of oracle and stable price for what the account holds, the higher for what it owes. */
export function conservativePrice(e: Entry, x: bigint): bigint {
  const p = e.priceWad;
  const s = e.stableWad;
  if (x >= 0n) return p < s ? p : s;
  return p > s ? p : s;
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
  /** The token's LendingPool; the zero address when it has none. */
  pool: Address;
  /** `OracleRouter.tryPrice`: `ok` false when the price is missing, stale or out of bounds. */
  price: { ok: boolean; priceWad: bigint; stableWad: bigint };
  /** The pool's current borrow rate (0 without a pool): Atlas charges 10 days of it on debt. */
  borrowRatePerSecondWad: bigint;
  /** The pool's state at the snapshot's block, read only when asked (`pools: true`): liquidation previews need it. */
  poolState?: PoolState;
}

/** What what-if views and liquidation previews need of a LendingPool (its views at the snapshot's block). */
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

/** The account's pocket on one spot market (`SpotMarket.pocketOf`). */
export interface AtlasPocket {
  market: Address;
  base: Address;
  quote: Address;
  lockedBaseAtoms: bigint;
  lockedQuoteAtoms: bigint;
  unsweptBaseAtoms: bigint;
  unsweptQuoteAtoms: bigint;
  openOrders: bigint;
}

/** Everything Atlas reads about one account, at one block. */
export interface AtlasSnapshot {
  clearinghouse: Address;
  atlas: Address;
  /** The account id (owner << 96 | sub). */
  account: Hex;
  blockNumber: bigint;
  /** Timestamp of that block. */
  timestamp: bigint;
  /** `Atlas.initialScaleBps` and `Atlas.debtInterestSeconds`. */
  initialScaleBps: bigint;
  debtInterestSeconds: bigint;
  /** Held balances, in the Clearinghouse's order. */
  positions: AtlasPosition[];
  /** Pockets on the markets the account may have one, in the Clearinghouse's order. */
  pockets: AtlasPocket[];
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
 * `LendingPool.borrowQuote` on a snapshot's pool state (totalBorrows as the pool derives it, rounded
 * down), or `borrowQuoteAfterRedeem` once `redeemedAssets` have left the cash.
 */
export function quote(ps: PoolState, extraAssets: bigint, redeemedAssets = 0n): { ratePerSecondWad: bigint; borrowable: bigint } {
  return borrowQuoteAfterRedeem(
    {
      cash: ps.cash,
      totalBorrows: toAssetsDown(ps.totalBorrowShares, ps.borrowIndexWad),
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

// ------------------------------------------------------------------ Atlas.sol

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
}

/** Equity, maintenance value and initial value (`Atlas.riskOf`). */
export function riskOf(s: AtlasSnapshot): AccountRisk {
  const [e, b] = gather(s);
  return {
    equityWad: equity(e),
    maintenanceWad: value(e, b, BPS, false),
    initialWad: value(e, b, s.initialScaleBps, true),
  };
}

/** Per-asset breakdown of `riskOf`, in the contract's order (`Atlas.assetRisks`). */
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
  }));
}

/** `Atlas.initialValue`. */
export function initialValue(s: AtlasSnapshot): bigint {
  const [e, b] = gather(s);
  return value(e, b, s.initialScaleBps, true);
}

/** `Atlas.maintenanceValue`. */
export function maintenanceValue(s: AtlasSnapshot): bigint {
  const [e, b] = gather(s);
  return value(e, b, BPS, false);
}

/**
 * Largest withdrawal of `token` (borrowing if `allowBorrow`) keeping initial value ≥ 0
 * (`Atlas.maxWithdraw`). Borrowing is bounded by the pool's cash and borrow cap; new debt is
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

/** Largest borrow (and withdrawal) of `token` keeping initial value ≥ 0 (`Atlas.maxBorrow`). */
export function maxBorrow(s: AtlasSnapshot, token: Address): bigint {
  const [e] = gather(s, token);
  const t = e[find(e, token)];
  const w = maxWithdraw(s, token, true);
  const available = t.idleAtoms + t.lentAtoms;
  return w > available ? w - available : 0n;
}

/** Price of `token` (WAD) at which maintenance value reaches zero, others held; 0 if none (`Atlas.liquidationPrice`). */
export function liquidationPrice(s: AtlasSnapshot, token: Address): bigint {
  const [e, b] = gather(s, token);
  const k = find(e, token);
  const x = adjusted(e[k]);
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
 * Entries and books as `Atlas._gather` builds them: held positions, then `extra` if not held,
 * then each market's base and quote if not there yet, pockets added; prices last, throwing
 * PriceUnavailableError for the first entry without a usable price. Fresh objects every call.
 */
export function gather(s: AtlasSnapshot, extra?: Address): [Entry[], Book[]] {
  const ps = [...s.positions];
  if (extra !== undefined && extra !== zeroAddress && !ps.some((p) => isAddressEqual(p.token, extra))) {
    if (!s.assets[getAddress(extra)]) throw new AtlasTokenMissingError(getAddress(extra));
    ps.push(emptyPosition(extra));
  }
  const e: Entry[] = ps.map((p) => entry(s, p));
  const b: Book[] = s.pockets.map((pk) => {
    const bi = slot(s, e, pk.base);
    const qi = slot(s, e, pk.quote);
    e[bi].pocketAtoms += pk.lockedBaseAtoms + pk.unsweptBaseAtoms;
    e[qi].pocketAtoms += pk.lockedQuoteAtoms + pk.unsweptQuoteAtoms;
    return { baseIndex: bi, quoteIndex: qi, lockedBaseAtoms: pk.lockedBaseAtoms, lockedQuoteAtoms: pk.lockedQuoteAtoms };
  });
  for (const x of e) {
    const { price } = assetOf(s, x.token);
    if (!price.ok) throw contractError(PriceUnavailableError, { asset: x.token });
    x.priceWad = price.priceWad;
    x.stableWad = price.stableWad;
  }
  return [e, b];
}

/** `Atlas._entry`: debt and its rate when the balance is ≤ 0 and the asset has a pool, else lent or idle atoms. */
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

/** `Atlas._slot`: index of `token` among the entries, appending a bare one (amount 0) if absent. */
function slot(s: AtlasSnapshot, e: Entry[], token: Address): number {
  const i = e.findIndex((x) => isAddressEqual(x.token, token));
  if (i >= 0) return i;
  e.push(entry(s, emptyPosition(token)));
  return e.length - 1;
}

/** `Atlas._find`. */
export function find(e: readonly Entry[], token: Address): number {
  const i = e.findIndex((x) => isAddressEqual(x.token, token));
  if (i < 0) throw contractError(PriceUnavailableError, { asset: getAddress(token) }); // unreachable, as in the contract
  return i;
}

/** `[idle, lent, debt, borrow shares, borrow index]` before a what-if withdrawal. */
export type WithdrawStart = [bigint, bigint, bigint, bigint, bigint];

/**
 * `Atlas._withdrawFrom`: idle or lent funds first, then new debt, booked as the pool books it
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

