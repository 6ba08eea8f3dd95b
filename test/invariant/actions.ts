/**
 * Turns each random action into transactions: resolves which order, client id or amount it
 * means from the model's current state, encodes the call, and hands it to the runner with the
 * model function that predicts it.
 */
import { amendOp, cancelClientIdOp, cancelOp, packOrder } from "../../sdk/src/math/order.ts";
import type { OrderKind, SelfTrade, Side } from "../../sdk/src/math/order.ts";
import type { Action, PlaceSpec } from "./arbitraries.ts";
import { chIface, marketData, MARKETS, type Chain } from "./chain.ts";
import * as M from "./model.ts";
import { exec, type RunState, type Tx } from "./runner.ts";

const ZERO = "0x0000000000000000000000000000000000000000";

/** A GTC order spec with every other field at its plain default. */
const spec = (o: Partial<PlaceSpec> & Pick<PlaceSpec, "side" | "lots">): PlaceSpec => ({
  off: 0,
  aggressive: false,
  tickErr: 0,
  kind: 0,
  stp: 0,
  maxFills: 0,
  exp: 0,
  cid: 0,
  ...o,
});

/** The owner, its agent key (where it approved one) or a stranger (an unauthorized try). */
function caller(s: RunState, acc: { owner: string; hasAgent: boolean }, via: number): string {
  return via === 2 ? s.c.stranger : via === 1 && acc.hasAgent ? s.c.agent : acc.owner;
}

function anyCaller(s: RunState, i: number): string {
  return [...s.c.owners, s.c.agent, s.c.stranger][i % 6];
}

/** The order word for a spec on market `mi`, priced around the market's band, for time `now`. */
function orderWord(mi: number, sub: bigint, o: PlaceSpec, now: bigint): bigint {
  const center = MARKETS[mi].center;
  // taker kinds (IOC, FOK, market) lean to the crossing half of the band so they mostly trade
  const lean = o.kind >= 2 ? (o.side === 0 ? Math.abs(o.off) : -Math.abs(o.off)) : o.off;
  const tick =
    o.tickErr === 1 ? 0n : o.tickErr === 2 ? M.MAX_TICK + 1n : center + BigInt(o.aggressive ? (o.side === 0 ? 8 : -8) : lean);
  return packOrder({
    side: BigInt(o.side) as Side,
    tick,
    lots: BigInt(o.lots),
    kind: BigInt(o.kind) as OrderKind,
    selfTrade: BigInt(o.stp) as SelfTrade,
    maxFills: BigInt(o.maxFills),
    sub,
    expiry: o.exp === 0 ? 0n : now + BigInt(o.exp < 0 ? o.exp + 1 : o.exp),
    clientOrderId: BigInt(o.cid),
  });
}

/** Live orders of an account on a market, FIFO per level, best price first. */
const ownOrders = (w: M.World, mi: number, acct: bigint) => M.liveOrders(w.markets[mi]).filter((o) => o.slot.acct === acct);

/** An id that names no live order: one seen before, or one that never existed. */
function staleId(s: RunState, mi: number, pick: number): bigint {
  const m = s.w.markets[mi];
  const dead = s.seen.filter((id) => id >> 96n === m.index && !M.findOrder(m, id));
  if (dead.length) return dead[pick % dead.length];
  return M.orderIdOf(m.index, BigInt(pick & 1), MARKETS[mi].center, 77n, BigInt(pick % 5));
}

/** A new size for an amend: below `lots` for permille ≤ 1000 (valid if ≥ the minimum), else above. */
const shrinkTo = (lots: bigint, permille: number) =>
  permille > 1000 ? lots + 1n : permille === 0 ? 0n : 1n + ((lots - 1n) * BigInt(permille - 1)) / 1000n;

/** Mostly a client id naming a live order of the account, else one that may name nothing. */
function pickCid(w: M.World, mi: number, acct: bigint, pick: number, live: boolean): bigint {
  const m = w.markets[mi];
  const ids = [...(m.clientIds.get(acct) ?? new Map<bigint, bigint>())].filter(([, id]) => M.findOrder(m, id)).map(([cid]) => cid);
  return live && ids.length ? ids[pick % ids.length] : BigInt(pick % 7);
}

/** An order for a trading action: the account's own, else anyone's (an unauthorized try). */
function pickOrder(s: RunState, mi: number, acct: bigint, pick: number, stale: boolean): bigint {
  if (stale) return staleId(s, mi, pick);
  const own = ownOrders(s.w, mi, acct);
  if (own.length) return own[pick % own.length].id;
  const all = M.liveOrders(s.w.markets[mi]);
  return all.length && pick % 4 === 0 ? all[pick % all.length].id : staleId(s, mi, pick);
}

export async function runAction(s: RunState, a: Action) {
  s.stats.actions++;
  s.stats.byAction[a.t] = (s.stats.byAction[a.t] ?? 0) + 1;
  s.actionReverted = false;
  await dispatch(s, a);
  if (!s.actionReverted) s.stats.okByAction[a.t] = (s.stats.okByAction[a.t] ?? 0) + 1;
}

/** A call of market `mi` (0-based): sent to the core with the market's id, reaching that market. */
const onMarket = (c: Chain, mi: number, fn: string, args: readonly unknown[] = []) => ({
  to: c.chAddr,
  data: marketData(mi, fn, args),
  markets: [mi],
});

async function dispatch(s: RunState, a: Action) {
  const now = s.time + 1n;
  const c = s.c;
  switch (a.t) {
    case "place": {
      const acc = c.accounts[a.a];
      const from = caller(s, acc, a.via);
      const word = orderWord(a.m, acc.sub, a.o, now);
      const direct = a.via === 0 && !a.self;
      const call = direct ? onMarket(c, a.m, "placeOrder", [word]) : onMarket(c, a.m, "placeOrderFor", [acc.owner, word]);
      const limit = (word >> 48n) & M.M24;
      return exec(s, {
        from,
        ...call,
        label: `${direct ? "placeOrder" : "placeOrderFor"} m${a.m} ${acc.owner.slice(0, 6)}/${acc.sub} by ${from.slice(0, 6)} ${JSON.stringify(a.o)}`,
        sim: (w) => M.placeOrder(w, w.markets[a.m], from, acc.owner, word, !direct),
        priority: { mi: a.m, side: BigInt(a.o.side), limit },
      });
    }
    case "take": {
      // an aggressive order through the whole band: sweeps several levels
      const acc = c.accounts[a.a];
      const o = spec({ side: a.side, lots: a.lots, aggressive: true, kind: a.kind, stp: a.stp, maxFills: a.maxFills });
      const word = orderWord(a.m, acc.sub, o, now);
      return exec(s, {
        from: acc.owner,
        ...onMarket(c, a.m, "placeOrder", [word]),
        label: `take (placeOrder) m${a.m} ${acc.owner.slice(0, 6)}/${acc.sub} ${JSON.stringify(o)}`,
        sim: (w) => M.placeOrder(w, w.markets[a.m], acc.owner, acc.owner, word, false),
        priority: { mi: a.m, side: BigInt(a.side), limit: (word >> 48n) & M.M24 },
      });
    }
    case "flood": {
      // many small passive orders in one batch: pushes accounts toward the open-order cap
      const acc = c.accounts[a.a];
      const words = a.lots.map((lots, i) =>
        orderWord(a.m, acc.sub, spec({ side: i & 1, lots, off: (i & 1 ? 1 : -1) * (2 + (lots % 4)), kind: 1, cid: 10 + i }), now),
      );
      return exec(s, {
        from: acc.owner,
        ...onMarket(c, a.m, "batch", [acc.owner, acc.sub, words]),
        label: `flood batch m${a.m} ${acc.owner.slice(0, 6)}/${acc.sub} ${words.length} post-only orders`,
        sim: (w) => M.batch(w, w.markets[a.m], acc.owner, acc.owner, acc.sub, words),
      });
    }
    case "batch": {
      const acc = c.accounts[a.a];
      const from = caller(s, acc, a.via);
      // build op words one by one from the state each op will meet (ids placed earlier in
      // the batch are predicted by the model, so later ops may cancel or amend them)
      const words: bigint[] = [];
      for (const op of a.ops) {
        const scratch = structuredClone(s.w);
        scratch.now = now;
        try {
          M.batch(scratch, scratch.markets[a.m], from, acc.owner, acc.sub, words);
        } catch (e) {
          if (!(e instanceof M.Revert)) throw e;
        }
        const own = ownOrders(scratch, a.m, acc.acct);
        if (op.k === "place") words.push(orderWord(a.m, acc.sub, op.o, now));
        else if (op.k === "cid") {
          const cid = pickCid(scratch, a.m, acc.acct, op.pick, op.live);
          if (!op.live || M.findOrder(scratch.markets[a.m], scratch.markets[a.m].clientIds.get(acc.acct)?.get(cid) ?? 0n)) {
            words.push(cancelClientIdOp(cid));
          }
        }
        else if (op.k === "cancel") {
          if (own.length && !op.stale) words.push(cancelOp(own[op.pick % own.length].id));
          else if (op.stale) words.push(cancelOp(staleId(s, a.m, op.pick)));
        } else if (own.length) {
          const o = own[op.pick % own.length];
          words.push(amendOp(o.id, shrinkTo(o.slot.lots, op.permille)));
        }
      }
      if (words.length === 0) return;
      const owner = a.via === 0 && a.a % 2 === 0 ? ZERO : acc.owner; // owner 0 means the caller
      return exec(s, {
        from,
        ...onMarket(c, a.m, "batch", [owner, acc.sub, words]),
        label: `batch m${a.m} ${acc.owner.slice(0, 6)}/${acc.sub} by ${from.slice(0, 6)} ${JSON.stringify(a.ops)}`,
        sim: (w) => M.batch(w, w.markets[a.m], from, owner, acc.sub, words),
      });
    }
    case "cancel": {
      const acc = c.accounts[a.a];
      const from = caller(s, acc, a.via);
      const id = pickOrder(s, a.m, acc.acct, a.pick, a.stale);
      return exec(s, {
        from,
        ...onMarket(c, a.m, "cancelOrder", [id]),
        label: `cancelOrder m${a.m} ${id} by ${from.slice(0, 6)}`,
        sim: (w) => M.cancelOrder(w, w.markets[a.m], from, id),
      });
    }
    case "cancelCid": {
      const acc = c.accounts[a.a];
      const from = caller(s, acc, a.via);
      const cid = pickCid(s.w, a.m, acc.acct, a.pick, a.live);
      return exec(s, {
        from,
        ...onMarket(c, a.m, "cancelOrderByClientId", [acc.owner, acc.sub, cid]),
        label: `cancelOrderByClientId m${a.m} ${acc.owner.slice(0, 6)}/${acc.sub} cid ${cid} by ${from.slice(0, 6)}`,
        sim: (w) => M.cancelOrderByClientId(w, w.markets[a.m], from, acc.owner, acc.sub, cid),
      });
    }
    case "amend": {
      const acc = c.accounts[a.a];
      const from = caller(s, acc, a.via);
      const id = pickOrder(s, a.m, acc.acct, a.pick, false);
      const lots = M.findOrder(s.w.markets[a.m], id)?.slot.lots ?? 1n;
      const newLots = shrinkTo(lots, a.permille);
      return exec(s, {
        from,
        ...onMarket(c, a.m, "amendOrder", [id, newLots]),
        label: `amendOrder m${a.m} ${id} ${lots}->${newLots} by ${from.slice(0, 6)}`,
        sim: (w) => M.amendOrder(w, w.markets[a.m], from, id, newLots),
      });
    }
    case "cancelAll": {
      const acc = c.accounts[a.a];
      const from = caller(s, acc, a.via);
      const ids = ownOrders(s.w, a.m, acc.acct).map((o) => o.id);
      if (a.drop && ids.length) ids.pop();
      return exec(s, {
        from,
        ...onMarket(c, a.m, "cancelAll", [acc.owner, acc.sub, ids]),
        label: `cancelAll m${a.m} ${acc.owner.slice(0, 6)}/${acc.sub} ${ids.length} ids by ${from.slice(0, 6)}`,
        sim: (w) => M.cancelAll(w, w.markets[a.m], from, acc.owner, acc.sub, ids),
      });
    }
    case "deposit": {
      const acc = c.accounts[a.a];
      const token = c.tokens[a.token];
      const amount = BigInt(a.units) * [10n ** 15n, 10n ** 4n, 10n ** 6n][a.token];
      return exec(s, {
        from: acc.owner,
        to: c.chAddr,
        data: chIface.encodeFunctionData("deposit", [token, acc.sub, amount]),
        label: `deposit ${acc.owner.slice(0, 6)}/${acc.sub} ${amount} of token ${a.token}`,
        sim: (w) => M.deposit(w, acc.owner, acc.sub, token, amount),
      });
    }
    case "withdraw": {
      const acc = c.accounts[a.a];
      const token = c.tokens[a.token];
      // an agent withdrawing can only reach its own (empty) account, never the one it trades for
      const from = a.agent ? c.agent : acc.owner;
      const bal = M.balanceOf(s.w, acc.acct, token);
      const amount = a.agent ? bal / 2n + 1n : (bal * BigInt(a.permille)) / 1000n;
      return exec(s, {
        from,
        to: c.chAddr,
        data: chIface.encodeFunctionData("withdraw", [token, acc.sub, amount, from]),
        label: `withdraw by ${from.slice(0, 6)} sub ${acc.sub} ${amount} of token ${a.token}`,
        sim: (w) => M.withdraw(w, from, acc.sub, token, amount),
      });
    }
    case "transfer": {
      const owner = c.owners[a.owner];
      const token = c.tokens[a.token];
      const [fromSub, toSub] = a.up ? [0n, 1n] : [1n, 0n];
      const amount = (M.balanceOf(s.w, M.accountOf(owner, fromSub), token) * BigInt(a.permille)) / 1000n;
      return exec(s, {
        from: owner,
        to: c.chAddr,
        data: chIface.encodeFunctionData("transfer", [token, fromSub, toSub, amount]),
        label: `transfer ${owner.slice(0, 6)} ${fromSub}->${toSub} ${amount} of token ${a.token}`,
        sim: (w) => M.transfer(w, owner, fromSub, toSub, token, amount),
      });
    }
    case "sweep": {
      const acc = c.accounts[a.a];
      const from = anyCaller(s, a.caller);
      return exec(s, {
        from,
        ...onMarket(c, a.m, "sweep", [acc.owner, acc.sub]),
        label: `sweep m${a.m} ${acc.owner.slice(0, 6)}/${acc.sub} by ${from.slice(0, 6)}`,
        sim: (w) => M.sweep(w, w.markets[a.m], acc.owner, acc.sub),
      });
    }
    case "purge": {
      const m = s.w.markets[a.m];
      const live = M.liveOrders(m);
      const ids = live.filter((o) => o.slot.expiry !== 0n && o.slot.expiry <= now).slice(0, a.n).map((o) => o.id);
      const fresh = live.filter((o) => o.slot.expiry === 0n || o.slot.expiry > now);
      if ((a.addLive || ids.length === 0) && fresh.length) ids.push(fresh[a.n % fresh.length].id);
      if (ids.length === 0) ids.push(staleId(s, a.m, a.n));
      const from = anyCaller(s, a.caller);
      return exec(s, {
        from,
        ...onMarket(c, a.m, "purgeExpired", [ids]),
        label: `purgeExpired m${a.m} ${ids.join(",")}`,
        sim: (w) => M.purgeExpired(w, w.markets[a.m], ids),
      });
    }
    case "warp": {
      await c.networkHelpers.time.increase(a.secs);
      const latest = BigInt(await c.networkHelpers.time.latest());
      s.time = latest > s.time ? latest : s.time;
      s.w.now = s.time;
      s.trace.push(`t=${s.time} warp ${a.secs}s`);
      return;
    }
    case "collect":
      return exec(s, {
        from: c.stranger,
        ...onMarket(c, a.m, "collectFees"),
        label: `collectFees m${a.m}`,
        sim: (w) => M.collectFees(w, w.markets[a.m]),
      });
    case "reserve": {
      const usdc = c.tokenAddr.USDC;
      const amount = ((s.w.reserve.get(usdc) ?? 0n) * BigInt(a.permille)) / 1000n;
      return exec(s, {
        from: c.admin,
        to: c.chAddr,
        data: chIface.encodeFunctionData("withdrawReserve", [usdc, amount]),
        label: `withdrawReserve ${amount}`,
        sim: (w) => M.withdrawReserve(w, usdc, amount),
      });
    }
    case "fees":
      return exec(s, {
        from: c.admin,
        to: c.chAddr,
        data: chIface.encodeFunctionData("setMarketFees", [a.m + 1, a.maker, a.taker]),
        label: `setMarketFees m${a.m} ${a.maker}/${a.taker}`,
        markets: [a.m],
        sim: (w) => M.setMarketFees(w, w.markets[a.m], BigInt(a.maker), BigInt(a.taker)),
      });
    case "pause":
      return pauseEpisode(s, a, now);
  }
}

/** Pause stops placing and taking, never cancels, sweeps or withdrawals: checked tx by tx. */
async function pauseEpisode(s: RunState, a: Extract<Action, { t: "pause" }>, now: bigint) {
  const c = s.c;
  const setPaused = (paused: boolean): Tx => ({
    from: c.admin,
    to: c.chAddr,
    data: a.all
      ? chIface.encodeFunctionData("setAllPaused", [paused])
      : chIface.encodeFunctionData("setMarketPaused", [a.m + 1, paused]),
    label: `${a.all ? "setAllPaused" : `setMarketPaused m${a.m}`} ${paused}`,
    markets: a.all ? c.marketIds.map((_, i) => i) : [a.m],
    sim: (w) => {
      for (const [i, m] of w.markets.entries()) if (a.all || i === a.m) M.setPaused(w, m, paused);
    },
  });
  await exec(s, setPaused(true));
  const acc = c.accounts[a.a];
  const word = orderWord(a.m, acc.sub, a.o, now + 1n);
  await exec(s, {
    from: acc.owner,
    ...onMarket(c, a.m, "placeOrder", [word]),
    label: `placeOrder while paused m${a.m} ${JSON.stringify(a.o)}`,
    sim: (w) => M.placeOrder(w, w.markets[a.m], acc.owner, acc.owner, word, false),
  });
  const live = M.liveOrders(s.w.markets[a.m]);
  if (live.length) {
    const o = live[a.pick % live.length];
    const owner = M.ownerOf(o.slot.acct);
    await exec(s, {
      from: owner,
      ...onMarket(c, a.m, "cancelOrder", [o.id]),
      label: `cancelOrder while paused m${a.m} ${o.id}`,
      sim: (w) => M.cancelOrder(w, w.markets[a.m], owner, o.id),
    });
  }
  await exec(s, {
    from: acc.owner,
    ...onMarket(c, a.m, "sweep", [acc.owner, acc.sub]),
    label: `sweep while paused m${a.m}`,
    sim: (w) => M.sweep(w, w.markets[a.m], acc.owner, acc.sub),
  });
  const usdc = c.tokenAddr.USDC;
  const amount = M.balanceOf(s.w, acc.acct, usdc) / 10n;
  await exec(s, {
    from: acc.owner,
    to: c.chAddr,
    data: chIface.encodeFunctionData("withdraw", [usdc, acc.sub, amount, acc.owner]),
    label: `withdraw while paused ${amount}`,
    sim: (w) => M.withdraw(w, acc.owner, acc.sub, usdc, amount),
  });
  await exec(s, setPaused(false));
}

/** A ladder on both markets (each sub-account 0 quotes two bids and two asks), so runs start
 * with a book to trade against instead of spending their first steps filling one. */
export async function warmUp(s: RunState) {
  for (let m = 0; m < MARKETS.length; m++) {
    for (let a = 0; a < 4; a++) {
      for (const [side, off] of [
        [0, -1 - a],
        [0, -3 - a],
        [1, 1 + a],
        [1, 3 + a],
      ]) {
        await runAction(s, { t: "place", a, via: 0, self: false, m, o: spec({ side, off, lots: 4 + 3 * a }) });
      }
    }
  }
}

