// The breadth series (issue #14) on the world of bench-breadth-world.ts (built on first use, after
// the perp scenarios): what one more perp position, or one more idle asset, adds to a margin-checked
// action. Each point is the same action by an account that differs only in how much it holds;
// the slope over the series (least squares, rounded up) is a key of its own.
// - perp.place.existingLevel.positionsNN: the perp placement of perp.place.existingLevel (an ask of
//   10 lots joining ETH-PERP's 300_030 level behind another account's order) by the holder of NN
//   positions; perp.place.perExtraPosition is the slope over 1, 2, 4, 8, 16;
// - lending.borrow.idleAssetsNN: a repeat borrow of 1,000 USDC by the holder of NN idle assets;
//   lending.borrow.perExtraIdleAsset is the slope over 2, 4, 8, 16.
// Prices are fresh (bench-prices.ts); the 16-position and 16-asset points are also measured with
// stale prices (`.staleFeed`), where a price cache would matter most.
import type { Signer } from "ethers";
import { Side } from "../sdk/src/math/order.ts";
import { slope, type Figures } from "./bench-measure.ts";
import { type World, done } from "./bench-world.ts";
import { USDC_UNIT, elapse } from "./bench-margin-world.ts";
import { measureFresh, measureFreshAndStale } from "./bench-prices.ts";
import { order, perpPlacedIds, perpRest } from "./bench-perp-world.ts";
import { perpStart, perpWorld } from "./bench-perp.ts";
import { type BreadthWorld, ASSET_COUNTS, POSITION_COUNTS, buildBreadthWorld, settleHolder } from "./bench-breadth-world.ts";

type Result = Record<string, Figures>;

/** Issue #14's bars for the breadth keys. */
export const BREADTH_TARGETS: Record<string, number> = {
  "perp.place.perExtraPosition": 16_000,
  "lending.borrow.perExtraIdleAsset": 9_000,
  "perp.place.existingLevel.positions08": 200_000,
  "perp.place.existingLevel.positions16": 330_000,
};

const LOTS = 10n;
const BLOCK_GAP = 12;
const pad = (n: number) => String(n).padStart(2, "0");
export const positionsKey = (n: number) => `perp.place.existingLevel.positions${pad(n)}`;
export const assetsKey = (n: number) => `lending.borrow.idleAssets${pad(n)}`;

let built: BreadthWorld | undefined;

async function breadthWorld(w: World): Promise<BreadthWorld> {
  if (built === undefined) {
    const { m, p } = await perpWorld(w);
    built = await buildBreadthWorld(w, m, p);
  }
  return built;
}

/** One point of the perp series: the holder of `n` positions joins the level behind `others[0]`. */
async function placeWithPositions(w: World, n: number, holder: Signer): Promise<Result> {
  const b = await breadthWorld(w);
  const { m, p } = await perpStart(w);
  await settleHolder(b, holder, n);
  const e = p.eth.market;
  const a = p.others[0];
  const first = await perpRest(e, a, order(Side.Ask, 300_030n, LOTS));
  await elapse(w, BLOCK_GAP);
  const key = positionsKey(n);
  const place = () => e.connect(holder).placeOrder(order(Side.Ask, 300_030n, LOTS));
  let figs: Result;
  let tx;
  if (n === 16) {
    ({ figs, tx } = await measureFreshAndStale(w, m, key, place));
  } else {
    const r = await measureFresh(w, m, key, place);
    figs = { [key]: r.fig };
    tx = r.tx;
  }
  await done(e.connect(a).cancelOrder(first));
  for (const i of perpPlacedIds(e, (await tx.wait())!.logs)) await done(e.connect(holder).cancelOrder(i));
  return figs;
}

async function perpBreadth(w: World): Promise<Result> {
  const b = await breadthWorld(w);
  const out: Result = {};
  for (const n of POSITION_COUNTS) Object.assign(out, await placeWithPositions(w, n, b.positionHolders.get(n)!));
  out["perp.place.perExtraPosition"] = slope(POSITION_COUNTS.map((n) => [n, out[positionsKey(n)]] as const));
  return out;
}

async function assetBreadth(w: World): Promise<Result> {
  const b = await breadthWorld(w);
  const { m } = await perpStart(w);
  const usdc = await m.assets[1].getAddress();
  const out: Result = {};
  for (const n of ASSET_COUNTS) {
    const h = b.assetHolders.get(n)!;
    const to = await h.getAddress();
    const borrow = () => w.ch.connect(h).borrow(usdc, 0, 1_000n * USDC_UNIT, to);
    await elapse(w, BLOCK_GAP);
    if (n === 16) Object.assign(out, (await measureFreshAndStale(w, m, assetsKey(n), borrow)).figs);
    else out[assetsKey(n)] = (await measureFresh(w, m, assetsKey(n), borrow)).fig;
  }
  out["lending.borrow.perExtraIdleAsset"] = slope(ASSET_COUNTS.map((n) => [n, out[assetsKey(n)]] as const));
  return out;
}

/** Every breadth scenario, in the order run. */
export const BREADTH_SCENARIOS: ((w: World) => Promise<Result>)[] = [perpBreadth, assetBreadth];
