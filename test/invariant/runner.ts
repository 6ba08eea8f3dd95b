/**
 * Runs one transaction of the random suite: predicts it on a copy of the model, sends it,
 * requires the chain to agree (the same revert, or success with the same events), then checks
 * every invariant. Also the run's state and its statistics.
 */
import { AssertionError } from "node:assert";
import type { Chain } from "./chain.ts";
import { checkFull, checkPriority, checkStep, parseMarketLogs, stepReads, type StepReads } from "./checks.ts";
import * as M from "./model.ts";

export interface Stats {
  actions: number;
  txs: number;
  byAction: Record<string, number>;
  /** Actions whose every transaction succeeded (the rest met at least one expected revert). */
  okByAction: Record<string, number>;
  reverts: Record<string, number>;
  trades: number;
  fills: number;
  expiredInMatch: number;
  selfTradeCancels: number;
  purged: number;
  fullChecks: number;
}

export const newStats = (): Stats => ({
  actions: 0,
  txs: 0,
  byAction: {},
  okByAction: {},
  reverts: {},
  trades: 0,
  fills: 0,
  expiredInMatch: 0,
  selfTradeCancels: 0,
  purged: 0,
  fullChecks: 0,
});

export interface RunState {
  c: Chain;
  reads: StepReads;
  w: M.World;
  time: bigint;
  seen: bigint[];
  stats: Stats;
  fullEvery: number;
  sinceFull: number;
  actionReverted: boolean;
  trace: string[];
}

export interface Tx {
  from: string;
  to: string;
  data: string;
  label: string;
  sim: (w: M.World) => void;
  /** Markets (0-based) the transaction can reach; none if not given. */
  markets?: number[];
  /** For a single order: check its fills against the book it met (I4). */
  priority?: { mi: number; side: bigint; limit: bigint };
}

export function fail(s: RunState, msg: string): never {
  throw new AssertionError({ message: `${msg}\n  last transactions:\n    ${s.trace.slice(-8).join("\n    ")}` });
}

/** Predict, send, compare, then check every invariant. */
export async function exec(s: RunState, tx: Tx) {
  s.time += 1n;
  await s.c.setNextTimestamp(s.time);
  const w2 = structuredClone(s.w);
  w2.now = s.time;
  w2.events = [];
  w2.touched = new Set();
  let expected: string | undefined;
  try {
    tx.sim(w2);
  } catch (e) {
    if (!(e instanceof M.Revert)) throw e;
    expected = e.errorName;
  }
  const res = await s.c.send(tx.from, tx.to, tx.data);
  s.stats.txs++;
  if (expected !== undefined) s.actionReverted = true;
  s.trace.push(`t=${s.time} ${tx.label}`);
  if (s.trace.length > 32) s.trace.shift();
  if (expected !== undefined) {
    if (res.ok) fail(s, `${tx.label}: model expects revert ${expected}, chain succeeded`);
    if (res.error !== expected) fail(s, `${tx.label}: model expects revert ${expected}, chain reverted ${res.error}`);
    s.stats.reverts[expected] = (s.stats.reverts[expected] ?? 0) + 1;
  } else {
    if (!res.ok) fail(s, `${tx.label}: model expects success, chain reverted ${res.error}`);
    const got = res.events.join("\n      ");
    const want = w2.events.join("\n      ");
    if (got !== want) fail(s, `${tx.label}: events differ\n    chain:\n      ${got}\n    model:\n      ${want}`);
    if (tx.priority) {
      const m = s.w.markets[tx.priority.mi];
      checkPriority(m, tx.priority.side, tx.priority.limit, parseMarketLogs(s.c, tx.priority.mi, res.logs), tx.label);
    }
    for (const e of w2.events) {
      const name = e.slice(e.indexOf(":") + 1, e.indexOf("("));
      if (name === "Trade") {
        s.stats.trades++;
        s.stats.fills += e.split("[")[1].split(",").filter((x) => x !== "]" && x !== "").length;
      }
      if (name === "OrderExpired") (tx.label.startsWith("purge") ? s.stats.purged++ : s.stats.expiredInMatch++);
      if (name === "OrderCancelled" && tx.label.includes("placeOrder")) s.stats.selfTradeCancels++;
    }
    for (const id of w2.touched) if (!s.seen.includes(id)) s.seen.push(id);
    if (s.seen.length > 64) s.seen.splice(0, s.seen.length - 64);
    s.w = w2;
  }
  s.w.now = s.time;
  try {
    const full = ++s.sinceFull >= s.fullEvery;
    const scope = full ? s.c.marketIds.map((_, i) => i) : (tx.markets ?? []);
    await checkStep(s.c, s.reads, s.w, w2.touched, scope, tx.label);
    if (full) {
      s.sinceFull = 0;
      s.stats.fullChecks++;
      await checkFull(s.c, s.w, tx.label);
    }
  } catch (e) {
    if (e instanceof AssertionError) fail(s, e.message);
    throw e;
  }
}

export function newRunState(c: Chain, w: M.World, fullEvery: number): RunState {
  const stats = newStats();
  return { c, reads: stepReads(c), w, time: w.now, seen: [], stats, fullEvery, sinceFull: 0, actionReverted: false, trace: [] };
}

