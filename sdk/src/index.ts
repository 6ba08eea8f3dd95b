// @megaeth-exchange/sdk: viem actions for the exchange's core (accounts, lending pools, spot and perp markets by id) and ATLAS margin.
export * from "./actions/index.ts";
export { exchangeActions, type ExchangeActions, type ExchangeActionsConfig } from "./decorators/exchange.ts";
export * from "./abis/index.ts";
export * from "./errors/index.ts";
export * from "./chains/index.ts";
export * from "./math/codec.ts";
export * from "./math/units.ts";
// Copies of contract math, as namespaces (their names are the contracts' own, e.g. atlasMath.maxWithdraw)
export * as atlasMath from "./math/atlas.ts";
export * as liquidationMath from "./math/liquidation.ts";
export * as rateMath from "./math/rates.ts";
export * as sharesMath from "./math/shares.ts";
export * as perpMath from "./math/perp.ts";
export type {
  AtlasSnapshot,
  AtlasAsset,
  AtlasPosition,
  AtlasPocket,
  AtlasPerp,
  PoolState,
  AccountRisk,
  AssetRisk,
  Entry as AtlasEntry,
  Book as AtlasBook,
} from "./math/atlas.ts";
export type { LiquidationPreview, LiquidationInput } from "./math/liquidation.ts";
export type { RateModel } from "./math/rates.ts";
export type { PerpFill, OrderPreview } from "./math/perp.ts";
export type { AtlasViewParameters } from "./internal/atlas.ts";
export type { MarketParameters } from "./internal/market.ts";
export type { WriteOptions, SyncOptions } from "./internal/write.ts";
export { pythAbi, type PythUpdate } from "./internal/pyth.ts";
export { gasWithMargin } from "./internal/write.ts";
export type { ReadOptions } from "./internal/read.ts";
export type { OrderInput, OrderAmount } from "./internal/order.ts";
export type {
  MarketEvents,
  OrderPlacedEvent,
  TradeEvent,
  OrderRemovedEvent,
  OrderAmendedEvent,
  OrderDroppedEvent,
  SweptEvent,
} from "./internal/events.ts";
export { decodeMarketEvents, DropReason } from "./internal/events.ts";
