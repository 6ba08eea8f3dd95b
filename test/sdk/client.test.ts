// How writes reach the node: MegaETH's synchronous send when offered, the classic send and
// wait otherwise (remembered per client), JSON-RPC accounts, missing accounts; the decorator
// and the chain list.
import { expect } from "chai";
import { createPublicClient, createWalletClient, custom, type Account, type EIP1193RequestFn } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import {
  AccountRequiredError,
  OrderInputError,
  Side,
  chainById,
  exchangeActions,
  localhost,
  megaeth,
  megaethTestnet,
  placeOrder,
  placeOrderSync,
  type OrderInput,
} from "../../sdk/src/index.ts";
import { HARDHAT_KEYS, useWorld } from "./_fixture.ts";

async function thrown(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  return undefined;
}

describe("sdk client: writes, decorator, chains", () => {
  const world = useWorld();

  /** A local-key client on the in-process chain whose RPC traffic is counted (and maybe shimmed). */
  function countingClient(keyIndex: number, opts: { syncShim?: boolean } = {}) {
    const { connection } = world();
    const counts = new Map<string, number>();
    const request = (async ({ method, params }: { method: string; params?: unknown }) => {
      counts.set(method, (counts.get(method) ?? 0) + 1);
      if (method === "eth_sendRawTransactionSync" && opts.syncShim) {
        // what MegaETH does in one round trip: include the transaction and answer with its receipt
        const hash = await connection.provider.request({ method: "eth_sendRawTransaction", params: [(params as unknown[])[0]] });
        return connection.provider.request({ method: "eth_getTransactionReceipt", params: [hash] });
      }
      return connection.provider.request({ method, params: params as unknown[] });
    }) as EIP1193RequestFn;
    const client = createWalletClient({
      account: privateKeyToAccount(HARDHAT_KEYS[keyIndex]) as Account,
      chain: hardhat,
      transport: custom({ request }),
    }).extend(exchangeActions({ clearinghouse: world().clearinghouse }));
    return { client, counts };
  }

  it("without eth_sendRawTransactionSync, a local key falls back to send + receipt, and asks only once", async () => {
    const { markets } = world();
    const marketId = markets.wethUsdc.marketId;
    const { client, counts } = countingClient(1);
    const first = await client.placeOrderSync({ marketId, side: Side.Bid, tick: 290_000n, lots: 3n });
    const second = await client.placeOrderSync({ marketId, side: Side.Bid, tick: 290_001n, lots: 3n });
    expect(first.receipt.status).to.equal("success");
    expect(second.orderId).to.not.equal(first.orderId);
    expect(counts.get("eth_sendRawTransactionSync")).to.equal(1);
    expect(counts.get("eth_sendRawTransaction")).to.equal(2);
  });

  it("with eth_sendRawTransactionSync (MegaETH), the receipt comes back from the send itself", async () => {
    const { markets, bob } = world();
    const marketId = markets.wethUsdc.marketId;
    const { client, counts } = countingClient(1, { syncShim: true });
    const maker = await client.placeOrderSync({ marketId, side: Side.Ask, tick: 300_000n, lots: 4n });
    const taker = await bob.placeOrderSync({ marketId, side: Side.Bid, tick: 300_000n, lots: 4n });
    expect(taker.events.trades[0].fills[0].makerOrderId).to.equal(maker.orderId);
    const { swept } = await client.sweepSync({ marketId });
    expect(swept.quoteAtoms).to.be.greaterThan(0n);
    expect(counts.get("eth_sendRawTransactionSync")).to.equal(2);
    expect(counts.get("eth_sendRawTransaction") ?? 0).to.equal(0);
    expect(counts.get("eth_getTransactionReceipt") ?? 0).to.equal(0);
  });

  it("JSON-RPC accounts (the node signs) never ask for the synchronous method", async () => {
    const { alice, connection, markets, clearinghouse } = world();
    const counts = new Map<string, number>();
    const client = createWalletClient({
      account: alice.account.address,
      chain: hardhat,
      transport: custom({
        request: (async ({ method, params }: { method: string; params?: unknown[] }) => {
          counts.set(method, (counts.get(method) ?? 0) + 1);
          return connection.provider.request({ method, params });
        }) as EIP1193RequestFn,
      }),
    }).extend(exchangeActions({ clearinghouse }));
    const r = await client.placeOrderSync({ marketId: markets.wethUsdc.marketId, side: Side.Bid, tick: 290_000n, lots: 3n });
    expect(r.orderId).to.not.equal(0n);
    expect(counts.get("eth_sendTransaction")).to.equal(1);
    expect(counts.get("eth_sendRawTransactionSync") ?? 0).to.equal(0);
  });

  it("a write without any account throws AccountRequiredError before touching the chain", async () => {
    const { connection, markets, clearinghouse } = world();
    let requests = 0;
    const client = createPublicClient({
      chain: hardhat,
      transport: custom({
        request: (async (args: { method: string; params?: unknown[] }) => {
          requests++;
          return connection.provider.request(args);
        }) as EIP1193RequestFn,
      }),
    });
    const e = await thrown(placeOrder(client, { clearinghouse, marketId: markets.wethUsdc.marketId, side: Side.Bid, tick: 1n, lots: 1n }));
    expect(e).to.be.instanceOf(AccountRequiredError);
    expect(requests).to.equal(0);
    // an account passed per call is enough
    const { alice } = world();
    const r = await placeOrderSync(alice, {
      clearinghouse,
      marketId: markets.wethUsdc.marketId,
      side: Side.Bid,
      tick: 1n,
      lots: 1n,
      account: alice.account,
    });
    expect(r.orderId).to.not.equal(0n);
  });

  it("an order with neither ticks and lots nor price and size is refused locally", async () => {
    const { alice, markets } = world();
    const bad = { side: Side.Bid, tick: 5n } as unknown as OrderInput;
    expect(await thrown(alice.placeOrder({ marketId: markets.wethUsdc.marketId, ...bad }))).to.be.instanceOf(OrderInputError);
  });

  it("the decorator binds the Clearinghouse and every action", () => {
    const { alice } = world();
    for (const name of [
      "deposit",
      "depositSync",
      "withdraw",
      "withdrawSync",
      "setOperator",
      "setOperatorSync",
      "setOperatorBand",
      "setOperatorBandSync",
      "getOperatorBand",
      "getBalances",
      "getMarket",
      "placeOrder",
      "placeOrderSync",
      "cancelOrder",
      "cancelOrderSync",
      "cancelAll",
      "cancelAllSync",
      "batchOrders",
      "batchOrdersSync",
      "sweep",
      "sweepSync",
      "getOrderBook",
      "getOrder",
      "getOpenOrders",
      "rebuildOpenOrders",
      "purgeTop",
      "getPerpMarket",
      "getPosition",
      "getPositions",
      "settlePerp",
      "liquidatePerp",
      "resolveBankruptcy",
    ]) {
      expect(typeof (alice as unknown as Record<string, unknown>)[name], name).to.equal("function");
    }
  });

  it("knows the chains it targets", () => {
    expect(chainById(31337)?.id).to.equal(hardhat.id);
    expect(chainById(6343)).to.equal(megaethTestnet);
    expect(chainById(4326)).to.equal(megaeth);
    expect(chainById(1337)).to.equal(localhost);
    expect(chainById(1)).to.equal(undefined);
    expect(megaeth.contracts?.multicall3?.address).to.match(/^0x[0-9a-fA-F]{40}$/);
  });
});
