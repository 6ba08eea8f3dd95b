/**
 * Runs one transaction of the perps suite: sends it at the action's second, reads the whole
 * ledger back, checks P1 and P3 (perp.checks.ts), that a revert was expected and changed
 * nothing, and S1 for an owner's action (it added risk only if the account keeps initial value
 * ≥ 0 or has no liability), and counts the funding settlements the transaction may have made
 * (the dust bound of P2).
 */
import { AssertionError } from "node:assert";
import { ASSETS, oracleIface, type Call, type Read } from "./margin.chain.ts";
import { core, type PerpChain } from "./perp.chain.ts";
import { checkSnap, checkUnchanged, fail as plainFail, liable, readSnap, snapCalls, type Snap } from "./perp.checks.ts";

export interface Stats {
  actions: number;
  txs: number;
  sims: number;
  byAction: Record<string, number>;
  okByAction: Record<string, number>;
  msByAction: Record<string, number>;
  reverts: Record<string, number>;
  /** Perp fills (maker fills summed from the ledger: accounts whose position moved). */
  perpTrades: number;
  reduceOnly: number;
  liquidations: number;
  spotLiquidations: number;
  bankruptcies: number;
  badDebts: number;
  /** P2 checks made after settling everyone, and the largest dust seen. */
  fundingChecks: number;
  fundingDustMax: bigint;
  /** P4 hedges measured, and the largest rise of the requirement in bps of the hedge notional. */
  hedges: number;
  hedgeRiseMaxBps: bigint;
  /** P5 accounts checked under an adverse move. */
  adverseChecks: number;
  /** S1: owner actions that added risk to a liable account, checked iv ≥ 0 after. */
  riskChecks: number;
  /** S1: reducing owner actions (cancel, reduce-only, deposit, repay, a trade that shrank the
   * position) that passed for a liable account left below initial value: rightly not flagged. */
  reducedBelow: number;
  /** Withdrawals and transfers sized from the lens's maxWithdraw (its +1 simulated too). */
  limitChecks: number;
  observations: Record<string, { count: number; example: string }>;
}

export const newStats = (): Stats => ({
  actions: 0, txs: 0, sims: 0, byAction: {}, okByAction: {}, msByAction: {}, reverts: {},
  perpTrades: 0, reduceOnly: 0, liquidations: 0, spotLiquidations: 0, bankruptcies: 0, badDebts: 0,
  fundingChecks: 0, fundingDustMax: 0n, hedges: 0, hedgeRiseMaxBps: 0n, adverseChecks: 0, riskChecks: 0, reducedBelow: 0, limitChecks: 0, observations: {},
});

export function addStats(t: Stats, s: Stats) {
  for (const k of ["actions", "txs", "sims", "perpTrades", "reduceOnly", "liquidations", "spotLiquidations", "bankruptcies", "badDebts", "fundingChecks", "hedges", "adverseChecks", "riskChecks", "reducedBelow", "limitChecks"] as const) t[k] += s[k];
  for (const k of ["byAction", "okByAction", "msByAction", "reverts"] as const)
    for (const [n, v] of Object.entries(s[k])) t[k][n] = (t[k][n] ?? 0) + v;
  if (s.fundingDustMax > t.fundingDustMax) t.fundingDustMax = s.fundingDustMax;
  if (s.hedgeRiseMaxBps > t.hedgeRiseMaxBps) t.hedgeRiseMaxBps = s.hedgeRiseMaxBps;
  for (const [k, o] of Object.entries(s.observations)) (t.observations[k] ??= { count: 0, example: o.example }).count += o.count;
}

export interface RunState {
  c: PerpChain;
  calls: Call[];
  time: bigint;
  snap: Snap;
  prices: bigint[];
  lastPush: bigint[];
  /** Per perp market: funding settlements that may have left an atom of dust (P2's bound). */
  settlements: bigint[];
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
  /** Reverts this transaction may meet; any other fails the run. */
  allow?: string[];
  extra?: Call[];
  /**
   * The perp market (index in PERPS) the transaction acts on, or "all" for one that may settle
   * funding on any (a perp liquidation or bankruptcy): its funding settlements are counted (P2).
   */
  perp?: number | "all";
  /** The account an owner's transaction acts for (S1; initial value read after it). */
  actor?: number;
  /**
   * How the transaction can add risk to the actor. "debit": any move of its balances or spot
   * pocket (withdraw, transfer out, borrow, a spot order, a liquidator's spot leg) or a growing
   * perp exposure; "perp": only a growing perp exposure (a larger position, or more open lots on
   * a side: what the core margin-checks on a perp market); "reduce": nothing it does adds risk (cancel,
   * reduce-only, deposit, repay), never checked.
   */
  risk?: "debit" | "perp" | "reduce";
}

export interface TxResult {
  ok: boolean;
  error?: string;
  logs: { address: string; topics: string[]; data: string }[];
  extra: Read[];
  prev: Snap;
}

export function fail(s: RunState, msg: string): never {
  throw new AssertionError({ message: `${msg}\n  last transactions:\n    ${s.trace.slice(-12).join("\n    ")}` });
}

/** Records something no invariant forbids but worth reporting; PERP_INVARIANT_STRICT=<word> fails on it. */
export function observe(s: RunState, key: string, example: string) {
  const strict = process.env.PERP_INVARIANT_STRICT;
  if (strict && (strict === "1" || key.includes(strict))) fail(s, `observation: ${key}: ${example}`);
  (s.stats.observations[key] ??= { count: 0, example }).count++;
}

/** Starts an action `dt` seconds later: an empty block at the new time makes views exact. */
export async function begin(s: RunState, dt = 1n) {
  s.time += dt;
  await s.c.mineAt(s.time);
}

export async function exec(s: RunState, tx: TxSpec): Promise<TxResult> {
  const c = s.c;
  const prev = s.snap;
  await c.setNextTimestamp(s.time);
  const res = await c.send(tx.from, tx.to, tx.data);
  s.stats.txs++;
  s.trace.push(`t=${s.time} ${tx.label} -> ${res.ok ? "ok" : res.error}`);
  if (s.trace.length > 40) s.trace.shift();
  const calls = [...(tx.extra ?? [])];
  const ivAt = calls.length;
  // the actor's initial value, read in the transaction's block: at its second
  if (tx.actor !== undefined) calls.push(core(c, "initialValue", [c.accounts[tx.actor].id]));
  let snap: Snap;
  let extra: Read[];
  try {
    ({ snap, extra } = await readSnap(c, s.calls, calls));
    if (!res.ok) {
      s.actionReverted = true;
      if (!(tx.allow ?? []).includes(res.error)) plainFail(`unexpected revert ${res.error}`);
      checkUnchanged(snap, prev, tx.label);
      const key = `${s.action}:${res.error}`;
      s.stats.reverts[key] = (s.stats.reverts[key] ?? 0) + 1;
    }
    checkSnap(snap);
    if (res.ok && tx.actor !== undefined) checkRisk(s, tx, prev, snap, extra[ivAt]);
  } catch (e) {
    if (e instanceof AssertionError && !e.message.includes("last transactions")) fail(s, `${tx.label}: ${e.message}`);
    throw e;
  }
  if (res.ok && tx.perp !== undefined) {
    // each account settles its funding at most once per transaction with a remainder (a second
    // settlement in the same second owes size × 0): only positions open before it can leave dust
    prev.perps.forEach((m, k) => {
      if (tx.perp !== k && tx.perp !== "all") return;
      for (const r of m.rows) if (r.size !== 0n) s.settlements[k]++;
      for (let a = 0; a < m.rows.length; a++) if (snap.perps[k].rows[a].size !== m.rows[a].size) s.stats.perpTrades++;
    });
  }
  s.snap = snap;
  return { ok: res.ok, error: res.ok ? undefined : res.error, logs: res.ok ? res.logs : [], extra: extra.slice(0, ivAt), prev };
}

const abs = (x: bigint) => (x < 0n ? -x : x);

/** A larger position, or more open lots on a side, on some perp market. */
function perpGrew(prev: Snap, snap: Snap, a: number): boolean {
  return snap.perps.some((m, k) => {
    const [r0, r1] = [prev.perps[k].rows[a], m.rows[a]];
    return abs(r1.size) > abs(r0.size) || r1.bids > r0.bids || r1.asks > r0.asks;
  });
}

const json = (x: unknown) => JSON.stringify(x, (_k, v) => (typeof v === "bigint" ? v.toString() : v));

/**
 * S1 after an owner's successful transaction for account a: if it added risk (as `tx.risk`
 * says) and a has a liability afterwards (debt, or perp exposure), then iv(a) ≥ 0, read at the
 * transaction's second. A transaction that only reduced risk is not held to it: when one passes
 * for a liable account below initial value it is counted (the check would have flagged it).
 */
function checkRisk(s: RunState, tx: TxSpec, prev: Snap, snap: Snap, iv: Read) {
  const a = tx.actor!;
  if (!liable(snap, a)) return;
  const grew = perpGrew(prev, snap, a);
  const added =
    tx.risk === "perp" ? grew : tx.risk === "debit" ? grew || json([snap.bal[a], snap.pocket[a]]) !== json([prev.bal[a], prev.pocket[a]]) : false;
  const v = iv.ok ? BigInt.asIntN(256, iv.words[0]) : undefined;
  if (added) {
    if (iv.ok === false) plainFail(`P7 initialValue of a${a} unreadable (${iv.error}) after an action that added risk passed`);
    if (v === undefined) return;
    if (v < 0n) plainFail(`P7 a${a} added risk (${tx.risk}) with a liability and is left at initial value ${v} < 0`);
    s.stats.riskChecks++;
  } else if (v !== undefined && v < 0n) s.stats.reducedBelow++;
}

/** Pushes an oracle price (the admin holds the oracle role); it is fresh for the next hour. */
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

export async function newRunState(c: PerpChain, time: bigint, prices: bigint[], lastPush: bigint[]): Promise<RunState> {
  const calls = snapCalls(c);
  const { snap } = await readSnap(c, calls);
  return {
    c, calls, time, snap, prices: [...prices], lastPush: [...lastPush], settlements: c.perps.map(() => 0n),
    stats: newStats(), trace: [], action: "", actionReverted: false,
  };
}
