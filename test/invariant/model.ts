/**
 * An exact bigint model of the Clearinghouse and its spot markets, written from the interfaces'
 * NatSpec and the design notes (not from the contract's storage), so the invariant suite can
 * predict every balance, pocket, fee, order id, event and revert of a transaction and compare.
 *
 * Units mirror the contracts: inside a market, base is lots and quote is tick units; balances,
 * reserve and the vault are token atoms. Plain data (Maps and objects) so `structuredClone`
 * gives a scratch copy to simulate on; a revert simply discards the copy.
 */

export const M24 = (1n << 24n) - 1n;
export const M32 = (1n << 32n) - 1n;
export const M48 = (1n << 48n) - 1n;
export const M112 = (1n << 112n) - 1n;
export const MAX_TICK = 255n * 255n * 255n - 1n;
export const MAX_OPEN_ORDERS = 64n;
export const MAX_FILLS = 128n;
export const MAX_SKIPS = 64n;
export const RING = 256n;
/** Widest a level's queue (tail − head) may grow (lap tags tell positions apart within 32,768). */
export const MAX_SPAN = 32_512n;
/** Skip units one expired order's removal costs a taker (a dead entry costs 1). */
export const EXPIRED_SKIPS = 8n;
const BPS = 10_000n;

export const GTC = 0n;
export const POST_ONLY = 1n;
export const FOK = 3n;
export const MARKET = 4n;
export const STP_CANCEL_INCOMING = 1n;
export const STP_CANCEL_BOTH = 2n;

/** A modelled revert: the custom error the chain must answer with. */
export class Revert extends Error {
  constructor(readonly errorName: string) {
    super(`expected revert ${errorName}`);
  }
}

export interface Slot {
  acct: bigint;
  lots: bigint; // 0 once cancelled in the middle of the queue
  expiry: bigint;
}

export interface Level {
  total: bigint;
  head: bigint;
  tail: bigint;
  epoch: bigint;
  /** live orders the tail has lapped (position + 256 < tail) */
  strays: bigint;
  slots: Map<bigint, Slot>; // by queue position; a position never written is dead
}

export interface Pocket {
  lockedQuote: bigint;
  lockedBase: bigint;
  unsweptQuote: bigint;
  unsweptBase: bigint;
  openOrders: bigint;
}

export interface MarketModel {
  /** The market id (1, 2, …), which order ids carry. */
  index: bigint;
  base: string;
  quote: string;
  lotSize: bigint;
  tickSize: bigint;
  minLots: bigint;
  maxMakerFeeBps: bigint;
  makerFeeBps: bigint;
  takerFeeBps: bigint;
  paused: boolean;
  fees: bigint; // tick units
  levels: [Map<bigint, Level>, Map<bigint, Level>];
  pockets: Map<bigint, Pocket>;
  clientIds: Map<bigint, Map<bigint, bigint>>;
}

/** One event a market emits, rendered canonically so model and chain compare as strings. */
export type ModelEvent = string;

export interface World {
  now: bigint;
  balances: Map<bigint, Map<string, bigint>>;
  reserve: Map<string, bigint>;
  vault: Map<string, bigint>;
  treasuryWallet: Map<string, bigint>;
  markets: MarketModel[];
  operators: Set<string>;
  /** Per transaction: events in emission order, order ids whose state the tx may change. */
  events: ModelEvent[];
  touched: Set<bigint>;
}

export const ev = (market: bigint, name: string, ...args: (bigint | bigint[] | boolean)[]): ModelEvent =>
  `${market}:${name}(${args.map((a) => (Array.isArray(a) ? `[${a.join(",")}]` : a.toString())).join(",")})`;

export const accountOf = (owner: string, sub: bigint): bigint => (BigInt(owner) << 96n) | sub;
export const ownerOf = (acct: bigint): string => "0x" + (acct >> 96n).toString(16).padStart(40, "0");
export const operatorKey = (acct: bigint, operator: string) => `${acct}:${operator.toLowerCase()}`;

export function orderIdOf(index: bigint, side: bigint, tick: bigint, epoch: bigint, pos: bigint): bigint {
  return (index << 96n) | (side << 88n) | (tick << 64n) | (epoch << 32n) | pos;
}

const ceilBps = (amount: bigint, bps: bigint) => (amount * bps + BPS - 1n) / BPS;
export const bidLockPerLot = (m: MarketModel, tick: bigint) => tick + ceilBps(tick, m.maxMakerFeeBps);

// ------------------------------------------------------------------ Clearinghouse

export function balanceOf(w: World, acct: bigint, token: string): bigint {
  return w.balances.get(acct)?.get(token) ?? 0n;
}

function setBalance(w: World, acct: bigint, token: string, v: bigint) {
  let m = w.balances.get(acct);
  if (!m) w.balances.set(acct, (m = new Map()));
  m.set(token, v);
}

function debit(w: World, acct: bigint, token: string, amount: bigint) {
  const bal = balanceOf(w, acct, token);
  if (bal < amount) throw new Revert("InsufficientBalance");
  setBalance(w, acct, token, bal - amount);
}

export function deposit(w: World, owner: string, sub: bigint, token: string, amount: bigint) {
  if (amount === 0n) throw new Revert("ZeroAmount");
  const acct = accountOf(owner, sub);
  setBalance(w, acct, token, balanceOf(w, acct, token) + amount);
  w.vault.set(token, (w.vault.get(token) ?? 0n) + amount);
}

export function withdraw(w: World, owner: string, sub: bigint, token: string, amount: bigint) {
  if (amount === 0n) throw new Revert("ZeroAmount");
  debit(w, accountOf(owner, sub), token, amount);
  w.vault.set(token, w.vault.get(token)! - amount);
}

export function transfer(w: World, owner: string, fromSub: bigint, toSub: bigint, token: string, amount: bigint) {
  if (amount === 0n) throw new Revert("ZeroAmount");
  if (fromSub === toSub) throw new Revert("SameAccount");
  debit(w, accountOf(owner, fromSub), token, amount);
  const to = accountOf(owner, toSub);
  setBalance(w, to, token, balanceOf(w, to, token) + amount);
}

export function withdrawReserve(w: World, token: string, amount: bigint) {
  const r = w.reserve.get(token) ?? 0n;
  if (r < amount) throw new Revert("InsufficientReserve");
  w.reserve.set(token, r - amount);
  w.vault.set(token, w.vault.get(token)! - amount);
  w.treasuryWallet.set(token, (w.treasuryWallet.get(token) ?? 0n) + amount);
}

/** `settle` from a market: the base leg first, then quote; a debit beyond the balance reverts. */
function settle(w: World, m: MarketModel, acct: bigint, baseDelta: bigint, quoteDelta: bigint) {
  for (const [token, d] of [
    [m.base, baseDelta],
    [m.quote, quoteDelta],
  ] as const) {
    if (d > 0n) setBalance(w, acct, token, balanceOf(w, acct, token) + d);
    else if (d < 0n) debit(w, acct, token, -d);
  }
}

export function setMarketFees(w: World, m: MarketModel, makerBps: bigint, takerBps: bigint) {
  if (takerBps > 100n || makerBps > m.maxMakerFeeBps || makerBps < -takerBps) throw new Revert("FeeOutOfBounds");
  m.makerFeeBps = makerBps;
  m.takerFeeBps = takerBps;
  w.events.push(ev(m.index, "FeesSet", makerBps, takerBps));
}

export function setPaused(w: World, m: MarketModel, paused: boolean) {
  m.paused = paused;
  w.events.push(ev(m.index, "PausedSet", paused));
}

// ------------------------------------------------------------------ market: book helpers

export function bestBid(m: MarketModel): bigint {
  let best = 0n;
  for (const [tick, l] of m.levels[0]) if (l.total !== 0n && tick > best) best = tick;
  return best;
}

export function bestAsk(m: MarketModel): bigint {
  let best = 0n;
  for (const [tick, l] of m.levels[1]) if (l.total !== 0n && (best === 0n || tick < best)) best = tick;
  return best;
}

function nextAbove(m: MarketModel, side: number, tick: bigint): bigint {
  let best = 0n;
  for (const [t, l] of m.levels[side]) if (l.total !== 0n && t > tick && (best === 0n || t < best)) best = t;
  return best;
}

function nextBelow(m: MarketModel, side: number, tick: bigint): bigint {
  let best = 0n;
  for (const [t, l] of m.levels[side]) if (l.total !== 0n && t < tick && t > best) best = t;
  return best;
}

function level(m: MarketModel, side: bigint, tick: bigint): Level {
  let l = m.levels[Number(side)].get(tick);
  if (!l) {
    l = { total: 0n, head: 0n, tail: 0n, epoch: 0n, strays: 0n, slots: new Map() };
    m.levels[Number(side)].set(tick, l);
  }
  return l;
}

function resetLevel(l: Level) {
  l.total = 0n;
  l.head = 0n;
  l.tail = 0n;
  l.epoch += 1n;
  l.strays = 0n;
  l.slots.clear();
}

/** The head steps past its position; with no straggler left it jumps to a ring behind the tail. */
function stepHead(l: Level) {
  l.slots.delete(l.head);
  l.head++;
  if (l.strays === 0n && l.head + RING < l.tail) {
    for (let p = l.head; p < l.tail - RING; p++) l.slots.delete(p);
    l.head = l.tail - RING;
  }
}

/** The live order at `pos` leaves the queue: uncount a straggler, step the head past it. */
function leave(l: Level, pos: bigint) {
  if (pos + RING < l.tail) l.strays--;
  if (pos === l.head) stepHead(l);
}

export interface Found {
  side: bigint;
  tick: bigint;
  pos: bigint;
  level: Level;
  slot: Slot;
}

/** A live order by id, or undefined: the rules of `getOrder`. */
export function findOrder(m: MarketModel, id: bigint): Found | undefined {
  if (id >> 96n !== m.index || ((id >> 89n) & 0x7fn) !== 0n) return undefined;
  const side = (id >> 88n) & 1n;
  const tick = (id >> 64n) & M24;
  const l = m.levels[Number(side)].get(tick);
  if (!l) return undefined;
  const pos = id & M32;
  if (((id >> 32n) & M32) !== l.epoch || pos < l.head || pos >= l.tail || l.total === 0n) return undefined;
  const slot = l.slots.get(pos);
  if (!slot || slot.lots === 0n) return undefined;
  return { side, tick, pos, level: l, slot };
}

/** Every live order, best price first on each side, FIFO within a level. */
export function liveOrders(m: MarketModel): { id: bigint; side: bigint; tick: bigint; slot: Slot }[] {
  const out: { id: bigint; side: bigint; tick: bigint; slot: Slot }[] = [];
  for (const side of [0n, 1n]) {
    const ticks = [...m.levels[Number(side)].entries()].filter(([, l]) => l.total !== 0n);
    ticks.sort(([a], [b]) => (side === 0n ? (a > b ? -1 : 1) : a < b ? -1 : 1));
    for (const [tick, l] of ticks) {
      for (let pos = l.head; pos < l.tail; pos++) {
        const s = l.slots.get(pos);
        if (s && s.lots !== 0n) out.push({ id: orderIdOf(m.index, side, tick, l.epoch, pos), side, tick, slot: s });
      }
    }
  }
  return out;
}

export function pocketOf(m: MarketModel, acct: bigint): Pocket {
  return (
    m.pockets.get(acct) ?? { lockedQuote: 0n, lockedBase: 0n, unsweptQuote: 0n, unsweptBase: 0n, openOrders: 0n }
  );
}

// ------------------------------------------------------------------ market: working copy of a pocket

/** One account's pocket while a call runs; `owed*` is what the pocket could not cover. */
interface Ctx {
  acct: bigint;
  p: Pocket;
  owedBase: bigint;
  owedQuote: bigint;
}

function load(m: MarketModel, acct: bigint): Ctx {
  return { acct, p: { ...pocketOf(m, acct) }, owedBase: 0n, owedQuote: 0n };
}

function creditBase(c: Ctx, lots: bigint) {
  if (c.owedBase >= lots) c.owedBase -= lots;
  else {
    c.p.unsweptBase += lots - c.owedBase;
    c.owedBase = 0n;
  }
}

function creditQuote(c: Ctx, amount: bigint) {
  if (c.owedQuote >= amount) c.owedQuote -= amount;
  else {
    c.p.unsweptQuote += amount - c.owedQuote;
    c.owedQuote = 0n;
  }
}

function debitBase(c: Ctx, lots: bigint) {
  if (c.p.unsweptBase >= lots) c.p.unsweptBase -= lots;
  else {
    c.owedBase += lots - c.p.unsweptBase;
    c.p.unsweptBase = 0n;
  }
}

function debitQuote(c: Ctx, amount: bigint) {
  if (c.p.unsweptQuote >= amount) c.p.unsweptQuote -= amount;
  else {
    c.owedQuote += amount - c.p.unsweptQuote;
    c.p.unsweptQuote = 0n;
  }
}

function flush(w: World, m: MarketModel, c: Ctx) {
  m.pockets.set(c.acct, c.p);
  if (c.owedBase !== 0n || c.owedQuote !== 0n) settle(w, m, c.acct, -c.owedBase * m.lotSize, -c.owedQuote * m.tickSize);
}

function auth(w: World, acct: bigint, caller: string) {
  if (ownerOf(acct) !== caller.toLowerCase() && !w.operators.has(operatorKey(acct, caller))) {
    throw new Revert("NotAuthorized");
  }
}

/** Returns a resting order's lock to its owner: into the working copy if it is the caller's. */
function release(m: MarketModel, c: Ctx, owner: bigint, side: bigint, tick: bigint, lots: bigint) {
  if (owner === c.acct) {
    if (side === 0n) {
      const lock = lots * bidLockPerLot(m, tick);
      c.p.lockedQuote -= lock;
      creditQuote(c, lock);
    } else {
      c.p.lockedBase -= lots;
      creditBase(c, lots);
    }
    c.p.openOrders -= 1n;
    return;
  }
  const p = { ...pocketOf(m, owner) };
  if (side === 0n) {
    const lock = lots * bidLockPerLot(m, tick);
    p.lockedQuote -= lock;
    p.unsweptQuote += lock;
  } else {
    p.lockedBase -= lots;
    p.unsweptBase += lots;
  }
  p.openOrders -= 1n;
  m.pockets.set(owner, p);
}

// ------------------------------------------------------------------ market: placing and matching

interface Taker {
  side: bigint;
  tick: bigint;
  limitTick: bigint;
  remaining: bigint;
  filled: bigint;
  notional: bigint;
  makerFees: bigint;
  fills: bigint;
  maxFills: bigint;
  skips: bigint;
  stp: bigint;
  stopped: boolean;
  log: bigint[];
  /** the post-only purge walk: remove expired orders only, stop at the first live one */
  purge?: boolean;
}

const stoppedT = (t: Taker) => t.remaining === 0n || t.fills === t.maxFills || t.skips >= MAX_SKIPS || t.stopped;

function fillMaker(m: MarketModel, t: Taker, maker: bigint, f: bigint, done: boolean) {
  const p = { ...pocketOf(m, maker) };
  const n = f * t.tick;
  let fee = 0n;
  let rebate = 0n;
  if (m.makerFeeBps >= 0n) fee = ceilBps(n, m.makerFeeBps);
  else rebate = (n * -m.makerFeeBps) / BPS;
  t.makerFees += fee - rebate;
  let quoteIn: bigint;
  if (t.side === 1n) {
    const lock = f * bidLockPerLot(m, t.tick);
    p.lockedQuote -= lock;
    quoteIn = lock - n - fee + rebate;
    p.unsweptBase += f;
  } else {
    p.lockedBase -= f;
    quoteIn = n - fee + rebate;
  }
  if (quoteIn < 0n) throw new Error("model: negative maker proceeds");
  p.unsweptQuote += quoteIn;
  if (done) p.openOrders -= 1n;
  m.pockets.set(maker, p);
}

function matchLevel(w: World, m: MarketModel, c: Ctx, t: Taker, makerSide: bigint, l: Level) {
  while (l.total !== 0n && !stoppedT(t)) {
    const pos = l.head;
    const id = orderIdOf(m.index, makerSide, t.tick, l.epoch, pos);
    const s = l.slots.get(pos);
    if (!s || s.lots === 0n) {
      stepHead(l);
      t.skips++;
      continue;
    }
    if (s.expiry !== 0n && s.expiry <= w.now) {
      release(m, c, s.acct, makerSide, t.tick, s.lots);
      l.total -= s.lots;
      t.skips += EXPIRED_SKIPS;
      w.events.push(ev(m.index, "OrderExpired", id, s.lots));
      w.touched.add(id);
      s.lots = 0n;
      leave(l, pos);
      continue;
    }
    if (t.purge) {
      t.stopped = true;
      break;
    }
    if (s.acct === c.acct) {
      if (t.stp === STP_CANCEL_INCOMING) {
        t.stopped = true;
        break;
      }
      release(m, c, s.acct, makerSide, t.tick, s.lots);
      l.total -= s.lots;
      w.events.push(ev(m.index, "OrderCancelled", id, s.lots));
      w.touched.add(id);
      s.lots = 0n;
      leave(l, pos);
      if (t.stp === STP_CANCEL_BOTH) t.stopped = true;
      continue;
    }
    const f = s.lots < t.remaining ? s.lots : t.remaining;
    fillMaker(m, t, s.acct, f, f === s.lots);
    t.log.push(id | (f << 112n));
    t.fills++;
    t.remaining -= f;
    t.filled += f;
    t.notional += f * t.tick;
    l.total -= f;
    w.touched.add(id);
    if (f === s.lots) {
      s.lots = 0n;
      leave(l, pos);
    } else s.lots -= f;
  }
}

function match(w: World, m: MarketModel, c: Ctx, t: Taker) {
  const makerSide = t.side ^ 1n;
  t.tick = makerSide === 1n ? bestAsk(m) : bestBid(m);
  for (;;) {
    const l = level(m, makerSide, t.tick);
    matchLevel(w, m, c, t, makerSide, l);
    if (l.total !== 0n) return;
    resetLevel(l);
    const next = makerSide === 1n ? nextAbove(m, 1, t.tick) : nextBelow(m, 0, t.tick);
    if (next === 0n || (makerSide === 1n ? next > t.limitTick : next < t.limitTick)) return;
    t.tick = next;
    if (stoppedT(t)) return;
  }
}

function settleTaker(w: World, m: MarketModel, c: Ctx, t: Taker, kind: bigint) {
  const takerFee = ceilBps(t.notional, m.takerFeeBps);
  const protocolFee = takerFee + t.makerFees;
  if (protocolFee < 0n) throw new Error("model: negative protocol fee");
  m.fees += protocolFee;
  if (t.side === 0n) {
    creditBase(c, t.filled);
    debitQuote(c, t.notional + takerFee);
  } else {
    debitBase(c, t.filled);
    creditQuote(c, t.notional - takerFee);
  }
  w.events.push(
    ev(m.index, "Trade", c.acct | (t.side << 8n) | (kind << 9n), t.filled | (t.notional << 48n) | (takerFee << 160n), t.log),
  );
}

function rest(w: World, m: MarketModel, c: Ctx, p: bigint, lots: bigint): bigint {
  if (c.p.openOrders >= MAX_OPEN_ORDERS) throw new Revert("TooManyOpenOrders");
  const tick = (p >> 48n) & M24;
  const side = (p >> 72n) & 1n;
  const expiry = (p >> 94n) & M32;
  const l = level(m, side, tick);
  // Once the queue spans the ring, the order takes the next position whose ring slot holds no
  // live order (slot = position mod 256), stepping over live ones (stragglers when first lapped).
  let pos = l.tail;
  if (pos - l.head >= RING) {
    for (let n = 0n; ; n++) {
      if (n === RING || pos + 1n - l.head > MAX_SPAN) throw new Revert("LevelFull");
      let occupant: bigint | undefined;
      for (const [p, s] of l.slots) if (p % RING === pos % RING && p < pos && p >= l.head && s.lots !== 0n) occupant = p;
      if (occupant === undefined) break;
      if (occupant + RING === pos) l.strays++;
      pos++;
    }
  }
  const id = orderIdOf(m.index, side, tick, l.epoch, pos);
  l.slots.set(pos, { acct: c.acct, lots, expiry });
  l.tail = pos + 1n;
  l.total += lots;
  if (side === 0n) {
    const lock = lots * bidLockPerLot(m, tick);
    c.p.lockedQuote += lock;
    debitQuote(c, lock);
  } else {
    c.p.lockedBase += lots;
    debitBase(c, lots);
  }
  c.p.openOrders += 1n;
  const cid = (p >> 126n) & M32;
  if (cid !== 0n) {
    let ids = m.clientIds.get(c.acct);
    if (!ids) m.clientIds.set(c.acct, (ids = new Map()));
    // the core's ring of CLIENT_RING = 64 entries: a client id evicts every other id on its entry
    for (const k of ids.keys()) if (k % 64n === cid % 64n) ids.delete(k);
    ids.set(cid, id);
  }
  w.events.push(ev(m.index, "OrderPlaced", id, c.acct | (lots << 8n) | (cid << 56n), expiry));
  w.touched.add(id);
  return id;
}

/** Places order word `p`: the resting order's id (0 if none rests) and the lots it filled as taker. */
function placeOne(w: World, m: MarketModel, c: Ctx, p: bigint): [bigint, bigint] {
  if (p >> 159n !== 0n) throw new Revert("OrderWordUnusedBits");
  const lots = p & M48;
  const tick = (p >> 48n) & M24;
  const side = (p >> 72n) & 1n;
  const kind = (p >> 73n) & 7n;
  const expiry = (p >> 94n) & M32;
  if (lots === 0n) throw new Revert("ZeroSize");
  if (lots < m.minLots) throw new Revert("BelowMinSize");
  if (tick === 0n || tick > MAX_TICK) throw new Revert("TickOutOfRange");
  if (kind > MARKET) throw new Revert("InvalidOrderKind");
  if (expiry !== 0n && expiry <= w.now) throw new Revert("Expired");
  const stp = (p >> 76n) & 3n;
  if (stp > STP_CANCEL_BOTH) throw new Revert("InvalidSelfTradeMode");
  let maxFills = (p >> 78n) & 0xffn;
  if (maxFills > MAX_FILLS) throw new Revert("TooManyFills");
  if (maxFills === 0n) maxFills = MAX_FILLS;
  if (m.paused) throw new Revert("MarketPaused");
  let bestOpp = side === 0n ? bestAsk(m) : bestBid(m);
  let crosses = bestOpp !== 0n && (side === 0n ? bestOpp <= tick : bestOpp >= tick);
  const dropped = (n: bigint, reason: bigint) =>
    w.events.push(ev(m.index, "OrderDropped", c.acct | (side << 8n) | (kind << 9n), n, reason));
  if (crosses && kind === POST_ONLY) {
    // expired orders it crosses are removed first; only a live one makes it revert
    const purge: Taker = { side, tick: 0n, limitTick: tick, remaining: 1n, filled: 0n, notional: 0n, makerFees: 0n, fills: 0n, maxFills: 1n, skips: 0n, stp: 0n, stopped: false, log: [], purge: true };
    match(w, m, c, purge);
    bestOpp = side === 0n ? bestAsk(m) : bestBid(m);
    crosses = bestOpp !== 0n && (side === 0n ? bestOpp <= tick : bestOpp >= tick);
    if (crosses) throw new Revert("PostOnlyWouldCross");
  }
  if (!crosses) {
    if (kind === FOK) throw new Revert("FokNotFilled");
    if (kind === MARKET) dropped(lots, 1n);
    return [kind <= POST_ONLY ? rest(w, m, c, p, lots) : 0n, 0n];
  }
  const t: Taker = {
    side,
    tick: 0n,
    limitTick: tick,
    remaining: lots,
    filled: 0n,
    notional: 0n,
    makerFees: 0n,
    fills: 0n,
    maxFills,
    skips: 0n,
    stp,
    stopped: false,
    log: [],
  };
  match(w, m, c, t);
  if (kind === FOK && t.remaining !== 0n) throw new Revert("FokNotFilled");
  if (t.filled !== 0n) settleTaker(w, m, c, t, kind);
  else if (kind === MARKET) dropped(lots, 1n);
  if (t.remaining !== 0n && kind === GTC) {
    if (!t.stopped) {
      // a remainder that would still cross (fill or skip cap hit) is dropped, never rested
      bestOpp = side === 0n ? bestAsk(m) : bestBid(m);
      if (bestOpp === 0n || (side === 0n ? bestOpp > tick : bestOpp < tick)) return [rest(w, m, c, p, t.remaining), t.filled];
    }
    dropped(t.remaining, t.stopped ? 2n : 3n);
  }
  return [0n, t.filled];
}

function removeOrder(w: World, m: MarketModel, c: Ctx, id: bigint, expired: boolean) {
  const f = findOrder(m, id);
  if (!f) throw new Revert("OrderNotFound");
  if (f.slot.acct !== c.acct) throw new Revert("NotOrderOwner");
  const lots = f.slot.lots;
  f.slot.lots = 0n;
  f.level.total -= lots;
  if (f.level.total === 0n) resetLevel(f.level);
  else leave(f.level, f.pos);
  release(m, c, c.acct, f.side, f.tick, lots);
  w.events.push(ev(m.index, expired ? "OrderExpired" : "OrderCancelled", id, lots));
  w.touched.add(id);
}

function cancelByClientId(w: World, m: MarketModel, c: Ctx, cid: bigint) {
  const id = m.clientIds.get(c.acct)?.get(cid) ?? 0n;
  const f = findOrder(m, id);
  if (cid === 0n || !f || f.slot.acct !== c.acct) throw new Revert("ClientOrderNotFound");
  removeOrder(w, m, c, id, false);
}

function amend(w: World, m: MarketModel, c: Ctx, id: bigint, newLots: bigint) {
  const f = findOrder(m, id);
  if (!f) throw new Revert("OrderNotFound");
  if (f.slot.acct !== c.acct) throw new Revert("NotOrderOwner");
  const lots = f.slot.lots;
  if (newLots === 0n || newLots >= lots || newLots < m.minLots) throw new Revert("InvalidAmend");
  const cut = lots - newLots;
  f.slot.lots = newLots;
  f.level.total -= cut;
  if (f.side === 0n) {
    const lock = cut * bidLockPerLot(m, f.tick);
    c.p.lockedQuote -= lock;
    creditQuote(c, lock);
  } else {
    c.p.lockedBase -= cut;
    creditBase(c, cut);
  }
  w.events.push(ev(m.index, "OrderAmended", id, newLots));
  w.touched.add(id);
}

// ------------------------------------------------------------------ market: entry points

export function placeOrder(w: World, m: MarketModel, caller: string, owner: string, order: bigint, viaFor: boolean) {
  const c = load(m, accountOf(owner, (order >> 86n) & 0xffn));
  if (viaFor) auth(w, c.acct, caller);
  const [id, filled] = placeOne(w, m, c, order);
  // a lone market order that fills nothing reverts (in a batch it is dropped)
  if (filled === 0n && ((order >> 73n) & 7n) === MARKET) throw new Revert("WorstPriceExceeded");
  flush(w, m, c);
  return id;
}

export function cancelOrder(w: World, m: MarketModel, caller: string, id: bigint) {
  const f = findOrder(m, id);
  if (!f) throw new Revert("OrderNotFound");
  auth(w, f.slot.acct, caller);
  const c = load(m, f.slot.acct);
  removeOrder(w, m, c, id, false);
  flush(w, m, c);
}

export function cancelOrderByClientId(w: World, m: MarketModel, caller: string, owner: string, sub: bigint, cid: bigint) {
  const c = load(m, accountOf(owner, sub));
  auth(w, c.acct, caller);
  cancelByClientId(w, m, c, cid);
  flush(w, m, c);
}

export function amendOrder(w: World, m: MarketModel, caller: string, id: bigint, newLots: bigint) {
  const f = findOrder(m, id);
  if (!f) throw new Revert("OrderNotFound");
  auth(w, f.slot.acct, caller);
  const c = load(m, f.slot.acct);
  amend(w, m, c, id, newLots);
  flush(w, m, c);
}

export function cancelAll(w: World, m: MarketModel, caller: string, owner: string, sub: bigint, ids: bigint[]) {
  const c = load(m, accountOf(owner, sub));
  auth(w, c.acct, caller);
  for (const id of ids) removeOrder(w, m, c, id, false);
  if (c.p.openOrders !== 0n) throw new Revert("OpenOrdersRemain");
  flush(w, m, c);
}

export const OP_PLACE = 0n;
export const OP_CANCEL = 1n;
export const OP_AMEND = 2n;

/**
 * `batch` for one account. `onOp` (optional) sees each op's index before it runs, so a caller
 * building the op words can pick ids from the state the op will meet.
 */
export function batch(w: World, m: MarketModel, caller: string, owner: string, sub: bigint, ops: bigint[]) {
  const c = load(m, accountOf(owner === "0x0000000000000000000000000000000000000000" ? caller : owner, sub));
  auth(w, c.acct, caller);
  const results: bigint[] = [];
  // BatchResult: order id | filled lots << 112 | lots << 160 | status << 208
  const result = (status: bigint, id: bigint, filled: bigint, lots: bigint) => (status << 208n) | (lots << 160n) | (filled << 112n) | id;
  const SKIP = 1n << 253n;
  const HEAD = (3n << 254n) | SKIP;
  for (const op of ops) {
    const kind = op >> 254n;
    const skip = (op & SKIP) !== 0n;
    if (kind === OP_PLACE) {
      if (((op >> 86n) & 0xffn) !== sub) throw new Revert("BatchSubMismatch");
      const [id, filled] = placeOne(w, m, c, op);
      const lots = op & M48;
      results.push(id !== 0n ? result(1n, id, filled, lots - filled) : result(filled !== 0n ? 2n : 3n, 0n, filled, 0n));
      continue;
    }
    const used = kind === OP_CANCEL ? HEAD | M112 : kind === OP_AMEND ? HEAD | (M48 << 112n) | M112 : HEAD | (M32 << 8n);
    if ((op & ~used & ((1n << 256n) - 1n)) !== 0n) throw new Revert("BatchOpReservedBits");
    if (kind === OP_CANCEL) {
      const id = op & M112;
      const f = findOrder(m, id);
      if (!f && skip) results.push(result(6n, id, 0n, 0n));
      else {
        const lots = f ? f.slot.lots : 0n;
        removeOrder(w, m, c, id, false);
        results.push(result(4n, id, 0n, lots));
      }
    } else if (kind === OP_AMEND) {
      const id = op & M112;
      const newLots = (op >> 112n) & M48;
      if (skip && !findOrder(m, id)) results.push(result(6n, id, 0n, 0n));
      else {
        amend(w, m, c, id, newLots);
        results.push(result(5n, id, 0n, newLots));
      }
    } else {
      const cid = (op >> 8n) & M32;
      const id = m.clientIds.get(c.acct)?.get(cid) ?? 0n;
      const f = findOrder(m, id);
      if (cid !== 0n && skip && (!f || f.slot.acct !== c.acct)) results.push(result(6n, 0n, 0n, 0n));
      else {
        const lots = f ? f.slot.lots : 0n;
        cancelByClientId(w, m, c, cid);
        results.push(result(4n, id, 0n, lots));
      }
    }
  }
  flush(w, m, c);
  w.events.push(ev(m.index, "BatchExecuted", c.acct, results));
  return results;
}

/** Lots of a level's live, unexpired orders (what getBook / bookPage report). */
export function liveLevelLots(now: bigint, l: Level): bigint {
  let sum = 0n;
  for (const s of l.slots.values()) if (s.lots !== 0n && (s.expiry === 0n || s.expiry > now)) sum += s.lots;
  return sum;
}

/** The best tick of `side` with live, unexpired lots (what bestBidAsk reports), 0 if none. */
export function liveBest(now: bigint, m: MarketModel, side: number): bigint {
  const ticks = [...m.levels[side].entries()].filter(([, l]) => l.total !== 0n && liveLevelLots(now, l) !== 0n).map(([t]) => t);
  if (ticks.length === 0) return 0n;
  return ticks.reduce((a, b) => (side === 0 ? (b > a ? b : a) : b < a ? b : a));
}

export function purgeExpired(w: World, m: MarketModel, ids: bigint[]) {
  for (const id of ids) {
    const f = findOrder(m, id);
    if (!f) throw new Revert("OrderNotFound");
    if (f.slot.expiry === 0n || f.slot.expiry > w.now) throw new Revert("NotExpired");
    const c = load(m, f.slot.acct);
    removeOrder(w, m, c, id, true);
    flush(w, m, c);
  }
}

export function sweep(w: World, m: MarketModel, owner: string, sub: bigint) {
  const acct = accountOf(owner, sub);
  const p = { ...pocketOf(m, acct) };
  const baseAtoms = p.unsweptBase * m.lotSize;
  const quoteAtoms = p.unsweptQuote * m.tickSize;
  p.unsweptBase = 0n;
  p.unsweptQuote = 0n;
  m.pockets.set(acct, p);
  if (baseAtoms !== 0n || quoteAtoms !== 0n) settle(w, m, acct, baseAtoms, quoteAtoms);
  w.events.push(ev(m.index, "Swept", acct, baseAtoms, quoteAtoms));
}

export function collectFees(w: World, m: MarketModel) {
  const atoms = m.fees * m.tickSize;
  m.fees = 0n;
  if (atoms !== 0n) w.reserve.set(m.quote, (w.reserve.get(m.quote) ?? 0n) + atoms);
  w.events.push(ev(m.index, "FeesCollected", atoms));
}
