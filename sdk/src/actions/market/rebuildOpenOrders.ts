import { formatLog, numberToHex, toEventSelector, type Address, type BlockNumber, type BlockTag, type Client, type Hex, type Log } from "viem";
import { clearinghouseAbi } from "../../abis/index.ts";
import { withDecodedErrors } from "../../errors/decode.ts";
import { marketLogs } from "../../internal/events.ts";
import type { MarketParameters } from "../../internal/market.ts";
import { accountId, decodeFill, decodeOrderId, decodePlacedInfo, type DecodedOrderId } from "../../math/codec.ts";

export interface RebuildOpenOrdersParameters extends MarketParameters {
  owner: Address;
  /** Sub-account; default 0. */
  sub?: bigint;
  /** First block to read logs from; default the earliest (the core's deployment or before). */
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
 * Replays one market's book events (docs/EVENTS.md), in log order, into the open orders of one
 * account: `OrderPlaced` adds an order (its `info` names the account), each `Trade` fill naming
 * its id takes lots off it and removes it at zero, `OrderAmended` sets its lots, and
 * `OrderCancelled` / `OrderExpired` remove it. Only the core's logs (`clearinghouse`) whose indexed
 * `marketId` is the market's count; other contracts' logs and other markets' events are ignored. An
 * order past its expiry that nothing removed yet is still listed, as the `openOrders` view lists it.
 * The result is in the view's order: bids from the best price down, then asks from the best up, each
 * level in queue order.
 *
 * For indexers that keep their own logs; `rebuildOpenOrders` fetches them.
 * @example
 * const orders = openOrdersFromLogs(logs, { clearinghouse, marketId: 1n }, accountId(alice, 0n))
 */
export function openOrdersFromLogs(logs: readonly Log[], market: MarketParameters, account: Hex): RebuiltOrder[] {
  const want = BigInt(account);
  const open = new Map<bigint, RebuiltOrder>();
  for (const log of marketLogs(logs, market.clearinghouse, market.marketId, BOOK_EVENTS)) {
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
 * Rebuilds an account's open orders on a market from the core's events alone (no `openOrders`
 * view): reads the market's book logs over `[fromBlock, toBlock]`, filtered on the node by the
 * indexed `marketId` topic, and replays them (`openOrdersFromLogs`). From the core's first block it
 * agrees with `getOpenOrders` at `toBlock`.
 *
 * @example
 * const orders = await rebuildOpenOrders(client, { clearinghouse, marketId: 1n, owner: alice })
 * orders.map((o) => [o.tick, o.lots])
 */
export async function rebuildOpenOrders(
  client: Client,
  parameters: RebuildOpenOrdersParameters,
): Promise<RebuildOpenOrdersReturnType> {
  const { clearinghouse, marketId, owner, sub = 0n, fromBlock = "earliest", toBlock = "latest" } = parameters;
  return withDecodedErrors(async () => {
    // every book event has `uint256 indexed marketId` first: the node filters on that topic (viem's
    // getLogs takes arguments for one event only, so the filter is written out)
    const selectors = clearinghouseAbi.flatMap((x) =>
      x.type === "event" && (BOOK_EVENTS as readonly string[]).includes(x.name) ? [toEventSelector(x)] : [],
    );
    const block = (b: BlockNumber | BlockTag) => (typeof b === "bigint" ? numberToHex(b) : b);
    const raw = await client.request({
      method: "eth_getLogs",
      params: [
        {
          address: clearinghouse,
          topics: [selectors, numberToHex(marketId, { size: 32 })],
          fromBlock: block(fromBlock),
          toBlock: block(toBlock),
        },
      ],
    });
    const logs = raw.map((l) => formatLog(l));
    return openOrdersFromLogs(logs as Log[], { clearinghouse, marketId }, accountId(owner, sub));
  });
}
