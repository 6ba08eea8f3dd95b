import type { Address, Client, Hash, TransactionReceipt } from "viem";
import { readOpenOrderIds } from "../../internal/openOrderIds.ts";
import { clearinghouseAbi } from "../../abis/index.ts";
import { withDecodedErrors } from "../../errors/decode.ts";
import { decodeMarketEvents, type MarketEvents } from "../../internal/events.ts";
import type { MarketParameters } from "../../internal/market.ts";
import { sendWrite, sendWriteSync, type SyncOptions, type WriteOptions, type WriteRequest } from "../../internal/write.ts";

export interface CancelForLiquidationParameters extends WriteOptions, MarketParameters {
  /** The liquidatable account. */
  owner: Address;
  /** Sub-account; default 0. */
  sub?: bigint;
  /** Orders to cancel; default every open order of the account on this market (`openOrders`, paged). */
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
  const orderIds = p.orderIds ? [...p.orderIds] : (await readOpenOrderIds(client, p.clearinghouse, p.marketId, p.owner, sub)).ids;
  return {
    req: {
      address: p.clearinghouse,
      abi: clearinghouseAbi,
      functionName: "cancelForLiquidation",
      args: [p.marketId, p.owner, Number(sub), orderIds],
    },
    orderIds,
  };
}

/**
 * Cancels a liquidatable account's resting orders on one market, as `liquidate` requires
 * first; anyone may call. Locked funds return to the account's pocket. A healthy account
 * reverts `AccountNotLiquidatableError`.
 *
 * @example
 * await cancelForLiquidation(client, { clearinghouse, marketId: wethUsdc, owner: bob })
 */
export async function cancelForLiquidation(
  client: Client,
  parameters: CancelForLiquidationParameters,
): Promise<CancelForLiquidationReturnType> {
  return withDecodedErrors(async () => {
    const { req, orderIds } = await request(client, parameters);
    return { hash: await sendWrite(client, req, parameters, "cancelForLiquidation"), orderIds };
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
    const receipt = await sendWriteSync(client, req, parameters, "cancelForLiquidation");
    return { receipt, orderIds, events: decodeMarketEvents(receipt.logs, parameters.clearinghouse, parameters.marketId) };
  });
}
