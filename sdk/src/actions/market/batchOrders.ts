import type { Address, Client, Hash, TransactionReceipt } from "viem";
import { clearinghouseAbi } from "../../abis/index.ts";
import { withDecodedErrors } from "../../errors/decode.ts";
import { resolveAccount } from "../../internal/account.ts";
import { decodeMarketEvents, marketLogs, type MarketEvents } from "../../internal/events.ts";
import type { MarketParameters } from "../../internal/market.ts";
import { resolveOrders, type OrderInput } from "../../internal/order.ts";
import { sendWrite, sendWriteSync, type SyncOptions, type WriteOptions, type WriteRequest } from "../../internal/write.ts";
import { amendOp, cancelClientIdOp, cancelOp, decodeBatchResult, placeOp, type BatchResult } from "../../math/order.ts";
import type { MarketGrid } from "../../math/units.ts";

/**
 * One step of a batch; they run in order, for one account, in one transaction. `skipMissing` (cancel,
 * amend, cancel by client id, the cancel of a replace): if the order is no longer live (filled,
 * cancelled, purged) the op is skipped (`BatchStatus.Skipped`) instead of reverting the whole batch;
 * a live order of another account still reverts `NotOrderOwner`.
 */
export type BatchOperation =
  | { type: "place"; order: OrderInput }
  | { type: "cancel"; orderId: bigint; skipMissing?: boolean }
  /** Shrinks an order to `lots`, keeping its queue place. */
  | { type: "amend"; orderId: bigint; lots: bigint; skipMissing?: boolean }
  | { type: "cancelClientId"; clientOrderId: bigint; skipMissing?: boolean }
  /** Cancel-replace: cancels `orderId`, then places `order` (two ops, two results). */
  | { type: "replace"; orderId: bigint; order: OrderInput; skipMissing?: boolean };

export interface BatchOrdersParameters extends WriteOptions, MarketParameters {
  ops: readonly BatchOperation[];
  /** Account owner; default the sender (an operator passes the owner). */
  owner?: Address;
  /** Sub-account; default 0. */
  sub?: bigint;
  /** The market's grid, to skip reading it when orders use decimal prices. */
  grid?: MarketGrid;
}

export type BatchOrdersReturnType = Hash;

export interface BatchOrdersSyncReturnType {
  receipt: TransactionReceipt;
  /** Ids of the orders left resting, in placement order. */
  placedOrderIds: bigint[];
  /** One decoded `BatchResult` per op word sent, from `BatchExecuted` (a replace is two: cancel, place). */
  results: BatchResult[];
  events: MarketEvents;
}

async function request(client: Client, p: BatchOrdersParameters): Promise<WriteRequest> {
  const owner = p.owner ?? resolveAccount(client, p.account, "batchOrders").address;
  const sub = p.sub ?? 0n;
  const orders = p.ops.flatMap((op) => (op.type === "place" || op.type === "replace" ? [op.order] : []));
  const resolved = await resolveOrders(client, p.clearinghouse, p.marketId, orders, sub, p.grid);
  let next = 0;
  const words = p.ops.flatMap((op): bigint[] => {
    switch (op.type) {
      case "place":
        return [placeOp(resolved[next++])];
      case "replace":
        return [cancelOp(op.orderId, op), placeOp(resolved[next++])];
      case "cancel":
        return [cancelOp(op.orderId, op)];
      case "amend":
        return [amendOp(op.orderId, op.lots, op)];
      case "cancelClientId":
        return [cancelClientIdOp(op.clientOrderId, op)];
    }
  });
  return { address: p.clearinghouse, abi: clearinghouseAbi, functionName: "batch", args: [p.marketId, owner, Number(sub), words] };
}

/**
 * Runs places, cancels, amends and cancel-replaces for one account in one transaction (one
 * pocket write) through the core's `batch(marketId, …)`. Any failing op reverts the whole batch,
 * but a cancel / amend with `skipMissing` whose order is gone (a quote filled in the same block) is
 * skipped, so a quoting loop's cancel-and-replace never fails on a stale cancel. Each place op is
 * sent with the batch's `sub`. (Named `batchOrders` because viem clients own `batch`.)
 *
 * @example
 * await batchOrders(client, {
 *   clearinghouse,
 *   marketId: 1n,
 *   ops: [
 *     { type: "replace", orderId, order: { side: Side.Bid, price: "2999.5", size: "2" } },
 *     { type: "place", order: { side: Side.Ask, tick: 300_100n, lots: 2_000n } },
 *   ],
 * })
 */
export async function batchOrders(client: Client, parameters: BatchOrdersParameters): Promise<BatchOrdersReturnType> {
  return withDecodedErrors(async () => sendWrite(client, await request(client, parameters), parameters, "batchOrders"));
}

/**
 * Runs a batch and waits for the receipt; returns the ids of the orders left resting and one decoded
 * result per op (from the batch's `BatchExecuted` event: no extra read).
 *
 * @example
 * const { results } = await batchOrdersSync(client, {
 *   clearinghouse, marketId,
 *   ops: [{ type: "replace", orderId: oldBid, skipMissing: true, order: { side: Side.Bid, tick, lots } }],
 * })
 * const oldBidFilled = results[0].status === BatchStatus.Skipped
 */
export async function batchOrdersSync(client: Client, parameters: BatchOrdersParameters & SyncOptions): Promise<BatchOrdersSyncReturnType> {
  return withDecodedErrors(async () => {
    const receipt = await sendWriteSync(client, await request(client, parameters), parameters, "batchOrders");
    const events = decodeMarketEvents(receipt.logs, parameters.clearinghouse, parameters.marketId);
    const executed = marketLogs(receipt.logs, parameters.clearinghouse, parameters.marketId, ["BatchExecuted"]);
    const results = executed.length === 0 ? [] : (executed[executed.length - 1].args as { results: readonly bigint[] }).results.map(decodeBatchResult);
    return { receipt, placedOrderIds: events.placed.map((e) => e.orderId), results, events };
  });
}
