/**
 * The ledger the perps suite reads after every transaction, and the invariants that compare it
 * with itself (docs/INVARIANTS.md, "Perps": P1 open interest, P3 the vault identity) and with the
 * previous read (a reverted transaction changes nothing). One batch of multicalls, all views.
 */
import { AssertionError } from "node:assert";
import { ASSETS, USDC, WETH, chIface, toInt256, type Call } from "./margin.chain.ts";
import { PERPS, SPOT_ID, core, type PerpChain } from "./perp.chain.ts";

export interface PerpRow {
  size: bigint;
  entry: bigint;
  cash: bigint;
  owed: bigint;
  bids: bigint;
  asks: bigint;
}

export interface MarketSnap {
  longLots: bigint;
  paid: bigint;
  received: bigint;
  /** Accrued fees in quote atoms (marketState). */
  fees: bigint;
  rows: PerpRow[];
}

export interface Snap {
  /** Clearinghouse token balances and reserves, per asset. */
  vault: bigint[];
  reserve: bigint[];
  /** [account][asset] raw stored amount: atoms if positive (nothing is lent), borrow shares if negative. */
  bal: bigint[][];
  /** [account] spot pocket: lockedBase, lockedQuote, unsweptBase, unsweptQuote, open orders. */
  pocket: bigint[][];
  spotFees: bigint;
  perps: MarketSnap[];
  /** [account] ATLAS maintenance value, undefined while a price it needs is stale. */
  maint: (bigint | undefined)[];
  /** [account] the Clearinghouse's state word (`accountState`): held and owed masks, flags. */
  state: bigint[];
}

const M64 = (1n << 64n) - 1n;
/** State bit 194: the account has traded on a perp market (a liability like debt). */
export const FLAG_PERP = 1n << 194n;

/** Perp exposure: a position, resting perp orders or unsettled perp cash on some market. */
export const exposed = (s: Snap, a: number) => s.perps.some((m) => m.rows[a].size !== 0n || m.rows[a].bids !== 0n || m.rows[a].asks !== 0n || m.rows[a].cash !== 0n);
export const hasDebt = (s: Snap, a: number) => s.bal[a].some((x) => x < 0n);
/** A liability (docs/INVARIANTS.md, S1): debt, or perp exposure. Without one, iv(a) ≥ 0 needs no check. */
export const liable = (s: Snap, a: number) => hasDebt(s, a) || exposed(s, a);

export function fail(msg: string): never {
  throw new AssertionError({ message: msg });
}

const balanceOfData = (holder: string) => "0x70a08231" + holder.slice(2).padStart(64, "0");

export function snapCalls(c: PerpChain): Call[] {
  const calls: Call[] = [];
  for (let i = 0; i < ASSETS.length; i++) {
    calls.push({ target: c.tokens[i], data: balanceOfData(c.chAddr) });
    calls.push({ target: c.chAddr, data: chIface.encodeFunctionData("reserveOf", [c.tokens[i]]) });
    // the lending pools' cash sits in the Clearinghouse too: the vault's part is the rest
    calls.push({ target: c.chAddr, data: chIface.encodeFunctionData("cash", [c.tokens[i]]) });
  }
  calls.push(core(c, "marketState", [SPOT_ID]));
  for (const a of c.accounts) {
    for (const t of c.tokens) calls.push(core(c, "positionOf", [a.id, t]));
    calls.push(core(c, "pocketOf", [SPOT_ID, a.owner, a.sub]));
    calls.push(core(c, "accountState", [a.id]));
    calls.push(core(c, "maintenanceValue", [a.id]));
  }
  for (const m of c.perps) {
    calls.push(core(c, "openInterest", [m]));
    calls.push(core(c, "marketState", [m]));
    for (const a of c.accounts) calls.push(core(c, "perpPositionOf", [m, a.id]));
  }
  return calls;
}

/** Reads the whole ledger, plus `extra` calls returned as they are. */
export async function readSnap(c: PerpChain, calls: Call[], extra: Call[] = []) {
  const r = await c.read([...calls, ...extra]);
  let k = 0;
  const next = (): bigint[] => {
    const x = r[k++];
    if (!x.ok) fail(`ledger read ${k - 1} reverted: ${x.error}`);
    return x.words;
  };
  const snap: Snap = { vault: [], reserve: [], bal: [], pocket: [], spotFees: 0n, perps: [], maint: [], state: [] };
  for (let i = 0; i < ASSETS.length; i++) {
    const held = next()[0];
    snap.reserve.push(next()[0]);
    snap.vault.push(held - next()[0]);
  }
  snap.spotFees = next()[3];
  for (let a = 0; a < c.accounts.length; a++) {
    // Position(token, decimals, shock, slippage, haircut, pool, amount, lent)
    snap.bal.push(c.tokens.map(() => {
      const w = next();
      if (w[7] !== 0n) fail(`account ${a} lends: the suite never turns lending on`);
      return toInt256(w[6]);
    }));
    snap.pocket.push(next().slice(0, 5));
    snap.state.push(next()[0]);
    const mv = r[k++];
    snap.maint.push(mv.ok ? toInt256(mv.words[0]) : undefined);
  }
  for (let m = 0; m < c.perps.length; m++) {
    const [longLots, paid, received] = next();
    const fees = next()[3];
    const rows: PerpRow[] = [];
    for (let a = 0; a < c.accounts.length; a++) {
      const w = next().map(toInt256);
      rows.push({ size: w[0], entry: w[1], cash: w[2], owed: w[3], bids: w[4], asks: w[5] });
    }
    snap.perps.push({ longLots, paid, received, fees, rows });
  }
  return { snap, extra: r.slice(k) };
}

/**
 * What the vault owes in asset i. USDC, besides the margin suite's terms (positive balances,
 * spot pockets and fees, reserve), carries per perp market its accrued fees, Σ (cash − entry)
 * over the accounts and the funding paid less received: every perp movement keeps
 * balances + Σ cash − Σ entry + fees + (paid − received) fixed (docs/INVARIANTS.md, P3).
 */
export function vaultOwed(s: Snap, i: number): bigint {
  let owed = s.reserve[i];
  for (let a = 0; a < s.bal.length; a++) {
    if (s.bal[a][i] > 0n) owed += s.bal[a][i];
    const [lb, lq, ub, uq] = s.pocket[a];
    if (i === WETH) owed += lb + ub;
    if (i === USDC) owed += lq + uq;
  }
  if (i === USDC) {
    owed += s.spotFees;
    for (const m of s.perps) {
      owed += m.fees + m.paid - m.received;
      for (const r of m.rows) owed += r.cash - r.entry;
    }
  }
  return owed;
}

/** P1, P3 and the liability flags after one transaction. */
export function checkSnap(s: Snap) {
  // the Clearinghouse margin-checks an exit only of an account it knows to be liable (S1): its
  // owed mask and perp flag must cover every debt and every perp exposure
  for (let a = 0; a < s.bal.length; a++) {
    if (hasDebt(s, a) && ((s.state[a] >> 64n) & M64) === 0n) fail(`P7 a${a} owes ${s.bal[a].join(",")} but its owed mask is clear`);
    if (exposed(s, a) && (s.state[a] & FLAG_PERP) === 0n) fail(`P7 a${a} has perp exposure but its perp flag (state bit 194) is clear`);
  }
  s.perps.forEach((m, k) => {
    const sym = PERPS[k].symbol;
    let net = 0n;
    let longs = 0n;
    for (const r of m.rows) {
      net += r.size;
      if (r.size > 0n) longs += r.size;
      if (r.size === 0n && r.entry !== 0n) fail(`P1 ${sym}: a flat position keeps entry ${r.entry}`);
      if (r.size !== 0n && (r.entry > 0n) !== (r.size > 0n) && r.entry !== 0n) fail(`P1 ${sym}: entry ${r.entry} has not the sign of size ${r.size}`);
    }
    if (net !== 0n) fail(`P1 ${sym}: Σ position sizes = ${net} lots, not 0`);
    if (m.longLots !== longs) fail(`P1 ${sym}: long open interest ${m.longLots} != Σ positive sizes ${longs}`);
  });
  for (let i = 0; i < ASSETS.length; i++) {
    const owed = vaultOwed(s, i);
    if (s.vault[i] !== owed) fail(`P3 vault of ${ASSETS[i].symbol}: holds ${s.vault[i]} but owes ${owed} (difference ${s.vault[i] - owed})`);
  }
}

/** A reverted transaction changes nothing (funding owed and ATLAS values move with the clock). */
export function checkUnchanged(s: Snap, prev: Snap, label: string) {
  const strip = (x: Snap) => ({ ...x, maint: [], perps: x.perps.map((m) => ({ ...m, rows: m.rows.map((r) => ({ ...r, owed: 0n })) })) });
  const j = (x: Snap) => JSON.stringify(strip(x), (_k, v) => (typeof v === "bigint" ? v.toString() : v));
  if (j(s) !== j(prev)) fail(`${label}: reverted but the ledger changed\n    before ${j(prev)}\n    after  ${j(s)}`);
}
