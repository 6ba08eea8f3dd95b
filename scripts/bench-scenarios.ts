// The bench scenarios. Each starts from the clean warmed-up book of bench-world.ts (backstop
// quotes at 299885 / 300130, background bids at 299890, every pocket swept), measures one
// transaction (or two, for marginal figures) and cancels whatever it left, so scenarios do not
// depend on one another's order.
import type { Signer } from "ethers";
import { Side, cancelOp, encodeOrder, placeOp } from "../sdk/src/math/order.ts";
import { measure, marginal, perUnit, type Figures } from "./bench-measure.ts";
import {
  type World,
  ask,
  bid,
  buyIoc,
  sellIoc,
  done,
  rest,
  placedIds,
  sweepAll,
  assertClean,
  TICK_SIZE,
} from "./bench-world.ts";

/**
 * The bar for each key (whole-transaction gas): issue #14's where it sets one (existing-level
 * placement, one-maker take, cancel), issue #2's or #13's otherwise; keys without a target are
 * informative.
 */
export const TARGETS: Record<string, number> = {
  "spot.place.existingLevel": 55_000,
  "spot.place.newLevel": 75_000,
  "spot.place.freshTick": 90_000,
  "spot.cancel": 40_500,
  "spot.take.1maker": 70_000,
  "spot.take.perExtraMaker": 15_000,
  "spot.take.perExtraLevel": 22_000,
  "spot.batchPlace10.perOrder": 35_000,
  "spot.place.afterWarmup": 60_000,
  "spot.place.tombstonedLevel": 70_000,
  "spot.take.after64expired": 250_000,
};
/** Keys whose transaction must create no storage slot. */
export const ZERO_NEW_SLOTS = new Set(["spot.place.afterWarmup", "spot.place.clientId"]);

type Result = Record<string, Figures>;

const LOTS = 10n;

async function cancelAllOf(w: World, who: Signer, ids: bigint[]): Promise<void> {
  for (const id of ids) await done(w.market.connect(who).cancelOrder(id));
}

async function start(w: World): Promise<void> {
  await assertClean(w);
  await sweepAll(w);
}

/** A tick that held orders and is empty again: level word and first queue slots non-zero. */
async function assertUsedAndEmpty(w: World, side: Side, tick: bigint): Promise<void> {
  const [total, , , epoch] = await w.market.levelOf(side, tick);
  if (total !== 0n || epoch === 0n) throw new Error(`tick ${tick} is not a used, empty level`);
}

// ---------------------------------------------------------------- placing

/** Joins a level that holds one order (another account's); the queue slot was used before. */
async function placeExistingLevel(w: World): Promise<Result> {
  await start(w);
  const [a, b] = w.others;
  const first = await rest(w, a, ask(300_030n, LOTS));
  const tx = await w.market.connect(b).placeOrder(ask(300_030n, LOTS));
  const fig = await measure(w.provider, tx, "spot.place.existingLevel");
  await cancelAllOf(w, a, [first]);
  await cancelAllOf(w, b, placedIds(w, (await tx.wait())!));
  return { "spot.place.existingLevel": fig };
}

/** Entries of an account's client-id ring per market (`CLIENT_RING` in contracts/types/ClientSlot.sol). */
const CLIENT_RING = 64n;

/**
 * spot.place.existingLevel with a client id the account never used, in steady state: the account
 * has placed (and cancelled) orders with client ids 1..64 elsewhere, so every entry of its
 * client-id ring is written and the fresh id 65 rewrites entry 1. No new slot.
 */
async function placeClientId(w: World): Promise<Result> {
  await start(w);
  const [a, b] = w.others;
  for (let cid = 1n; cid <= CLIENT_RING; cid++) {
    await rest(w, b, encodeOrder({ side: Side.Ask, tick: 300_031n, lots: 1n, clientOrderId: cid }));
    await done(w.market.connect(b).cancelOrderByClientId(await b.getAddress(), 0, cid));
  }
  await sweepAll(w);
  const first = await rest(w, a, ask(300_030n, LOTS));
  const word = encodeOrder({ side: Side.Ask, tick: 300_030n, lots: LOTS, clientOrderId: CLIENT_RING + 1n });
  const tx = await w.market.connect(b).placeOrder(word);
  const fig = await measure(w.provider, tx, "spot.place.clientId");
  await cancelAllOf(w, a, [first]);
  await cancelAllOf(w, b, placedIds(w, (await tx.wait())!));
  return { "spot.place.clientId": fig };
}

/**
 * A level at a tick used before and now empty. The main figure places inside the spread, so
 * the order also becomes the best ask (the market word changes): the dearer case.
 */
async function placeNewLevel(w: World): Promise<Result> {
  const out: Result = {};
  await start(w);
  const [a, b] = w.others;
  await assertUsedAndEmpty(w, Side.Ask, 300_035n);
  let tx = await w.market.connect(a).placeOrder(ask(300_035n, LOTS));
  out["spot.place.newLevel"] = await measure(w.provider, tx, "spot.place.newLevel");
  await cancelAllOf(w, a, placedIds(w, (await tx.wait())!));

  await start(w);
  const best = await rest(w, b, ask(300_030n, LOTS));
  tx = await w.market.connect(a).placeOrder(ask(300_035n, LOTS));
  out["spot.place.newLevel.behindBest"] = await measure(w.provider, tx, "spot.place.newLevel.behindBest");
  await cancelAllOf(w, a, placedIds(w, (await tx.wait())!));
  await cancelAllOf(w, b, [best]);
  return out;
}

async function assertNeverUsed(w: World, side: Side, tick: bigint): Promise<void> {
  const [, , tail, epoch] = await w.market.levelOf(side, tick);
  if (epoch !== 0n || tail !== 0n) throw new Error(`tick ${tick} was used`);
}

/**
 * A tick never used: its level word and first queue slot are fresh. The main figure is the
 * dearer case (it becomes the best ask, funded from the Clearinghouse balance); the variants
 * sit behind the best ask, or are funded by the pocket's proceeds of an earlier buy.
 */
async function placeFreshTick(w: World): Promise<Result> {
  const out: Result = {};
  const a = w.others[0];
  const b = w.others[1];
  await start(w);
  await assertNeverUsed(w, Side.Ask, 300_100n);
  let tx = await w.market.connect(a).placeOrder(ask(300_100n, LOTS));
  out["spot.place.freshTick"] = await measure(w.provider, tx, "spot.place.freshTick");
  await cancelAllOf(w, a, placedIds(w, (await tx.wait())!));

  await start(w);
  await assertNeverUsed(w, Side.Ask, 300_101n);
  const best = await rest(w, b, ask(300_030n, LOTS));
  tx = await w.market.connect(a).placeOrder(ask(300_101n, LOTS));
  out["spot.place.freshTick.behindBest"] = await measure(w.provider, tx, "spot.place.freshTick.behindBest");
  await cancelAllOf(w, a, placedIds(w, (await tx.wait())!));
  await cancelAllOf(w, b, [best]);

  // a bought 10 lots as taker; the unswept base in its pocket funds the ask
  await start(w);
  await assertNeverUsed(w, Side.Ask, 300_102n);
  await rest(w, b, ask(300_030n, LOTS));
  await done(w.market.connect(a).placeOrder(buyIoc(300_030n, LOTS)));
  tx = await w.market.connect(a).placeOrder(ask(300_102n, LOTS));
  out["spot.place.freshTick.fromPocket"] = await measure(w.provider, tx, "spot.place.freshTick.fromPocket");
  await cancelAllOf(w, a, placedIds(w, (await tx.wait())!));
  return out;
}

/**
 * A level whose queue has wrapped around the 256-slot ring: it never emptied while 261 orders
 * passed through it, so the new order's slot holds an order of the previous lap. No new slot.
 */
async function placeAfterWarmup(w: World): Promise<Result> {
  await start(w);
  const tick = 300_040n;
  const pool = [...w.makers, ...w.others.slice(0, 4)];
  const ids: bigint[] = [await rest(w, pool[0], ask(tick, 1n))];
  for (let i = 1; i <= 260; i++) {
    ids.push(await rest(w, pool[i % pool.length], ask(tick, 1n)));
    await done(w.market.connect(w.anchor).placeOrder(buyIoc(tick, 1n)));
  }
  const [, head, tail] = await w.market.levelOf(Side.Ask, tick);
  if (tail <= 256n || tail - head !== 1n) throw new Error("ring did not wrap");
  await sweepAll(w);
  const a = w.others[4];
  const tx = await w.market.connect(a).placeOrder(ask(tick, LOTS));
  const fig = await measure(w.provider, tx, "spot.place.afterWarmup");
  await cancelAllOf(w, a, placedIds(w, (await tx.wait())!));
  await cancelAllOf(w, pool[260 % pool.length], [ids[260]]);
  return { "spot.place.afterWarmup": fig };
}

/**
 * A bid funded entirely by the pocket's unswept proceeds of an earlier maker fill, so no
 * Clearinghouse call. It opens a level at a used tick and becomes the best bid (compare
 * spot.place.newLevel, the same placement funded from the balance).
 */
async function placeFromPocket(w: World): Promise<Result> {
  await start(w);
  const a = w.others[5];
  await rest(w, a, ask(300_000n, LOTS));
  await done(w.market.connect(w.taker).placeOrder(buyIoc(300_000n, LOTS)));
  const [, , , unsweptQuote] = await w.market.pocketOf(await a.getAddress(), 0);
  const lots = 5n;
  const tick = 299_950n;
  const lockPerLot = tick + (tick * 2n + 9_999n) / 10_000n; // cost + the 2 bps maker fee bound, rounded up
  if (unsweptQuote < lots * lockPerLot * TICK_SIZE) throw new Error("pocket cannot cover the bid");
  const tx = await w.market.connect(a).placeOrder(bid(tick, lots));
  const fig = await measure(w.provider, tx, "spot.place.fromPocket");
  await cancelAllOf(w, a, placedIds(w, (await tx.wait())!));
  return { "spot.place.fromPocket": fig };
}

/** An account that traded, swept everything and has no order: its pocket slot is created again. */
async function placeEmptyPocket(w: World): Promise<Result> {
  await start(w);
  const [, , , , count] = await w.market.pocketOf(await w.idle.getAddress(), 0);
  if (count !== 0n) throw new Error("idle account has orders");
  const tx = await w.market.connect(w.idle).placeOrder(ask(300_035n, LOTS));
  const fig = await measure(w.provider, tx, "spot.place.emptyPocket");
  await cancelAllOf(w, w.idle, placedIds(w, (await tx.wait())!));
  return { "spot.place.emptyPocket": fig };
}

/** Ten asks on ten used, empty ticks (a quote ladder) in one `batch`, one Clearinghouse debit. */
async function batchPlace10(w: World): Promise<Result> {
  await start(w);
  const a = w.others[3];
  const ops: bigint[] = [];
  for (let t = 300_001n; t <= 300_010n; t++) {
    await assertUsedAndEmpty(w, Side.Ask, t);
    ops.push(placeOp({ side: Side.Ask, tick: t, lots: LOTS }));
  }
  const tx = await w.market.connect(a).batch(await a.getAddress(), 0, ops);
  const whole = await measure(w.provider, tx, "spot.batchPlace10");
  const ids = placedIds(w, (await tx.wait())!);
  if (ids.length !== 10) throw new Error("batch did not rest 10 orders");
  await done(w.market.connect(a).batch(await a.getAddress(), 0, ids.map((id) => cancelOp(id))));
  return { "spot.batchPlace10.perOrder": perUnit(whole, 10) };
}

// ---------------------------------------------------------------- cancelling

/** Cancels the middle order of three (distinct accounts); the level stays non-empty. */
async function cancelMiddle(w: World): Promise<Result> {
  await start(w);
  const [a, b, c] = w.others;
  const ia = await rest(w, a, ask(300_020n, LOTS));
  const ib = await rest(w, b, ask(300_020n, LOTS));
  const ic = await rest(w, c, ask(300_020n, LOTS));
  const fig = await measure(w.provider, await w.market.connect(b).cancelOrder(ib), "spot.cancel");
  await cancelAllOf(w, a, [ia]);
  await cancelAllOf(w, c, [ic]);
  return { "spot.cancel": fig };
}

/** Cancels the only order of the best ask level: the level empties and the best price moves. */
async function cancelLast(w: World): Promise<Result> {
  await start(w);
  const a = w.others[0];
  const id = await rest(w, a, ask(300_025n, LOTS));
  return {
    "spot.cancel.lastInLevel": await measure(
      w.provider,
      await w.market.connect(a).cancelOrder(id),
      "spot.cancel.lastInLevel",
    ),
  };
}

/** Moves a quote: cancel one ask and place another in one `batch`. */
async function cancelReplace(w: World): Promise<Result> {
  await start(w);
  const a = w.others[0];
  const id = await rest(w, a, ask(300_030n, LOTS));
  await sweepAll(w);
  const ops = [cancelOp(id), placeOp({ side: Side.Ask, tick: 300_035n, lots: LOTS })];
  const tx = await w.market.connect(a).batch(await a.getAddress(), 0, ops);
  const fig = await measure(w.provider, tx, "spot.cancelReplace");
  await cancelAllOf(w, a, placedIds(w, (await tx.wait())!));
  return { "spot.cancelReplace": fig };
}

/**
 * A quoting loop's batch after a taker filled its old quote: a skip-if-missing cancel of the
 * filled order (skipped, no revert) plus the new quote at the same price.
 */
async function skipStaleCancel(w: World): Promise<Result> {
  await start(w);
  const a = w.others[0];
  const id = await rest(w, a, ask(300_030n, LOTS));
  await done(w.market.connect(w.taker).placeOrder(buyIoc(300_030n, LOTS)));
  await sweepAll(w);
  const ops = [cancelOp(id, { skipMissing: true }), placeOp({ side: Side.Ask, tick: 300_030n, lots: LOTS })];
  const tx = await w.market.connect(a).batch(await a.getAddress(), 0, ops);
  const fig = await measure(w.provider, tx, "spot.batch.skipStaleCancel");
  const ids = placedIds(w, (await tx.wait())!);
  if (ids.length !== 1) throw new Error("skipStaleCancel: the new quote did not rest");
  await cancelAllOf(w, a, ids);
  return { "spot.batch.skipStaleCancel": fig };
}

// ---------------------------------------------------------------- taking

/**
 * A taker buys (IOC) exactly what the makers offer: every maker filled completely, the last
 * level emptied, the best ask moving on to the backstop in the same bitmap word.
 */
async function takeAsks(w: World, ticks: bigint[], label: string): Promise<Figures> {
  await start(w);
  for (let i = 0; i < ticks.length; i++) await rest(w, w.makers[i], ask(ticks[i], LOTS));
  const limit = ticks.reduce((m, t) => (t > m ? t : m));
  const tx = await w.market.connect(w.taker).placeOrder(buyIoc(limit, LOTS * BigInt(ticks.length)));
  return measure(w.provider, tx, label);
}

async function takes(w: World): Promise<Result> {
  const one = await takeAsks(w, [300_000n], "spot.take.1maker");
  const makers10 = await takeAsks(
    w,
    Array.from({ length: 10 }, () => 300_000n),
    "spot.take.10makers",
  );
  const levels10 = await takeAsks(
    w,
    Array.from({ length: 10 }, (_, i) => 300_000n + BigInt(i)),
    "spot.take.10levels",
  );
  return {
    "spot.take.1maker": one,
    "spot.take.10makers": makers10,
    "spot.take.10levels": levels10,
    // (10 − 1) / 9, each field rounded up
    "spot.take.perExtraMaker": marginal(makers10, one, 9),
    "spot.take.perExtraLevel": marginal(levels10, one, 9),
  };
}

/** One maker filled in part (4 of 10 lots): its slot is rewritten, the level stays. */
async function takePartial(w: World): Promise<Result> {
  await start(w);
  const m = w.makers[0];
  const id = await rest(w, m, ask(300_000n, LOTS));
  const tx = await w.market.connect(w.taker).placeOrder(buyIoc(300_000n, 4n));
  const fig = await measure(w.provider, tx, "spot.take.1maker.partial");
  await cancelAllOf(w, m, [id]);
  return { "spot.take.1maker.partial": fig };
}

/** One maker filled completely at the head of a level that keeps a second order. */
async function takeLevelStays(w: World): Promise<Result> {
  await start(w);
  await rest(w, w.makers[0], ask(300_000n, LOTS));
  const second = await rest(w, w.makers[1], ask(300_000n, LOTS));
  const tx = await w.market.connect(w.taker).placeOrder(buyIoc(300_000n, LOTS));
  const fig = await measure(w.provider, tx, "spot.take.1maker.levelStays");
  await cancelAllOf(w, w.makers[1], [second]);
  return { "spot.take.1maker.levelStays": fig };
}

/** The sell side: a taker sells into one maker bid, which is filled completely. */
async function takeSell(w: World): Promise<Result> {
  await start(w);
  await rest(w, w.makers[0], bid(299_950n, LOTS));
  const tx = await w.market.connect(w.taker).placeOrder(sellIoc(299_950n, LOTS));
  return { "spot.take.1maker.sell": await measure(w.provider, tx, "spot.take.1maker.sell") };
}

// ---------------------------------------------------------------- griefing (issue 13, item 7)

/** Runs `body` and rolls the chain back to before it (state and clock). */
async function isolated<T>(w: World, body: () => Promise<T>): Promise<T> {
  const id = await w.provider.request({ method: "evm_snapshot" });
  try {
    return await body();
  } finally {
    await w.provider.request({ method: "evm_revert", params: [id] });
  }
}

/**
 * A level whose 256-entry ring is spanned by two live one-lot asks (head and tail) with 254
 * cancelled entries between them; another account joins it. Before issue 13 this reverted
 * LevelFull; now the new order reuses a cancelled entry's slot (no new slot).
 */
async function placeTombstonedLevel(w: World): Promise<Result> {
  await start(w);
  const tick = 300_050n;
  const [a, b, c, d] = w.others;
  const index = await w.market.INDEX();
  return isolated(w, async () => {
    await rest(w, a, ask(tick, 1n));
    for (let n = 0; n < 254; n += 127) {
      const [, , tail, epoch] = await w.market.levelOf(Side.Ask, tick);
      const ops: bigint[] = [];
      for (let i = 0n; i < 127n; i++) {
        ops.push(placeOp({ side: Side.Ask, tick, lots: 1n }));
        ops.push(cancelOp((index << 96n) | (1n << 88n) | (tick << 64n) | (epoch << 32n) | (tail + i)));
      }
      await done(w.market.connect(b).batch(await b.getAddress(), 0, ops));
    }
    await rest(w, c, ask(tick, 1n));
    const [total, head, tail] = await w.market.levelOf(Side.Ask, tick);
    if (total !== 2n || tail - head !== 256n) throw new Error("ring not spanned by tombstones");
    await sweepAll(w);
    const tx = await w.market.connect(d).placeOrder(ask(tick, LOTS));
    return { "spot.place.tombstonedLevel": await measure(w.provider, tx, "spot.place.tombstonedLevel") };
  });
}

/**
 * 64 expired one-lot asks at the best price (64 accounts: 16 owners × 4 sub-accounts) and one
 * live ask behind them;
 * the next taker buys one lot. Before issue 13 it removed all 64 and stopped with no fill.
 */
async function takeAfter64Expired(w: World): Promise<Result> {
  await start(w);
  const tick = 300_060n;
  return isolated(w, async () => {
    const block = await w.ethers.provider.getBlock("latest");
    const expiry = BigInt(block!.timestamp) + 1_000n;
    const weth = await w.weth.getAddress();
    for (const s of [...w.makers, ...w.others]) {
      for (let sub = 0n; sub < 4n; sub++) {
        if (sub !== 0n) await done(w.ch.connect(s).transfer(weth, 0, sub, 10n ** 18n));
        await done(w.market.connect(s).placeOrder(encodeOrder({ side: Side.Ask, tick, lots: 1n, expiry, sub })));
      }
    }
    await rest(w, w.makers[0], ask(tick, LOTS));
    await w.provider.request({ method: "evm_increaseTime", params: [2_000] });
    await w.provider.request({ method: "evm_mine", params: [] });
    await sweepAll(w);
    const tx = await w.market.connect(w.taker).placeOrder(buyIoc(tick, 1n));
    return { "spot.take.after64expired": await measure(w.provider, tx, "spot.take.after64expired") };
  });
}

// ---------------------------------------------------------------- account

/** Deposit into and withdraw from a balance that already exists; sweep a maker's proceeds. */
async function account(w: World): Promise<Result> {
  await start(w);
  const a = w.others[0];
  const usdc = await w.usdc.getAddress();
  const amount = 1_000n * 10n ** 6n;
  const dep = await measure(w.provider, await w.ch.connect(a).deposit(usdc, 0, amount), "deposit");
  const wd = await measure(
    w.provider,
    await w.ch.connect(a).withdraw(usdc, 0, amount, await a.getAddress()),
    "withdraw",
  );

  const m = w.makers[0];
  await rest(w, m, ask(300_000n, LOTS));
  await done(w.market.connect(w.taker).placeOrder(buyIoc(300_000n, LOTS)));
  const sw = await measure(w.provider, await w.market.sweep(await m.getAddress(), 0), "sweep");
  return { deposit: dep, withdraw: wd, sweep: sw };
}

/** Every scenario, in the order run. */
export const SCENARIOS: ((w: World) => Promise<Result>)[] = [
  placeExistingLevel,
  placeNewLevel,
  placeFreshTick,
  placeFromPocket,
  placeEmptyPocket,
  batchPlace10,
  cancelMiddle,
  cancelLast,
  cancelReplace,
  skipStaleCancel,
  takes,
  takePartial,
  takeLevelStays,
  takeSell,
  account,
  placeAfterWarmup,
  placeClientId,
];

/**
 * Run after every other scenario (spot, margin, perp): they move the clock and fill queues, so
 * no other figure depends on them even if a snapshot revert did not restore the clock.
 */
export const LATE_SCENARIOS: ((w: World) => Promise<Result>)[] = [placeTombstonedLevel, takeAfter64Expired];
