import type { Client } from "viem";
import { readContract } from "viem/actions";
import { clearinghouseAbi } from "../../abis/index.ts";
import { withDecodedErrors } from "../../errors/decode.ts";
import type { MarketParameters } from "../../internal/market.ts";
import { decodeAccountId, type DecodedAccount } from "../../math/events.ts";
import { decodeOrderId, type DecodedOrderId } from "../../math/order.ts";

export interface GetOrderParameters extends MarketParameters {
  orderId: bigint;
  blockNumber?: bigint;
}

export interface GetOrderReturnType extends DecodedOrderId {
  orderId: bigint;
  /** False once the order is filled, cancelled or expired-and-removed (then lots is 0). */
  live: boolean;
  /** The owning account; only meaningful while live. */
  account: DecodedAccount;
  lots: bigint;
  /** Unix seconds, 0 = none. */
  expiry: bigint;
}

/**
 * Reads one order by id: its account, open lots and expiry, plus what the id encodes (side,
 * tick, queue position).
 *
 * @example
 * const order = await getOrder(client, { clearinghouse, marketId, orderId })
 * if (order.live) console.log(order.lots)
 */
export async function getOrder(client: Client, parameters: GetOrderParameters): Promise<GetOrderReturnType> {
  const { clearinghouse, marketId, orderId } = parameters;
  return withDecodedErrors(async () => {
    const [account, lots, expiry] = await readContract(client, {
      address: clearinghouse,
      abi: clearinghouseAbi,
      functionName: "getOrder",
      args: [marketId, orderId],
      blockNumber: parameters.blockNumber,
    });
    return { orderId, ...decodeOrderId(orderId), live: lots > 0n, account: decodeAccountId(account), lots, expiry };
  });
}
