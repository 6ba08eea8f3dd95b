// The breadth layer on top of the perp world of bench-perp-world.ts (issue #14: what one more perp
// position or one more asset held adds to a margin-checked action). It lists twelve more assets
// (a Chainlink-style feed each at $10, as the margin world's, and a 20% shock), each with a perp market, so that with ETH, BTC, LINK and UNI
// there are 16 perp markets on 16 distinct underlyings and 16 non-USDC assets, and builds:
// - perp holders of 1, 2, 4, 8 and 16 positions: like the perp world's placing accounts, each holds
//   USDC collateral, is long 20 lots on ETH-PERP and keeps a background bid there; it is long 10
//   lots on each of the next N − 1 perp markets (BTC, LINK, UNI, then the new ones);
// - idle-asset holders of 2, 4, 8 and 16 assets: idle (not lent) balances worth about $30,000 each
//   of the first N non-USDC assets (WETH, WBTC, LINK, UNI, then the new ones), and a USDC debt of
//   1,000 (so each measured borrow is a repeat borrow, as lending.borrow); no book, no market.
// Conditions as in the perp world: fees as there, every tick used before (the measured placement
// joins ETH-PERP's 300_030 level, which the perp world cycled), unsettled cash settled before each
// measurement (bench-breadth.ts).
import type { Signer } from "ethers";
import { deployToken } from "./lib/deploy.ts";
import { createPerpMarket } from "./lib/deploy-perp.ts";
import type { MockERC20 } from "../types/ethers-contracts/index.js";
import { Side, OrderKind } from "../sdk/src/math/order.ts";
import { labelAddress } from "./bench-profile.ts";
import { type World, done } from "./bench-world.ts";
import { type MarginWorld, USDC_UNIT, fund, id, refreshPrices, useAggregator, wallet } from "./bench-margin-world.ts";
import {
  type PerpBook,
  type PerpWorld,
  order,
  perpRest,
  ETH_BACKGROUND_BID,
  ETH_BACKSTOP_ASK,
} from "./bench-perp-world.ts";

const WAD = 10n ** 18n;

/** Position counts and idle-asset counts of the two series. */
export const POSITION_COUNTS = [1, 2, 4, 8, 16] as const;
export const ASSET_COUNTS = [2, 4, 8, 16] as const;

/** The twelve assets listed for breadth (all 18 decimals, $10). */
const NEW_SYMBOLS = ["AAVE", "ARB", "OP", "SOL", "AVAX", "DOT", "ATOM", "NEAR", "APT", "SUI", "TIA", "SEI"];
const NEW_PRICE_WAD = 10n * WAD;
/** A new market's lot is 0.1 token ($1): tick 10 USDC atoms puts $10 at tick 100_000. */
const NEW_BACKSTOP_ASK = 100_100n;
const NEW_BACKSTOP_BID = 99_900n;

export interface BreadthWorld {
  /** The 16 perp books: ETH, BTC, LINK, UNI, then the twelve new ones. */
  books: PerpBook[];
  /** The 16 non-USDC assets: WETH, WBTC, LINK, UNI, then the twelve new ones. */
  assets: MockERC20[];
  /** Holds the backstop quotes on the twelve new books. */
  anchor: Signer;
  /** Perp holder by position count (ETH-PERP and the next N − 1 books). */
  positionHolders: Map<number, Signer>;
  /** Idle-asset holder by asset count (the first N assets, and a USDC debt). */
  assetHolders: Map<number, Signer>;
}

/** Lists `token` with its own aggregator at `priceWad` and a 20% shock, 1% slippage (as LINK). */
async function listPricedAsset(w: World, m: MarginWorld, token: string, symbol: string, priceWad: bigint): Promise<void> {
  await done(w.ch.listAsset(token));
  await useAggregator(w, m, token, symbol, priceWad);
  await done(w.ch.setAssetRisk(token, 2_000, 100, 9_800));
}

/** Settles `who`'s unsettled cash on each of its first `n` books (ETH-PERP first). */
export async function settleHolder(b: BreadthWorld, who: Signer, n: number): Promise<void> {
  const owner = await who.getAddress();
  for (const book of b.books.slice(0, n)) await done(book.market.settle(owner, 0));
}

export async function buildBreadthWorld(w: World, m: MarginWorld, p: PerpWorld): Promise<BreadthWorld> {
  const [weth, usdc, wbtc, link, uni] = m.assets;
  const admin = w.protocol.admin;
  const U = await usdc.getAddress();
  const newTokens: MockERC20[] = [];
  const newBooks: PerpBook[] = [];
  for (const symbol of NEW_SYMBOLS) {
    const t = await deployToken(admin, symbol, symbol, 18);
    const token = await t.getAddress();
    labelAddress(token, symbol);
    await listPricedAsset(w, m, token, symbol, NEW_PRICE_WAD);
    const market = await createPerpMarket(w.protocol, {
      underlying: token,
      quote: U,
      lotSize: 10n ** 17n,
      tickSize: 10n,
      makerFeeBps: 1n,
      takerFeeBps: 5n,
      maxMakerFeeBps: 2n,
    });
    newTokens.push(t);
    newBooks.push({ symbol: `${symbol}-PERP`, market, underlying: t, backstopAsk: NEW_BACKSTOP_ASK, backstopBid: NEW_BACKSTOP_BID });
  }
  await refreshPrices(w, m);

  const ws = await Promise.all(Array.from({ length: 1 + POSITION_COUNTS.length + ASSET_COUNTS.length }, (_, n) => wallet(w, n, "breadth")));
  const b: BreadthWorld = {
    books: [p.eth, p.btc, p.link, p.uni, ...newBooks],
    assets: [weth, wbtc, link, uni, ...newTokens],
    anchor: ws[0],
    positionHolders: new Map(POSITION_COUNTS.map((n, i) => [n, ws[1 + i]])),
    assetHolders: new Map(ASSET_COUNTS.map((n, i) => [n, ws[1 + POSITION_COUNTS.length + i]])),
  };

  await fund(w, b.anchor, usdc, 1_000_000_000n * USDC_UNIT);
  for (const book of newBooks) {
    await perpRest(book.market, b.anchor, order(Side.Ask, book.backstopAsk, 100_000n));
    await perpRest(book.market, b.anchor, order(Side.Bid, book.backstopBid, 100_000n));
  }

  // Perp holders: long 20 lots on ETH-PERP, 10 on each further book, a background bid on ETH-PERP.
  for (const [n, h] of b.positionHolders) {
    await fund(w, h, usdc, 1_000_000n * USDC_UNIT);
    await done(p.eth.market.connect(h).placeOrder(order(Side.Bid, ETH_BACKSTOP_ASK, 20n, OrderKind.Ioc)));
    for (const book of b.books.slice(1, n)) {
      await done(book.market.connect(h).placeOrder(order(Side.Bid, book.backstopAsk, 10n, OrderKind.Ioc)));
    }
    await perpRest(p.eth.market, h, order(Side.Bid, ETH_BACKGROUND_BID, 1n));
    await settleHolder(b, h, n);
    const held = await Promise.all(b.books.slice(0, n).map(async (book) => (await book.market.positionOf(await id(h)))[0]));
    if (held.some((size) => size <= 0n)) throw new Error(`holder of ${n} positions is not long on each`);
  }

  // Idle-asset holders: about $30,000 of each of the first N assets, then a first USDC borrow.
  const worth: bigint[] = [10n * WAD, 5n * 10n ** 7n, 2_000n * WAD, 4_000n * WAD, ...newTokens.map(() => 3_000n * WAD)];
  for (const [n, h] of b.assetHolders) {
    for (let i = 0; i < n; i++) await fund(w, h, b.assets[i], worth[i]);
    await done(w.ch.connect(h).borrow(U, 0, 1_000n * USDC_UNIT, await h.getAddress()));
  }
  return b;
}
