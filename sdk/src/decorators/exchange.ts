import type { Address, Client } from "viem";
import { deposit, depositSync, type DepositParameters } from "../actions/account/deposit.ts";
import { getBalances, type GetBalancesParameters } from "../actions/account/getBalances.ts";
import { setOperator, setOperatorSync, type SetOperatorParameters } from "../actions/account/setOperator.ts";
import { setOperatorBand, setOperatorBandSync, type SetOperatorBandParameters } from "../actions/account/setOperatorBand.ts";
import { getOperatorBand, type GetOperatorBandParameters } from "../actions/account/getOperatorBand.ts";
import { withdraw, withdrawSync, type WithdrawParameters } from "../actions/account/withdraw.ts";
import { batchOrders, batchOrdersSync, type BatchOrdersParameters } from "../actions/market/batchOrders.ts";
import { cancelAll, cancelAllSync, type CancelAllParameters } from "../actions/market/cancelAll.ts";
import { cancelOrder, cancelOrderSync, type CancelOrderParameters } from "../actions/market/cancelOrder.ts";
import { getMarket, type GetMarketParameters } from "../actions/market/getMarket.ts";
import { getOpenOrders, type GetOpenOrdersParameters } from "../actions/market/getOpenOrders.ts";
import { rebuildOpenOrders, type RebuildOpenOrdersParameters } from "../actions/market/rebuildOpenOrders.ts";
import { getOrder, type GetOrderParameters } from "../actions/market/getOrder.ts";
import { getOrderBook, type GetOrderBookParameters } from "../actions/market/getOrderBook.ts";
import { placeOrder, placeOrderSync, type PlaceOrderParameters } from "../actions/market/placeOrder.ts";
import { sweep, sweepSync, type SweepParameters } from "../actions/market/sweep.ts";
import { purgeTop, purgeTopSync, type PurgeTopParameters } from "../actions/market/purgeTop.ts";
import { setBorrowPolicy, setBorrowPolicySync, type SetBorrowPolicyParameters } from "../actions/account/setBorrowPolicy.ts";
import { borrow, borrowSync, type BorrowParameters } from "../actions/lending/borrow.ts";
import { getPools, type GetPoolsParameters } from "../actions/lending/getPools.ts";
import { repay, repaySync, type RepayParameters } from "../actions/lending/repay.ts";
import { setLending, setLendingSync, type SetLendingParameters } from "../actions/lending/setLending.ts";
import { supply, supplySync, type SupplyParameters } from "../actions/lending/supply.ts";
import { withdrawSupply, withdrawSupplySync, type WithdrawSupplyParameters } from "../actions/lending/withdrawSupply.ts";
import {
  cancelForLiquidation,
  cancelForLiquidationSync,
  type CancelForLiquidationParameters,
} from "../actions/risk/cancelForLiquidation.ts";
import { findLiquidationAmount, type FindLiquidationAmountParameters } from "../actions/risk/findLiquidationAmount.ts";
import { flagLiquidatable, flagLiquidatableSync, type FlagLiquidatableParameters } from "../actions/risk/flagLiquidatable.ts";
import { getAccountRisk, type GetAccountRiskParameters } from "../actions/risk/getAccountRisk.ts";
import { liquidate, liquidateSync, type LiquidateParameters } from "../actions/risk/liquidate.ts";
import { maxBorrow, type MaxBorrowParameters } from "../actions/risk/maxBorrow.ts";
import { maxWithdraw, type MaxWithdrawParameters } from "../actions/risk/maxWithdraw.ts";
import { readAtlasSnapshot, type ReadAtlasSnapshotParameters } from "../actions/risk/readAtlasSnapshot.ts";
import { settleBadDebt, settleBadDebtSync, type SettleBadDebtParameters } from "../actions/risk/settleBadDebt.ts";
import { getFunding, type GetFundingParameters } from "../actions/perp/getFunding.ts";
import { getMarkPrice, type GetMarkPriceParameters } from "../actions/perp/getMarkPrice.ts";
import { getPerpMarket, type GetPerpMarketParameters } from "../actions/perp/getPerpMarket.ts";
import { getPosition, type GetPositionParameters } from "../actions/perp/getPosition.ts";
import { getPositions, type GetPositionsParameters } from "../actions/perp/getPositions.ts";
import { liquidatePerp, liquidatePerpSync, type LiquidatePerpParameters } from "../actions/perp/liquidatePerp.ts";
import { resolveBankruptcy, resolveBankruptcySync, type ResolveBankruptcyParameters } from "../actions/perp/resolveBankruptcy.ts";
import { settlePerp, settlePerpSync, type SettlePerpParameters } from "../actions/perp/settlePerp.ts";
import { maxOrderSize, type MaxOrderSizeParameters } from "../actions/risk/maxOrderSize.ts";
import { previewOrder, type PreviewOrderParameters } from "../actions/risk/previewOrder.ts";
import type { SyncOptions } from "../internal/write.ts";

export interface ExchangeActionsConfig {
  /** The core (Clearinghouse): every account, pool and market (spot and perp, by id) lives in it. */
  clearinghouse: Address;
  /** The AtlasLens (periphery), for the risk views' `verify` of what-if figures. */
  lens?: Address;
  /** Multicall3 address, for chains whose viem definition lacks one (else deployless). */
  multicallAddress?: Address;
}

// distributive, so a union of parameter shapes (an order's ticks-or-decimals) stays a union
type WithoutClearinghouse<T> = T extends unknown ? Omit<T, "clearinghouse"> : never;
type WithoutContracts<T> = T extends unknown ? Omit<T, "clearinghouse" | "lens"> : never;

/**
 * Binds every action to a client, like viem's own `publicActions`; every action gets the core's
 * address from here, so a market is named by its id alone.
 * @example
 * const client = createWalletClient({ account, chain: megaethTestnet, transport: http() })
 *   .extend(exchangeActions({ clearinghouse: "0x…" }))
 * await client.depositSync({ token: usdc, amount: 1_000_000n })
 * await client.placeOrderSync({ marketId: 1n, side: Side.Bid, price: "3000", size: "0.5" })
 */
export function exchangeActions(config: ExchangeActionsConfig) {
  const ch = config.clearinghouse;
  const mc = config.multicallAddress;
  // reads: the caller's options first, then the bound contracts (which always win)
  const risk = { clearinghouse: ch, lens: config.lens };
  const at = { clearinghouse: ch };
  return (client: Client) => ({
    // account
    deposit: (p: WithoutClearinghouse<DepositParameters>) => deposit(client, { ...p, clearinghouse: ch }),
    depositSync: (p: WithoutClearinghouse<DepositParameters> & SyncOptions) =>
      depositSync(client, { ...p, clearinghouse: ch }),
    withdraw: (p: WithoutClearinghouse<WithdrawParameters>) => withdraw(client, { ...p, clearinghouse: ch }),
    withdrawSync: (p: WithoutClearinghouse<WithdrawParameters> & SyncOptions) =>
      withdrawSync(client, { ...p, clearinghouse: ch }),
    setOperator: (p: WithoutClearinghouse<SetOperatorParameters>) => setOperator(client, { ...p, clearinghouse: ch }),
    setOperatorSync: (p: WithoutClearinghouse<SetOperatorParameters> & SyncOptions) =>
      setOperatorSync(client, { ...p, clearinghouse: ch }),
    setOperatorBand: (p: WithoutClearinghouse<SetOperatorBandParameters>) => setOperatorBand(client, { ...p, clearinghouse: ch }),
    setOperatorBandSync: (p: WithoutClearinghouse<SetOperatorBandParameters> & SyncOptions) =>
      setOperatorBandSync(client, { ...p, clearinghouse: ch }),
    getOperatorBand: (p: WithoutClearinghouse<GetOperatorBandParameters>) => getOperatorBand(client, { ...p, clearinghouse: ch }),
    getBalances: (p: WithoutClearinghouse<GetBalancesParameters>) =>
      getBalances(client, { multicallAddress: mc, ...p, clearinghouse: ch }),
    setBorrowPolicy: (p: WithoutClearinghouse<SetBorrowPolicyParameters>) => setBorrowPolicy(client, { ...p, clearinghouse: ch }),
    setBorrowPolicySync: (p: WithoutClearinghouse<SetBorrowPolicyParameters> & SyncOptions) =>
      setBorrowPolicySync(client, { ...p, clearinghouse: ch }),
    // lending
    supply: (p: SupplyParameters) => supply(client, p),
    supplySync: (p: SupplyParameters & SyncOptions) => supplySync(client, p),
    withdrawSupply: (p: WithdrawSupplyParameters) => withdrawSupply(client, p),
    withdrawSupplySync: (p: WithdrawSupplyParameters & SyncOptions) => withdrawSupplySync(client, p),
    setLending: (p: WithoutClearinghouse<SetLendingParameters>) => setLending(client, { ...p, clearinghouse: ch }),
    setLendingSync: (p: WithoutClearinghouse<SetLendingParameters> & SyncOptions) => setLendingSync(client, { ...p, clearinghouse: ch }),
    borrow: (p: WithoutClearinghouse<BorrowParameters>) => borrow(client, { ...p, clearinghouse: ch }),
    borrowSync: (p: WithoutClearinghouse<BorrowParameters> & SyncOptions) => borrowSync(client, { ...p, clearinghouse: ch }),
    repay: (p: WithoutClearinghouse<RepayParameters>) => repay(client, { ...p, clearinghouse: ch }),
    repaySync: (p: WithoutClearinghouse<RepayParameters> & SyncOptions) => repaySync(client, { ...p, clearinghouse: ch }),
    getPools: (p: WithoutClearinghouse<GetPoolsParameters>) => getPools(client, { multicallAddress: mc, ...p, clearinghouse: ch }),
    // risk
    readAtlasSnapshot: (p: WithoutContracts<ReadAtlasSnapshotParameters>) =>
      readAtlasSnapshot(client, { multicallAddress: mc, ...p, ...risk }),
    getAccountRisk: (p: WithoutContracts<GetAccountRiskParameters> = {}) =>
      getAccountRisk(client, { multicallAddress: mc, ...p, ...risk }),
    maxWithdraw: (p: WithoutContracts<MaxWithdrawParameters>) => maxWithdraw(client, { multicallAddress: mc, ...p, ...risk }),
    maxBorrow: (p: WithoutContracts<MaxBorrowParameters>) => maxBorrow(client, { multicallAddress: mc, ...p, ...risk }),
    findLiquidationAmount: (p: WithoutContracts<FindLiquidationAmountParameters>) =>
      findLiquidationAmount(client, { multicallAddress: mc, ...p, ...risk }),
    liquidate: (p: WithoutClearinghouse<LiquidateParameters>) => liquidate(client, { ...p, clearinghouse: ch }),
    liquidateSync: (p: WithoutClearinghouse<LiquidateParameters> & SyncOptions) => liquidateSync(client, { ...p, clearinghouse: ch }),
    flagLiquidatable: (p: WithoutClearinghouse<FlagLiquidatableParameters>) => flagLiquidatable(client, { ...p, clearinghouse: ch }),
    flagLiquidatableSync: (p: WithoutClearinghouse<FlagLiquidatableParameters> & SyncOptions) =>
      flagLiquidatableSync(client, { ...p, clearinghouse: ch }),
    settleBadDebt: (p: WithoutClearinghouse<SettleBadDebtParameters>) => settleBadDebt(client, { ...p, clearinghouse: ch }),
    settleBadDebtSync: (p: WithoutClearinghouse<SettleBadDebtParameters> & SyncOptions) =>
      settleBadDebtSync(client, { ...p, clearinghouse: ch }),
    maxOrderSize: (p: WithoutContracts<MaxOrderSizeParameters>) => maxOrderSize(client, { multicallAddress: mc, ...p, ...risk }),
    previewOrder: (p: WithoutContracts<PreviewOrderParameters>) => previewOrder(client, { multicallAddress: mc, ...p, ...risk }),
    cancelForLiquidation: (p: WithoutClearinghouse<CancelForLiquidationParameters>) => cancelForLiquidation(client, { ...p, ...at }),
    cancelForLiquidationSync: (p: WithoutClearinghouse<CancelForLiquidationParameters> & SyncOptions) =>
      cancelForLiquidationSync(client, { ...p, ...at }),
    // markets, by id (spot and perp: placeOrder, cancelOrder, cancelAll, batchOrders take either kind)
    getMarket: (p: WithoutClearinghouse<GetMarketParameters>) => getMarket(client, { multicallAddress: mc, ...p, ...at }),
    placeOrder: (p: WithoutClearinghouse<PlaceOrderParameters>) => placeOrder(client, { ...p, ...at }),
    placeOrderSync: (p: WithoutClearinghouse<PlaceOrderParameters> & SyncOptions) =>
      placeOrderSync(client, { ...p, ...at }),
    cancelOrder: (p: WithoutClearinghouse<CancelOrderParameters>) => cancelOrder(client, { ...p, ...at }),
    cancelOrderSync: (p: WithoutClearinghouse<CancelOrderParameters> & SyncOptions) => cancelOrderSync(client, { ...p, ...at }),
    cancelAll: (p: WithoutClearinghouse<CancelAllParameters>) => cancelAll(client, { ...p, ...at }),
    cancelAllSync: (p: WithoutClearinghouse<CancelAllParameters> & SyncOptions) => cancelAllSync(client, { ...p, ...at }),
    batchOrders: (p: WithoutClearinghouse<BatchOrdersParameters>) => batchOrders(client, { ...p, ...at }),
    batchOrdersSync: (p: WithoutClearinghouse<BatchOrdersParameters> & SyncOptions) => batchOrdersSync(client, { ...p, ...at }),
    sweep: (p: WithoutClearinghouse<SweepParameters>) => sweep(client, { ...p, ...at }),
    sweepSync: (p: WithoutClearinghouse<SweepParameters> & SyncOptions) => sweepSync(client, { ...p, ...at }),
    purgeTop: (p: WithoutClearinghouse<PurgeTopParameters>) => purgeTop(client, { ...p, ...at }),
    purgeTopSync: (p: WithoutClearinghouse<PurgeTopParameters> & SyncOptions) => purgeTopSync(client, { ...p, ...at }),
    getOrderBook: (p: WithoutClearinghouse<GetOrderBookParameters>) => getOrderBook(client, { ...p, ...at }),
    getOrder: (p: WithoutClearinghouse<GetOrderParameters>) => getOrder(client, { ...p, ...at }),
    getOpenOrders: (p: WithoutClearinghouse<GetOpenOrdersParameters>) => getOpenOrders(client, { multicallAddress: mc, ...p, ...at }),
    rebuildOpenOrders: (p: WithoutClearinghouse<RebuildOpenOrdersParameters>) => rebuildOpenOrders(client, { ...p, ...at }),
    // perps
    getPerpMarket: (p: WithoutClearinghouse<GetPerpMarketParameters>) => getPerpMarket(client, { multicallAddress: mc, ...p, ...at }),
    getPosition: (p: WithoutClearinghouse<GetPositionParameters>) => getPosition(client, { multicallAddress: mc, ...p, ...at }),
    getPositions: (p: WithoutClearinghouse<GetPositionsParameters> = {}) => getPositions(client, { multicallAddress: mc, ...p, ...at }),
    getFunding: (p: WithoutClearinghouse<GetFundingParameters>) => getFunding(client, { multicallAddress: mc, ...p, ...at }),
    getMarkPrice: (p: WithoutClearinghouse<GetMarkPriceParameters>) => getMarkPrice(client, { multicallAddress: mc, ...p, ...at }),
    settlePerp: (p: WithoutClearinghouse<SettlePerpParameters>) => settlePerp(client, { ...p, ...at }),
    settlePerpSync: (p: WithoutClearinghouse<SettlePerpParameters> & SyncOptions) => settlePerpSync(client, { ...p, ...at }),
    liquidatePerp: (p: WithoutClearinghouse<LiquidatePerpParameters>) => liquidatePerp(client, { ...p, ...at }),
    liquidatePerpSync: (p: WithoutClearinghouse<LiquidatePerpParameters> & SyncOptions) => liquidatePerpSync(client, { ...p, ...at }),
    resolveBankruptcy: (p: WithoutClearinghouse<ResolveBankruptcyParameters>) => resolveBankruptcy(client, { ...p, ...at }),
    resolveBankruptcySync: (p: WithoutClearinghouse<ResolveBankruptcyParameters> & SyncOptions) =>
      resolveBankruptcySync(client, { ...p, ...at }),
  });
}

export type ExchangeActions = ReturnType<ReturnType<typeof exchangeActions>>;
