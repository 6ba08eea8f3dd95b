import { isAddressEqual, parseEventLogs, type Address, type ContractEventName, type Log } from "viem";
import { clearinghouseAbi } from "../abis/index.ts";
import { decodeAccountId, decodePlacedInfo, decodeTaker, decodeTradeSummary } from "../math/events.ts";
import type { DecodedAccount, DecodedPlacedInfo, DecodedTaker, DecodedTradeSummary } from "../math/events.ts";
import { decodeFill, decodeOrderId, type DecodedFill, type DecodedOrderId } from "../math/order.ts";

/** An order that now rests on the book. */
export interface OrderPlacedEvent extends DecodedPlacedInfo {
  marketId: bigint;
  orderId: bigint;
  id: DecodedOrderId;
  /** Unix second from which the order can no longer trade (0n = none). */
  expiry: bigint;
}

/** Why `OrderDropped` was emitted (`OrderDropped.reason`). */
export const DropReason = { NoLiquidity: 1n, SelfTrade: 2n, Capped: 3n } as const;

/** Lots of a taker order that ended neither filled nor resting (not an IOC/FOK remainder). */
export interface OrderDroppedEvent {
  marketId: bigint;
  taker: DecodedTaker;
  lots: bigint;
  /** 1n = a market order found no live liquidity (in a batch), 2n = self-trade prevention stopped a GTC order, 3n = the fill or skip cap stopped a GTC order with the book still crossing it (`DropReason`). */
  reason: bigint;
}

/** One taker order's fills, in matching order. */
export interface TradeEvent extends DecodedTradeSummary {
  marketId: bigint;
  taker: DecodedTaker;
  fills: DecodedFill[];
}

export interface OrderRemovedEvent {
  marketId: bigint;
  orderId: bigint;
  id: DecodedOrderId;
  /** Lots that were still open. */
  lots: bigint;
}

export interface OrderAmendedEvent {
  marketId: bigint;
  orderId: bigint;
  newLots: bigint;
}

export interface SweptEvent extends DecodedAccount {
  marketId: bigint;
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
  dropped: OrderDroppedEvent[];
}

/** The book events every market emits from the core, each with `uint256 indexed marketId` first. */
const BOOK_EVENTS = ["OrderPlaced", "OrderCancelled", "OrderExpired", "OrderAmended", "Trade", "Swept", "OrderDropped"] as const;

/**
 * The core's logs among `logs`, decoded as `eventName`, keeping those of market `marketId` (every
 * market if it is undefined): one address emits for every market, so the indexed `marketId` topic
 * tells them apart.
 */
export function marketLogs<const name extends ContractEventName<typeof clearinghouseAbi>>(
  logs: readonly Log[],
  clearinghouse: Address,
  marketId: bigint | undefined,
  eventName: readonly name[],
) {
  const own = logs.filter((l) => isAddressEqual(l.address, clearinghouse));
  return parseEventLogs({ abi: clearinghouseAbi, logs: own, eventName: [...eventName] }).filter(
    (log) => marketId === undefined || (log.args as { marketId?: bigint }).marketId === marketId,
  );
}

/**
 * Decodes the book events of market `marketId` that the core (`clearinghouse`) emitted among
 * `logs`; other contracts' logs and other markets' events are ignored (`marketId` undefined: every
 * market's, each event naming its market).
 * @example
 * const receipt = await waitForTransactionReceipt(client, { hash })
 * const { placed, trades, cancelled } = decodeMarketEvents(receipt.logs, clearinghouse, 1n)
 */
export function decodeMarketEvents(logs: readonly Log[], clearinghouse: Address, marketId?: bigint): MarketEvents {
  const out: MarketEvents = { placed: [], trades: [], cancelled: [], expired: [], amended: [], swept: [], dropped: [] };
  for (const log of marketLogs(logs, clearinghouse, marketId, BOOK_EVENTS)) {
    switch (log.eventName) {
      case "OrderPlaced":
        out.placed.push({
          marketId: log.args.marketId,
          orderId: log.args.orderId,
          id: decodeOrderId(log.args.orderId),
          ...decodePlacedInfo(log.args.info),
          expiry: log.args.expiry,
        });
        break;
      case "OrderDropped":
        out.dropped.push({
          marketId: log.args.marketId,
          taker: decodeTaker(log.args.taker),
          lots: log.args.lots,
          reason: log.args.reason,
        });
        break;
      case "Trade":
        out.trades.push({
          marketId: log.args.marketId,
          taker: decodeTaker(log.args.taker),
          ...decodeTradeSummary(log.args.summary),
          fills: log.args.fills.map(decodeFill),
        });
        break;
      case "OrderCancelled":
      case "OrderExpired": {
        const e = { marketId: log.args.marketId, orderId: log.args.orderId, id: decodeOrderId(log.args.orderId), lots: log.args.lots };
        (log.eventName === "OrderCancelled" ? out.cancelled : out.expired).push(e);
        break;
      }
      case "OrderAmended":
        out.amended.push({ marketId: log.args.marketId, orderId: log.args.orderId, newLots: log.args.newLots });
        break;
      case "Swept":
        out.swept.push({
          marketId: log.args.marketId,
          ...decodeAccountId(log.args.account),
          baseAtoms: log.args.baseAtoms,
          quoteAtoms: log.args.quoteAtoms,
        });
        break;
      default:
        break;
    }
  }
  return out;
}
