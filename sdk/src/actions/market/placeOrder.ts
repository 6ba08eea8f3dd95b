import { isAddressEqual, type Address, type Client, type Hash, type TransactionReceipt } from "viem";
import { clearinghouseAbi } from "../../abis/index.ts";
import { withDecodedErrors } from "../../errors/decode.ts";
import { resolveAccount } from "../../internal/account.ts";
import { decodeMarketEvents, type MarketEvents } from "../../internal/events.ts";
import type { MarketParameters } from "../../internal/market.ts";
import { resolveOrders, type OrderInput } from "../../internal/order.ts";
import { sendWrite, sendWriteSync, type SyncOptions, type WriteOptions, type WriteRequest } from "../../internal/write.ts";
import { encodeOrder } from "../../math/order.ts";
import type { MarketGrid } from "../../math/units.ts";

export type PlaceOrderParameters = WriteOptions &
  OrderInput &
  MarketParameters & {
    /** Sub-account (0..255); default 0. */
    sub?: bigint;
    /** Account owner when the sender trades as its operator; default the sender. */
    owner?: Address;
    /** The market's grid, to skip reading it when `price`/`size` are decimals. */
    grid?: MarketGrid;
  };

export type PlaceOrderReturnType = Hash;

export interface PlaceOrderSyncReturnType {
  receipt: TransactionReceipt;
  /** Id of the resting remainder, or 0n if nothing rests. */
  orderId: bigint;
  /** Lots filled as taker. */
  filledLots: bigint;
  events: MarketEvents;
}

async function request(client: Client, p: PlaceOrderParameters): Promise<WriteRequest> {
  const sender = resolveAccount(client, p.account, "placeOrder").address;
  const [order] = await resolveOrders(client, p.clearinghouse, p.marketId, [p], p.sub ?? 0n, p.grid);
  const word = encodeOrder(order);
  // an operator trades through placeOrderFor; the owner itself needs no authorisation read
  if (p.owner && !isAddressEqual(p.owner, sender)) {
    return { address: p.clearinghouse, abi: clearinghouseAbi, functionName: "placeOrderFor", args: [p.marketId, p.owner, word] };
  }
  return { address: p.clearinghouse, abi: clearinghouseAbi, functionName: "placeOrder", args: [p.marketId, word] };
}

/**
 * Places an order on market `marketId` of the core for the sender's account, or for `owner`'s as its operator. Takes ticks and
 * lots, or exact decimal `price` and `size` (off-grid values throw unless rounding is asked).
 *
 * @example
 * const hash = await placeOrder(client, { clearinghouse, marketId: 1n, side: Side.Bid, price: "3000.01", size: "1.5" })
 */
export async function placeOrder(client: Client, parameters: PlaceOrderParameters): Promise<PlaceOrderReturnType> {
  return withDecodedErrors(async () => sendWrite(client, await request(client, parameters), parameters, "placeOrder"));
}

/**
 * Places an order and waits for its receipt (one round trip on MegaETH): returns the resting
 * order id, the lots filled as taker and the decoded fills.
 *
 * @example
 * const { orderId, filledLots, events } = await placeOrderSync(client, {
 *   clearinghouse, marketId: 1n, side: Side.Ask, tick: 300_001n, lots: 1_500n, kind: OrderKind.Ioc,
 * })
 */
export async function placeOrderSync(
  client: Client,
  parameters: PlaceOrderParameters & SyncOptions,
): Promise<PlaceOrderSyncReturnType> {
  return withDecodedErrors(async () => {
    const receipt = await sendWriteSync(client, await request(client, parameters), parameters, "placeOrder");
    const events = decodeMarketEvents(receipt.logs, parameters.clearinghouse, parameters.marketId);
    return {
      receipt,
      orderId: events.placed[0]?.orderId ?? 0n,
      filledLots: events.trades.reduce((sum, t) => sum + t.filledLots, 0n),
      events,
    };
  });
}
