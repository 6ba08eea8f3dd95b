import type { Address, Client } from "viem";
import { clearinghouseAbi } from "../../abis/index.ts";
import { withDecodedErrors } from "../../errors/decode.ts";
import type { MarketParameters } from "../../internal/market.ts";
import { readMany, type ReadOptions } from "../../internal/read.ts";
import { readOpenOrderIds } from "../../internal/openOrderIds.ts";
import { decodeOrderId, type DecodedOrderId } from "../../math/codec.ts";

export interface GetOpenOrdersParameters extends ReadOptions, MarketParameters {
  owner: Address;
  /** Sub-account; default 0. */
  sub?: bigint;
  /** Queue positions each `openOrders` page examines (bounds each call's gas); default the market's 1,024. */
  pageLimit?: bigint;
}

export interface OpenOrder extends DecodedOrderId {
  orderId: bigint;
  /** Lots still open. */
  lots: bigint;
  /** Unix seconds, 0 = none. */
  expiry: bigint;
}

export type GetOpenOrdersReturnType = OpenOrder[];

/**
 * Lists an account's live orders on a market, best price first per side (bids, then asks),
 * with their open lots and expiry: the ids page by page (the `openOrders` view has bounded gas per
 * call; every page is read at one block), then one batched read for the orders.
 *
 * @example
 * const orders = await getOpenOrders(client, { clearinghouse, marketId, owner: alice })
 * orders[0].tick, orders[0].lots
 */
export async function getOpenOrders(
  client: Client,
  parameters: GetOpenOrdersParameters,
): Promise<GetOpenOrdersReturnType> {
  const { clearinghouse, marketId, owner, sub = 0n, pageLimit, ...options } = parameters;
  return withDecodedErrors(async () => {
    const { ids, blockNumber } = await readOpenOrderIds(client, clearinghouse, marketId, owner, sub, {
      blockNumber: options.blockNumber,
      pageLimit,
    });
    const orders = await readMany(
      client,
      ids.map((id) => ({ address: clearinghouse, abi: clearinghouseAbi, functionName: "getOrder", args: [marketId, id] }) as const),
      { ...options, blockNumber },
    );
    return ids.map((orderId, i) => {
      const [, lots, expiry] = orders[i];
      return { orderId, ...decodeOrderId(orderId), lots, expiry };
    });
  });
}
