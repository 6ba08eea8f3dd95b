import { isAddressEqual, parseEventLogs, type Address, type Log } from "viem";
import { spotMarketAbi } from "../abis/index.ts";
import { decodeAccountId, decodePlacedInfo, decodeTaker, decodeTradeSummary } from "../math/events.ts";
import type { DecodedAccount, DecodedPlacedInfo, DecodedTaker, DecodedTradeSummary } from "../math/events.ts";
import { decodeFill, decodeOrderId, type DecodedFill, type DecodedOrderId } from "../math/order.ts";

/** An order that now rests on the book. */
export interface OrderPlacedEvent extends DecodedPlacedInfo {
  orderId: bigint;
  id: DecodedOrderId;
}

/** One taker order's fills, in matching order. */
export interface TradeEvent extends DecodedTradeSummary {
  taker: DecodedTaker;
  fills: DecodedFill[];
}

export interface OrderRemovedEvent {
  orderId: bigint;
  id: DecodedOrderId;
  /** Lots that were still open. */
  lots: bigint;
}

export interface OrderAmendedEvent {
  orderId: bigint;
  newLots: bigint;
}

export interface SweptEvent extends DecodedAccount {
  baseAtoms: bigint;
  quoteAtoms: bigint;
}

/** A market's events in one transaction, decoded, in log order per kind. */
export interface MarketEvents {
  placed: OrderPlacedEvent[];
  trades: TradeEvent[];
  cancelled: OrderRemovedEvent[];
  expired: OrderRemovedEvent[];
  amended: OrderAmendedEvent[];
  swept: SweptEvent[];
}

/**
 * Decodes the events `market` emitted among `logs` (other contracts' logs are ignored).
 * @example
 * const receipt = await waitForTransactionReceipt(client, { hash })
 * const { placed, trades, cancelled } = decodeMarketEvents(receipt.logs, market)
 */
export function decodeMarketEvents(logs: readonly Log[], market: Address): MarketEvents {
  const out: MarketEvents = { placed: [], trades: [], cancelled: [], expired: [], amended: [], swept: [] };
  const own = logs.filter((l) => isAddressEqual(l.address, market));
  for (const log of parseEventLogs({ abi: spotMarketAbi, logs: own })) {
    switch (log.eventName) {
      case "OrderPlaced":
        out.placed.push({
          orderId: log.args.orderId,
          id: decodeOrderId(log.args.orderId),
          ...decodePlacedInfo(log.args.info),
        });
        break;
      case "Trade":
        out.trades.push({
          taker: decodeTaker(log.args.taker),
          ...decodeTradeSummary(log.args.summary),
          fills: log.args.fills.map(decodeFill),
        });
        break;
      case "OrderCancelled":
      case "OrderExpired": {
        const e = { orderId: log.args.orderId, id: decodeOrderId(log.args.orderId), lots: log.args.lots };
        (log.eventName === "OrderCancelled" ? out.cancelled : out.expired).push(e);
        break;
      }
      case "OrderAmended":
        out.amended.push({ orderId: log.args.orderId, newLots: log.args.newLots });
        break;
      case "Swept":
        out.swept.push({ ...decodeAccountId(log.args.account), baseAtoms: log.args.baseAtoms, quoteAtoms: log.args.quoteAtoms });
        break;
      default:
        break;
    }
  }
  return out;
}
