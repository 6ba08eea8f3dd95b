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
  clearinghouse: Address;
  /** The Atlas risk engine; risk views read it from the Clearinghouse when omitted (one more round trip). */
  atlas?: Address;
  /** Multicall3 address, for chains whose viem definition lacks one (else deployless). */
  multicallAddress?: Address;
}

type WithoutClearinghouse<T> = Omit<T, "clearinghouse">;
type WithoutContracts<T> = Omit<T, "clearinghouse" | "atlas">;

/**
 * Binds every action to a client, like viem's own `publicActions`; Clearinghouse actions get
 * its address from here.
 * @example
 * const client = createWalletClient({ account, chain: megaethTestnet, transport: http() })
 *   .extend(exchangeActions({ clearinghouse: "0x…" }))
 * await client.depositSync({ token: usdc, amount: 1_000_000n })
 */
export function exchangeActions(config: ExchangeActionsConfig) {
  const ch = config.clearinghouse;
  const mc = config.multicallAddress;
  // reads: the caller's options first, then the bound contracts (which always win)
  const risk = { clearinghouse: ch, atlas: config.atlas };
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
    cancelForLiquidation: (p: CancelForLiquidationParameters) => cancelForLiquidation(client, p),
    cancelForLiquidationSync: (p: CancelForLiquidationParameters & SyncOptions) => cancelForLiquidationSync(client, p),
    // market
    getMarket: (p: GetMarketParameters) => getMarket(client, { multicallAddress: mc, ...p }),
    placeOrder: (p: PlaceOrderParameters) => placeOrder(client, p),
    placeOrderSync: (p: PlaceOrderParameters & SyncOptions) => placeOrderSync(client, p),
    cancelOrder: (p: CancelOrderParameters) => cancelOrder(client, p),
    cancelOrderSync: (p: CancelOrderParameters & SyncOptions) => cancelOrderSync(client, p),
    cancelAll: (p: CancelAllParameters) => cancelAll(client, p),
    cancelAllSync: (p: CancelAllParameters & SyncOptions) => cancelAllSync(client, p),
    batchOrders: (p: BatchOrdersParameters) => batchOrders(client, p),
    batchOrdersSync: (p: BatchOrdersParameters & SyncOptions) => batchOrdersSync(client, p),
    sweep: (p: SweepParameters) => sweep(client, p),
    sweepSync: (p: SweepParameters & SyncOptions) => sweepSync(client, p),
    purgeTop: (p: PurgeTopParameters) => purgeTop(client, p),
    purgeTopSync: (p: PurgeTopParameters & SyncOptions) => purgeTopSync(client, p),
    getOrderBook: (p: GetOrderBookParameters) => getOrderBook(client, p),
    getOrder: (p: GetOrderParameters) => getOrder(client, p),
    getOpenOrders: (p: GetOpenOrdersParameters) => getOpenOrders(client, { multicallAddress: mc, ...p }),
    rebuildOpenOrders: (p: RebuildOpenOrdersParameters) => rebuildOpenOrders(client, p),
    // perps (placeOrder, cancelOrder, cancelAll and batchOrders above take perp markets too)
    getPerpMarket: (p: GetPerpMarketParameters) => getPerpMarket(client, { multicallAddress: mc, ...p }),
    getPosition: (p: GetPositionParameters) => getPosition(client, { multicallAddress: mc, ...p }),
    getPositions: (p: WithoutClearinghouse<GetPositionsParameters> = {}) =>
      getPositions(client, { multicallAddress: mc, ...p, clearinghouse: ch }),
    getFunding: (p: GetFundingParameters) => getFunding(client, { multicallAddress: mc, ...p }),
    getMarkPrice: (p: GetMarkPriceParameters) => getMarkPrice(client, { multicallAddress: mc, ...p }),
    settlePerp: (p: SettlePerpParameters) => settlePerp(client, p),
    settlePerpSync: (p: SettlePerpParameters & SyncOptions) => settlePerpSync(client, p),
    liquidatePerp: (p: LiquidatePerpParameters) => liquidatePerp(client, p),
    liquidatePerpSync: (p: LiquidatePerpParameters & SyncOptions) => liquidatePerpSync(client, p),
    resolveBankruptcy: (p: ResolveBankruptcyParameters) => resolveBankruptcy(client, p),
    resolveBankruptcySync: (p: ResolveBankruptcyParameters & SyncOptions) => resolveBankruptcySync(client, p),
  });
}

export type ExchangeActions = ReturnType<ReturnType<typeof exchangeActions>>;
