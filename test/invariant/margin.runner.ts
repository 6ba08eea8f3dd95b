/**
 * Runs one transaction of the lending-and-margin suite: sends it at the action's timestamp,
 * reads the whole ledger back, and checks M1–M3 (pools, vault, borrow shares), M5 (a debit of
 * an account with a liability leaves initial value >= 0), M6 (stale prices block risk of indebted
 * accounts but never deposits or repayments) and that a revert changed nothing.
 */
import { AssertionError } from "node:assert";
import { ASSETS, MAX_AGE, atlasIface, chIface, oracleIface, type Call, type MarginChain, type Read } from "./margin.chain.ts";

/** Selectors of the core's book functions (market id first): the calls that can move a maker's pocket. */
const BOOK_SELECTORS = new Set<string>();
chIface.forEachFunction((f) => {
  if (f.inputs[0]?.name === "marketId") BOOK_SELECTORS.add(f.selector);
});
/** Whether calldata calls one of the core's book functions (the book lives in the core). */
const isBookCall = (data: string) => BOOK_SELECTORS.has(data.slice(0, 10).toLowerCase());
import {
  checkSnap,
  checkUnchanged,
  gatherSet,
  hasDebt,
  hasLiability,
  newDust,
  readSnap,
  snapCalls,
  type DustLog,
  type Snap,
  type SnapCalls,
} from "./margin.checks.ts";

/** Every this many transactions the whole ledger is read, not only the accounts in scope. */
const FULL_EVERY = 8;

export interface Observation {
  count: number;
  example: string;
}

export interface Stats {
  actions: number;
  txs: number;
  sims: number;
  byAction: Record<string, number>;
  okByAction: Record<string, number>;
  msByAction: Record<string, number>;
  reverts: Record<string, number>;
  liquidations: number;
  bisected: number;
  /** Bisected liquidations whose next atom would have overshot the buffer. */
  bufferBound: number;
  tooLarge: number;
  badDebts: number;
  /** Write-offs that moved an insolvent account's collateral dust to the reserve. */
  dustSeized: number;
  marginTakes: number;
  marginChecks: number;
  /** Reducing transactions (deposit, repay, cancel) that passed for an account with a liability
   * left below initial value: M5 rightly does not flag them. */
  reducedBelow: number;
  /** Withdrawals and borrows sized from Atlas's limits (M7). */
  limitChecks: number;
  staleBlocked: number;
  staleCredits: number;
  staleViews: number;
  priceDrops: number;
  /** Smallest and largest (buffer − maintenance after) of bisected liquidations, USD WAD. */
  gapMin: bigint;
  gapMax: bigint;
  dust: DustLog;
  observations: Record<string, Observation>;
}

export const newStats = (): Stats => ({
  actions: 0,
  txs: 0,
  sims: 0,
  byAction: {},
  okByAction: {},
  msByAction: {},
  reverts: {},
  liquidations: 0,
  bisected: 0,
  bufferBound: 0,
  tooLarge: 0,
  badDebts: 0,
  dustSeized: 0,
  marginTakes: 0,
  marginChecks: 0,
  reducedBelow: 0,
  limitChecks: 0,
  staleBlocked: 0,
  staleCredits: 0,
  staleViews: 0,
  priceDrops: 0,
  gapMin: -1n,
  gapMax: 0n,
  dust: newDust(),
  observations: {},
});

/** Adds one run's figures to a total. */
export function addStats(total: Stats, s: Stats) {
  for (const k of ["actions", "txs", "sims", "liquidations", "bisected", "bufferBound", "tooLarge", "badDebts", "dustSeized", "marginTakes", "marginChecks", "reducedBelow", "limitChecks", "staleBlocked", "staleCredits", "staleViews", "priceDrops"] as const)
    total[k] += s[k];
  for (const k of ["byAction", "okByAction", "msByAction", "reverts"] as const)
    for (const [n, v] of Object.entries(s[k])) total[k][n] = (total[k][n] ?? 0) + v;
  if (s.gapMin >= 0n && (total.gapMin < 0n || s.gapMin < total.gapMin)) total.gapMin = s.gapMin;
  if (s.gapMax > total.gapMax) total.gapMax = s.gapMax;
  for (let i = 0; i < ASSETS.length; i++) {
    total.dust.count[i] += s.dust.count[i];
    if (s.dust.max[i] > total.dust.max[i]) total.dust.max[i] = s.dust.max[i];
  }
  for (const [k, o] of Object.entries(s.observations)) {
    const t = (total.observations[k] ??= { count: 0, example: o.example });
    t.count += o.count;
  }
}

export interface RunState {
  c: MarginChain;
  calls: SnapCalls;
  sinceFull: number;
  time: bigint;
  snap: Snap;
  snapTime: bigint;
  prices: bigint[];
  lastPush: bigint[];
  liqParams: { rampSeconds: bigint; capShareBps: bigint; bufferBps: bigint };
  stats: Stats;
  trace: string[];
  action: string;
  actionReverted: boolean;
}

export interface TxSpec {
  from: string;
  to: string;
  data: string;
  label: string;
  /** The account whose balance the transaction debits (M5, M6) or credits (M6). */
  actor?: number;
  /** Debits the actor (withdraw, borrow, transfer out, order, liquidator's payment). */
  debit?: boolean;
  /** A deposit or repayment: must never revert (M6), stale prices or not. */
  credit?: boolean;
  /** Reduces the actor's risk without a debit (a cancel): not checked by M5, only counted. */
  reduce?: boolean;
  /** Reverts this transaction may meet; any other fails the run. */
  allow?: string[];
  /** Pool index a settleBadDebt may write off against (its share price may fall). */
  writeOff?: number;
  /** Reads to make with the ledger after the transaction. */
  extra?: Call[];
  /** Accounts the transaction may change besides the actor. */
  touches?: number[];
}

export interface TxResult {
  ok: boolean;
  error?: string;
  logs: { address: string; topics: string[]; data: string }[];
  extra: Read[];
  prev: Snap;
}

export function fail(s: RunState, msg: string): never {
  throw new AssertionError({ message: `${msg}\n  last transactions:\n    ${s.trace.slice(-10).join("\n    ")}` });
}

/**
 * Records something worth reporting that no invariant forbids. With MARGIN_INVARIANT_STRICT=1
 * (or a word of the observation, e.g. "setLending") it fails the run instead, so the minimiser
 * produces a short repro of it.
 */
export function observe(s: RunState, key: string, example: string) {
  const strict = process.env.MARGIN_INVARIANT_STRICT;
  if (strict && (strict === "1" || key.includes(strict))) fail(s, `observation: ${key}: ${example}`);
  const o = (s.stats.observations[key] ??= { count: 0, example });
  o.count++;
}

/** Whether some token Atlas must price for account `a` has a price older than the feed's max age. */
export function staleFor(s: RunState, snap: Snap, a: number): boolean {
  for (const i of gatherSet(snap, a, s.c.tokenById)) if (s.time - s.lastPush[i] > MAX_AGE) return true;
  return false;
}

export const anyStale = (s: RunState) => s.lastPush.some((t) => s.time - t > MAX_AGE);

/** Starts an action `dt` seconds later: an empty block at the new time makes views exact. */
export async function begin(s: RunState, dt = 1n) {
  s.time += dt;
  await s.c.mineAt(s.time);
}

const rowOf = (snap: Snap, a: number) =>
  JSON.stringify([snap.pos[a], snap.pocket[a]], (_k, v) => (typeof v === "bigint" ? v.toString() : v));

export async function exec(s: RunState, tx: TxSpec): Promise<TxResult> {
  const c = s.c;
  const prev = s.snap;
  const a = tx.actor;
  const preStale = a !== undefined && staleFor(s, prev, a);
  const hadDebt = a !== undefined && hasDebt(prev, a);
  await c.setNextTimestamp(s.time);
  const res = await c.send(tx.from, tx.to, tx.data);
  s.stats.txs++;
  s.trace.push(`t=${s.time} ${tx.label} -> ${res.ok ? "ok" : res.error}`);
  if (s.trace.length > 40) s.trace.shift();
  const extra = [...(tx.extra ?? [])];
  const ivAt = extra.length;
  if (a !== undefined && (tx.debit || tx.credit || tx.reduce)) extra.push({ target: c.atlasAddr, data: atlasIface.encodeFunctionData("initialValue", [c.accounts[a].id]) });
  // accounts the transaction can reach; a market call can move any maker's pocket
  const full = ++s.sinceFull >= FULL_EVERY;
  const scope = { accounts: [...new Set([...(a === undefined ? [] : [a]), ...(tx.touches ?? [])])], pockets: tx.to === c.marketAddr && isBookCall(tx.data) };
  let read;
  try {
    read = await readSnap(c, s.calls, extra, full ? undefined : scope, prev);
    if (full) {
      s.sinceFull = 0;
      // accounts outside the scope of every transaction since the last full read did not move
      // (`prev` carries their last read forward)
      const j = (x: Snap, k: number, pocket: boolean) =>
        JSON.stringify([x.pos[k], x.state[k], pocket ? x.pocket[k] : 0], (_k, v) => (typeof v === "bigint" ? v.toString() : v));
      for (let k = 0; k < c.accounts.length; k++) {
        if (scope.accounts.includes(k)) continue;
        if (j(read.snap, k, !scope.pockets) !== j(prev, k, !scope.pockets))
          fail(s, `${tx.label}: account a${k} changed outside the scope of the transactions that ran: ${j(prev, k, true)} -> ${j(read.snap, k, true)}`);
      }
    }
  } catch (e) {
    if (e instanceof AssertionError) fail(s, `${tx.label}: ${e.message}`);
    throw e;
  }
  const snap = read.snap;
  const writtenOff = new Set<number>(tx.writeOff === undefined ? [] : [tx.writeOff]);
  try {
    if (!res.ok) {
      s.actionReverted = true;
      const err = res.error;
      if (tx.credit) fail(s, `M6 ${tx.label}: a deposit or repayment reverted ${err}`);
      if (!(tx.allow ?? []).includes(err)) fail(s, `${tx.label}: unexpected revert ${err}`);
      checkUnchanged(snap, prev, s.snapTime === s.time, tx.label);
      s.stats.reverts[`${s.action}:${err}`] = (s.stats.reverts[`${s.action}:${err}`] ?? 0) + 1;
      if (tx.debit && preStale && hadDebt && err === "PriceUnavailable") s.stats.staleBlocked++;
    } else {
      const changed = a !== undefined && rowOf(snap, a) !== rowOf(prev, a);
      if (tx.debit && a !== undefined && changed) {
        if (hadDebt && preStale) fail(s, `M6 ${tx.label}: an indebted account added risk while a price it holds was stale`);
        if (hasDebt(snap, a) && staleFor(s, snap, a)) fail(s, `M6 ${tx.label}: the account ended with debt and a stale price, yet the debit passed`);
        if (hasLiability(snap, a)) {
          const iv = read.extra[ivAt];
          if (!iv.ok) fail(s, `M5 ${tx.label}: initialValue unreadable after a debit that passed (${iv.error})`);
          const v = BigInt.asIntN(256, iv.words[0]);
          if (v < 0n) fail(s, `M5 ${tx.label}: initial value ${v} < 0 after a debit of an account with a liability`);
          s.stats.marginChecks++;
        }
      } else if ((tx.credit || tx.reduce) && a !== undefined && hasLiability(snap, a)) {
        // a reducing transaction is not held to M5: count those that passed below initial value
        const iv = read.extra[ivAt];
        if (iv.ok && BigInt.asIntN(256, iv.words[0]) < 0n) s.stats.reducedBelow++;
      }
      if (tx.credit && a !== undefined && (preStale || anyStale(s))) s.stats.staleCredits++;
    }
    checkSnap(snap, prev, writtenOff, s.stats.dust, c.tokenById);
  } catch (e) {
    if (e instanceof AssertionError && !e.message.includes("last transactions")) fail(s, `${tx.label}: ${e.message}`);
    throw e;
  }
  s.snap = snap;
  s.snapTime = s.time;
  return { ok: res.ok, error: res.ok ? undefined : res.error, logs: res.ok ? res.logs : [], extra: read.extra.slice(0, ivAt), prev };
}

/**
 * Pushes an oracle price (the admin holds the oracle role); it is fresh for the next hour.
 * Prices are no part of the ledger, so the ledger is not read again.
 */
export async function pushPrice(s: RunState, i: number, priceWad: bigint) {
  await s.c.setNextTimestamp(s.time);
  const label = `pushPrice ${ASSETS[i].symbol} ${priceWad}`;
  const res = await s.c.send(s.c.admin, s.c.oracleAddr, oracleIface.encodeFunctionData("pushPrice", [s.c.tokens[i], priceWad]));
  s.stats.txs++;
  s.trace.push(`t=${s.time} ${label} -> ${res.ok ? "ok" : res.error}`);
  if (!res.ok) fail(s, `${label}: reverted ${res.error}`);
  s.prices[i] = priceWad;
  s.lastPush[i] = s.time;
}

export async function newRunState(c: MarginChain, time: bigint, prices: bigint[], lastPush: bigint[], liqParams: RunState["liqParams"]): Promise<RunState> {
  const calls = snapCalls(c);
  const { snap } = await readSnap(c, calls);
  return {
    c,
    calls,
    sinceFull: 0,
    time,
    snap,
    snapTime: time,
    prices: [...prices],
    lastPush: [...lastPush],
    liqParams,
    stats: newStats(),
    trace: [],
    action: "",
    actionReverted: false,
  };
}
