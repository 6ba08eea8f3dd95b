/**
 * Turns each random action of the lending-and-margin suite into transactions: resolves amounts
 * from the chain's views at the action's own second, sends them through `exec` (which checks
 * M1–M3, M5, M6 after each), and checks M4 around every liquidation and the write-off of every
 * bankruptcy.
 */
import { encodeOrder } from "../../sdk/src/math/order.ts";
import type { Action, ProbeKind, Sizing } from "./margin.arbitraries.ts";
import {
  ASSETS,
  USDC,
  WAD,
  WETH,
  atlasIface,
  lensIface,
  chIface,
  oracleIface,
  poolIface,
  spotIface,
  tickOf,
  MARKET,
  MAX_AGE,
  type Call,
  type Read,
} from "./margin.chain.ts";
import { fail as plainFail, hasDebt } from "./margin.checks.ts";
import { anyStale, begin, exec, fail, observe, pushPrice, staleFor, type RunState, type TxResult } from "./margin.runner.ts";

const BPS = 10_000n;
/**
 * MARGIN_INVARIANT_SKIP=M7 (comma-separated ids) looks past a known failure to find the next.
 * Nothing is skipped by default.
 */
const skipped = (id: string) => (process.env.MARGIN_INVARIANT_SKIP ?? "").split(",").includes(id);
const FLAG_BORROW_ORDERS = 1n << 192n;
const FLAG_BORROW_WITHDRAWALS = 1n << 193n;

const DEBIT_ERRORS = ["InsufficientBalance", "InsufficientMargin", "PriceUnavailable", "InsufficientCash", "BorrowCapExceeded"];
const ORDER_ERRORS = [...DEBIT_ERRORS, "TooManyOpenOrders", "LevelFull"];
const LIQ_ERRORS = [
  "LiquidationTooLarge",
  "LiquidationDidNotImprove",
  "InsufficientCollateral",
  "RepayExceedsDebt",
  "InsufficientCash",
  "InsufficientMargin",
  "InsufficientBalance",
  "NotLiquidatable",
  "PriceUnavailable",
];
/**
 * A liquidation that repays too much for the buffer, the collateral, the debt, the payer, or the
 * cash of the pool lent collateral must be withdrawn from.
 */
const TOO_BIG = new Set(["LiquidationTooLarge", "InsufficientCollateral", "RepayExceedsDebt", "InsufficientBalance", "InsufficientCash"]);

const int = (r: Read): bigint => {
  if (!r.ok) plainFail(`view reverted: ${r.error}`);
  return BigInt.asIntN(256, r.words[0]);
};
const ch = (s: RunState, f: string, args: unknown[]): Call => ({ target: s.c.chAddr, data: chIface.encodeFunctionData(f, args) });
const atlas = (s: RunState, f: string, args: unknown[]): Call => ({ target: s.c.atlasAddr, data: atlasIface.encodeFunctionData(f, args) });
const lens = (s: RunState, f: string, args: unknown[]): Call => ({ target: s.c.lensAddr, data: lensIface.encodeFunctionData(f, args) });
const per = (x: bigint, permille: number) => (x * BigInt(permille)) / 1000n;
/** Clearinghouse.DUST_WAD: collateral worth at most one cent may be written off with the debt. */
const DUST_WAD = 10n ** 16n;
const usd = (atoms: bigint, i: number, price: bigint) => (atoms * price) / 10n ** BigInt(ASSETS[i].decimals);

/** Signed balances (atoms, with interest) of an account in every token. */
async function balances(s: RunState, a: number): Promise<bigint[]> {
  const r = await s.c.read(s.c.tokens.map((t) => ch(s, "balanceOf", [s.c.accounts[a].id, t])));
  return r.map(int);
}

/** The accounts are four owners on sub-account 0, then the same four on sub-account 1. */
const indexOf = (owner: number, sub: number) => sub * 4 + owner;
/**
 * Sub-accounts 1 are plain borrowers on one collateral each (margin.chain.ts): they neither
 * trade nor liquidate, so a crash can leave them holding nothing but debt (a bankruptcy) instead
 * of dust of other assets. Their trading and liquidating is done by the owner's sub-account 0.
 */
const trader = (a: number) => a % 4;
const ownAsset = (a: number) => (a % 4) % ASSETS.length;

export async function runAction(s: RunState, a: Action) {
  s.stats.actions++;
  s.stats.byAction[a.t] = (s.stats.byAction[a.t] ?? 0) + 1;
  s.action = a.t;
  s.actionReverted = false;
  const t0 = performance.now();
  await dispatch(s, a);
  s.stats.msByAction[a.t] = (s.stats.msByAction[a.t] ?? 0) + performance.now() - t0;
  if (!s.actionReverted) s.stats.okByAction[a.t] = (s.stats.okByAction[a.t] ?? 0) + 1;
}

async function dispatch(s: RunState, a: Action) {
  switch (a.t) {
    case "warp":
      await begin(s, BigInt(a.secs));
      for (let i = 0; i < ASSETS.length; i++) await pushPrice(s, i, clampPrice(i, (s.prices[i] * (10_000n + BigInt(a.drift[i]) * (i === USDC ? 1n : 10n))) / 10_000n));
      return;
    case "stale":
      return stale(s, a);
    case "liquidate":
      await begin(s);
      return liquidate(s, a);
    default:
      await begin(s);
      return simple(s, a);
  }
}

/** Keeps prices inside the feeds' sanity bounds and in a range where the book still trades. */
function clampPrice(i: number, p: bigint): bigint {
  const p0 = ASSETS[i].priceWad;
  const [lo, hi] = i === USDC ? [(p0 * 90n) / 100n, (p0 * 110n) / 100n] : [p0 / 5n, p0 * 4n];
  return p < lo ? lo : p > hi ? hi : p;
}

async function simple(s: RunState, a: Exclude<Action, { t: "warp" | "stale" | "liquidate" }>) {
  const c = s.c;
  switch (a.t) {
    case "deposit": {
      // sub-account 1 stays concentrated in its one asset (see margin.chain.ts)
      const i = a.a >= 4 ? ownAsset(a.a) : a.token;
      return deposit(s, a.a, i, BigInt(a.units) * ASSETS[i].unit + BigInt(a.odd));
    }
    case "lending":
      return lending(s, a.a, a.token, a.on);
    case "policy": {
      const acc = c.accounts[a.a];
      await exec(s, { from: acc.owner, to: c.chAddr, data: chIface.encodeFunctionData("setBorrowPolicy", [acc.sub, a.orders, a.withdrawals]), label: `setBorrowPolicy a${a.a} orders=${a.orders} withdrawals=${a.withdrawals}`, touches: [a.a] });
      return;
    }
    case "withdraw":
      return withdraw(s, a.a, a.token, a.permille, a.how);
    case "borrow": {
      let i = a.token;
      if (a.lever && a.a >= 4) {
        // a plain borrower levers into the asset whose atom is worth least, so a liquidation can
        // seize its collateral to the last atom and a crash can end in a clean bankruptcy
        const atom = (k: number) => (s.prices[k] * 10n ** 18n) / 10n ** BigInt(ASSETS[k].decimals);
        i = [0, 1, 2].filter((k) => k !== ownAsset(a.a)).reduce((x, y) => (atom(y) < atom(x) ? y : x));
      } else if (a.lever) {
        const bal = await balances(s, a.a);
        i = bal.reduce((best, b, k) => (usd(b, k, s.prices[k]) < usd(bal[best], best, s.prices[best]) ? k : best), a.token);
      }
      return borrow(s, a.a, i, a.permille, a.how);
    }
    case "repay":
      return repay(s, a.payer, a.a, a.token, a.permille);
    case "transfer":
      return transfer(s, a.owner, a.token, a.up, a.permille);
    case "supply4626": {
      const amount = BigInt(a.units) * ASSETS[a.token].unit;
      const lender = c.lenders[a.lender];
      await exec(s, { from: lender, to: c.pools[a.token], data: poolIface.encodeFunctionData("deposit", [amount, lender]), label: `pool ${ASSETS[a.token].symbol}.deposit ${amount} by lender ${a.lender}` });
      return;
    }
    case "redeem4626": {
      const lender = c.lenders[a.lender];
      const [r] = await c.read([{ target: c.pools[a.token], data: poolIface.encodeFunctionData("balanceOf", [lender]) }]);
      const shares = per(int(r), a.permille);
      if (shares === 0n) return;
      await exec(s, {
        from: lender,
        to: c.pools[a.token],
        data: poolIface.encodeFunctionData("redeem", [shares, lender, lender]),
        label: `pool ${ASSETS[a.token].symbol}.redeem ${shares} by lender ${a.lender}`,
        allow: ["InsufficientCash", "ERC4626ExceededMaxRedeem"],
      });
      return;
    }
    case "make":
      return order(s, trader(a.a), a.side, a.off, a.lots, false);
    case "take":
      return order(s, trader(a.a), a.side, 0, a.lots, true, a.margin);
    case "cancel": {
      const acc = c.accounts[a.a];
      const ids = await openOrders(s, a.a);
      if (!ids.length) return;
      const data = a.all
        ? spotIface.encodeFunctionData("cancelAll", [acc.owner, acc.sub, ids])
        : spotIface.encodeFunctionData("cancelOrder", [ids[a.pick % ids.length]]);
      await exec(s, { from: acc.owner, to: c.marketAddr, data, label: `${a.all ? "cancelAll" : "cancelOrder"} a${a.a}`, actor: a.a, reduce: true });
      return;
    }
    case "sweep": {
      const acc = c.accounts[a.a];
      await exec(s, { from: c.owners[(a.a + 1) % 4], to: c.marketAddr, data: spotIface.encodeFunctionData("sweep", [acc.owner, acc.sub]), label: `sweep a${a.a}`, actor: a.a });
      return;
    }
    case "collect":
      await exec(s, { from: c.admin, to: c.marketAddr, data: spotIface.encodeFunctionData("collectFees"), label: "collectFees" });
      return;
    case "price": {
      let i = a.token;
      let move = a.move;
      if (move === "crash") {
        // mostly a plain borrower (sub-account 1), whose one collateral makes a crash decisive
        const all = c.accounts.flatMap((_, k) => (hasDebt(s.snap, k) ? [k] : []));
        const plain = all.filter((k) => k >= 4);
        const indebted = plain.length && a.pick % 3 !== 0 ? plain : all;
        if (!indebted.length) move = "drop";
        else {
          const bal = await balances(s, indebted[a.pick % indebted.length]);
          const value = (k: number) => usd(bal[k], k, s.prices[k]);
          const coll = [0, 1, 2].reduce((x, y) => (value(y) > value(x) ? y : x));
          const debt = [0, 1, 2].reduce((x, y) => (value(y) < value(x) ? y : x));
          [i, move] = coll !== USDC ? [coll, "crash"] : debt !== USDC ? [debt, "rally"] : [a.token, "drop"];
        }
      }
      const p = s.prices[i];
      const f = BigInt(a.permille);
      let next: bigint;
      if (i === USDC || move === "small") {
        const range = i === USDC ? 50n : 500n; // ±0.5% for the stablecoin, ±5% otherwise
        next = p + (p * (f - 500n) * range) / (500n * BPS);
      } else if (move === "drop" || move === "crash") {
        // −5% to −25% in one push (liquidatable, mostly still solvent); a crash −30% to −75%
        next = move === "drop" ? p - (p * (500n + (f * 2_000n) / 1000n)) / BPS : p - (p * (3_000n + (f * 4_500n) / 1000n)) / BPS;
        s.stats.priceDrops++;
      } else {
        next = p + (p * (1_000n + (f * 5_000n) / 1000n)) / BPS;
      }
      await pushPrice(s, i, clampPrice(i, next));
      return;
    }
    case "badDebt":
      await settleBadDebt(s, a.a, a.token, false);
      return;
  }
}

// ------------------------------------------------------------------ account actions

async function deposit(s: RunState, a: number, i: number, amount: bigint) {
  const acc = s.c.accounts[a];
  await exec(s, {
    from: acc.owner,
    to: s.c.chAddr,
    data: chIface.encodeFunctionData("deposit", [s.c.tokens[i], acc.sub, amount]),
    label: `deposit a${a} ${amount} ${ASSETS[i].symbol}`,
    actor: a,
    credit: true,
  });
}

async function lending(s: RunState, a: number, i: number, on: boolean) {
  const acc = s.c.accounts[a];
  const p = s.snap.pos[a][i];
  // turning lending on converts a positive idle balance to shares valued at the lent haircut: a
  // debit of value, margin-checked like one (M5, M6); anything else changes no value
  const converts = on && !p.lent && p.amount > 0n;
  await exec(s, {
    from: acc.owner,
    to: s.c.chAddr,
    data: chIface.encodeFunctionData("setLending", [s.c.tokens[i], acc.sub, on]),
    label: `setLending a${a} ${ASSETS[i].symbol} ${on}`,
    actor: a,
    touches: [a],
    debit: converts,
    allow: converts ? ["InsufficientCash", "InsufficientMargin", "PriceUnavailable"] : ["InsufficientCash"],
  });
}

/**
 * An amount of token i for account a to take out: a permille of Atlas's exact maximum, of an
 * estimate (what the balance holds plus the initial value's headroom at the token's scaled
 * shock and slippage), or of the balance. Falls back to a unit when a view cannot price.
 */
async function sizeOut(s: RunState, a: number, i: number, permille: number, how: Sizing, mayBorrow: boolean, borrow: boolean) {
  const c = s.c;
  const acc = c.accounts[a];
  const tok = c.tokens[i];
  const calls = [ch(s, "balanceOf", [acc.id, tok]), atlas(s, "initialValue", [acc.id])];
  if (how === "max") calls.push(lens(s, "maxWithdraw", [acc.id, tok, mayBorrow]));
  const [bal, iv, max] = await c.read(calls);
  const b = int(bal) > 0n ? int(bal) : 0n;
  let amount: bigint;
  let exact: bigint | undefined;
  let over: Read | undefined;
  if (how === "max" && max.ok) {
    // borrow(atoms) spends what the balance holds first: its limit is maxWithdraw with borrowing
    // (maxBorrow is the debt part of it)
    exact = int(max);
    amount = per(exact, permille);
    // one atom past the limit, simulated at this second before anything moves (M7)
    const data = borrow
      ? chIface.encodeFunctionData("borrow", [tok, acc.sub, exact + 1n, acc.owner])
      : chIface.encodeFunctionData("withdraw", [tok, acc.sub, exact + 1n, acc.owner]);
    over = await c.simulate(acc.owner, c.chAddr, data);
    s.stats.sims++;
  } else if (how === "balance" || !iv.ok) {
    amount = per(b > 0n ? b : ASSETS[i].unit, permille);
  } else {
    const x = ASSETS[i];
    const factorBps = BPS + ((x.shockBps + x.slippageBps) * 15n) / 10n + 30n; // 1.5x shocks, 10 days of interest
    const headroom = int(iv) > 0n ? (int(iv) * 10n ** BigInt(x.decimals) * BPS) / (s.prices[i] * factorBps) : 0n;
    amount = per((borrow ? 0n : b) + headroom, permille);
  }
  return { amount: amount === 0n ? 1n : amount, exact, over };
}

async function withdraw(s: RunState, a: number, i: number, permille: number, how: Sizing) {
  const c = s.c;
  const acc = c.accounts[a];
  const mayBorrow = (s.snap.state[a] & FLAG_BORROW_WITHDRAWALS) !== 0n;
  const { amount, exact, over } = await sizeOut(s, a, i, permille, how, mayBorrow, false);
  const r = await exec(s, {
    from: acc.owner,
    to: c.chAddr,
    data: chIface.encodeFunctionData("withdraw", [c.tokens[i], acc.sub, amount, acc.owner]),
    label: `withdraw a${a} ${amount} ${ASSETS[i].symbol} (borrow ${mayBorrow}${exact === undefined ? "" : `, maxWithdraw ${exact}`})`,
    actor: a,
    debit: true,
    allow: [...DEBIT_ERRORS, "ERC4626ExceededMaxWithdraw"],
  });
  if (exact !== undefined) checkLimit(s, r, amount, exact, over!, `withdraw ${ASSETS[i].symbol} (borrow ${mayBorrow})`);
}

async function borrow(s: RunState, a: number, i: number, permille: number, how: Sizing) {
  const c = s.c;
  const acc = c.accounts[a];
  const { amount, exact, over } = await sizeOut(s, a, i, permille, how, true, true);
  const r = await exec(s, {
    from: acc.owner,
    to: c.chAddr,
    data: chIface.encodeFunctionData("borrow", [c.tokens[i], acc.sub, amount, acc.owner]),
    label: `borrow a${a} ${amount} ${ASSETS[i].symbol}${exact === undefined ? "" : ` (limit maxWithdraw ${exact})`}`,
    actor: a,
    debit: true,
    allow: DEBIT_ERRORS,
  });
  if (exact !== undefined) checkLimit(s, r, amount, exact, over!, `borrow ${ASSETS[i].symbol}`);
}

/**
 * M7: Atlas's maxWithdraw (with or without borrowing) is exact: taking out at most it never fails the
 * margin check, and one atom more (simulated at the same second, before anything moved) fails.
 */
function checkLimit(s: RunState, r: TxResult, amount: bigint, max: bigint, over: Read, what: string) {
  if (skipped("M7")) return;
  s.stats.limitChecks++;
  if (amount <= max && r.error === "InsufficientMargin") fail(s, `M7 ${what} of ${amount} <= Atlas limit ${max} refused InsufficientMargin`);
  if (over.ok) fail(s, `M7 ${what} of limit + 1 = ${max + 1n} would pass: the Atlas limit ${max} is not the largest`);
}

async function repay(s: RunState, payer: number, a: number, i: number, permille: number) {
  const c = s.c;
  const acc = c.accounts[a];
  const [bal] = await c.read([ch(s, "balanceOf", [acc.id, c.tokens[i]])]);
  const b = int(bal);
  let amount = b < 0n ? per(-b, permille) : per(ASSETS[i].unit, permille);
  if (amount === 0n) amount = 1n;
  const from = payer < 0 ? acc.owner : c.owners[payer];
  await exec(s, {
    from,
    to: c.chAddr,
    data: chIface.encodeFunctionData("repay", [c.tokens[i], acc.owner, acc.sub, amount]),
    label: `repay a${a} ${amount} ${ASSETS[i].symbol} by ${from.slice(0, 8)} (balance ${b})`,
    actor: a,
    credit: true,
  });
}

async function transfer(s: RunState, owner: number, i: number, up: boolean, permille: number) {
  const c = s.c;
  const [fromSub, toSub] = up ? [0, 1] : [1, 0];
  if (up) i = ownAsset(indexOf(owner, 1));
  const from = indexOf(owner, fromSub);
  const [bal] = await c.read([ch(s, "balanceOf", [c.accounts[from].id, c.tokens[i]])]);
  let amount = int(bal) > 0n ? per(int(bal), permille) : per(ASSETS[i].unit, permille);
  if (amount === 0n) amount = 1n;
  await exec(s, {
    from: c.owners[owner],
    to: c.chAddr,
    data: chIface.encodeFunctionData("transfer", [c.tokens[i], fromSub, toSub, amount]),
    label: `transfer owner${owner} ${amount} ${ASSETS[i].symbol} sub${fromSub}->sub${toSub}`,
    actor: from,
    touches: [indexOf(owner, toSub)],
    debit: true,
    allow: DEBIT_ERRORS,
  });
}

async function openOrders(s: RunState, a: number): Promise<bigint[]> {
  const acc = s.c.accounts[a];
  const [r] = await s.c.read([{ target: s.c.marketAddr, data: spotIface.encodeFunctionData("openOrders", [acc.owner, acc.sub, 0n, 0n]) }]);
  if (!r.ok) plainFail(`openOrders reverted ${r.error}`);
  const [ids, next] = spotIface.decodeFunctionResult("openOrders", r.raw);
  if (next !== 0n) plainFail(`openOrders: more than one page`);
  return [...ids] as bigint[];
}

/**
 * A maker order (GTC a few steps of 0.05% off the oracle) or a taker order (IOC up to 2%
 * through it). A margin take first allows borrowing for orders, then sizes past the balance.
 */
async function order(s: RunState, a: number, side: number, off: number, lots: number, take: boolean, margin = false) {
  const c = s.c;
  const acc = c.accounts[a];
  if (margin && (s.snap.state[a] & FLAG_BORROW_ORDERS) === 0n) {
    const w = (s.snap.state[a] & FLAG_BORROW_WITHDRAWALS) !== 0n;
    await exec(s, { from: acc.owner, to: c.chAddr, data: chIface.encodeFunctionData("setBorrowPolicy", [acc.sub, true, w]), label: `setBorrowPolicy a${a} orders=true withdrawals=${w}`, touches: [a] });
  }
  const center = tickOf(s.prices[WETH]);
  const step = center / 2000n > 0n ? center / 2000n : 1n;
  if (margin) {
    // pay in the asset the account holds less of, all of it, and borrow for `lots` more
    const b = await balances(s, a);
    side = usd(b[USDC], USDC, s.prices[USDC]) <= usd(b[WETH], WETH, s.prices[WETH]) ? 0 : 1;
    const have = side === 0 ? b[USDC] / ((center + 40n * step) * MARKET.tickSize) : b[WETH] / MARKET.lotSize;
    if (have > 0n) lots += Number(have);
    // a counterparty rests enough on the other side, near the oracle, for the take to need a loan
    const gets = side === 0 ? WETH : USDC;
    const others = [0, 1, 2, 3].filter((k) => k !== a);
    const bals = await c.read(others.map((k) => ch(s, "balanceOf", [c.accounts[k].id, c.tokens[gets]])));
    const best = others.reduce((x, y, j) => (int(bals[j]) > int(bals[others.indexOf(x)]) ? y : x), others[0]);
    const cpTick = side === 0 ? center + step : center - step;
    const cpHas = int(bals[others.indexOf(best)]);
    const cpLots = side === 0 ? cpHas / MARKET.lotSize : cpHas / (cpTick * MARKET.tickSize + 1n);
    const want = BigInt(lots) < cpLots ? BigInt(lots) : cpLots;
    if (want > 0n) {
      const cp = c.accounts[best];
      const w = encodeOrder({ side: BigInt(1 - side) as 0n | 1n, tick: cpTick, lots: want, kind: 0n, sub: cp.sub } as Parameters<typeof encodeOrder>[0]);
      await exec(s, {
        from: cp.owner,
        to: c.marketAddr,
        data: spotIface.encodeFunctionData("placeOrder", [w]),
        label: `make GTC a${best} ${side === 0 ? "ask" : "bid"} ${want} lots @${cpTick} (counterparty of a margin take)`,
        actor: best,
        debit: true,
        allow: ORDER_ERRORS,
      });
    }
  }
  const tick = take ? (side === 0 ? center + 40n * step : center - 40n * step) : side === 0 ? center - BigInt(off) * step : center + BigInt(off) * step;
  const word = encodeOrder({ side: BigInt(side) as 0n | 1n, tick, lots: BigInt(lots), kind: take ? 2n : 0n, sub: acc.sub } as Parameters<typeof encodeOrder>[0]);
  const before = s.snap.pos[a].map((p) => p.amount);
  const r = await exec(s, {
    from: acc.owner,
    to: c.marketAddr,
    data: spotIface.encodeFunctionData("placeOrder", [word]),
    label: `${take ? "take IOC" : "make GTC"} a${a} ${side === 0 ? "bid" : "ask"} ${lots} lots @${tick}${margin ? " (margin)" : ""}`,
    actor: a,
    debit: true,
    allow: ORDER_ERRORS,
  });
  if (r.ok && take && s.snap.pos[a].some((p, k) => p.amount < 0n && p.amount < before[k])) s.stats.marginTakes++;
}

// ------------------------------------------------------------------ stale prices (M6)

/**
 * Lets every feed go stale, probes what indebted and other accounts can still do, and checks
 * that Atlas refuses exactly the accounts holding a stale asset and the oracle reports exactly
 * the stale feeds. Leaves the prices stale for the following actions now and then.
 */
async function stale(s: RunState, a: Extract<Action, { t: "stale" }>) {
  await begin(s, BigInt(a.secs));
  await checkStaleViews(s);
  for (const p of a.probes) await probe(s, p.a, p.kind, p.permille);
  if (a.repush) {
    for (let i = 0; i < ASSETS.length; i++) await pushPrice(s, i, s.prices[i]);
    await checkStaleViews(s);
  }
}

async function checkStaleViews(s: RunState) {
  const c = s.c;
  const calls: Call[] = c.tokens.map((t) => ({ target: c.oracleAddr, data: oracleIface.encodeFunctionData("tryPrice", [t]) }));
  for (const acc of c.accounts) calls.push(atlas(s, "riskOf", [acc.id]));
  const r = await c.read(calls);
  for (let i = 0; i < ASSETS.length; i++) {
    const fresh = s.time - s.lastPush[i] <= MAX_AGE;
    const x = r[i];
    const got = x.ok && x.words[0] === 1n;
    if (got !== fresh) fail(s, `M6 oracle ${ASSETS[i].symbol}: tryPrice ok=${got} but pushed ${s.time - s.lastPush[i]} s ago`);
  }
  for (let k = 0; k < c.accounts.length; k++) {
    const x = r[ASSETS.length + k];
    const stale = staleFor(s, s.snap, k);
    if (stale && (x.ok || x.error !== "PriceUnavailable")) fail(s, `M6 Atlas riskOf(a${k}) should revert PriceUnavailable with a stale held price, got ${x.ok ? "a value" : x.error}`);
    if (!stale && !x.ok) fail(s, `Atlas riskOf(a${k}) reverted ${x.error} with every price it needs fresh`);
    if (stale) s.stats.staleViews++;
  }
}

async function probe(s: RunState, a: number, kind: ProbeKind, permille: number) {
  const i = (a + permille) % ASSETS.length;
  switch (kind) {
    case "borrow":
      return borrow(s, a, i, permille, "estimate");
    case "withdraw":
      return withdraw(s, a, i, permille, "balance");
    case "transfer":
      return transfer(s, a % 4, i, a < 4, permille);
    case "make":
      return order(s, trader(a), permille & 1, 3, 1 + (permille % 50), false);
    case "take":
      return order(s, trader(a), permille & 1, 0, 1 + (permille % 500), true, true);
    case "deposit":
      return deposit(s, a, i, per(ASSETS[i].unit, permille) + 1n);
    case "repay":
      return repay(s, (permille % 5) - 1, a, i, permille);
    case "lending":
      return lending(s, a, i, (permille & 1) === 0);
    case "liquidate":
      return liquidate(s, { t: "liquidate", pick: permille, liq: (a + 1) % 8, mode: "bisect", permille, coll: permille, wait: 0, cancelFirst: true, sweep: false });
  }
}

// ------------------------------------------------------------------ liquidation (M4) and bad debt

const decodeRisk = (r: Read) => {
  if (!r.ok) plainFail(`riskOf reverted ${r.error}`);
  return { equity: BigInt.asIntN(256, r.words[0]), maint: BigInt.asIntN(256, r.words[1]), initial: BigInt.asIntN(256, r.words[2]) };
};

async function liquidate(s: RunState, a: Extract<Action, { t: "liquidate" }>) {
  const c = s.c;
  const n = c.accounts.length;
  // only an account with debt can have a negative maintenance value
  const indebted = c.accounts.flatMap((_, k) => (hasDebt(s.snap, k) ? [k] : []));
  const flags = await c.read(indebted.map((k) => ch(s, "isLiquidatable", [c.accounts[k].id])));
  const cands = indebted.filter((_, j) => flags[j].ok && flags[j].words[0] === 1n);
  if (!cands.length) {
    // nobody is liquidatable (or priceable): flagging fails, or ends an auction still running
    const t = a.pick % n;
    const running = s.snap.state[t] >> 208n !== 0n;
    const r = await exec(s, {
      from: c.owners[(t + 1) % 4],
      to: c.chAddr,
      data: chIface.encodeFunctionData("flagLiquidatable", [c.accounts[t].id]),
      label: `flagLiquidatable a${t} (not liquidatable${running ? ", auction running" : ""})`,
      touches: [t],
      allow: ["NotLiquidatable", "PriceUnavailable"],
    });
    if (r.ok && !running) fail(s, `flagLiquidatable succeeded on a${t}, which isLiquidatable says is not`);
    if (r.ok && s.snap.state[t] >> 208n !== 0n) fail(s, `flagLiquidatable on healthy a${t} left its auction clock running`);
    if (!r.ok && running && r.error !== "PriceUnavailable") fail(s, `flagLiquidatable on healthy a${t} did not end its running auction (${r.error})`);
    return;
  }
  const t = cands[a.pick % cands.length];
  const T = c.accounts[t];
  let l = trader(a.liq);
  if (l === t) {
    const r = await exec(s, {
      from: T.owner,
      to: c.chAddr,
      data: chIface.encodeFunctionData("liquidate", [T.id, c.tokens[USDC], 1n, c.tokens[WETH], T.sub]),
      label: `liquidate a${t} by itself`,
      allow: ["SelfLiquidation"],
    });
    if (r.ok) fail(s, "a self-liquidation succeeded");
    l = (l + 1) % 4;
  }
  const L = c.accounts[l];
  const liquidateData = (debtTok: number, x: bigint, coll: number) => chIface.encodeFunctionData("liquidate", [T.id, c.tokens[debtTok], x, c.tokens[coll], L.sub]);

  // resting orders first: anyone may cancel them once the account is liquidatable
  if (s.snap.pocket[t][4] > 0n) {
    if (!a.cancelFirst) {
      const r = await exec(s, { from: L.owner, to: c.chAddr, data: liquidateData(USDC, 1n, WETH), label: `liquidate a${t} with orders open`, actor: l, touches: [t], debit: true, allow: ["OrdersStillOpen"] });
      if (r.ok) fail(s, "a liquidation succeeded with the account's orders still open");
    }
    const ids = await openOrders(s, t);
    await exec(s, { from: L.owner, to: c.marketAddr, data: spotIface.encodeFunctionData("cancelForLiquidation", [T.owner, T.sub, ids]), label: `cancelForLiquidation a${t} ${ids.length} orders` });
  }
  if (a.sweep && s.snap.pocket[t].slice(0, 4).some((x) => x !== 0n))
    await exec(s, { from: L.owner, to: c.marketAddr, data: spotIface.encodeFunctionData("sweep", [T.owner, T.sub]), label: `sweep a${t} before liquidation`, actor: t });
  if (a.wait > 0) {
    await exec(s, { from: L.owner, to: c.chAddr, data: chIface.encodeFunctionData("flagLiquidatable", [T.id]), label: `flagLiquidatable a${t}`, touches: [t], allow: ["NotLiquidatable"] });
    await begin(s, BigInt(a.wait));
    for (let i = 0; i < ASSETS.length; i++) await pushPrice(s, i, s.prices[i]);
  }

  // one liquidation, or (bisecting) up to four in a row while the account stays liquidatable
  for (let round = 0; round < (a.mode === "bisect" ? 4 : 1); round++) {
    if (!(await liquidateOnce(s, a, t, l, round))) break;
  }
  await bankrupt(s, t, l);
}

/** One liquidation of account t by account l; true if it passed and t is still liquidatable. */
async function liquidateOnce(s: RunState, a: Extract<Action, { t: "liquidate" }>, t: number, l: number, round: number): Promise<boolean> {
  const c = s.c;
  const T = c.accounts[t];
  const L = c.accounts[l];
  const liquidateData = (debtTok: number, x: bigint, coll: number) => chIface.encodeFunctionData("liquidate", [T.id, c.tokens[debtTok], x, c.tokens[coll], L.sub]);
  const bal = await balances(s, t);
  const debts = bal.flatMap((b, i) => (b < 0n ? [i] : []));
  const colls = bal.flatMap((b, i) => (b > 0n ? [i] : []));
  if (!debts.length || !colls.length) return false;
  // the largest debt in USD; a collateral picked at random
  const debtTok = debts.reduce((x, y) => (usd(-bal[x], x, s.prices[x]) >= usd(-bal[y], y, s.prices[y]) ? x : y));
  const coll = colls[(a.coll + round) % colls.length];
  const collBal = bal[coll];
  const debt = -bal[debtTok];
  // the liquidator pays from its own balance: fund it
  let lb = (await balances(s, l))[debtTok];
  if (lb < debt) {
    await deposit(s, l, debtTok, debt - (lb > 0n ? lb : 0n) + ASSETS[debtTok].unit);
    lb = (await balances(s, l))[debtTok];
  }
  const pre = await c.read([atlas(s, "riskOf", [T.id]), ch(s, "accountState", [T.id])]);
  if (!pre[0].ok) {
    if (!anyStale(s)) fail(s, `riskOf(a${t}) reverted ${pre[0].error} with fresh prices`);
    return false;
  }
  const before = decodeRisk(pre[0]);
  const since = int(pre[1]) >> 208n;
  const hi = debt < lb ? debt : lb;
  if (hi <= 0n) return false;

  let x: bigint;
  let predicted: Read | undefined;
  let boundBy: string | undefined; // what stopped the bisection one atom above x
  if (before.maint >= 0n || a.mode !== "bisect") {
    x = a.mode === "full" ? hi : per(hi, a.permille) || 1n;
  } else {
    // bisection for the largest repayment that does not overshoot, by simulation at this second
    const sim = async (v: bigint) => {
      s.stats.sims++;
      return c.simulate(L.owner, c.chAddr, liquidateData(debtTok, v, coll));
    };
    const tooBig = (r: Read) => !r.ok && TOO_BIG.has(r.error);
    predicted = await sim(hi);
    x = hi;
    if (tooBig(predicted)) {
      // bracket [lo ok, bad too big], narrowed from a guess, then bisected to the atom
      let lo = 0n;
      let bad = hi;
      let loRead: Read | undefined;
      boundBy = predicted.ok ? undefined : predicted.error;
      const buf0 = before.equity > 0n ? (before.equity * s.liqParams.bufferBps) / BPS : 0n;
      const fa = before.maint - buf0; // f = maintenance after − buffer after at x = 0: < 0 is fine
      let fb = overshoot(predicted);
      // the seizure is exact arithmetic (checked after every liquidation): cap by the collateral here
      let guess = maxRepayFor(s, debtTok, coll, collBal, discountNow(s, coll, since), hi);
      for (let k = 0; k < 8 && bad - lo > 1n; k++) {
        if (fb !== undefined && fb > fa) {
          const g = (bad * -fa) / (fb - fa); // secant through (0, fa) and (bad, fb)
          if (g < guess) guess = g;
        }
        if (guess <= lo) guess = lo + 1n;
        if (guess >= bad) guess = bad - 1n;
        const r = await sim(guess);
        if (tooBig(r)) {
          [bad, boundBy, fb] = [guess, r.ok ? undefined : r.error, overshoot(r)];
          if (fb === undefined) break;
        } else {
          [lo, loRead] = [guess, r];
          break;
        }
      }
      // gallop up from the last fine amount, then bisect
      for (let d = 1n; lo > 0n && lo + d < bad; d *= 2n) {
        const r = await sim(lo + d);
        if (tooBig(r)) {
          [bad, boundBy] = [lo + d, r.ok ? undefined : r.error];
          break;
        }
        [lo, loRead] = [lo + d, r];
      }
      while (bad - lo > 1n) {
        const mid = (lo + bad) / 2n;
        const r = await sim(mid);
        if (tooBig(r)) [bad, boundBy] = [mid, r.ok ? undefined : r.error];
        else [lo, loRead] = [mid, r];
      }
      if (lo === 0n) {
        // even one atom is too much: collateral dust, or lent collateral in a pool with no cash
        if (boundBy === "InsufficientCash")
          observe(s, "liquidation impossible: the only seizable collateral is lent to a pool with no cash to pay it out", `t=${s.time} a${t} ${ASSETS[coll].symbol}, pool cash ${s.snap.pools[coll].cash}`);
        return false;
      }
      [x, predicted] = [lo, loRead];
    }
  }
  if (boundBy === "LiquidationTooLarge") {
    // the atom above the bisected amount, sent for real: it must overshoot and change nothing
    const over = await exec(s, {
      from: L.owner,
      to: c.chAddr,
      data: liquidateData(debtTok, x + 1n, coll),
      label: `liquidate a${t} by a${l}: repay ${x + 1n} ${ASSETS[debtTok].symbol}, one atom past the bisected amount`,
      actor: l,
      touches: [t],
      debit: true,
      allow: ["LiquidationTooLarge"],
    });
    if (over.ok) fail(s, `M4 a liquidation of ${x + 1n}, one atom past the largest the simulation allowed, passed`);
    s.stats.tooLarge++;
  }
  const r = await exec(s, {
    from: L.owner,
    to: c.chAddr,
    data: liquidateData(debtTok, x, coll),
    label: `liquidate a${t} by a${l}: repay ${x} ${ASSETS[debtTok].symbol} (debt ${debt}), seize ${ASSETS[coll].symbol} [${a.mode}]`,
    actor: l,
    touches: [t],
    debit: true,
    allow: LIQ_ERRORS,
    extra: [atlas(s, "riskOf", [T.id]), ch(s, "accountState", [T.id])],
  });
  if (predicted && predicted.ok !== r.ok) fail(s, `liquidation simulated ${predicted.ok ? "ok" : predicted.error} at this second but the transaction ${r.ok ? "passed" : r.error}`);
  if (r.error === "LiquidationTooLarge") s.stats.tooLarge++;
  if (!r.ok) return false;
  const after = checkLiquidation(s, r, before, since, debtTok, x, coll, t, boundBy === "LiquidationTooLarge");
  if (predicted) {
    s.stats.bisected++;
    if (x < hi) {
      const next = await c.simulate(L.owner, c.chAddr, liquidateData(debtTok, x + 1n, coll));
      s.stats.sims++;
      if (next.ok) observe(s, "liquidation amount not monotone (x fails, x+1 passes)", `t=${s.time} a${t} ${ASSETS[debtTok].symbol} x=${x}`);
    }
  }
  return after.maint < 0n;
}

/** maintenanceAfter − buffer from a LiquidationTooLarge revert, if that is what it was. */
function overshoot(r: Read): bigint | undefined {
  if (r.ok || r.error !== "LiquidationTooLarge" || !r.data) return undefined;
  const e = chIface.parseError(r.data)!;
  return (e.args[0] as bigint) - (e.args[1] as bigint);
}

/** The Dutch-auction discount a liquidation at this second gets (0 on the call that flags). */
function discountNow(s: RunState, coll: number, since: bigint): bigint {
  const p = s.liqParams;
  const cap = ((ASSETS[coll].shockBps + ASSETS[coll].slippageBps) * p.capShareBps) / BPS;
  const elapsed = since === 0n ? 0n : s.time - since;
  return elapsed >= p.rampSeconds ? cap : (cap * elapsed) / p.rampSeconds;
}

/** Collateral atoms a repayment seizes (Clearinghouse._seizeFor at this discount). */
function seizeFor(s: RunState, debtTok: number, x: bigint, coll: number, discountBps: bigint): bigint {
  const usdWad = (x * s.prices[debtTok]) / 10n ** BigInt(ASSETS[debtTok].decimals);
  return (usdWad * 10n ** BigInt(ASSETS[coll].decimals) * BPS) / (s.prices[coll] * (BPS - discountBps));
}

/** Largest repayment in [0, hi] whose seizure fits the collateral (at the first call's discount, 0). */
function maxRepayFor(s: RunState, debtTok: number, coll: number, have: bigint, discountBps: bigint, hi: bigint): bigint {
  if (seizeFor(s, debtTok, hi, coll, discountBps) <= have) return hi;
  let [lo, bad] = [0n, hi];
  while (bad - lo > 1n) {
    const mid = (lo + bad) / 2n;
    if (seizeFor(s, debtTok, mid, coll, discountBps) <= have) lo = mid;
    else bad = mid;
  }
  return lo;
}

/** M4: the maintenance value rose, and not beyond the buffer; the seizure is the formula's. */
function checkLiquidation(
  s: RunState,
  r: TxResult,
  before: { maint: bigint },
  since: bigint,
  debtTok: number,
  x: bigint,
  coll: number,
  t: number,
  bufferBound: boolean,
) {
  const after = decodeRisk(r.extra[0]);
  const stateAfter = int(r.extra[1]);
  s.stats.liquidations++;
  if (after.maint <= before.maint) fail(s, `M4 liquidation of a${t} did not raise maintenance: ${before.maint} -> ${after.maint}`);
  const buffer = after.equity > 0n ? (after.equity * s.liqParams.bufferBps) / BPS : 0n;
  if (after.maint > buffer) fail(s, `M4 liquidation of a${t} overshot: maintenance ${after.maint} > buffer ${buffer} (equity ${after.equity})`);
  if (after.maint >= 0n && stateAfter >> 208n !== 0n) fail(s, `liquidation left a${t} healthy but its auction clock running`);
  if (bufferBound) {
    // one atom more would overshoot the buffer: how far below it did the largest repayment land?
    s.stats.bufferBound++;
    const gap = buffer - after.maint;
    if (s.stats.gapMin < 0n || gap < s.stats.gapMin) s.stats.gapMin = gap;
    if (gap > s.stats.gapMax) s.stats.gapMax = gap;
  }
  const ev = r.logs
    .filter((l) => l.address.toLowerCase() === s.c.chAddr)
    .map((l) => chIface.parseLog({ topics: l.topics, data: l.data }))
    .find((p) => p?.name === "Liquidated");
  if (!ev) fail(s, "no Liquidated event");
  const seized = ev.args.seizedAtoms as bigint;
  const discount = ev.args.discountBps as bigint;
  const want = discountNow(s, coll, since);
  if (discount !== want) fail(s, `liquidation discount ${discount} bps, expected ${want} (${since === 0n ? "first call" : `${s.time - since} s since flagged`})`);
  const expected = seizeFor(s, debtTok, x, coll, discount);
  if (seized !== expected) fail(s, `liquidation seized ${seized} ${ASSETS[coll].symbol}, expected ${expected}`);
  return after;
}

/** An account that holds nothing positive and has empty pockets: write each debt off. */
async function bankrupt(s: RunState, t: number, by: number) {
  let sn = s.snap;
  if (!hasDebt(sn, t)) return;
  const T = s.c.accounts[t];
  if (sn.pocket[t][4] === 0n && sn.pocket[t].slice(0, 4).some((x) => x !== 0n) && sn.pos[t].every((p) => p.amount <= 0n)) {
    // proceeds left in the pocket (cancelled orders): anyone may sweep them into the balance
    await exec(s, { from: s.c.owners[by % 4], to: s.c.marketAddr, data: spotIface.encodeFunctionData("sweep", [T.owner, T.sub]), label: `sweep a${t} (pocket of an insolvent account)`, actor: t });
    sn = s.snap;
    if (!hasDebt(sn, t)) return;
  }
  const pocketEmpty = sn.pocket[t].slice(0, 4).every((x) => x === 0n);
  if (!pocketEmpty) return;
  const positives = sn.pos[t].flatMap((p, i) => (p.amount > 0n ? [i] : []));
  if (positives.length) {
    // Dust (worth at most one cent, rounded up) of an account whose equity is below zero goes to
    // the reserve with the first write-off; anything more must be liquidated first.
    const [bal, risk] = await Promise.all([balances(s, t), s.c.read([atlas(s, "riskOf", [T.id])])]);
    if (!risk[0].ok) return; // a stale price: the write-off needs Atlas's equity
    const unit = (i: number) => 10n ** BigInt(ASSETS[i].decimals);
    const worth = positives.reduce((acc, i) => acc + (bal[i] * s.prices[i] + unit(i) - 1n) / unit(i), 0n);
    const equity = BigInt.asIntN(256, risk[0].words[0]);
    if (worth > DUST_WAD || equity >= 0n) return;
    // lent dust is redeemed from its pool, which needs the cash (open finding 4)
    if (positives.some((i) => sn.pos[t][i].lent && bal[i] > s.snap.pools[i].cash)) return;
    const debt = s.snap.pos[t].findIndex((p) => p.amount < 0n);
    const reserve0 = [...s.snap.reserve];
    const sameSecond = s.snapTime === s.time;
    await settleBadDebt(s, t, debt, true, by);
    for (const i of positives) {
      if (s.snap.pos[t][i].amount !== 0n) fail(s, `settleBadDebt left the dust of ${ASSETS[i].symbol} on the account`);
      // redeemed at this second: exactly what balanceOf said the dust was worth
      if (sameSecond && s.snap.reserve[i] - reserve0[i] !== bal[i])
        fail(s, `settleBadDebt moved ${s.snap.reserve[i] - reserve0[i]} ${ASSETS[i].symbol} of dust to the reserve, expected ${bal[i]}`);
    }
    s.stats.dustSeized++;
  }
  for (let i = 0; i < ASSETS.length; i++) if (s.snap.pos[t][i].amount < 0n) await settleBadDebt(s, t, i, true, by);
}

async function settleBadDebt(s: RunState, t: number, i: number, expectOk: boolean, by = (t + 1) % 8) {
  const c = s.c;
  const reservesBefore = s.snap.pools[i].reserves;
  const assetsBefore = s.snap.pools[i].totalAssets;
  const sameSecond = s.snapTime === s.time;
  const r = await exec(s, {
    from: c.owners[by % 4],
    to: c.chAddr,
    data: chIface.encodeFunctionData("settleBadDebt", [c.accounts[t].id, c.tokens[i]]),
    label: `settleBadDebt a${t} ${ASSETS[i].symbol}`,
    touches: [t],
    allow: expectOk ? [] : ["NotBankrupt", "NoDebt", "PriceUnavailable"],
    writeOff: i,
  });
  if (!r.ok) return;
  s.stats.badDebts++;
  const ev = r.logs
    .filter((l) => l.address.toLowerCase() === c.chAddr.toLowerCase())
    .map((l) => chIface.parseLog({ topics: l.topics, data: l.data }))
    .find((p) => p?.name === "BadDebtWrittenOff");
  if (!ev) fail(s, "no BadDebtWrittenOff event");
  const loss = ev.args.lossAssets as bigint;
  const fromReserve = ev.args.fromReserve as bigint;
  if ((ev.args.token as string).toLowerCase() !== s.c.tokens[i].toLowerCase()) fail(s, "BadDebtWrittenOff names another pool");
  if (sameSecond) {
    // the reserve pays first; the lenders' assets fall by at most the rest
    const want = loss < reservesBefore ? loss : reservesBefore;
    if (fromReserve !== want) fail(s, `bad debt of ${loss}: reserve paid ${fromReserve}, expected ${want} (reserve was ${reservesBefore})`);
    const drop = assetsBefore - s.snap.pools[i].totalAssets;
    if (drop > loss - fromReserve) fail(s, `bad debt: lenders lost ${drop} > loss ${loss} − reserve's part ${fromReserve}`);
  }
  if (s.snap.pos[t][i].amount !== 0n) fail(s, "settleBadDebt left the debt on the account");
}
