import type { Address, Client, Hash, TransactionReceipt } from "viem";
import { clearinghouseAbi } from "../../abis/index.ts";
import { withDecodedErrors } from "../../errors/decode.ts";
import { resolveAccount } from "../../internal/account.ts";
import { decodeMarketEvents, type MarketEvents } from "../../internal/events.ts";
import type { MarketParameters } from "../../internal/market.ts";
import { sendWrite, sendWriteSync, type SyncOptions, type WriteOptions, type WriteRequest } from "../../internal/write.ts";
import { readOpenOrderIds } from "../../internal/openOrderIds.ts";

export interface CancelAllParameters extends WriteOptions, MarketParameters {
  /** Account owner; default the sender (an operator passes the owner). */
  owner?: Address;
  /** Sub-account; default 0. */
  sub?: bigint;
}

export interface CancelAllReturnType {
  /** Undefined when the account had no open order (nothing was sent). */
  hash: Hash | undefined;
  orderIds: bigint[];
}

export interface CancelAllSyncReturnType {
  receipt: TransactionReceipt | undefined;
  orderIds: bigint[];
  events: MarketEvents;
}

async function request(client: Client, p: CancelAllParameters): Promise<{ req: WriteRequest; orderIds: bigint[] }> {
  const owner = p.owner ?? resolveAccount(client, p.account, "cancelAll").address;
  const sub = p.sub ?? 0n;
  const { ids: orderIds } = await readOpenOrderIds(client, p.clearinghouse, p.marketId, owner, sub);
  return {
    req: { address: p.clearinghouse, abi: clearinghouseAbi, functionName: "cancelAll", args: [p.marketId, owner, Number(sub), orderIds] },
    orderIds,
  };
}

/**
 * Cancels every open order of an account on a market: reads the ids (paging `openOrders`), then sends one
 * `cancelAll`, which reverts with `OpenOrdersRemainError` if an order was added in between.
 *
 * @example
 * const { orderIds } = await cancelAll(client, { clearinghouse, marketId })
 */
export async function cancelAll(client: Client, parameters: CancelAllParameters): Promise<CancelAllReturnType> {
  return withDecodedErrors(async () => {
    const { req, orderIds } = await request(client, parameters);
    if (orderIds.length === 0) return { hash: undefined, orderIds };
    return { hash: await sendWrite(client, req, parameters, "cancelAll"), orderIds };
  });
}

/**
 * Cancels every open order of an account on a market and waits for the receipt.
 *
 * @example
 * const { events } = await cancelAllSync(client, { clearinghouse, marketId })
 */
export async function cancelAllSync(
  client: Client,
  parameters: CancelAllParameters & SyncOptions,
): Promise<CancelAllSyncReturnType> {
  return withDecodedErrors(async () => {
    const { req, orderIds } = await request(client, parameters);
    if (orderIds.length === 0) return { receipt: undefined, orderIds, events: decodeMarketEvents([], parameters.clearinghouse, parameters.marketId) };
    const receipt = await sendWriteSync(client, req, parameters, "cancelAll");
    return { receipt, orderIds, events: decodeMarketEvents(receipt.logs, parameters.clearinghouse, parameters.marketId) };
  });
}
