/**
 * Turns each random action of the perps suite into transactions: resolves amounts from the
 * chain at the action's own second, sends them through `exec` (P1, P3 and, for an owner's
 * transaction, S1 after each), and checks P2 after settling everyone, P4 around every hedge, P5
 * around every price move, P6 around every liquidation and the lens's withdrawal limit around
 * every withdrawal or transfer sized from it (docs/INVARIANTS.md, "Perps").
 */
import { encodeOrder } from "../../sdk/src/math/order.ts";
import type { Action } from "./perp.arbitraries.ts";
import type { Sizing } from "./margin.arbitraries.ts";
import { ASSETS, USDC, WETH, chIface, lensIface, oracleIface, tickOf, type Call, type Read } from "./margin.chain.ts";
import { PERPS, SPOT_ID, core } from "./perp.chain.ts";
import { fail as plainFail } from "./perp.checks.ts";
import { begin, exec, fail, observe, pushPrice, type RunState } from "./perp.runner.ts";

const BPS = 10_000n;
const WAD = 10n ** 18n;
const INITIAL_SCALE_BPS = 15_000n;
const FLAG_BORROW_WITHDRAWALS = 1n << 193n;
/** Perp parameters of both markets (scripts/lib/deploy-perp.ts defaults). */
const LIQUIDITY_BPS = 30n;
const BASIS_BPS = 115n; // the default basis charge (scripts/lib/deploy-perp.ts)
const FLOOR_BPS = 20n; // the deploy default: at most half the basis charge
/** Slack for the rounding of the ATLAS formulas (each divUp / floorDiv is one wei). */
const ROUNDING_WEI = 64n;

const MARGIN_ERRORS = ["InsufficientMargin", "InsufficientBalance", "InsufficientCash", "BorrowCapExceeded"];
const PERP_ERRORS = [...MARGIN_ERRORS, "PositionCap", "OpenInterestCap", "TooManyOpenOrders", "LevelFull"];
const LIQ_ERRORS = [
  "LiquidationTooLarge", "LiquidationDidNotImprove", "NotLiquidatable", "InvalidLiquidation", "NoPosition",
  "OrdersStillOpen", ...MARGIN_ERRORS,
];

const int = (r: Read): bigint => {
  if (!r.ok) plainFail(`view reverted: ${r.error}`);
  return BigInt.asIntN(256, r.words[0]);
};
const ch = (s: RunState, f: string, args: unknown[]): Call => ({ target: s.c.chAddr, data: chIface.encodeFunctionData(f, args) });
/** ATLAS's views are the core's. */
const atlas = (s: RunState, f: string, args: unknown[]): Call => core(s.c, f, args);
const lens = (s: RunState, f: string, args: unknown[]): Call => ({ target: s.c.lensAddr, data: lensIface.encodeFunctionData(f, args) });
const abs = (x: bigint) => (x < 0n ? -x : x);
const divUp = (a: bigint, b: bigint) => (a === 0n ? 0n : (a - 1n) / b + 1n);
const floorDiv = (a: bigint, b: bigint) => {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
};
const scaled = (bps: bigint) => divUp(bps * INITIAL_SCALE_BPS, BPS);
const usd = (atoms: bigint, price: bigint, i: number) => {
  const unit = 10n ** BigInt(ASSETS[i].decimals);
  return atoms >= 0n ? (atoms * price) / unit : -divUp(-atoms * price, unit);
};

export async function runAction(s: RunState, a: Action) {
  s.stats.actions++;
  s.stats.byAction[a.t] = (s.stats.byAction[a.t] ?? 0) + 1;
  s.action = a.t;
  s.actionReverted = false;
  const t0 = performance.now();
  if (a.t === "warp") {
    await begin(s, BigInt(a.secs));
    // every feed pushed again: admin feeds go stale after an hour
    for (let i = 0; i < ASSETS.length; i++) await pushPrice(s, i, clampPrice(i, (s.prices[i] * (BPS + BigInt(a.drift[i]) * (i === USDC ? 1n : 10n))) / BPS));
  } else {
    await begin(s);
    await dispatch(s, a);
  }
  s.stats.msByAction[a.t] = (s.stats.msByAction[a.t] ?? 0) + performance.now() - t0;
  if (!s.actionReverted) s.stats.okByAction[a.t] = (s.stats.okByAction[a.t] ?? 0) + 1;
}

/** Keeps prices inside the feeds' sanity bounds and where the books' ticks still fit. */
function clampPrice(i: number, p: bigint): bigint {
  const p0 = ASSETS[i].priceWad;
  const [lo, hi] = i === USDC ? [(p0 * 90n) / 100n, (p0 * 110n) / 100n] : [p0 / 5n, p0 * 4n];
  return p < lo ? lo : p > hi ? hi : p;
}

const center = (s: RunState, m: number) => PERPS[m].tickOf(s.prices[PERPS[m].asset]);
const stepOf = (t: bigint) => (t / 2000n > 0n ? t / 2000n : 1n); // 0.05%

async function dispatch(s: RunState, a: Exclude<Action, { t: "warp" }>) {
  const c = s.c;
  switch (a.t) {
    case "deposit":
      return deposit(s, a.a, a.token, BigInt(a.units) * ASSETS[a.token].unit);
    case "make": {
      const mid = center(s, a.m);
      const tick = a.side === 0 ? mid - BigInt(a.off) * stepOf(mid) : mid + BigInt(a.off) * stepOf(mid);
      await perpOrder(s, a.a, a.m, a.side, tick, BigInt(a.lots), 0n, false);
      return;
    }
    case "take": {
      const mid = center(s, a.m);
      const tick = a.side === 0 ? (mid * 102n) / 100n : (mid * 98n) / 100n;
      let lots = BigInt(a.lots);
      if (a.lever && !a.reduceOnly) {
        // a counterparty rests enough for it near the index, then the take uses the account's headroom
        const iv = (await s.c.read([atlas(s, "initialValue", [s.c.accounts[a.a].id])]))[0];
        if (!iv.ok || int(iv) <= 0n) return;
        const P = PERPS[a.m];
        const lotUsd = (s.prices[P.asset] * P.lotSize) / 10n ** BigInt(ASSETS[P.asset].decimals);
        lots = (int(iv) * BigInt(70 + (a.lots % 50))) / (lotUsd * 16n);
        if (lots === 0n) return;
        const cp = (a.a + 1 + (a.lots % 7)) % 8;
        await perpOrder(s, cp, a.m, 1 - a.side, a.side === 0 ? mid + stepOf(mid) : mid - stepOf(mid), lots, 0n, false);
      }
      await perpOrder(s, a.a, a.m, a.side, tick, lots, 2n, a.reduceOnly);
      return;
    }
    case "reduce": {
      const size = s.snap.perps[a.m].rows[a.a].size;
      if (size === 0n) return;
      const lots = divUp(abs(size) * BigInt(a.permille), 1000n);
      const side = size > 0n ? 1 : 0;
      const mid = center(s, a.m);
      const tick = a.rest ? (side === 0 ? mid - stepOf(mid) : mid + stepOf(mid)) : side === 0 ? (mid * 102n) / 100n : (mid * 98n) / 100n;
      await perpOrder(s, a.a, a.m, side, tick, lots, a.rest ? 0n : 2n, true);
      return;
    }
    case "cancel": {
      const acc = c.accounts[a.a];
      const id = c.perps[a.m];
      const ids = await openOrders(s, id, a.a);
      if (!ids.length) return;
      const data = a.all ? chIface.encodeFunctionData("cancelAll", [id, acc.owner, acc.sub, ids]) : chIface.encodeFunctionData("cancelOrder", [id, ids[a.pick % ids.length]]);
      await exec(s, { from: acc.owner, to: c.chAddr, data, label: `${PERPS[a.m].symbol} ${a.all ? "cancelAll" : "cancelOrder"} a${a.a}`, perp: a.m, actor: a.a, risk: "reduce" });
      return;
    }
    case "settle":
      await settle(s, a.m, a.a, a.by);
      return;
    case "settleAll":
      return settleAll(s);
    case "collect":
      await exec(s, { from: c.admin, to: c.chAddr, data: chIface.encodeFunctionData("collectFees", [c.perps[a.m]]), label: `${PERPS[a.m].symbol} collectFees`, perp: a.m });
      return;
    case "spotMake":
    case "spotTake": {
      const acc = c.accounts[a.a];
      const mid = tickOf(s.prices[WETH]);
      const take = a.t === "spotTake";
      const off = take ? 0n : BigInt(a.off);
      const tick = take ? (a.side === 0 ? (mid * 102n) / 100n : (mid * 98n) / 100n) : a.side === 0 ? mid - off * stepOf(mid) : mid + off * stepOf(mid);
      const data = chIface.encodeFunctionData("placeOrder", [SPOT_ID, encodeOrder({ side: BigInt(a.side) as 0n, tick, lots: BigInt(a.lots), kind: take ? 2n : 0n, sub: acc.sub } as never)]);
      await exec(s, { from: acc.owner, to: c.chAddr, data, label: `spot ${take ? "IOC" : "GTC"} a${a.a} ${a.side === 0 ? "bid" : "ask"} ${a.lots} @${tick}`, allow: [...PERP_ERRORS], actor: a.a, risk: "debit" });
      return;
    }
    case "borrow": {
      const acc = c.accounts[a.a];
      const amount = BigInt(a.units) * ASSETS[a.token].unit;
      await exec(s, {
        from: acc.owner,
        to: c.chAddr,
        data: chIface.encodeFunctionData("borrow", [c.tokens[a.token], acc.sub, amount, acc.owner]),
        label: `borrow a${a.a} ${amount} ${ASSETS[a.token].symbol}`,
        allow: MARGIN_ERRORS,
        actor: a.a,
        risk: "debit",
      });
      return;
    }
    case "repay": {
      const acc = c.accounts[a.a];
      const b = int((await c.read([ch(s, "balanceOf", [acc.id, c.tokens[a.token]])]))[0]);
      if (b >= 0n) return;
      const amount = divUp(-b * BigInt(a.permille), 1000n);
      await exec(s, { from: acc.owner, to: c.chAddr, data: chIface.encodeFunctionData("repay", [c.tokens[a.token], acc.owner, acc.sub, amount]), label: `repay a${a.a} ${amount} ${ASSETS[a.token].symbol}`, actor: a.a, risk: "reduce" });
      return;
    }
    case "withdraw":
      return withdraw(s, a.a, a.token, a.permille, a.how);
    case "transfer":
      return transfer(s, a.owner, a.token, a.up, a.permille, a.how);
    case "hedge":
      return hedge(s, a);
    case "price":
      return price(s, a);
    case "liquidate":
      return liquidate(s, a);
  }
}

async function deposit(s: RunState, a: number, i: number, amount: bigint) {
  const acc = s.c.accounts[a];
  await exec(s, { from: acc.owner, to: s.c.chAddr, data: chIface.encodeFunctionData("deposit", [s.c.tokens[i], acc.sub, amount]), label: `deposit a${a} ${amount} ${ASSETS[i].symbol}`, actor: a, risk: "reduce" });
}

// ------------------------------------------------------------------ exits (S1, the lens's limit)

const per = (x: bigint, permille: number) => (x * BigInt(permille)) / 1000n;
/** The accounts are four owners on sub-account 0, then the same four on sub-account 1. */
const indexOf = (owner: number, sub: number) => sub * 4 + owner;

/**
 * An amount of token i for account a to take out, as the margin suite sizes it: a permille of
 * the lens's exact maxWithdraw (its limit + 1 simulated at this second before anything moves),
 * of an estimate (the balance plus the initial value's headroom at the token's scaled shock and
 * slippage), or of the balance. Falls back to a unit when a view cannot price.
 */
async function sizeOut(s: RunState, a: number, i: number, permille: number, how: Sizing, mayBorrow: boolean, over: (amount: bigint) => string) {
  const c = s.c;
  const acc = c.accounts[a];
  const tok = c.tokens[i];
  const calls = [ch(s, "balanceOf", [acc.id, tok]), atlas(s, "initialValue", [acc.id])];
  if (how === "max") calls.push(lens(s, "maxWithdraw", [acc.id, tok, mayBorrow]));
  const [bal, iv, max] = await s.c.read(calls);
  const b = int(bal) > 0n ? int(bal) : 0n;
  let amount: bigint;
  let exact: bigint | undefined;
  let sim: Read | undefined;
  if (how === "max" && max.ok) {
    exact = int(max);
    amount = per(exact, permille);
    sim = await c.simulate(acc.owner, c.chAddr, over(exact + 1n));
    s.stats.sims++;
  } else if (how === "balance" || !iv.ok) {
    amount = per(b > 0n ? b : ASSETS[i].unit, permille);
  } else {
    const x = ASSETS[i];
    const factorBps = BPS + ((x.shockBps + x.slippageBps) * 15n) / 10n + 30n;
    const headroom = int(iv) > 0n ? (int(iv) * 10n ** BigInt(x.decimals) * BPS) / (s.prices[i] * factorBps) : 0n;
    amount = per(b + headroom, permille);
  }
  return { amount: amount === 0n ? 1n : amount, exact, sim, balance: b };
}

/**
 * The error a debit of `amount` beyond the lens's limit must meet: within the balance only the
 * margin check can refuse it; past the balance, a debit that may not borrow fails for the balance,
 * one that may borrow for margin, the pool's cash or its cap.
 */
function overErrors(amount: bigint, balance: bigint, mayBorrow: boolean): string[] {
  if (amount <= balance) return ["InsufficientMargin"];
  return mayBorrow ? ["InsufficientMargin", "InsufficientCash", "BorrowCapExceeded"] : ["InsufficientBalance"];
}

/**
 * The lens's maxWithdraw is exact here too (M7 of the margin suite, with perps in the valuation):
 * taking out at most it passes, one atom more (simulated at the same second) fails, and so does
 * anything above it, each with the error `overErrors` names.
 */
function checkLimit(s: RunState, ok: boolean, error: string | undefined, amount: bigint, max: bigint, sim: Read, balance: bigint, mayBorrow: boolean, what: string) {
  s.stats.limitChecks++;
  if (amount <= max && !ok) fail(s, `${what} of ${amount} <= lens limit ${max} reverted ${error}`);
  const want = overErrors(max + 1n, balance, mayBorrow);
  if (sim.ok) fail(s, `${what} of limit + 1 = ${max + 1n} would pass: the lens limit ${max} is not the largest`);
  if (!want.includes(sim.error)) fail(s, `${what} of limit + 1 = ${max + 1n} reverts ${sim.error}, expected ${want.join(" or ")}`);
  if (amount > max && !(error !== undefined && overErrors(amount, balance, mayBorrow).includes(error)))
    fail(s, `${what} of ${amount} > lens limit ${max} ${ok ? "passed" : `reverted ${error}`}, expected ${overErrors(amount, balance, mayBorrow).join(" or ")}`);
}

async function withdraw(s: RunState, a: number, i: number, permille: number, how: Sizing) {
  const c = s.c;
  const acc = c.accounts[a];
  const [st] = await c.read([ch(s, "accountState", [acc.id])]);
  const mayBorrow = (int(st) & FLAG_BORROW_WITHDRAWALS) !== 0n;
  const data = (x: bigint) => chIface.encodeFunctionData("withdraw", [c.tokens[i], acc.sub, x, acc.owner]);
  const { amount, exact, sim, balance } = await sizeOut(s, a, i, permille, how, mayBorrow, data);
  const r = await exec(s, {
    from: acc.owner,
    to: c.chAddr,
    data: data(amount),
    label: `withdraw a${a} ${amount} ${ASSETS[i].symbol} (balance ${balance}${exact === undefined ? "" : `, maxWithdraw ${exact}`})`,
    allow: [...MARGIN_ERRORS, "PriceUnavailable"],
    actor: a,
    risk: "debit",
  });
  if (exact !== undefined) checkLimit(s, r.ok, r.error, amount, exact, sim!, balance, mayBorrow, `withdraw ${ASSETS[i].symbol} by a${a}`);
}

/** The owner moves funds between its sub-accounts 0 and 1 (never borrowing: `transfer` cannot). */
async function transfer(s: RunState, owner: number, i: number, up: boolean, permille: number, how: Sizing) {
  const c = s.c;
  const [fromSub, toSub] = up ? [0, 1] : [1, 0];
  const from = indexOf(owner, fromSub);
  const data = (x: bigint) => chIface.encodeFunctionData("transfer", [c.tokens[i], fromSub, toSub, x]);
  const { amount, exact, sim, balance } = await sizeOut(s, from, i, permille, how, false, data);
  const r = await exec(s, {
    from: c.owners[owner],
    to: c.chAddr,
    data: data(amount),
    label: `transfer owner${owner} ${amount} ${ASSETS[i].symbol} sub${fromSub}->sub${toSub} (balance ${balance}${exact === undefined ? "" : `, maxWithdraw ${exact}`})`,
    allow: [...MARGIN_ERRORS, "PriceUnavailable"],
    actor: from,
    risk: "debit",
  });
  if (exact !== undefined) checkLimit(s, r.ok, r.error, amount, exact, sim!, balance, false, `transfer ${ASSETS[i].symbol} from a${from}`);
}

async function openOrders(s: RunState, market: bigint, a: number): Promise<bigint[]> {
  const acc = s.c.accounts[a];
  const [r] = await s.c.read([core(s.c, "openOrders", [market, acc.owner, acc.sub, 0n, 0n])]);
  if (!r.ok) plainFail(`openOrders reverted ${r.error}`);
  const [ids, next] = chIface.decodeFunctionResult("openOrders", r.raw);
  if (next !== 0n) plainFail(`openOrders: more than one page`);
  return [...ids] as bigint[];
}

/** One perp order; a reduce-only one must never grow or flip the position (checked here). */
async function perpOrder(s: RunState, a: number, m: number, side: number, tick: bigint, lots: bigint, kind: bigint, reduceOnly: boolean) {
  const c = s.c;
  const acc = c.accounts[a];
  if (tick <= 0n || lots <= 0n) return;
  const before = s.snap.perps[m].rows[a].size;
  const word = encodeOrder({ side: BigInt(side) as 0n, tick, lots, kind: kind as 0n, sub: acc.sub, reduceOnly });
  const r = await exec(s, {
    from: acc.owner,
    to: c.chAddr,
    data: chIface.encodeFunctionData("placeOrder", [c.perps[m], word]),
    perp: m,
    label: `${PERPS[m].symbol} ${kind === 2n ? "IOC" : "GTC"}${reduceOnly ? " reduce-only" : ""} a${a} ${side === 0 ? "bid" : "ask"} ${lots} @${tick} (size ${before})`,
    allow: reduceOnly ? [...PERP_ERRORS, "ReduceOnlyViolated"] : PERP_ERRORS,
    actor: a,
    risk: reduceOnly ? "reduce" : "perp",
  });
  if (!reduceOnly || !r.ok) return r;
  s.stats.reduceOnly++;
  const after = s.snap.perps[m].rows[a].size;
  if (abs(after) > abs(before) || (after !== 0n && after > 0n !== before > 0n)) fail(s, `reduce-only order moved a${a}'s ${PERPS[m].symbol} position ${before} -> ${after}`);
  return r;
}

async function settle(s: RunState, m: number, a: number, by: number) {
  const acc = s.c.accounts[a];
  return exec(s, { from: s.c.owners[by], to: s.c.chAddr, data: chIface.encodeFunctionData("settlePerp", [s.c.perps[m], acc.owner, acc.sub]), label: `${PERPS[m].symbol} settle a${a}`, allow: MARGIN_ERRORS, perp: m });
}

/**
 * P2: with every account settled in one second, every settlement has used the same index, so
 * the exact amounts sum to zero (Σ sizes = 0 at every moment): Σ paid − Σ received is what the
 * rounding (payer up, receiver down) left, at least 0 and at most an atom per settlement.
 */
async function settleAll(s: RunState) {
  for (let m = 0; m < s.c.perps.length; m++) {
    for (let a = 0; a < s.c.accounts.length; a++) {
      const r = s.snap.perps[m].rows[a];
      if (r.size === 0n && r.cash === 0n) continue;
      const res = await settle(s, m, a, a % 4);
      if (!res.ok) return; // a settlement the pool cannot lend for: P2 waits for a later round
    }
  }
  s.snap.perps.forEach((mk, m) => {
    const sym = PERPS[m].symbol;
    for (const [a, r] of mk.rows.entries()) if (r.owed !== 0n) fail(s, `P2 ${sym}: a${a} still owes ${r.owed} after settling everyone`);
    const dust = mk.paid - mk.received;
    if (dust < 0n) fail(s, `P2 ${sym}: funding received ${mk.received} > paid ${mk.paid} after settling everyone`);
    if (dust > s.settlements[m]) fail(s, `P2 ${sym}: funding paid − received = ${dust} > ${s.settlements[m]} settlements (dust only)`);
    if (dust > s.stats.fundingDustMax) s.stats.fundingDustMax = dust;
  });
  s.stats.fundingChecks++;
}

// ------------------------------------------------------------------ P4 hedges

interface AssetRow {
  token: string;
  adjusted: bigint;
  price: bigint;
  perpAtoms: bigint;
}

function decodeAssets(r: Read): AssetRow[] {
  if (!r.ok) plainFail(`assetRisks reverted ${r.error}`);
  const [rows] = lensIface.decodeFunctionResult("assetRisks", r.raw);
  return (rows as unknown as { token: string; adjustedAtoms: bigint; priceWad: bigint; perpAtoms: bigint }[]).map((x) => ({
    token: x.token.toLowerCase(),
    adjusted: x.adjustedAtoms,
    price: x.priceWad,
    perpAtoms: x.perpAtoms,
  }));
}

/** The USDC entry's initial requirement (AtlasMath._requirement without perps): exact. */
function usdcRequirement(x: bigint, p: bigint, stable: bigint): bigint {
  const pc = x >= 0n ? (p < stable ? p : stable) : p > stable ? p : stable;
  const u = usd(x, pc, USDC);
  const h = scaled(ASSETS[USDC].shockBps);
  const slip = x >= 0n ? -scaled(ASSETS[USDC].slippageBps) : scaled(ASSETS[USDC].slippageBps);
  const up = floorDiv(u * (BPS + h + slip), BPS);
  const down = floorDiv(u * (BPS - h + slip), BPS);
  return u - (up < down ? up : down);
}

/**
 * P4: a spot leg and an opposite perp leg added to account a (deposit and perp short, or borrow
 * and perp long), with a counterparty resting the other side first. The portfolio requirement
 * may rise by at most what the hedge itself is charged: on the underlying, the hedged atoms q
 * × P × basis' (spot and perp are netted before the shocks, and the floor is at most half the
 * basis), plus liquidity' − slippage' where the hedge leaves a perp remainder where a spot one
 * was; for the unhedged rest e (a partial fill, debt interest) e × P × (shock' + max(slippage',
 * liquidity') + basis' + floor'); and on USDC exactly the change of its own requirement (the perp
 * leg's cash, fees). A perfect hedge above its bound fails the run.
 */
async function hedge(s: RunState, a: Extract<Action, { t: "hedge" }>) {
  const c = s.c;
  const P = PERPS[a.m];
  const u = P.asset;
  const acc = c.accounts[a.a];
  const lots = BigInt(a.lots);
  const q = lots * P.lotSize;
  // a counterparty rests the other side at the touch
  const cp = (a.a + 1 + (a.lots % 7)) % 8;
  const mid = center(s, a.m);
  const cpSide = a.short ? 0 : 1;
  await perpOrder(s, cp, a.m, cpSide, cpSide === 0 ? mid - stepOf(mid) : mid + stepOf(mid), lots, 0n, false);
  const reads = () => c.read([lens(s, "marginRequirements", [acc.id]), lens(s, "assetRisks", [acc.id]), { target: c.oracleAddr, data: oracleIface.encodeFunctionData("tryPrice", [c.tokens[USDC]]) }, { target: c.oracleAddr, data: oracleIface.encodeFunctionData("tryPrice", [c.tokens[u]]) }]);
  const r0 = await reads();
  if (!r0[0].ok) return;
  // the spot leg
  const leg = a.short
    ? await exec(s, { from: acc.owner, to: c.chAddr, data: chIface.encodeFunctionData("deposit", [c.tokens[u], acc.sub, q]), label: `hedge: deposit a${a.a} ${q} ${ASSETS[u].symbol}`, actor: a.a, risk: "reduce" })
    : await exec(s, { from: acc.owner, to: c.chAddr, data: chIface.encodeFunctionData("borrow", [c.tokens[u], acc.sub, q, acc.owner]), label: `hedge: borrow a${a.a} ${q} ${ASSETS[u].symbol}`, allow: MARGIN_ERRORS, actor: a.a, risk: "debit" });
  if (!leg.ok) return;
  const side = a.short ? 1 : 0;
  const perp = await perpOrder(s, a.a, a.m, side, side === 0 ? (mid * 102n) / 100n : (mid * 98n) / 100n, lots, 2n, false);
  if (!perp?.ok) return;
  const r1 = await reads();
  const rows0 = decodeAssets(r0[1]);
  const rows1 = decodeAssets(r1[1]);
  const find = (rows: AssetRow[], i: number) => rows.find((x) => x.token === c.tokens[i]) ?? { token: c.tokens[i], adjusted: 0n, price: s.prices[i], perpAtoms: 0n };
  const [u0, u1, q0, q1] = [find(rows0, u), find(rows1, u), find(rows0, USDC), find(rows1, USDC)];
  const dx = u1.adjusted - u0.adjusted;
  const dy = u1.perpAtoms - u0.perpAtoms;
  if (dx === 0n || dy === 0n || dx > 0n === dy > 0n) return;
  // the conservative price of the underlying follows the sign of its net exposure: keep it fixed
  const net0 = u0.adjusted + u0.perpAtoms;
  const net1 = u1.adjusted + u1.perpAtoms;
  if (net0 >= 0n !== net1 >= 0n) return;
  const [, pu, su] = [0, r0[3].ok ? r0[3].words[1] : 0n, r0[3].ok ? r0[3].words[2] : 0n];
  const pmax = pu > su ? pu : su;
  const [, pq, sq] = [0, r0[2].ok ? r0[2].words[1] : 0n, r0[2].ok ? r0[2].words[2] : 0n];
  const hedged = abs(dx) < abs(dy) ? abs(dx) : abs(dy);
  const rest = abs(dx + dy);
  const x = ASSETS[u];
  const hedgedUsd = usd(hedged, pmax, u) + 1n;
  const restUsd = usd(rest, pmax, u) + 1n;
  // per hedged unit: the basis charge (2 × floor ≤ basis). On an account already exposed to the
  // underlying the pair may also move the unhedged remainder from one leg to the other (a perp
  // short that closes a perp long while the spot leg adds the same exposure back): the difference
  // of the two closing costs, slippage and liquidity, then applies too.
  const flat = u0.adjusted === 0n && u0.perpAtoms === 0n;
  const gap = scaled(LIQUIDITY_BPS) > scaled(x.slippageBps) ? scaled(LIQUIDITY_BPS) - scaled(x.slippageBps) : scaled(x.slippageBps) - scaled(LIQUIDITY_BPS);
  const swap = flat ? 0n : gap;
  const perPair = scaled(BASIS_BPS) + swap;
  const slipOrLiq = scaled(x.slippageBps) > scaled(LIQUIDITY_BPS) ? scaled(x.slippageBps) : scaled(LIQUIDITY_BPS);
  const bound = divUp(hedgedUsd * perPair, BPS) + divUp(restUsd * (scaled(x.shockBps) + slipOrLiq + scaled(BASIS_BPS) + scaled(FLOOR_BPS)), BPS);
  const dUsdc = usdcRequirement(q1.adjusted, pq, sq) - usdcRequirement(q0.adjusted, pq, sq);
  const req0 = int(r0[0]);
  const req1 = int(r1[0]);
  const riseU = req1 - req0 - dUsdc;
  if (riseU > bound + ROUNDING_WEI)
    fail(s, `P4 hedge of ${hedged} ${x.symbol} atoms (rest ${rest}) on a${a.a} raised the requirement ${req0} -> ${req1}: ${riseU} on ${x.symbol} beyond USDC's ${dUsdc}, bound ${bound}`);
  s.stats.hedges++;
  if (rest === 0n) {
    const bps = (riseU * BPS) / hedgedUsd;
    if (bps > s.stats.hedgeRiseMaxBps) s.stats.hedgeRiseMaxBps = bps;
    if (flat && riseU > divUp(hedgedUsd * scaled(BASIS_BPS), BPS) + ROUNDING_WEI)
      fail(s, `P4 a perfect hedge on a flat a${a.a} raised the ${x.symbol} requirement by ${bps} bps of its notional, more than its basis charge`);
  }
}

// ------------------------------------------------------------------ P5 prices

/**
 * One underlying moves (small ±0.5–5%, big 10–35%), aimed against one of the largest perp
 * positions on it when `against`. P5: every account whose exposure to it is one-directional (spot and
 * perp legs of one sign, no open perp orders on its markets) and moved against does not gain
 * maintenance value. A hedged account may (its charges shrink with the price): reported.
 */
async function price(s: RunState, a: Extract<Action, { t: "price" }>) {
  const c = s.c;
  const u = PERPS[a.m].asset;
  const n = c.accounts.length;
  const pre = await c.read(c.accounts.flatMap((acc) => [atlas(s, "maintenanceValue", [acc.id]), lens(s, "assetRisks", [acc.id])]));
  const exposure: { x: bigint; y: bigint }[] = [];
  for (let k = 0; k < n; k++) {
    if (!pre[2 * k + 1].ok) {
      exposure.push({ x: 0n, y: 0n });
      continue;
    }
    const row = decodeAssets(pre[2 * k + 1]).find((r) => r.token === c.tokens[u]);
    exposure.push({ x: row?.adjusted ?? 0n, y: row?.perpAtoms ?? 0n });
  }
  let up = a.permille >= 500;
  if (a.against) {
    // one of the three largest perp positions on it: the move that makes perp accounts liquidatable
    const idx = [...Array(n).keys()].filter((k) => exposure[k].y !== 0n);
    if (idx.length) {
      const k = idx.sort((i, j) => (abs(exposure[j].y) > abs(exposure[i].y) ? 1 : -1))[a.pick % Math.min(3, idx.length)];
      up = exposure[k].y < 0n;
    }
  }
  const f = BigInt(a.permille % 500);
  const moveBps = a.big ? 1_000n + (f * 2_500n) / 500n : 50n + (f * 450n) / 500n;
  const p = s.prices[u];
  const next = clampPrice(u, up ? p + (p * moveBps) / BPS : p - (p * moveBps) / BPS);
  if (next === p) return;
  await pushPrice(s, u, next);
  const post = await c.read(c.accounts.map((acc) => atlas(s, "maintenanceValue", [acc.id])));
  const markets = PERPS.flatMap((P, m) => (P.asset === u ? [m] : []));
  for (let k = 0; k < n; k++) {
    const { x, y } = exposure[k];
    const net = x + y;
    if (net === 0n || !pre[2 * k].ok || !post[k].ok) continue;
    const adverse = up ? net < 0n : net > 0n;
    if (!adverse) continue;
    const before = int(pre[2 * k]);
    const after = int(post[k]);
    const hedgedAcct = x !== 0n && y !== 0n && x > 0n !== y > 0n;
    const orders = markets.some((m) => s.snap.perps[m].rows[k].bids + s.snap.perps[m].rows[k].asks !== 0n);
    if (hedgedAcct || orders) {
      if (after > before) observe(s, `maintenance rose under an adverse move (${hedgedAcct ? "hedged: charges shrink with the price" : "open perp orders"})`, `t=${s.time} a${k} ${ASSETS[u].symbol} x=${x} y=${y}: ${before} -> ${after}`);
      continue;
    }
    s.stats.adverseChecks++;
    if (after > before) fail(s, `P5 ${ASSETS[u].symbol} moved ${up ? "up" : "down"} ${moveBps} bps against a${k} (spot ${x}, perp ${y} atoms) yet its maintenance value rose ${before} -> ${after}`);
  }
}

// ------------------------------------------------------------------ P6 liquidations

async function liquidate(s: RunState, a: Extract<Action, { t: "liquidate" }>) {
  const c = s.c;
  const n = c.accounts.length;
  // accounts below maintenance with a position, on the market asked for first
  const under = [...Array(n).keys()].filter((k) => (s.snap.maint[k] ?? 0n) < 0n);
  const cands = under.flatMap((k) => [a.m, 1 - a.m].filter((m) => s.snap.perps[m].rows[k].size !== 0n).map((m) => ({ k, m })));
  if (!cands.length) return;
  const { k: t, m } = cands[a.pick % cands.length];
  const T = c.accounts[t];
  const P = PERPS[m];
  const market = c.perps[m];
  const ids = await openOrders(s, market, t);
  // the liquidator asked for, then the owners' main accounts: it takes the position on, margin-checked
  const liqs = [...new Set([a.liq, 0, 1, 2, 3])].filter((k) => k !== t);
  const by = liqs[0];
  if (ids.length) {
    await exec(s, { from: c.accounts[by].owner, to: c.chAddr, data: chIface.encodeFunctionData("cancelForLiquidation", [market, T.owner, T.sub, ids]), label: `${P.symbol} cancelForLiquidation a${t} ${ids.length} orders`, allow: ["AccountNotLiquidatable"], perp: m });
  }
  const size = s.snap.perps[m].rows[t].size;
  const spot = int((await c.read([ch(s, "balanceOf", [T.id, c.tokens[P.asset]])]))[0]);
  const first = divUp(abs(size) * BigInt(a.permille), 1000n);
  const sizes = [first, abs(size)];
  for (let x = abs(size) / 2n; x > 0n && sizes.length < 6; x /= 3n) sizes.push(x);
  for (const withSpot of a.withSpot ? [true, false] : [false]) {
    for (const l of liqs)
    for (const lots of sizes) {
      const L = c.accounts[l];
      // the spot leg needs the opposite spot position of at least the lots
      if (withSpot && (size > 0n ? spot >= 0n || -spot < lots * P.lotSize : spot <= 0n || spot < lots * P.lotSize)) continue;
      const data = chIface.encodeFunctionData("liquidatePerp", [market, T.id, lots, L.sub, withSpot]);
      const sim = await c.simulate(L.owner, c.chAddr, data);
      s.stats.sims++;
      if (!sim.ok) {
        if (!LIQ_ERRORS.includes(sim.error)) fail(s, `liquidation of a${t} (${lots} lots, spot ${withSpot}) would revert ${sim.error}`);
        const key = `liquidate (simulated${withSpot ? ", with spot" : ""}):${sim.error}`;
        s.stats.reverts[key] = (s.stats.reverts[key] ?? 0) + 1;
        if (sim.error === "InsufficientMargin") break; // this liquidator cannot carry it: the next one
        continue;
      }
      const mv0 = int((await c.read([atlas(s, "maintenanceValue", [T.id])]))[0]);
      const r = await exec(s, {
        from: L.owner,
        to: c.chAddr,
        data,
        perp: "all",
        label: `${P.symbol} liquidate a${t} by a${l}: ${lots} of ${size} lots${withSpot ? " with spot" : ""} (maintenance ${mv0})`,
        allow: [],
        extra: [atlas(s, "maintenanceValue", [T.id])],
        // the liquidator's own account takes the position on (and pays for the spot leg)
        actor: l,
        risk: withSpot ? "debit" : "perp",
      });
      const mv1 = int(r.extra[0]);
      // P6
      if (mv1 <= mv0) fail(s, `P6 liquidation of a${t} did not raise its maintenance value: ${mv0} -> ${mv1}`);
      s.stats.liquidations++;
      if (withSpot) s.stats.spotLiquidations++;
      return bankrupt(s, t, l);
    }
  }
  const err = await c.simulate(c.accounts[by].owner, c.chAddr, chIface.encodeFunctionData("liquidatePerp", [market, T.id, abs(size), c.accounts[by].sub, false]));
  observe(s, `no liquidation size passed (${err.ok ? "ok" : err.error})`, `t=${s.time} a${t} ${P.symbol} size ${size}, maintenance ${s.snap.maint[t]}`);
  await bankrupt(s, t, by);
}

/**
 * An account below maintenance holding no positive balance and no spot pocket: each position is
 * taken over at the mark by the largest opposite holder (else the liquidator asked for), its loss
 * after the market's fees charged to every opposite lot through the loss index; then its negative
 * USDC is written off. Checked: the position is gone, and only the bankrupt and the resolver were
 * written (every other position keeps its word; the charge waits in what it owes: P2 settles it).
 */
async function bankrupt(s: RunState, t: number, by: number) {
  const c = s.c;
  const T = c.accounts[t];
  const [held] = await c.read([ch(s, "holdsNoAssets", [T.id])]);
  if (!held.ok || held.words[0] === 0n || (s.snap.maint[t] ?? 0n) >= 0n) return;
  for (let m = 0; m < c.perps.length; m++) {
    const row = s.snap.perps[m].rows[t];
    if (row.size === 0n) continue;
    if (row.bids + row.asks !== 0n) {
      const ids = await openOrders(s, c.perps[m], t);
      await exec(s, { from: c.owners[by % 4], to: c.chAddr, data: chIface.encodeFunctionData("cancelForLiquidation", [c.perps[m], T.owner, T.sub, ids]), label: `${PERPS[m].symbol} cancelForLiquidation a${t} (bankrupt)`, allow: ["AccountNotLiquidatable"], perp: m });
    }
    const rows = s.snap.perps[m].rows;
    const opposite = [...rows.keys()].filter((k) => k !== t && rows[k].size !== 0n && rows[k].size > 0n !== row.size > 0n);
    opposite.sort((x, y) => (abs(rows[y].size) > abs(rows[x].size) ? 1 : abs(rows[y].size) < abs(rows[x].size) ? -1 : 0));
    const r0 = opposite.length ? opposite[0] : by;
    if (r0 === t) continue;
    const R = c.accounts[r0];
    const before = rows.map((x) => [x.size, x.entry, x.cash]);
    const r = await exec(s, {
      from: R.owner,
      to: c.chAddr,
      data: chIface.encodeFunctionData("resolveBankruptcy", [c.perps[m], T.id, R.sub]),
      perp: "all",
      label: `${PERPS[m].symbol} resolveBankruptcy a${t} (size ${row.size}) into a${r0} (size ${rows[r0].size}); ${opposite.length} opposite holders`,
      allow: ["NotBankrupt", ...MARGIN_ERRORS],
      actor: r0,
      risk: "perp",
    });
    if (!r.ok) continue;
    s.stats.bankruptcies++;
    const after = s.snap.perps[m].rows;
    if (after[t].size !== 0n) fail(s, `resolveBankruptcy left a${t} a position of ${after[t].size}`);
    for (const [k, x] of after.entries()) {
      if (k === t || k === r0) continue;
      if (x.size !== before[k][0] || x.entry !== before[k][1] || x.cash !== before[k][2]) fail(s, `resolveBankruptcy of a${t} wrote a${k}'s position (O(1): only the bankrupt and the resolver)`);
    }
  }
  if (s.snap.bal[t][USDC] < 0n && s.snap.perps.every((mk) => mk.rows[t].size === 0n && mk.rows[t].cash === 0n)) {
    const r = await exec(s, {
      from: c.owners[by % 4],
      to: c.chAddr,
      data: chIface.encodeFunctionData("settleBadDebt", [T.id, c.tokens[USDC]]),
      label: `settleBadDebt a${t} USDC`,
      allow: ["NotBankrupt", "PriceUnavailable"],
    });
    if (r.ok) s.stats.badDebts++;
  }
}

