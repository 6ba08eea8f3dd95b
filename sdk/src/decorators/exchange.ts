import type { Address, Client } from "viem";
import { deposit, depositSync, type DepositParameters } from "../actions/account/deposit.ts";
import { getBalances, type GetBalancesParameters } from "../actions/account/getBalances.ts";
import { setOperator, setOperatorSync, type SetOperatorParameters } from "../actions/account/setOperator.ts";
import { withdraw, withdrawSync, type WithdrawParameters } from "../actions/account/withdraw.ts";
import { batchOrders, batchOrdersSync, type BatchOrdersParameters } from "../actions/market/batchOrders.ts";
import { cancelAll, cancelAllSync, type CancelAllParameters } from "../actions/market/cancelAll.ts";
import { cancelOrder, cancelOrderSync, type CancelOrderParameters } from "../actions/market/cancelOrder.ts";
import { getMarket, type GetMarketParameters } from "../actions/market/getMarket.ts";
import { getOpenOrders, type GetOpenOrdersParameters } from "../actions/market/getOpenOrders.ts";
import { getOrder, type GetOrderParameters } from "../actions/market/getOrder.ts";
import { getOrderBook, type GetOrderBookParameters } from "../actions/market/getOrderBook.ts";
import { placeOrder, placeOrderSync, type PlaceOrderParameters } from "../actions/market/placeOrder.ts";
import { sweep, sweepSync, type SweepParameters } from "../actions/market/sweep.ts";
import type { SyncOptions } from "../internal/write.ts";

export interface ExchangeActionsConfig {
  clearinghouse: Address;
  /** Multicall3 address, for chains whose viem definition lacks one (else deployless). */
  multicallAddress?: Address;
}

type WithoutClearinghouse<T> = Omit<T, "clearinghouse">;

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
    getBalances: (p: WithoutClearinghouse<GetBalancesParameters>) =>
      getBalances(client, { multicallAddress: mc, ...p, clearinghouse: ch }),
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
    getOrderBook: (p: GetOrderBookParameters) => getOrderBook(client, p),
    getOrder: (p: GetOrderParameters) => getOrder(client, p),
    getOpenOrders: (p: GetOpenOrdersParameters) => getOpenOrders(client, { multicallAddress: mc, ...p }),
  });
}

export type ExchangeActions = ReturnType<ReturnType<typeof exchangeActions>>;
