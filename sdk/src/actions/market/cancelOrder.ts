import type { Client, Hash, TransactionReceipt } from "viem";
import { clearinghouseAbi } from "../../abis/index.ts";
import { withDecodedErrors } from "../../errors/decode.ts";
import { decodeMarketEvents, type MarketEvents } from "../../internal/events.ts";
import type { MarketParameters } from "../../internal/market.ts";
import { sendWrite, sendWriteSync, type SyncOptions, type WriteOptions, type WriteRequest } from "../../internal/write.ts";

export interface CancelOrderParameters extends WriteOptions, MarketParameters {
  orderId: bigint;
}

export type CancelOrderReturnType = Hash;

export interface CancelOrderSyncReturnType {
  receipt: TransactionReceipt;
  events: MarketEvents;
}

const request = (p: CancelOrderParameters): WriteRequest => ({
  address: p.clearinghouse,
  abi: clearinghouseAbi,
  functionName: "cancelOrder",
  args: [p.marketId, p.orderId],
});

/**
 * Cancels a resting order (the owner's or, as operator, an account's). Its locked funds go
 * back to the account's market pocket, not the Clearinghouse balance: `sweep` moves them.
 *
 * @example
 * await cancelOrder(client, { clearinghouse, marketId, orderId })
 */
export async function cancelOrder(client: Client, parameters: CancelOrderParameters): Promise<CancelOrderReturnType> {
  return withDecodedErrors(() => sendWrite(client, request(parameters), parameters, "cancelOrder"));
}

/**
 * Cancels a resting order and waits for the receipt.
 *
 * @example
 * const { events } = await cancelOrderSync(client, { clearinghouse, marketId, orderId })
 * events.cancelled[0].lots // lots that were still open
 */
export async function cancelOrderSync(
  client: Client,
  parameters: CancelOrderParameters & SyncOptions,
): Promise<CancelOrderSyncReturnType> {
  return withDecodedErrors(async () => {
    const receipt = await sendWriteSync(client, request(parameters), parameters, "cancelOrder");
    return { receipt, events: decodeMarketEvents(receipt.logs, parameters.clearinghouse, parameters.marketId) };
  });
}
