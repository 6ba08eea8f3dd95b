import { isAddressEqual, parseEventLogs, type Address, type BlockNumber, type BlockTag, type Client, type Hex, type Log } from "viem";
import { getLogs } from "viem/actions";
import { spotMarketAbi } from "../../abis/index.ts";
import { withDecodedErrors } from "../../errors/decode.ts";
import { accountId, decodeFill, decodeOrderId, decodePlacedInfo, type DecodedOrderId } from "../../math/codec.ts";

export interface RebuildOpenOrdersParameters {
  market: Address;
  owner: Address;
  /** Sub-account; default 0. */
  sub?: bigint;
  /** First block to read logs from; default the earliest (the market's deployment or before). */
  fromBlock?: BlockNumber | BlockTag;
  /** Last block; default the latest. */
  toBlock?: BlockNumber | BlockTag;
}

/** An open order as the book's events tell it. */
export interface RebuiltOrder extends DecodedOrderId {
  orderId: bigint;
  /** Lots still open: placed, less fills and amends. */
  lots: bigint;
  /** The client order id given at placement (0 = none). */
  clientOrderId: bigint;
}

export type RebuildOpenOrdersReturnType = RebuiltOrder[];

const BOOK_EVENTS = ["OrderPlaced", "OrderCancelled", "OrderExpired", "OrderAmended", "Trade"] as const;

/**
 * Replays a market's book events (docs/EVENTS.md), in log order, into the open orders of one
 * account: `OrderPlaced` adds an order (its `info` names the account), each `Trade` fill naming
 * its id takes lots off it and removes it at zero, `OrderAmended` sets its lots, and
 * `OrderCancelled` / `OrderExpired` remove it. Other contracts' logs are ignored. An order past its
 * expiry that nothing removed yet is still listed, as the `openOrders` view lists it. The result is
 * in the view's order: bids from the best price down, then asks from the best up, each level in
 * queue order.
 *
 * For indexers that keep their own logs; `rebuildOpenOrders` fetches them.
 * @example
 * const orders = openOrdersFromLogs(logs, market, accountId(alice, 0n))
 */
export function openOrdersFromLogs(logs: readonly Log[], market: Address, account: Hex): RebuiltOrder[] {
  const want = BigInt(account);
  const open = new Map<bigint, RebuiltOrder>();
  const own = logs.filter((l) => isAddressEqual(l.address, market));
  for (const log of parseEventLogs({ abi: spotMarketAbi, logs: own, eventName: [...BOOK_EVENTS] })) {
    switch (log.eventName) {
      case "OrderPlaced": {
        const info = decodePlacedInfo(log.args.info);
        if (BigInt(info.account) !== want) break;
        const id = log.args.orderId;
        open.set(id, { orderId: id, ...decodeOrderId(id), lots: info.lots, clientOrderId: info.clientOrderId });
        break;
      }
      case "Trade":
        for (const word of log.args.fills) {
          const fill = decodeFill(word);
          const o = open.get(fill.makerOrderId);
          if (!o) continue;
          o.lots -= fill.lots;
          if (o.lots === 0n) open.delete(fill.makerOrderId);
        }
        break;
      case "OrderAmended": {
        const o = open.get(log.args.orderId);
        if (o) o.lots = log.args.newLots;
        break;
      }
      case "OrderCancelled":
      case "OrderExpired":
        open.delete(log.args.orderId);
        break;
      default:
        break;
    }
  }
  return [...open.values()].sort(viewOrder);
}

/** Bids first, best (highest) tick first; asks next, best (lowest) first; queue order within a level. */
function viewOrder(a: RebuiltOrder, b: RebuiltOrder): number {
  if (a.side !== b.side) return a.side < b.side ? -1 : 1;
  if (a.tick !== b.tick) return (a.side === 0n ? a.tick > b.tick : a.tick < b.tick) ? -1 : 1;
  if (a.epoch !== b.epoch) return a.epoch < b.epoch ? -1 : 1;
  return a.position < b.position ? -1 : a.position > b.position ? 1 : 0;
}

/**
 * Rebuilds an account's open orders on a market from the market's events alone (no `openOrders`
 * view): reads its book logs over `[fromBlock, toBlock]` and replays them (`openOrdersFromLogs`).
 * From the market's first block it agrees with `getOpenOrders` at `toBlock`.
 *
 * @example
 * const orders = await rebuildOpenOrders(client, { market, owner: alice })
 * orders.map((o) => [o.tick, o.lots])
 */
export async function rebuildOpenOrders(
  client: Client,
  parameters: RebuildOpenOrdersParameters,
): Promise<RebuildOpenOrdersReturnType> {
  const { market, owner, sub = 0n, fromBlock = "earliest", toBlock = "latest" } = parameters;
  return withDecodedErrors(async () => {
    const events = spotMarketAbi.filter((x) => x.type === "event" && (BOOK_EVENTS as readonly string[]).includes(x.name));
    const logs = await getLogs(client, { address: market, events, fromBlock, toBlock } as Parameters<typeof getLogs>[1]);
    return openOrdersFromLogs(logs as Log[], market, accountId(owner, sub));
  });
}
