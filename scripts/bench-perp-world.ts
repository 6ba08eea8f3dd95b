// The perp layer on top of the margin world of bench-margin-world.ts: four perp markets in the core
// (ETH-PERP, BTC-PERP, LINK-PERP, UNI-PERP on the margin world's priced assets; the core is also
// their liquidator, `liquidatePerp`),
// and the accounts the perp scenarios of bench-perp.ts measure. Conditions, as for the spot keys:
// - fees non-zero (maker 1 bps, taker 5 bps, maker fee bound 2 bps);
// - every trading account holds USDC collateral, has traded on ETH-PERP as maker and as taker,
//   holds a position on ETH-PERP and one on BTC-PERP (the "2 positions") and keeps one small
//   background bid deep in the ETH-PERP book, so both its position and pocket slots are live;
// - makers are short, the taker and the placing accounts long: a measured fill grows both sides'
//   positions (no flip); every account's unsettled cash is settled before each measurement;
// - every tick a scenario uses had its queue slots used and its level emptied before; all sit in
//   one bitmap leaf word, as in bench-world.ts.
import type { Signer } from "ethers";
import { createPerpMarket } from "./lib/deploy-perp.ts";
import type { MockERC20 } from "../types/ethers-contracts/index.js";
import type { PerpMarket } from "./lib/market.ts";
import { encodeOrder, Side, OrderKind } from "../sdk/src/math/order.ts";
import { type World, done } from "./bench-world.ts";
import { type MarginWorld, USDC_UNIT, fund, wallet } from "./bench-margin-world.ts";

const WAD = 10n ** 18n;

/** ETH-PERP: lot 0.001 WETH, tick 10 USDC atoms: tick 300_000 = $3,000 (as the spot book). */
export const ETH_BACKSTOP_ASK = 300_130n;
export const ETH_BACKSTOP_BID = 299_885n;
export const ETH_BACKGROUND_BID = 299_890n;

export interface PerpBook {
  symbol: string;
  market: PerpMarket;
  underlying: MockERC20;
  backstopAsk: bigint;
  backstopBid: bigint;
}

export interface PerpWorld {
  eth: PerpBook;
  btc: PerpBook;
  link: PerpBook;
  uni: PerpBook;
  books: PerpBook[];
  /** Ten short makers. */
  makers: Signer[];
  /** Long; takes the makers' asks. */
  taker: Signer;
  /** Long; place and cancel scenarios. */
  others: Signer[];
  /** Holds the backstop quotes on every perp book and takes what `cycle` rests. */
  anchor: Signer;
  /** Spot WETH, WBTC, LINK, UNI and USDC, short a perp on each of the four underlyings. */
  holder4: Signer;
  /** USDC collateral, a long on ETH-PERP near its limit, no resting order. */
  liquidatee: Signer;
  /** Long on ETH-PERP and BTC-PERP with a background bid, as the others; takes over positions. */
  perpLiquidator: Signer;
  /** Every account with a background bid, for settling between scenarios. */
  traders: Signer[];
}

export const order = (side: Side, tick: bigint, lots: bigint, kind?: OrderKind): bigint =>
  encodeOrder({ side, tick, lots, kind });

/** Ids of the orders a receipt shows resting on `market`. */
export function perpPlacedIds(market: PerpMarket, logs: readonly { topics: readonly string[]; data: string }[]): bigint[] {
  const ids: bigint[] = [];
  for (const log of logs) {
    const parsed = market.interface.parseLog(log);
    if (parsed?.name === "OrderPlaced" && parsed.args.marketId === market.marketId) ids.push(parsed.args.orderId as bigint);
  }
  return ids;
}

export async function perpRest(market: PerpMarket, who: Signer, word: bigint): Promise<bigint> {
  const [id] = perpPlacedIds(market, (await done(market.connect(who).placeOrder(word))).logs);
  if (id === undefined) throw new Error("perp order did not rest");
  return id;
}

/** Uses `slots` queue positions of an ETH-PERP ask tick (one lot each) and empties it again. */
export async function perpCycle(p: PerpWorld, tick: bigint, slots: number): Promise<void> {
  const pool = [...p.makers, ...p.others, p.taker];
  const m = p.eth.market;
  for (let i = 0; i < slots; i++) await perpRest(m, pool[i], order(Side.Ask, tick, 1n));
  await done(m.connect(p.anchor).placeOrder(order(Side.Bid, tick, BigInt(slots), OrderKind.Ioc)));
  const [total] = await m.levelOf(Side.Ask, tick);
  if (total !== 0n) throw new Error(`perp cycle left ${total} lots at ${tick}`);
}

/** Settles every trader's unsettled cash into its Clearinghouse balance. */
export async function settleAll(p: PerpWorld): Promise<void> {
  for (const s of p.traders) {
    for (const b of [p.eth, p.btc]) await done(b.market.settle(await s.getAddress(), 0));
  }
}

export async function buildPerpWorld(w: World, m: MarginWorld): Promise<PerpWorld> {
  const [weth, usdc, wbtc, link, uni] = m.assets;
  const U = await usdc.getAddress();
  const fees = { makerFeeBps: 1n, takerFeeBps: 5n, maxMakerFeeBps: 2n };
  const mk = async (symbol: string, t: MockERC20, lotSize: bigint, ask: bigint, bid: bigint): Promise<PerpBook> => {
    const market = await createPerpMarket(w.protocol, {
      underlying: await t.getAddress(),
      quote: U,
      lotSize,
      tickSize: 10n,
      ...fees,
    });
    return { symbol, market, underlying: t, backstopAsk: ask, backstopBid: bid };
  };
  // lot value at the index: ETH 0.001 × $3,000, BTC 0.0001 × $60,000, LINK 0.1 × $15, UNI 0.1 × $8
  const eth = await mk("ETH-PERP", weth, 10n ** 15n, ETH_BACKSTOP_ASK, ETH_BACKSTOP_BID);
  const btc = await mk("BTC-PERP", wbtc, 10n ** 4n, 600_300n, 599_700n);
  const lnk = await mk("LINK-PERP", link, 10n ** 17n, 150_100n, 149_900n);
  const un = await mk("UNI-PERP", uni, 10n ** 17n, 80_100n, 79_900n);
  const books = [eth, btc, lnk, un];

  const ws = await Promise.all(Array.from({ length: 18 }, (_, n) => wallet(w, n, "perp")));
  const p: PerpWorld = {
    eth,
    btc,
    link: lnk,
    uni: un,
    books,
    makers: ws.slice(0, 10),
    taker: ws[10],
    others: ws.slice(11, 14),
    anchor: ws[14],
    holder4: ws[15],
    liquidatee: ws[16],
    perpLiquidator: ws[17],
    traders: [],
  };
  const longs = [p.taker, ...p.others, p.perpLiquidator];
  p.traders = [...p.makers, ...longs];

  await fund(w, p.anchor, usdc, 1_000_000_000n * USDC_UNIT);
  for (const s of p.traders) await fund(w, s, usdc, 1_000_000n * USDC_UNIT);
  for (const b of books) {
    await perpRest(b.market, p.anchor, order(Side.Ask, b.backstopAsk, 100_000n));
    await perpRest(b.market, p.anchor, order(Side.Bid, b.backstopBid, 100_000n));
  }

  // Everyone trades on ETH-PERP once as maker (the anchor takes it) and once as taker: longs
  // end 20 lots long, makers 20 lots short; then 10 lots on BTC-PERP the same way round.
  const e = eth.market;
  for (const s of longs) await perpRest(e, s, order(Side.Ask, 300_120n, 1n));
  await done(e.connect(p.anchor).placeOrder(order(Side.Bid, 300_120n, BigInt(longs.length), OrderKind.Ioc)));
  for (const s of longs) await done(e.connect(s).placeOrder(order(Side.Bid, ETH_BACKSTOP_ASK, 21n, OrderKind.Ioc)));
  for (const s of p.makers) await perpRest(e, s, order(Side.Bid, 299_950n, 1n));
  await done(e.connect(p.anchor).placeOrder(order(Side.Ask, 299_950n, BigInt(p.makers.length), OrderKind.Ioc)));
  for (const s of p.makers) await done(e.connect(s).placeOrder(order(Side.Ask, ETH_BACKSTOP_BID, 21n, OrderKind.Ioc)));
  for (const s of longs) await done(btc.market.connect(s).placeOrder(order(Side.Bid, btc.backstopAsk, 10n, OrderKind.Ioc)));
  for (const s of p.makers) await done(btc.market.connect(s).placeOrder(order(Side.Ask, btc.backstopBid, 10n, OrderKind.Ioc)));

  // Queue slots and level words of the ticks the scenarios use.
  await perpCycle(p, 300_000n, 12); // takes
  await perpCycle(p, 300_020n, 4); // cancel in the middle of a queue
  await perpCycle(p, 300_030n, 4); // join an existing level

  // The valuation holder: spot on each underlying, short the perp of each (a basis book).
  const h = p.holder4;
  await fund(w, h, usdc, 50_000n * USDC_UNIT);
  for (const [t, atoms] of [
    [weth, 10n * WAD],
    [wbtc, 10n ** 8n],
    [link, 2_000n * WAD],
    [uni, 4_000n * WAD],
  ] as const) {
    await fund(w, h, t, atoms);
  }
  for (const b of books) await done(b.market.connect(h).placeOrder(order(Side.Ask, b.backstopBid, 1_000n, OrderKind.Ioc)));

  // The account to be liquidated: 6,000 USDC behind a 10 WETH long.
  const l = p.liquidatee;
  await fund(w, l, usdc, 6_000n * USDC_UNIT);
  await done(e.connect(l).placeOrder(order(Side.Bid, ETH_BACKSTOP_ASK, 10_000n, OrderKind.Ioc)));

  // Background bids last (the holder's sells above would have hit them).
  for (const s of p.traders) await perpRest(e, s, order(Side.Bid, ETH_BACKGROUND_BID, 1n));
  await settleAll(p);

  return p;
}
