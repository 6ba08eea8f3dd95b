// The warmed-up market every bench scenario runs on, and the helpers that keep its book clean
// between scenarios. Conditions it guarantees (the "common conditions"):
// - fees non-zero (maker 1 bps, taker 5 bps, maker fee bound 2 bps), as the test fixture;
// - every account holds WETH and USDC in the Clearinghouse and has traded on the market both as
//   maker and as taker;
// - every account keeps one small background bid deep in the book, as a market maker keeps
//   quotes: that is what keeps its pocket slot live. Pockets are swept before each measurement,
//   so orders are funded from the Clearinghouse balance (its call and slot write are paid);
// - every tick a scenario uses had its queue slots used and its level emptied before
//   (`cycle`), except the one `freshTick` uses; all ticks sit in one bitmap leaf word.
import { network } from "hardhat";
import type { Signer, ContractTransactionResponse, TransactionReceipt } from "ethers";
import { deployProtocol, deployToken, createSpotMarket, type Protocol } from "./lib/deploy.ts";
import type { Clearinghouse, MockERC20 } from "../types/ethers-contracts/index.js";
import type { SpotMarket } from "./lib/market.ts";
import { encodeOrder, Side, OrderKind } from "../sdk/src/math/order.ts";
import { setCoreAddress, type RequestProvider } from "./bench-measure.ts";
import { labelAddress } from "./bench-profile.ts";

export const LOT_SIZE = 10n ** 15n; // 0.001 WETH
export const TICK_SIZE = 10n; // 0.00001 USDC per lot => $0.01 per WETH
const FUNDS = 10n ** 24n;

/** Leaf word 1176 of the bitmap holds ticks 299880..300134 (tick / 255 = 1176). */
export const WORD_FIRST = 299_880n;
export const WORD_LAST = 300_134n;
/** The anchor's standing quotes: the book outside every scenario. */
export const BACKSTOP_ASK = 300_130n;
export const BACKSTOP_BID = 299_885n;
/** Every account's background bid. */
export const BACKGROUND_BID = 299_890n;

export interface World {
  provider: RequestProvider;
  /** The connection's ethers (margin scenarios make their own wallets with it). */
  ethers: Awaited<ReturnType<typeof network.create>>["ethers"];
  protocol: Protocol;
  ch: Clearinghouse;
  market: SpotMarket;
  weth: MockERC20;
  usdc: MockERC20;
  /** Ten distinct maker accounts. */
  makers: Signer[];
  taker: Signer;
  /** Accounts for place / cancel scenarios (distinct from makers and taker). */
  others: Signer[];
  /** Holds the backstop quotes and takes the orders `cycle` places. */
  anchor: Signer;
  /** Traded before, then swept and left with no order: its pocket slot is zero. */
  idle: Signer;
  everyone: Signer[];
}

export const ask = (tick: bigint, lots: bigint): bigint => encodeOrder({ side: Side.Ask, tick, lots });
export const bid = (tick: bigint, lots: bigint): bigint => encodeOrder({ side: Side.Bid, tick, lots });
export const buyIoc = (tick: bigint, lots: bigint): bigint =>
  encodeOrder({ side: Side.Bid, tick, lots, kind: OrderKind.Ioc });
export const sellIoc = (tick: bigint, lots: bigint): bigint =>
  encodeOrder({ side: Side.Ask, tick, lots, kind: OrderKind.Ioc });

export async function done(tx: Promise<ContractTransactionResponse>): Promise<TransactionReceipt> {
  const receipt = await (await tx).wait();
  if (receipt === null || receipt.status !== 1) throw new Error("setup transaction failed");
  return receipt;
}

/** Ids of the orders a receipt shows resting (OrderPlaced), in emission order. */
export function placedIds(w: World, receipt: TransactionReceipt): bigint[] {
  const ids: bigint[] = [];
  for (const log of receipt.logs) {
    const parsed = w.market.interface.parseLog(log);
    if (parsed?.name === "OrderPlaced" && parsed.args.marketId === w.market.marketId) ids.push(parsed.args.orderId as bigint);
  }
  return ids;
}

/** Places one order and returns the id it rests under. */
export async function rest(w: World, who: Signer, word: bigint): Promise<bigint> {
  const [id] = placedIds(w, await done(w.market.connect(who).placeOrder(word)));
  if (id === undefined) throw new Error("order did not rest");
  return id;
}

/** Moves every account's unswept proceeds to its Clearinghouse balance. */
export async function sweepAll(w: World): Promise<void> {
  for (const s of w.everyone) await done(w.market.sweep(await s.getAddress(), 0));
}

/** Throws unless the book is just the backstop quotes and background bids. */
export async function assertClean(w: World): Promise<void> {
  const [bestBid, bestAsk] = await w.market.bestBidAsk();
  if (bestBid !== BACKGROUND_BID || bestAsk !== BACKSTOP_ASK) {
    throw new Error(`book not clean: best bid ${bestBid}, best ask ${bestAsk}`);
  }
}

/**
 * Uses `slots` queue positions of a tick and empties the level again: distinct accounts rest
 * one lot each, the anchor takes them all. Afterwards the tick's level word and queue slots
 * are non-zero and its epoch has moved on: the state of a tick that "held orders before".
 */
export async function cycle(w: World, side: Side, tick: bigint, slots: number): Promise<void> {
  const pool = [...w.makers, ...w.others, w.taker];
  if (slots > pool.length) throw new Error("not enough accounts to cycle");
  for (let i = 0; i < slots; i++) {
    await rest(w, pool[i], encodeOrder({ side, tick, lots: 1n }));
  }
  const take = side === Side.Ask ? buyIoc(tick, BigInt(slots)) : sellIoc(tick, BigInt(slots));
  await done(w.market.connect(w.anchor).placeOrder(take));
  const [total] = await w.market.levelOf(side, tick);
  if (total !== 0n) throw new Error(`cycle left ${total} lots at ${tick}`);
}

/** Deploys, funds and warms up the market. */
export async function buildWorld(): Promise<World> {
  const connection = await network.create();
  const { ethers } = connection;
  const signers = await ethers.getSigners();
  const admin = signers[0];
  const protocol = await deployProtocol(admin);
  const ch = protocol.clearinghouse;
  const weth = await deployToken(admin, "Wrapped Ether", "WETH", 18);
  const usdc = await deployToken(admin, "USD Coin", "USDC", 6);
  const market = await createSpotMarket(protocol, {
    base: await weth.getAddress(),
    quote: await usdc.getAddress(),
    lotSize: LOT_SIZE,
    tickSize: TICK_SIZE,
    minLots: 1n,
    makerFeeBps: 1n,
    takerFeeBps: 5n,
    maxMakerFeeBps: 2n,
  });
  const everyone = signers.slice(1, 20);
  const w: World = {
    provider: connection.provider as RequestProvider,
    ethers,
    protocol,
    ch,
    market,
    weth,
    usdc,
    makers: everyone.slice(0, 10),
    taker: everyone[10],
    others: everyone.slice(11, 17),
    idle: everyone[17],
    anchor: everyone[18],
    everyone,
  };

  const chAddr = await ch.getAddress();
  // the core: every book (this one is market id `market.marketId`), the vault, the pools and ATLAS
  labelAddress(chAddr, "Clearinghouse");
  setCoreAddress(chAddr);
  labelAddress(await weth.getAddress(), "WETH");
  labelAddress(await usdc.getAddress(), "USDC");
  for (const s of everyone) {
    for (const t of [weth, usdc]) {
      await done(t.mint(await s.getAddress(), FUNDS * 2n));
      await done(t.connect(s).approve(chAddr, 2n ** 256n - 1n));
      await done(ch.connect(s).deposit(await t.getAddress(), 0, FUNDS));
    }
  }

  // The anchor's backstops bound the book inside one bitmap word.
  await rest(w, w.anchor, ask(BACKSTOP_ASK, 1_000_000n));
  await rest(w, w.anchor, bid(BACKSTOP_BID, 1_000_000n));

  // Everyone trades once as maker (an ask the anchor takes) and once as taker (buying from the
  // anchor's backstop), so pockets and balances exist as for any active trader.
  const traders = everyone.filter((s) => s !== w.anchor);
  for (const s of traders) await rest(w, s, ask(300_120n, 1n));
  await done(market.connect(w.anchor).placeOrder(buyIoc(300_120n, BigInt(traders.length))));
  for (const s of traders) await done(market.connect(s).placeOrder(buyIoc(BACKSTOP_ASK, 1n)));

  // Queue slots and level words of every tick the scenarios use (see bench-scenarios.ts).
  await cycle(w, Side.Ask, 300_000n, 12);
  for (let t = 300_001n; t <= 300_012n; t++) await cycle(w, Side.Ask, t, 2);
  await cycle(w, Side.Ask, 300_020n, 4); // cancel in the middle of a queue
  await cycle(w, Side.Ask, 300_025n, 2); // cancel of a level's last order
  await cycle(w, Side.Ask, 300_030n, 4); // join an existing level
  await cycle(w, Side.Ask, 300_035n, 2); // new level at a used tick
  await cycle(w, Side.Bid, 299_950n, 4); // bids: from the pocket, sell-side take
  await cycle(w, Side.Bid, 299_940n, 2);

  // Background bids, funded from swept pockets; the idle account keeps none.
  await sweepAll(w);
  for (const s of everyone) {
    if (s !== w.idle && s !== w.anchor) await rest(w, s, bid(BACKGROUND_BID, 1n));
  }
  await sweepAll(w);
  await assertClean(w);
  return w;
}
