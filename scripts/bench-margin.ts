// The margin scenarios (issue 3): lending, borrowing, the ATLAS valuation (the core's view), a margin take and a
// partial liquidation, on the world of bench-margin-world.ts (built on first use, after the
// spot scenarios). Each starts from the clean book and leaves it clean.
import type { Signer } from "ethers";
import { measure, marginal, type Figures } from "./bench-measure.ts";
import { profiles } from "./bench-profile.ts";
import { type World, ask, buyIoc, done, rest, sweepAll, assertClean } from "./bench-world.ts";
import { type MarginWorld, buildMarginWorld, elapse, refreshPrices, id, USDC_UNIT } from "./bench-margin-world.ts";
import { STALE_SUFFIX, estimatesFreshAndStale, measureFresh, measureFreshAndStale } from "./bench-prices.ts";

type Result = Record<string, Figures>;

/**
 * The bar for each margin key (whole-transaction gas, or the marginal view gas): issue #14's
 * where it sets one (lending, the margin take), issue #3's otherwise.
 */
export const MARGIN_TARGETS: Record<string, number> = {
  "lending.deposit": 70_000,
  "lending.borrow": 100_000,
  "lending.repay": 65_000,
  "atlas.value.perAsset": 12_000,
  "spot.take.1maker.margin": 115_000,
  "liquidation.partial": 200_000,
};

/** Seconds between a measured transaction and the setup before it: a block or so. */
const BLOCK_GAP = 12;

let built: MarginWorld | undefined;
/** The margin world, built once on first use (the perp scenarios build on it too). */
export async function marginWorld(w: World): Promise<MarginWorld> {
  built ??= await buildMarginWorld(w);
  return built;
}

async function start(w: World): Promise<MarginWorld> {
  await marginWorld(w);
  await assertClean(w);
  await sweepAll(w);
  for (const s of built!.traders) await done(w.market.sweep(await s.getAddress(), 0));
  await refreshPrices(w, built!);
  await elapse(w, BLOCK_GAP);
  return built!;
}

// ---------------------------------------------------------------- lending

/**
 * A repeat deposit into a lent balance (the USDC becomes pool shares), a withdrawal of lent
 * USDC, and a borrow, a repeat borrow and a partial repayment by an account holding WETH and
 * owing USDC (two assets, plus the background bid on the WETH/USDC book).
 */
async function lending(w: World): Promise<Result> {
  const m = await start(w);
  const usdc = await w.usdc.getAddress();
  const amount = 1_000n * USDC_UNIT;
  const out: Result = {};
  await done(w.usdc.mint(await m.lender.getAddress(), amount));
  await elapse(w, BLOCK_GAP);
  out["lending.deposit"] = await measure(
    w.provider,
    await w.ch.connect(m.lender).deposit(usdc, 0, amount),
    "lending.deposit",
  );
  await elapse(w, BLOCK_GAP);
  const lenderAddr = await m.lender.getAddress();
  out["lending.withdraw"] = await measure(
    w.provider,
    await w.ch.connect(m.lender).withdraw(usdc, 0, amount, lenderAddr),
    "lending.withdraw",
  );

  const b = m.borrower;
  const bAddr = await b.getAddress();
  if ((await w.ch.balanceOf(await id(b), usdc)) !== 0n) throw new Error("borrower holds USDC");
  await elapse(w, BLOCK_GAP);
  const loan = 50_000n * USDC_UNIT;
  const borrow = () => w.ch.connect(b).borrow(usdc, 0, loan, bAddr);
  out["lending.borrow.firstDebt"] = (await measureFresh(w, m, "lending.borrow.firstDebt", borrow)).fig;
  await elapse(w, BLOCK_GAP);
  Object.assign(out, (await measureFreshAndStale(w, m, "lending.borrow", borrow)).figs);
  await elapse(w, BLOCK_GAP);
  out["lending.repay"] = await measure(w.provider, await w.ch.connect(b).repay(usdc, bAddr, 0, loan), "lending.repay");
  // Repay the rest (with interest) so the borrower is as before.
  const owed = -(await w.ch.balanceOf(await id(b), usdc));
  await done(w.usdc.mint(bAddr, owed + USDC_UNIT));
  await done(w.ch.connect(b).repay(usdc, bAddr, 0, owed + USDC_UNIT));
  await done(w.ch.connect(b).withdraw(usdc, 0, await w.ch.balanceOf(await id(b), usdc), bAddr));
  return out;
}

// ---------------------------------------------------------------- valuation

/** eth_estimateGas of the core's riskOf (or initialValue) for an account: every read cold. */
function estimate(w: World, fn: "riskOf" | "initialValue", who: Signer): () => Promise<bigint> {
  // the core's views: the valuation its margin checks run (RiskLib; the Atlas contract's before issue #14 stage 3)
  return async () => w.ch[fn].estimateGas(await id(who));
}

/** Sends the view as a transaction so BENCH_PROFILE can trace it (not part of the figures). */
async function profileView(w: World, m: MarginWorld, fn: "riskOf" | "initialValue", who: Signer, label: string) {
  const account = await id(who);
  const data =
    fn === "riskOf"
      ? w.ch.interface.encodeFunctionData("riskOf", [account])
      : w.ch.interface.encodeFunctionData("initialValue", [account]);
  const tx = await w.protocol.admin.sendTransaction({ to: await w.ch.getAddress(), data });
  await measure(w.provider, tx, label);
}

/**
 * Marginal gas of valuing one more held asset: (account with 5 assets − with 1) / 4, from gas
 * estimates of the valuation view. Idle balances (the main figure) and lent ones (each adds a
 * pool read); riskOf values twice (maintenance and initial), initialValue once. With prices fresh
 * in the core (each asset adds its stored price word) and, as `<key>.staleFeed`, stale (each adds
 * a call to its feed: bench-prices.ts).
 */
async function valuation(w: World): Promise<Result> {
  const m = await start(w);
  const { idle1, idle5, lent1, lent5 } = m.holders;
  const out: Result = {};
  for (const [key, fn, one, five] of [
    ["atlas.value.perAsset", "riskOf", idle1, idle5],
    ["atlas.value.perAsset.lent", "riskOf", lent1, lent5],
    ["atlas.initialValue.perAsset", "initialValue", idle1, idle5],
  ] as const) {
    const { fresh, stale } = await estimatesFreshAndStale(w, m, [estimate(w, fn, five), estimate(w, fn, one)]);
    out[key] = marginal(fresh[0], fresh[1], 4);
    out[key + STALE_SUFFIX] = marginal(stale[0], stale[1], 4);
    if (profiles(key)) {
      await profileView(w, m, fn, one, `${key} (1 asset, as a transaction)`);
      await profileView(w, m, fn, five, `${key} (5 assets, as a transaction)`);
    }
  }
  return out;
}

// ---------------------------------------------------------------- margin take

/**
 * The margin taker (WETH collateral, no idle USDC, borrowForOrders on) buys one maker's ask on
 * the book, borrowing the USDC it pays: first when it has no debt yet (the market's pocket gets
 * the margin flag), then again with debt (the steady state, the main figure).
 */
async function marginTake(w: World): Promise<Result> {
  const m = await start(w);
  const out: Result = {};
  const take = () => w.market.connect(m.marginTaker).placeOrder(buyIoc(300_000n, 10n));
  await rest(w, w.makers[0], ask(300_000n, 10n));
  await elapse(w, BLOCK_GAP);
  out["spot.take.1maker.margin.firstDebt"] = (await measureFresh(w, m, "spot.take.1maker.margin.firstDebt", take)).fig;
  await rest(w, w.makers[0], ask(300_000n, 10n));
  await elapse(w, BLOCK_GAP);
  Object.assign(out, (await measureFreshAndStale(w, m, "spot.take.1maker.margin", take)).figs);
  return out;
}

// ---------------------------------------------------------------- liquidation

/** Largest repayment `liquidate` accepts now (bisection on eth_call), or 0. */
async function maxRepay(w: World, m: MarginWorld, debtToken: string, collToken: string): Promise<bigint> {
  const account = await id(m.liquidatee);
  const ok = async (atoms: bigint) => {
    try {
      await w.ch.connect(m.liquidator).liquidate.staticCall(account, debtToken, atoms, collToken, 0);
      return true;
    } catch {
      return false;
    }
  };
  let lo = 0n;
  let hi = -(await w.ch.balanceOf(account, debtToken));
  while (lo < hi) {
    const mid = hi - (hi - lo) / 2n;
    if (await ok(mid)) lo = mid;
    else hi = mid - 1n;
  }
  return lo;
}

/**
 * An account with WETH collateral and USDC debt (two assets, traded on the book, no resting
 * order) falls below maintenance after a WETH price drop; it is flagged, half the auction ramp
 * passes, and a liquidator with idle USDC repays 90% of the most it may and seizes WETH.
 */
async function liquidation(w: World): Promise<Result> {
  const m = await start(w);
  const weth = await w.weth.getAddress();
  const usdc = await w.usdc.getAddress();
  const account = await id(m.liquidatee);
  const boundary = await m.lens.liquidationPrice(account, weth);
  const before = m.priceWad.get(weth)!;
  m.priceWad.set(weth, (boundary * 97n) / 100n); // 3% below the liquidation price
  await refreshPrices(w, m);
  if (!(await w.ch.isLiquidatable(account))) throw new Error("account not liquidatable after the drop");
  await done(w.ch.connect(m.liquidator).flagLiquidatable(account));
  await elapse(w, 300);
  await refreshPrices(w, m);
  const most = await maxRepay(w, m, usdc, weth);
  if (most === 0n) throw new Error("no liquidation possible");
  const { figs } = await measureFreshAndStale(w, m, "liquidation.partial", () =>
    w.ch.connect(m.liquidator).liquidate(account, usdc, (most * 9n) / 10n, weth, 0),
  );

  // Back to the old price, and long enough for the stable price to follow it.
  m.priceWad.set(weth, before);
  await refreshPrices(w, m);
  await elapse(w, 4 * 3600);
  await refreshPrices(w, m);
  return figs;
}

/** Every margin scenario, in the order run (the liquidation moves a price, so it runs last). */
export const MARGIN_SCENARIOS: ((w: World) => Promise<Result>)[] = [valuation, lending, marginTake, liquidation];
