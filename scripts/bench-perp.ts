// The perp scenarios (issue 4): placing, cancelling and taking on ETH-PERP, the ATLAS valuation of
// a four-underlying spot + perp book, and a perp liquidation by the core (`liquidatePerp`; the
// PerpLiquidator contract's before issue #14 stage 4), on the world of
// bench-perp-world.ts (built on first use, after the margin scenarios). Each starts from the clean
// perp book (backstops and background bids only) and leaves it clean.
import type { Signer } from "ethers";
import { Side, OrderKind, accountId } from "../sdk/src/math/order.ts";
import { measure, marginal, type Figures } from "./bench-measure.ts";
import { profiles } from "./bench-profile.ts";
import { type World, done, rest, bid } from "./bench-world.ts";
import { type MarginWorld, elapse, fund, refreshPrices, wallet, USDC_UNIT } from "./bench-margin-world.ts";
import { marginWorld } from "./bench-margin.ts";
import { createPerpMarket } from "./lib/deploy-perp.ts";
import type { PerpMarket } from "./lib/market.ts";
import { estimateFreshAndStale, measureFresh, measureFreshAndStale } from "./bench-prices.ts";
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

/**
 * The bar for each perp key (whole-transaction gas, or the view's gas estimate): issue #14's where
 * it sets one, issue #4's otherwise.
 */
export const PERP_TARGETS: Record<string, number> = {
  "perp.place.existingLevel": 100_000,
  "perp.take.1maker": 130_000,
  "perp.take.perExtraMaker": 20_000,
  "perp.cancel": 45_000,
  "atlas.value.4underlyings": 120_000,
  "liquidation.perp": 180_000,
};

const LOTS = 10n;
const BLOCK_GAP = 12;
const id = async (s: Signer) => accountId((await s.getAddress()) as `0x${string}`);

let built: { m: MarginWorld; p: PerpWorld } | undefined;

/** The margin and perp worlds, built once on first use (the breadth scenarios build on them too). */
export async function perpWorld(w: World): Promise<{ m: MarginWorld; p: PerpWorld }> {
  if (built === undefined) {
    const m = await marginWorld(w);
    await refreshPrices(w, m);
    built = { m, p: await buildPerpWorld(w, m) };
  }
  return built;
}

async function start(w: World): Promise<{ m: MarginWorld; p: PerpWorld }> {
  const { m, p } = await perpWorld(w);
  const [bestBid, bestAsk] = await p.eth.market.bestBidAsk();
  if (bestBid !== ETH_BACKGROUND_BID || bestAsk !== ETH_BACKSTOP_ASK) {
    throw new Error(`ETH-PERP book not clean: best bid ${bestBid}, best ask ${bestAsk}`);
  }
  await refreshPrices(w, m);
  await settleAll(p);
  await elapse(w, BLOCK_GAP);
  return { m, p };
}

async function cancelAllOf(p: PerpWorld, who: Signer, ids: bigint[]): Promise<void> {
  for (const i of ids) await done(p.eth.market.connect(who).cancelOrder(i));
}

// ---------------------------------------------------------------- placing and cancelling

/** Joins a level holding one order (another account's) at a used tick; ATLAS checks the placer. */
async function perpPlace(w: World): Promise<Result> {
  const { m, p } = await start(w);
  const [a, b] = p.others;
  const e = p.eth.market;
  const first = await perpRest(e, a, order(Side.Ask, 300_030n, LOTS));
  await elapse(w, BLOCK_GAP);
  const { figs, tx } = await measureFreshAndStale(w, m, "perp.place.existingLevel", () =>
    e.connect(b).placeOrder(order(Side.Ask, 300_030n, LOTS)),
  );
  await cancelAllOf(p, a, [first]);
  await cancelAllOf(p, b, perpPlacedIds(e, (await tx.wait())!.logs));
  return figs;
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

/**
 * The long taker buys (IOC) exactly what `n` short makers offer at 300_000: each grows. With
 * `stale`, also measured with stale prices (bench-prices.ts).
 */
async function takeAsks(w: World, n: number, label: string, stale: boolean): Promise<Result> {
  const { m, p } = await start(w);
  const e = p.eth.market;
  for (let i = 0; i < n; i++) await perpRest(e, p.makers[i], order(Side.Ask, 300_000n, LOTS));
  await elapse(w, BLOCK_GAP);
  const take = () => e.connect(p.taker).placeOrder(order(Side.Bid, 300_000n, LOTS * BigInt(n), OrderKind.Ioc));
  if (stale) return (await measureFreshAndStale(w, m, label, take)).figs;
  return { [label]: (await measureFresh(w, m, label, take)).fig };
}

async function perpTakes(w: World): Promise<Result> {
  const out = await takeAsks(w, 1, "perp.take.1maker", true);
  Object.assign(out, await takeAsks(w, 10, "perp.take.10makers", false));
  out["perp.take.perExtraMaker"] = marginal(out["perp.take.10makers"], out["perp.take.1maker"], 9);
  return out;
}

// ---------------------------------------------------------------- valuation

/**
 * eth_estimateGas of the Clearinghouse's initialValue (the valuation every margin check runs
 * inside it, RiskLib; before issue #14 stage 3 this measured Atlas.initialValue) for an account holding
 * WETH, WBTC, LINK, UNI and USDC and short the perp of each of the four underlyings.
 */
async function perpValuation(w: World): Promise<Result> {
  const { m, p } = await start(w);
  const account = await id(p.holder4);
  const key = "atlas.value.4underlyings";
  // A view: no storage, no logs.
  const out = await estimateFreshAndStale(w, m, key, () => w.ch.initialValue.estimateGas(account));
  if (profiles(key)) {
    const data = w.ch.interface.encodeFunctionData("initialValue", [account]);
    const tx = await w.protocol.admin.sendTransaction({ to: await w.ch.getAddress(), data });
    await measure(w.provider, tx, `${key} (as a transaction)`);
  }
  return out;
}

// ---------------------------------------------------------------- liquidation

/** Largest lot count the core's `liquidatePerp` accepts now (bisection on eth_call), or 0. */
async function maxLots(w: World, p: PerpWorld, account: string, size: bigint): Promise<bigint> {
  const marketId = p.eth.market.marketId;
  const ok = async (lots: bigint) =>
    w.ch
      .connect(p.perpLiquidator)
      .liquidatePerp.staticCall(marketId, account, lots, 0, false)
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
  const most = await maxLots(w, p, account, size);
  if (most === 0n) throw new Error("no perp liquidation possible");
  const marketId = p.eth.market.marketId;
  const { figs } = await measureFreshAndStale(w, m, "liquidation.perp", () =>
    w.ch.connect(p.perpLiquidator).liquidatePerp(marketId, account, (most * 9n) / 10n, 0, false),
  );

  m.priceWad.set(weth, before);
  await refreshPrices(w, m);
  await elapse(w, 4 * 3600);
  await refreshPrices(w, m);
  return figs;
}

let sideMarket: PerpMarket | undefined;
/**
 * A second WETH perp market, created on first use, for the scenarios that leave a position or a loss
 * behind (so no other scenario's market is touched, and the breadth scenarios' market ids stay).
 */
async function sideWethPerp(w: World, m: MarginWorld): Promise<PerpMarket> {
  sideMarket ??= await createPerpMarket(w.protocol, {
    underlying: await m.assets[0].getAddress(),
    quote: await m.assets[1].getAddress(),
    lotSize: 10n ** 15n,
    tickSize: 10n,
    makerFeeBps: 1n,
    takerFeeBps: 5n,
    maxMakerFeeBps: 2n,
  });
  return sideMarket;
}

/**
 * A bankruptcy on a second WETH perp market of its own (so the loss flag it sets touches no other
 * scenario's market): an account with 600 USDC buys 1 WETH (1,000 lots) from the anchor at $3,000;
 * WETH gaps 30 % down; the perp liquidator takes 900 lots over at the mark (its first call: no
 * discount), which realises the loss into a USDC debt, so the account holds no asset; then the
 * anchor (short) resolves the last 100 lots: it takes them over at the mark and the loss left after
 * the market's fees goes to the short side's loss index, at a cost independent of the number of shorts.
 */
async function perpBankruptcy(w: World): Promise<Result> {
  const { m, p } = await start(w);
  const weth = await m.assets[0].getAddress();
  const e = await sideWethPerp(w, m);
  const b = await wallet(w, 18, "perp");
  await fund(w, b, m.assets[1], 600n * USDC_UNIT);
  await perpRest(e, p.anchor, order(Side.Ask, 300_000n, 1_000n));
  await done(e.connect(b).placeOrder(order(Side.Bid, 300_000n, 1_000n, OrderKind.Ioc)));
  const account = await id(b);
  const before = m.priceWad.get(weth)!;
  m.priceWad.set(weth, (before * 70n) / 100n);
  await refreshPrices(w, m);
  await done(w.ch.connect(p.perpLiquidator).liquidatePerp(e.marketId, account, 900n, 0, false));
  if (!(await w.ch.holdsNoAssets(account))) throw new Error("the bankrupt account still holds assets");
  const tx = await w.ch.connect(p.anchor).resolveBankruptcy(e.marketId, account, 0);
  const fig = await measure(w.provider, tx, "liquidation.bankruptcy");
  const [size] = await e.positionOf(account);
  if (size !== 0n) throw new Error(`bankruptcy left ${size} lots`);

  m.priceWad.set(weth, before);
  await refreshPrices(w, m);
  await elapse(w, 4 * 3600);
  await refreshPrices(w, m);
  return { "liquidation.bankruptcy": fig };
}

/**
 * A liquidation's first step on two markets (issue #14, "work bounded by what is live"): an account
 * with 600 USDC buys 1 WETH (1,000 lots) on the bankruptcy's WETH perp market from the anchor at $3,000
 * and rests a bid there and one on the WETH/USDC spot book (below every other bid); WETH falls until
 * the account is liquidatable; one `cancelAllForLiquidation` clears both markets (one valuation, two
 * pockets). Both books are as before; the position stays on its own market.
 */
async function liquidationClearOrders(w: World): Promise<Result> {
  const { m, p } = await start(w);
  const weth = await m.assets[0].getAddress();
  const e = await sideWethPerp(w, m);
  const b = await wallet(w, 19, "perp");
  await fund(w, b, m.assets[1], 600n * USDC_UNIT);
  await perpRest(e, p.anchor, order(Side.Ask, 300_000n, 1_000n));
  await done(e.connect(b).placeOrder(order(Side.Bid, 300_000n, 1_000n, OrderKind.Ioc)));
  const perpId = await perpRest(e, b, order(Side.Bid, 200_000n, 10n));
  const spotId = await rest(w, b, bid(200_000n, 10n));
  const account = await id(b);
  const before = m.priceWad.get(weth)!;
  let price = before;
  while (!(await w.ch.isLiquidatable(account))) {
    price = (price * 99n) / 100n;
    m.priceWad.set(weth, price);
    await refreshPrices(w, m);
  }
  await elapse(w, BLOCK_GAP);
  await refreshPrices(w, m);
  const owner = await b.getAddress();
  const tx = await w.ch.connect(p.perpLiquidator).cancelAllForLiquidation(owner, 0, [spotId, perpId]);
  const fig = await measure(w.provider, tx, "liquidation.clearOrders.2markets");
  const [, , , , spotOpen] = await w.market.pocketOf(owner, 0);
  const [, , , , perpOpen] = await e.pocketOf(owner, 0);
  if (spotOpen !== 0n || perpOpen !== 0n) throw new Error(`orders left: ${spotOpen} spot, ${perpOpen} perp`);

  m.priceWad.set(weth, before);
  await refreshPrices(w, m);
  await elapse(w, 4 * 3600);
  await refreshPrices(w, m);
  return { "liquidation.clearOrders.2markets": fig };
}

/** A perp scenario's start: the ETH-PERP book clean, prices updated, every trader settled. */
export const perpStart = start;

/** Every perp scenario, in the order run (the liquidations move a price, so they run last). */
export const PERP_SCENARIOS: ((w: World) => Promise<Result>)[] = [
  perpPlace,
  perpCancel,
  perpTakes,
  perpValuation,
  perpLiquidation,
  perpBankruptcy,
  liquidationClearOrders,
];
