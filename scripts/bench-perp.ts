// The perp scenarios (issue 4): placing, cancelling and taking on ETH-PERP, the ATLAS valuation of
// a four-underlying spot + perp book, and a PerpLiquidator liquidation, on the world of
// bench-perp-world.ts (built on first use, after the margin scenarios). Each starts from the clean
// perp book (backstops and background bids only) and leaves it clean.
import type { Signer } from "ethers";
import { Side, OrderKind, accountId } from "../sdk/src/math/order.ts";
import { measure, marginal, type Figures } from "./bench-measure.ts";
import { profiles } from "./bench-profile.ts";
import { type World, done } from "./bench-world.ts";
import { type MarginWorld, elapse, fund, refreshPrices, wallet, USDC_UNIT } from "./bench-margin-world.ts";
import { marginWorld } from "./bench-margin.ts";
import {
  type PerpWorld,
  buildPerpWorld,
  order,
  perpPlacedIds,
  perpRest,
  settleAll,
  ETH_BACKGROUND_BID,
  ETH_BACKSTOP_ASK,
} from "./bench-perp-world.ts";

type Result = Record<string, Figures>;

/** The bar for each perp key (whole-transaction gas, or the view's gas estimate). */
export const PERP_TARGETS: Record<string, number> = {
  "perp.place.existingLevel": 90_000,
  "perp.take.1maker": 120_000,
  "perp.take.perExtraMaker": 20_000,
  "perp.cancel": 45_000,
  "atlas.value.4underlyings": 80_000,
  "liquidation.perp": 220_000,
};

const LOTS = 10n;
const BLOCK_GAP = 12;
const id = async (s: Signer) => accountId((await s.getAddress()) as `0x${string}`);

let built: { m: MarginWorld; p: PerpWorld } | undefined;

async function start(w: World): Promise<{ m: MarginWorld; p: PerpWorld }> {
  if (built === undefined) {
    const m = await marginWorld(w);
    await refreshPrices(w, m);
    built = { m, p: await buildPerpWorld(w, m) };
  }
  const { m, p } = built;
  const [bestBid, bestAsk] = await p.eth.market.bestBidAsk();
  if (bestBid !== ETH_BACKGROUND_BID || bestAsk !== ETH_BACKSTOP_ASK) {
    throw new Error(`ETH-PERP book not clean: best bid ${bestBid}, best ask ${bestAsk}`);
  }
  await refreshPrices(w, m);
  await settleAll(p);
  await elapse(w, BLOCK_GAP);
  return built;
}

async function cancelAllOf(p: PerpWorld, who: Signer, ids: bigint[]): Promise<void> {
  for (const i of ids) await done(p.eth.market.connect(who).cancelOrder(i));
}

// ---------------------------------------------------------------- placing and cancelling

/** Joins a level holding one order (another account's) at a used tick; ATLAS checks the placer. */
async function perpPlace(w: World): Promise<Result> {
  const { p } = await start(w);
  const [a, b] = p.others;
  const e = p.eth.market;
  const first = await perpRest(e, a, order(Side.Ask, 300_030n, LOTS));
  await elapse(w, BLOCK_GAP);
  const tx = await e.connect(b).placeOrder(order(Side.Ask, 300_030n, LOTS));
  const fig = await measure(w.provider, tx, "perp.place.existingLevel");
  await cancelAllOf(p, a, [first]);
  await cancelAllOf(p, b, perpPlacedIds(e, (await tx.wait())!.logs));
  return { "perp.place.existingLevel": fig };
}

/** Cancels the middle order of three (distinct accounts); the level stays non-empty. */
async function perpCancel(w: World): Promise<Result> {
  const { p } = await start(w);
  const [a, b, c] = p.others;
  const e = p.eth.market;
  const ia = await perpRest(e, a, order(Side.Ask, 300_020n, LOTS));
  const ib = await perpRest(e, b, order(Side.Ask, 300_020n, LOTS));
  const ic = await perpRest(e, c, order(Side.Ask, 300_020n, LOTS));
  await elapse(w, BLOCK_GAP);
  const fig = await measure(w.provider, await e.connect(b).cancelOrder(ib), "perp.cancel");
  await cancelAllOf(p, a, [ia]);
  await cancelAllOf(p, c, [ic]);
  return { "perp.cancel": fig };
}

// ---------------------------------------------------------------- taking

/** The long taker buys (IOC) exactly what `n` short makers offer at 300_000: each grows. */
async function takeAsks(w: World, n: number, label: string): Promise<Figures> {
  const { p } = await start(w);
  const e = p.eth.market;
  for (let i = 0; i < n; i++) await perpRest(e, p.makers[i], order(Side.Ask, 300_000n, LOTS));
  await elapse(w, BLOCK_GAP);
  const tx = await e.connect(p.taker).placeOrder(order(Side.Bid, 300_000n, LOTS * BigInt(n), OrderKind.Ioc));
  return measure(w.provider, tx, label);
}

async function perpTakes(w: World): Promise<Result> {
  const one = await takeAsks(w, 1, "perp.take.1maker");
  const ten = await takeAsks(w, 10, "perp.take.10makers");
  return {
    "perp.take.1maker": one,
    "perp.take.10makers": ten,
    "perp.take.perExtraMaker": marginal(ten, one, 9),
  };
}

// ---------------------------------------------------------------- valuation

/**
 * eth_estimateGas of Atlas.initialValue (what every margin check runs) for an account holding
 * WETH, WBTC, LINK, UNI and USDC and short the perp of each of the four underlyings.
 */
async function perpValuation(w: World): Promise<Result> {
  const { m, p } = await start(w);
  const account = await id(p.holder4);
  const gas = Number(await m.atlas.initialValue.estimateGas(account));
  const key = "atlas.value.4underlyings";
  if (profiles(key)) {
    const data = m.atlas.interface.encodeFunctionData("initialValue", [account]);
    const tx = await w.protocol.admin.sendTransaction({ to: await m.atlas.getAddress(), data });
    await measure(w.provider, tx, `${key} (as a transaction)`);
  }
  // A view: no storage, no logs.
  return { [key]: { gas, megaethGas: gas, newSlots: 0, eventBytes: 0 } };
}

// ---------------------------------------------------------------- liquidation

/** Largest lot count `PerpLiquidator.liquidate` accepts now (bisection on eth_call), or 0. */
async function maxLots(p: PerpWorld, account: string, size: bigint): Promise<bigint> {
  const market = await p.eth.market.getAddress();
  const ok = async (lots: bigint) =>
    p.liquidator
      .connect(p.perpLiquidator)
      .liquidate.staticCall(market, account, lots, 0, false)
      .then(() => true)
      .catch(() => false);
  let [lo, hi] = [0n, size];
  while (lo < hi) {
    const mid = hi - (hi - lo) / 2n;
    if (await ok(mid)) lo = mid;
    else hi = mid - 1n;
  }
  return lo;
}

/**
 * A 10 WETH long on ETH-PERP behind 6,000 USDC (no resting order) falls below maintenance after
 * a WETH price drop; it is flagged, half the auction ramp passes, and a long liquidator (two
 * positions, a background bid) takes over 90% of the most it may at the mark less the discount.
 */
async function perpLiquidation(w: World): Promise<Result> {
  const { m, p } = await start(w);
  const weth = await m.assets[0].getAddress();
  const account = await id(p.liquidatee);
  const before = m.priceWad.get(weth)!;
  let price = before;
  while ((await m.atlas.maintenanceValue(account)) >= 0n) {
    price = (price * 99n) / 100n;
    m.priceWad.set(weth, price);
    await refreshPrices(w, m);
  }
  m.priceWad.set(weth, (price * 99n) / 100n);
  await refreshPrices(w, m);
  await done(w.ch.connect(p.perpLiquidator).flagLiquidatable(account));
  await elapse(w, 300);
  await refreshPrices(w, m);
  const [size] = await p.eth.market.positionOf(account);
  const most = await maxLots(p, account, size);
  if (most === 0n) throw new Error("no perp liquidation possible");
  const tx = await p.liquidator
    .connect(p.perpLiquidator)
    .liquidate(await p.eth.market.getAddress(), account, (most * 9n) / 10n, 0, false);
  const fig = await measure(w.provider, tx, "liquidation.perp");

  m.priceWad.set(weth, before);
  await refreshPrices(w, m);
  await elapse(w, 4 * 3600);
  await refreshPrices(w, m);
  return { "liquidation.perp": fig };
}

/**
 * A bankruptcy on ETH-PERP: an account with 600 USDC buys 1 WETH (1,000 lots) at the backstop ask;
 * WETH gaps 30 % down; the perp liquidator takes 900 lots over at the mark (its first call: no
 * discount), which realises the loss into a USDC debt, so the account holds no asset; then a maker
 * (short) resolves the last 100 lots: it takes them over at the mark and the loss left after the
 * market's fees goes to the short side's loss index, at a cost independent of the number of shorts.
 * It sets ETH-PERP's loss flag, so it runs after every other ETH-PERP scenario.
 */
async function perpBankruptcy(w: World): Promise<Result> {
  const { m, p } = await start(w);
  const weth = await m.assets[0].getAddress();
  const e = p.eth.market;
  const market = await e.getAddress();
  const b = await wallet(w, 18, "perp");
  await fund(w, b, m.assets[1], 600n * USDC_UNIT);
  await done(e.connect(b).placeOrder(order(Side.Bid, ETH_BACKSTOP_ASK, 1_000n, OrderKind.Ioc)));
  const account = await id(b);
  const before = m.priceWad.get(weth)!;
  m.priceWad.set(weth, (before * 70n) / 100n);
  await refreshPrices(w, m);
  await done(p.liquidator.connect(p.perpLiquidator).liquidate(market, account, 900n, 0, false));
  if (!(await w.ch.holdsNoAssets(account))) throw new Error("the bankrupt account still holds assets");
  const tx = await p.liquidator.connect(p.makers[0]).resolveBankruptcy(market, account, 0);
  const fig = await measure(w.provider, tx, "liquidation.bankruptcy");
  const [size] = await e.positionOf(account);
  if (size !== 0n) throw new Error(`bankruptcy left ${size} lots`);

  m.priceWad.set(weth, before);
  await refreshPrices(w, m);
  await elapse(w, 4 * 3600);
  await refreshPrices(w, m);
  return { "liquidation.bankruptcy": fig };
}

/** Every perp scenario, in the order run (the liquidations move a price, so they run last). */
export const PERP_SCENARIOS: ((w: World) => Promise<Result>)[] = [
  perpPlace,
  perpCancel,
  perpTakes,
  perpValuation,
  perpLiquidation,
  perpBankruptcy,
];
