import type { Client, Hash, TransactionReceipt } from "viem";
import { clearinghouseAbi } from "../../abis/index.ts";
import { withDecodedErrors } from "../../errors/decode.ts";
import { decodeMarketEvents, type OrderRemovedEvent } from "../../internal/events.ts";
import type { MarketParameters } from "../../internal/market.ts";
import { sendWrite, sendWriteSync, type SyncOptions, type WriteOptions, type WriteRequest } from "../../internal/write.ts";
import type { Side } from "../../math/order.ts";

export interface PurgeTopParameters extends WriteOptions, MarketParameters {
  /** The side to clear from its best price: `Side.Bid` or `Side.Ask`. */
  side: Side;
  /** At most this many expired orders are removed (and 8× as many cancelled entries stepped over); default 64. */
  maxOrders?: bigint;
}

export type PurgeTopReturnType = Hash;

export interface PurgeTopSyncReturnType {
  receipt: TransactionReceipt;
  /** The expired orders removed, in queue order; their funds went back to their owners' pockets. */
  expired: OrderRemovedEvent[];
}

const request = (p: PurgeTopParameters): WriteRequest => ({
  address: p.clearinghouse,
  abi: clearinghouseAbi,
  functionName: "purgeTop",
  args: [p.marketId, p.side, p.maxOrders ?? 64n],
});

/**
 * Clears expired orders from the top of one side of a book, without their ids: from the best
 * price, level by level in queue order, until the first live order. Anyone may call (a keeper's
 * job), also while the market is paused; takers then pay only for what they fill.
 *
 * @example
 * await purgeTop(client, { clearinghouse, marketId, side: Side.Ask })
 */
export async function purgeTop(client: Client, parameters: PurgeTopParameters): Promise<PurgeTopReturnType> {
  return withDecodedErrors(() => sendWrite(client, request(parameters), parameters, "purgeTop"));
}

/**
 * Clears expired orders from the top of one side and waits for the receipt.
 *
 * @example
 * const { expired } = await purgeTopSync(client, { clearinghouse, marketId, side: Side.Bid, maxOrders: 32n })
 * expired.length // orders removed
 */
export async function purgeTopSync(
  client: Client,
  parameters: PurgeTopParameters & SyncOptions,
): Promise<PurgeTopSyncReturnType> {
  return withDecodedErrors(async () => {
    const receipt = await sendWriteSync(client, request(parameters), parameters, "purgeTop");
    return { receipt, expired: decodeMarketEvents(receipt.logs, parameters.clearinghouse, parameters.marketId).expired };
  });
}
