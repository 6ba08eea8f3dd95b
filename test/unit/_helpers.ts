// Small helpers shared by the unit tests: one fixture per file restored from a snapshot
// before each test, order placement that returns what the receipt says, and pocket reads.
import type { ContractTransactionReceipt, ContractTransactionResponse, Signer } from "ethers";
import { deployFixture } from "../helpers/fixture.ts";
import { accountId, packOrder, type OrderParams } from "../../sdk/src/math/order.ts";
import type { SpotMarket } from "../../scripts/lib/market.ts";

export type Fx = Awaited<ReturnType<typeof deployFixture>>;
type FixtureOpts = Parameters<typeof deployFixture>[0];

/**
 * Deploys the fixture once for the enclosing `describe` and rolls the chain back to it before
 * every test, so each test starts from the same funded state without redeploying.
 */
export function useFixture(opts?: FixtureOpts): () => Fx {
  let fx: Fx | undefined;
  let snapshot: { restore(): Promise<void> } | undefined;
  before(async () => {
    fx = await deployFixture(opts);
    snapshot = await fx.connection.networkHelpers.takeSnapshot();
  });
  beforeEach(async () => {
    await snapshot!.restore();
  });
  return () => fx!;
}

export const MARKET_INDEX = 1n;
export const BPS = 10_000n;

/** ceil(amount * bps / 1e4): how the contracts charge fees. */
export const ceilBps = (amount: bigint, bps: bigint): bigint => (amount * bps + BPS - 1n) / BPS;

/** Quote tick units a bid locks per lot: price plus the market's maker fee bound, rounded up. */
export const bidLockPerLot = (tick: bigint, maxMakerFeeBps: bigint): bigint => tick + ceilBps(tick, maxMakerFeeBps);

/** Order id layout (IMarkets): position | epoch << 32 | tick << 64 | side << 88 | market id << 96. */
export const orderIdOf = (market: bigint, side: bigint, tick: bigint, epoch: bigint, pos: bigint): bigint =>
  (market << 96n) | (side << 88n) | (tick << 64n) | (epoch << 32n) | pos;

export const acct = (owner: { address: string }, sub = 0n): string => accountId(owner.address as `0x${string}`, sub);

export interface TradeLog {
  filled: bigint;
  notional: bigint;
  takerFee: bigint;
  fills: bigint[];
}

export interface Placed {
  receipt: ContractTransactionReceipt;
  orderId: bigint;
  trade?: TradeLog;
  cancelled: { orderId: bigint; lots: bigint }[];
  expired: { orderId: bigint; lots: bigint }[];
}

/** Reads the market's events (those carrying its id) out of a receipt. */
export function parseMarketLogs(market: SpotMarket, receipt: ContractTransactionReceipt): Placed {
  const out: Placed = { receipt, orderId: 0n, cancelled: [], expired: [] };
  const addr = (market.target as string).toLowerCase();
  for (const log of receipt.logs) {
    if (log.address.toLowerCase() !== addr) continue;
    const ev = market.interface.parseLog(log);
    // the core emits every market's events: keep this market's (the id is each event's first arg)
    if (!ev || ev.args.marketId !== market.marketId) continue;
    if (ev.name === "OrderPlaced") out.orderId = ev.args.orderId as bigint;
    else if (ev.name === "OrderCancelled") out.cancelled.push({ orderId: ev.args.orderId, lots: ev.args.lots });
    else if (ev.name === "OrderExpired") out.expired.push({ orderId: ev.args.orderId, lots: ev.args.lots });
    else if (ev.name === "Trade") {
      const s = ev.args.summary as bigint;
      out.trade = {
        filled: s & ((1n << 48n) - 1n),
        notional: (s >> 48n) & ((1n << 112n) - 1n),
        takerFee: s >> 160n,
        fills: [...(ev.args.fills as bigint[])],
      };
    }
  }
  return out;
}

export async function mined(tx: Promise<ContractTransactionResponse>): Promise<ContractTransactionReceipt> {
  const receipt = await (await tx).wait();
  if (!receipt) throw new Error("no receipt");
  return receipt;
}

/** Places an order as `signer` and returns the resting id (0 if none) and the trade, if any. */
export async function place(market: SpotMarket, signer: Signer, o: OrderParams): Promise<Placed> {
  return parseMarketLogs(market, await mined(market.connect(signer).placeOrder(packOrder(o))));
}

export interface Pocket {
  lockedBase: bigint;
  lockedQuote: bigint;
  unsweptBase: bigint;
  unsweptQuote: bigint;
  openOrders: bigint;
}

export async function pocket(market: SpotMarket, owner: { address: string }, sub = 0n): Promise<Pocket> {
  const [lockedBase, lockedQuote, unsweptBase, unsweptQuote, openOrders] = await market.pocketOf(owner.address, sub);
  return { lockedBase, lockedQuote, unsweptBase, unsweptQuote, openOrders };
}

/** Book top plus both sides, for asserting that a rejected call changed nothing. */
export async function bookState(market: SpotMarket) {
  const [bidTicks, bidLots, askTicks, askLots] = await market.getBook(16);
  const [bestBid, bestAsk] = await market.bestBidAsk();
  return { bestBid, bestAsk, bidTicks: [...bidTicks], bidLots: [...bidLots], askTicks: [...askTicks], askLots: [...askLots] };
}

/** Encodes an order as `placeOrder` takes it, checking only field widths (`packOrder`), so a test
 * can send a word the book rejects (the SDK's `encodeOrder` refuses those before any call). */
export const ord = packOrder;
export { accountId, packOrder as encodeOrder };
/** Batch op: place an order (unchecked like `ord`). */
export const placeOp = packOrder;
export { Side, OrderKind, SelfTrade, MAX_TICK, MAX_LOTS, cancelOp, amendOp, cancelClientIdOp, decodeFill, decodeOrderId } from "../../sdk/src/math/order.ts";
