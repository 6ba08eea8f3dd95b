// @megaeth-exchange/sdk: viem actions for the exchange's Clearinghouse and spot markets.
export * from "./actions/index.ts";
export { exchangeActions, type ExchangeActions, type ExchangeActionsConfig } from "./decorators/exchange.ts";
export * from "./abis/index.ts";
export * from "./errors/index.ts";
export * from "./chains/index.ts";
export * from "./math/order.ts";
export * from "./math/units.ts";
export * from "./math/events.ts";
export type { WriteOptions, SyncOptions } from "./internal/write.ts";
export type { ReadOptions } from "./internal/read.ts";
export type { OrderInput, OrderAmount } from "./internal/order.ts";
export type {
  MarketEvents,
  OrderPlacedEvent,
  TradeEvent,
  OrderRemovedEvent,
  OrderAmendedEvent,
  SweptEvent,
} from "./internal/events.ts";
export { decodeMarketEvents } from "./internal/events.ts";
