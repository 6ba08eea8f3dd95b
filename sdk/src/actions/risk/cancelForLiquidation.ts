import type { Address, Client, Hash, TransactionReceipt } from "viem";
import { getBlockNumber } from "viem/actions";
import { readOpenOrderIds } from "../../internal/openOrderIds.ts";
import { clearinghouseAbi } from "../../abis/index.ts";
import { withDecodedErrors } from "../../errors/decode.ts";
import { decodeMarketEvents, type MarketEvents } from "../../internal/events.ts";
import type { MarketParameters } from "../../internal/market.ts";
import { sendWrite, sendWriteSync, type SyncOptions, type WriteOptions, type WriteRequest } from "../../internal/write.ts";

export interface CancelForLiquidationParameters extends WriteOptions, Omit<MarketParameters, "marketId"> {
  /**
   * The market, or several (e.g. the market ids of `findLiquidationAmount`'s `ordersToCancel`):
   * several are cleared in one `cancelAllForLiquidation`, with one valuation of the account.
   */
  marketId: bigint | readonly bigint[];
  /** The liquidatable account. */
  owner: Address;
  /** Sub-account; default 0. */
  sub?: bigint;
  /**
   * Orders to cancel (each id carries its market); default every open order of the account on
   * the market(s) (`openOrders`, paged, all read at one block).
   */
  orderIds?: readonly bigint[];
}

export interface CancelForLiquidationReturnType {
  hash: Hash;
  orderIds: bigint[];
}

export interface CancelForLiquidationSyncReturnType {
  receipt: TransactionReceipt;
  orderIds: bigint[];
  events: MarketEvents;
}

async function request(client: Client, p: CancelForLiquidationParameters): Promise<{ req: WriteRequest; orderIds: bigint[] }> {
  const sub = p.sub ?? 0n;
  if (typeof p.marketId === "bigint") {
    const orderIds = p.orderIds ? [...p.orderIds] : (await readOpenOrderIds(client, p.clearinghouse, p.marketId, p.owner, sub)).ids;
    return {
      req: { address: p.clearinghouse, abi: clearinghouseAbi, functionName: "cancelForLiquidation", args: [p.marketId, p.owner, Number(sub), orderIds] },
      orderIds,
    };
  }
  let orderIds: bigint[];
  if (p.orderIds) orderIds = [...p.orderIds];
  else {
    // one block for every market, and the ids grouped by market: one pocket write per market
    const blockNumber = await getBlockNumber(client, { cacheTime: 0 });
    orderIds = [];
    for (const marketId of p.marketId) {
      orderIds.push(...(await readOpenOrderIds(client, p.clearinghouse, marketId, p.owner, sub, { blockNumber })).ids);
    }
  }
  return {
    req: { address: p.clearinghouse, abi: clearinghouseAbi, functionName: "cancelAllForLiquidation", args: [p.owner, Number(sub), orderIds] },
    orderIds,
  };
}

/** The function the parameters call: one market's or several's. */
const fnOf = (p: CancelForLiquidationParameters) => (typeof p.marketId === "bigint" ? "cancelForLiquidation" : "cancelAllForLiquidation");

/**
 * Cancels a liquidatable account's resting orders on one market, or on several in one call
 * (`marketId: [...]`), as `liquidate` requires first; anyone may call. Locked funds return to
 * the account's pockets. A healthy account reverts `AccountNotLiquidatableError`.
 *
 * @example
 * await cancelForLiquidation(client, { clearinghouse, marketId: wethUsdc, owner: bob })
 * await cancelForLiquidation(client, { clearinghouse, marketId: [wethUsdc, ethPerp], owner: bob })
 */
export async function cancelForLiquidation(
  client: Client,
  parameters: CancelForLiquidationParameters,
): Promise<CancelForLiquidationReturnType> {
  return withDecodedErrors(async () => {
    const { req, orderIds } = await request(client, parameters);
    return { hash: await sendWrite(client, req, parameters, fnOf(parameters)), orderIds };
  });
}

/**
 * Cancels the account's orders for liquidation and waits for the receipt; returns the decoded cancels.
 *
 * @example
 * const { events } = await cancelForLiquidationSync(client, { clearinghouse, marketId: wethUsdc, owner: bob })
 * events.cancelled.length
 */
export async function cancelForLiquidationSync(
  client: Client,
  parameters: CancelForLiquidationParameters & SyncOptions,
): Promise<CancelForLiquidationSyncReturnType> {
  return withDecodedErrors(async () => {
    const { req, orderIds } = await request(client, parameters);
    const receipt = await sendWriteSync(client, req, parameters, fnOf(parameters));
    // several markets: the events of each (each names its market)
    const one = typeof parameters.marketId === "bigint" ? parameters.marketId : undefined;
    return { receipt, orderIds, events: decodeMarketEvents(receipt.logs, parameters.clearinghouse, one) };
  });
}
