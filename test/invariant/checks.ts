/**
 * The invariants, checked against the chain after every transaction of the random run.
 * Numbering follows docs/INVARIANTS.md.
 */
import { AssertionError } from "node:assert";
import { chIface, marketData, parseMarketLog, uintArray, type Call, type Chain } from "./chain.ts";
import {
  findOrder,
  liveBest,
  liveLevelLots,
  liveOrders,
  pocketOf,
  type MarketModel,
  type World,
  balanceOf,
  M24,
} from "./model.ts";
import { decodeFill } from "../../sdk/src/math/order.ts";

const tokenBalanceData = (holder: string) =>
  "0x70a08231" + holder.slice(2).padStart(64, "0"); // balanceOf(address)
const hex32 = (v: bigint) => "0x" + v.toString(16).padStart(64, "0");
const GET_ORDER = chIface.getFunction("getOrder")!.selector;
/** getOrder(marketId, id) on the core, the market id read from the order id's bits [111..96]. */
const getOrderCall = (c: Chain, id: bigint): Call => ({
  target: c.chAddr,
  data: GET_ORDER + hex32(id >> 96n).slice(2) + hex32(id).slice(2),
});

function fail(msg: string): never {
  throw new AssertionError({ message: msg });
}

function eq(actual: unknown, expected: unknown, what: string) {
  if (actual !== expected) fail(`${what}: chain ${String(actual)} != model ${String(expected)}`);
}

/**
 * Precomputed calldata of the reads made after every step. Each read costs a call frame on the
 * in-process node (~0.07 ms), so what cannot change between full checks (reserves of tokens no
 * market quotes in, the treasury's wallet, the stored best prices) is read by `checkFull`.
 * `markets[i]` holds market i's reads, made only after transactions that can reach market i.
 */
export function stepReads(c: Chain) {
  const base: Call[] = [];
  for (const t of c.tokens) base.push({ target: t, data: tokenBalanceData(c.chAddr) });
  base.push({ target: c.chAddr, data: chIface.encodeFunctionData("reserveOf", [c.tokenAddr.USDC]) });
  for (const a of c.accounts) {
    for (const t of c.tokens) base.push({ target: c.chAddr, data: chIface.encodeFunctionData("balanceOf", [hex32(a.acct), t]) });
  }
  const markets = c.marketIds.map((_, mi) => {
    const calls: Call[] = [];
    calls.push({ target: c.chAddr, data: marketData(mi, "marketState") });
    calls.push({ target: c.chAddr, data: marketData(mi, "getBook", [64]) });
    for (const a of c.accounts) calls.push({ target: c.chAddr, data: marketData(mi, "pocketOf", [a.owner, a.sub]) });
    return calls;
  });
  // `cacheTime[mi]`: the block time market mi was read at (its views leave out orders expired by then)
  return { base, markets, cache: [] as bigint[][][], cacheTime: [] as bigint[] };
}

export type StepReads = ReturnType<typeof stepReads>;

const toInt256 = (v: bigint) => (v >= 1n << 255n ? v - (1n << 256n) : v);
const M64 = (1n << 64n) - 1n;
/** Clearinghouse state bit 194: the account has traded on a perp market. */
const FLAG_PERP = 1n << 194n;

/**
 * I1 vault identity, I2 level totals (book vs model), I3 uncrossed book, I5 exact balances,
 * pockets, fees and reserve, plus each touched order read back by id.
 *
 * `scope` lists the markets the transaction could reach. A market outside it runs no code in
 * the transaction, so the EVM guarantees its storage is as last read: its cached reads stand in
 * for it in the vault identity, and are still compared with the model (which must not have
 * moved either). Every market is read afresh at least every `fullEvery` transactions.
 */
export async function checkStep(
  c: Chain,
  reads: StepReads,
  w: World,
  touched: Iterable<bigint>,
  scope: number[],
  where: string,
) {
  const touchedIds = [...touched];
  const orderCalls = touchedIds.map((id) => getOrderCall(c, id));
  const fresh = c.marketIds.map((_, mi) => mi).filter((mi) => scope.includes(mi) || reads.cache[mi] === undefined);
  const r = await c.read([...reads.base, ...fresh.flatMap((mi) => reads.markets[mi]), ...orderCalls]);
  let k = 0;
  const held = new Map<string, bigint>(); // Σ of every bucket per token, from the chain
  const vault = new Map<string, bigint>();
  for (const t of c.tokens) {
    vault.set(t, r[k++][0]);
    held.set(t, w.reserve.get(t) ?? 0n); // verified by checkFull
  }
  const reserve = r[k++][0];
  eq(reserve, w.reserve.get(c.tokenAddr.USDC) ?? 0n, `${where}: reserve of USDC`);
  for (const a of c.accounts) {
    for (const t of c.tokens) {
      const bal = toInt256(r[k++][0]);
      eq(bal, balanceOf(w, a.acct, t), `${where}: balance of ${a.owner}/${a.sub} in ${t}`);
      // I12: no debt (the state word's owed mask follows the sign: checked in checkFull)
      if (bal < 0n) fail(`${where}: I12 ${a.owner}/${a.sub} owes ${-bal} of ${t}`);
      held.set(t, held.get(t)! + bal);
    }
  }
  for (const mi of fresh) {
    reads.cache[mi] = r.slice(k, k + reads.markets[mi].length);
    reads.cacheTime[mi] = w.now;
    k += reads.markets[mi].length;
  }
  for (let mi = 0; mi < c.marketIds.length; mi++) {
    const m = w.markets[mi];
    const mr = reads.cache[mi];
    if (!mr) fail(`${where}: market ${mi} never read`);
    let j = 0;
    const [maker, taker, paused, fees] = mr[j++];
    eq(toInt256(maker), m.makerFeeBps, `${where}: maker fee m${mi}`);
    eq(taker, m.takerFeeBps, `${where}: taker fee m${mi}`);
    eq(paused !== 0n, m.paused, `${where}: paused m${mi}`);
    eq(fees, m.fees * m.tickSize, `${where}: fees accrued m${mi}`);
    held.set(m.quote, held.get(m.quote)! + fees);
    checkBook(reads.cacheTime[mi]!, m, mr[j++], `${where} m${mi}`);
    for (const a of c.accounts) {
      const [lockedBase, lockedQuote, unsweptBase, unsweptQuote, open] = mr[j++];
      const p = pocketOf(m, a.acct);
      const who = `${where}: pocket m${mi} ${a.owner}/${a.sub}`;
      eq(lockedBase, p.lockedBase * m.lotSize, `${who} lockedBase`);
      eq(lockedQuote, p.lockedQuote * m.tickSize, `${who} lockedQuote`);
      eq(unsweptBase, p.unsweptBase * m.lotSize, `${who} unsweptBase`);
      eq(unsweptQuote, p.unsweptQuote * m.tickSize, `${who} unsweptQuote`);
      eq(open, p.openOrders, `${who} open orders`);
      held.set(m.base, held.get(m.base)! + lockedBase + unsweptBase);
      held.set(m.quote, held.get(m.quote)! + lockedQuote + unsweptQuote);
    }
  }
  // I1: every atom the vault holds is in exactly one bucket; no dust either way.
  for (const t of c.tokens) {
    eq(vault.get(t), held.get(t), `${where}: I1 vault of ${t} vs Σ balances + pockets + fees + reserve`);
    eq(vault.get(t), w.vault.get(t), `${where}: vault of ${t}`);
  }
  for (const id of touchedIds) {
    const [account, lots, expiry] = r[k++];
    const f = findOrder(w.markets[Number(id >> 96n) - 1], id);
    eq(lots, f?.slot.lots ?? 0n, `${where}: lots of order ${id}`);
    eq(account, f?.slot.acct ?? 0n, `${where}: account of order ${id}`);
    eq(expiry, f?.slot.expiry ?? 0n, `${where}: expiry of order ${id}`);
  }
}

/** I2 (per level, book vs model) and I3 (never crossed at rest). */
function checkBook(now: bigint, m: MarketModel, book: bigint[], where: string) {
  const bidTicks = uintArray(book, book[0]);
  const bidLots = uintArray(book, book[1]);
  const askTicks = uintArray(book, book[2]);
  const askLots = uintArray(book, book[3]);
  for (const [side, ticks, lots] of [
    [0, bidTicks, bidLots],
    [1, askTicks, askLots],
  ] as const) {
    const levels = [...m.levels[side].entries()].filter(([, l]) => l.total !== 0n);
    levels.sort(([a], [b]) => (side === 0 ? (a > b ? -1 : 1) : a < b ? -1 : 1));
    for (const [tick, l] of levels) {
      let sum = 0n;
      for (const s of l.slots.values()) sum += s.lots;
      eq(l.total, sum, `${where}: model level ${tick} total vs Σ orders`);
    }
    // the views leave expired orders out (and levels holding only expired ones)
    const shown = levels.filter(([, l]) => liveLevelLots(now, l) !== 0n);
    eq(ticks.join(","), shown.map(([t]) => t).join(","), `${where}: I2 ${side ? "ask" : "bid"} ticks`);
    for (let i = 0; i < shown.length; i++) {
      const [tick, l] = shown[i];
      eq(lots[i], liveLevelLots(now, l), `${where}: I2 level ${tick} lots vs Σ live unexpired orders`);
    }
  }
  const bid = bidTicks[0] ?? 0n;
  const ask = askTicks[0] ?? 0n;
  if (bid !== 0n && ask !== 0n && bid >= ask) fail(`${where}: I3 crossed book at rest: bid ${bid} >= ask ${ask}`);
}

/**
 * The slower, complete check, run every few steps and at the end of every run: each
 * account's open orders on chain are exactly the model's, every level's queue pointers match,
 * and each level's total equals the sum of the live orders the chain itself lists (I2 from the
 * chain's own views alone).
 */
export async function checkFull(c: Chain, w: World, where: string) {
  const calls: Call[] = [];
  for (const t of c.tokens) {
    calls.push({ target: t, data: tokenBalanceData(c.treasury) });
    calls.push({ target: c.chAddr, data: chIface.encodeFunctionData("reserveOf", [t]) });
  }
  for (const a of c.accounts) calls.push({ target: c.chAddr, data: chIface.encodeFunctionData("accountState", [hex32(a.acct)]) });
  for (let mi = 0; mi < c.marketIds.length; mi++) {
    calls.push({ target: c.chAddr, data: marketData(mi, "bestBidAsk") });
    for (const a of c.accounts) calls.push({ target: c.chAddr, data: marketData(mi, "openOrders", [a.owner, a.sub, 0n, 0n]) });
  }
  const r = await c.read(calls);
  const chainIds: bigint[] = [];
  let k = 0;
  for (const t of c.tokens) {
    eq(r[k++][0], w.treasuryWallet.get(t), `${where}: treasury wallet of ${t}`);
    eq(r[k++][0], w.reserve.get(t) ?? 0n, `${where}: reserve of ${t}`);
  }
  // I12: no account has a liability (no debt: no pool to borrow from; the perp flag, which is
  // never cleared, stays clear: no perp market), so none needs an initial-value check
  for (const a of c.accounts) {
    const st = r[k++][0];
    if ((st >> 64n) & M64 || st & FLAG_PERP) fail(`${where}: I12 ${a.owner}/${a.sub} has a liability: state ${st.toString(16)}`);
  }
  for (let mi = 0; mi < c.marketIds.length; mi++) {
    const m = w.markets[mi];
    const [bid, ask] = r[k++];
    eq(bid, liveBest(w.now, m, 0), `${where}: best live bid m${mi}`);
    eq(ask, liveBest(w.now, m, 1), `${where}: best live ask m${mi}`);
    const live = liveOrders(m);
    for (const a of c.accounts) {
      // one page (the default limit covers these books): the next cursor is 0
      eq(r[k][1], 0n, `${where}: openOrders paged m${mi} ${a.owner}/${a.sub}`);
      const ids = uintArray(r[k], r[k][0]);
      k++;
      const expected = live.filter((o) => o.slot.acct === a.acct).map((o) => o.id);
      const sort = (xs: bigint[]) => [...xs].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)).join(",");
      eq(sort(ids), sort(expected), `${where}: open orders m${mi} ${a.owner}/${a.sub}`);
      chainIds.push(...ids);
    }
  }
  const detail: Call[] = chainIds.map((id) => getOrderCall(c, id));
  const levelKeys: [number, bigint, bigint][] = [];
  for (let mi = 0; mi < c.marketIds.length; mi++) {
    for (const side of [0n, 1n]) {
      for (const tick of w.markets[mi].levels[Number(side)].keys()) {
        levelKeys.push([mi, side, tick]);
        detail.push({ target: c.chAddr, data: marketData(mi, "levelOf", [side, tick]) });
      }
    }
  }
  const d = await c.read(detail);
  const sums = new Map<string, bigint>();
  chainIds.forEach((id, i) => {
    const key = `${id >> 96n}:${(id >> 88n) & 1n}:${(id >> 64n) & M24}`;
    sums.set(key, (sums.get(key) ?? 0n) + d[i][1]);
  });
  levelKeys.forEach(([mi, side, tick], j) => {
    const [total, head, tail, epoch] = d[chainIds.length + j];
    const l = w.markets[mi].levels[Number(side)].get(tick)!;
    const at = `${where}: level m${mi} side ${side} tick ${tick}`;
    eq(total, sums.get(`${mi + 1}:${side}:${tick}`) ?? 0n, `${at} I2 total vs Σ getOrder of openOrders`);
    eq(total, l.total, `${at} total`);
    eq(head, l.head, `${at} head`);
    eq(tail, l.tail, `${at} tail`);
    eq(epoch, l.epoch, `${at} epoch`);
  });
}

/**
 * I4 price-time priority, from the chain's own Trade event against the book as it stood
 * before the order: the fills must consume the opposite side best price first and, within a
 * price, in arrival order, skipping only orders the same transaction removed (expired or
 * self-trade cancelled); every fill but the last takes its maker's whole remaining size.
 */
export function checkPriority(before: MarketModel, side: bigint, limitTick: bigint, logs: ParsedMarketLog[], where: string) {
  const trades = logs.filter((l) => l.name === "Trade");
  if (trades.length === 0) return;
  if (trades.length > 1) fail(`${where}: one order emitted ${trades.length} Trade events`);
  const removed = new Set(logs.filter((l) => l.name === "OrderExpired" || l.name === "OrderCancelled").map((l) => l.args[0]));
  const queue = liveOrders(before).filter((o) => o.side === (side ^ 1n));
  const fills = (trades[0].args[2] as bigint[]).map(decodeFill);
  let j = 0;
  let filled = 0n;
  let notional = 0n;
  fills.forEach((f, i) => {
    while (j < queue.length && removed.has(queue[j].id)) j++;
    const next = queue[j];
    if (!next) fail(`${where}: I4 fill ${i} of order ${f.makerOrderId} with nothing left in line`);
    eq(f.makerOrderId, next.id, `${where}: I4 fill ${i} maker (next in price-time order)`);
    eq(f.tick, next.tick, `${where}: I4 fill ${i} price`);
    if (side === 0n ? f.tick > limitTick : f.tick < limitTick) fail(`${where}: I4 fill ${i} beyond the limit ${limitTick}`);
    if (f.lots === next.slot.lots) j++;
    else if (f.lots > next.slot.lots || i !== fills.length - 1) fail(`${where}: I4 fill ${i} is partial but not last`);
    filled += f.lots;
    notional += f.lots * f.tick;
  });
  const summary = trades[0].args[1] as bigint;
  eq(summary & ((1n << 48n) - 1n), filled, `${where}: Trade filled lots vs Σ fills`);
  eq((summary >> 48n) & ((1n << 112n) - 1n), notional, `${where}: Trade notional vs Σ fills`);
}

export interface ParsedMarketLog {
  name: string;
  args: (bigint | bigint[])[];
}

/** Market `mi`'s events in `logs`, each without its first arg (the market id). */
export function parseMarketLogs(c: Chain, mi: number, logs: { address: string; topics: readonly string[]; data: string }[]) {
  const out: ParsedMarketLog[] = [];
  for (const log of logs) {
    const p = parseMarketLog(c.chAddr, log);
    if (!p || p.mi !== mi) continue;
    out.push({ name: p.name, args: p.args.map((a) => (Array.isArray(a) ? [...(a as bigint[])] : BigInt(a as bigint))) });
  }
  return out;
}
