import type { Address, Client } from "viem";
import { readContract } from "viem/actions";
import { spotMarketAbi } from "../../abis/index.ts";
import { withDecodedErrors } from "../../errors/decode.ts";
import { decodeAccountId, type DecodedAccount } from "../../math/events.ts";
import { decodeOrderId, type DecodedOrderId } from "../../math/order.ts";

export interface GetOrderParameters {
  market: Address;
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
 * const order = await getOrder(client, { market, orderId })
 * if (order.live) console.log(order.lots)
 */
export async function getOrder(client: Client, parameters: GetOrderParameters): Promise<GetOrderReturnType> {
  const { market, orderId } = parameters;
  return withDecodedErrors(async () => {
    const [account, lots, expiry] = await readContract(client, {
      address: market,
      abi: spotMarketAbi,
      functionName: "getOrder",
      args: [orderId],
      blockNumber: parameters.blockNumber,
    });
    return { orderId, ...decodeOrderId(orderId), live: lots > 0n, account: decodeAccountId(account), lots, expiry };
  });
}
