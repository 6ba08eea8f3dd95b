// The SDK over real JSON-RPC: `scripts/node.ts` (what `npm run node` runs) is started on a
// free loopback port, and the SDK, signing locally as a bot would, deposits, quotes, takes,
// reads and withdraws against it. The node and its Hardhat child are stopped afterwards.
import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createWalletClient, erc20Abi, http, parseUnits, type Account, type Address, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { readContract, writeContract } from "viem/actions";
import { hardhat } from "viem/chains";
import {
  OrderKind,
  PostOnlyWouldCrossError,
  Side,
  exchangeActions,
  mockErc20Abi,
  priceToTick,
  sizeToLots,
  tickToPrice,
  MAX_TICK,
} from "../../sdk/src/index.ts";

interface Deployment {
  chainId: number;
  rpcUrl: string;
  contracts: { clearinghouse: Address; accessManager: Address };
  tokens: Record<string, { address: Address; decimals: number }>;
  /** Market ids (decimal strings) in the core, with their grids. */
  markets: Record<string, { marketId: string; lotSize: string; tickSize: string }>;
  accounts: { role: string; address: Address; privateKey: Hex }[];
}

/** Hardhat's account #6: has ETH on the node but was not funded with tokens by the script. */
const NEWCOMER_KEY: Hex = "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts scripts/node.ts in its own process group and resolves once it printed "ready". */
function startNode(port: number, out: string): Promise<ChildProcess> {
  const script = join(import.meta.dirname, "../../scripts/node.ts");
  const child = spawn(process.execPath, [script, "--port", String(port), "--out", out], {
    cwd: join(import.meta.dirname, "../.."),
    detached: true, // its own process group, so the Hardhat node it spawns is stopped with it
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`node not ready after 120 s\n${stdout}\n${stderr}`)), 120_000);
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    child.stdout!.on("data", (d: Buffer) => {
      stdout += d.toString();
      if (/^ready /m.test(stdout)) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`scripts/node.ts exited with ${code}\n${stdout}\n${stderr}`));
    });
  });
}

async function stopNode(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  process.kill(-child.pid!, "SIGTERM");
  const timer = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
  // the Hardhat child is in the same group; make sure nothing of the group survives
  try {
    process.kill(-child.pid!, "SIGKILL");
  } catch {
    // group already gone
  }
}

describe("sdk over JSON-RPC against `npm run node`", function () {
  let child: ChildProcess | undefined;
  let dir: string;
  let dep: Deployment;

  before(async function () {
    this.timeout(180_000);
    dir = mkdtempSync(join(tmpdir(), "exchange-node-"));
    const port = await freePort();
    child = await startNode(port, join(dir, "deployment.json"));
    dep = JSON.parse(readFileSync(join(dir, "deployment.json"), "utf8")) as Deployment;
  });

  after(async () => {
    if (child) await stopNode(child);
    rmSync(dir, { recursive: true, force: true });
  });

  const clientFor = (key: Hex) =>
    createWalletClient({
      account: privateKeyToAccount(key) as Account,
      chain: hardhat,
      transport: http(dep.rpcUrl),
      pollingInterval: 50,
    }).extend(exchangeActions({ clearinghouse: dep.contracts.clearinghouse }));

  it("wrote a deployment the SDK reads back", async () => {
    expect(dep.chainId).to.equal(31337);
    expect(dep.rpcUrl).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    const trader = clientFor(dep.accounts[2].privateKey);
    const m = await trader.getMarket({ marketId: BigInt(dep.markets["WETH/USDC"].marketId) });
    expect(m.base).to.equal(dep.tokens.WETH.address);
    expect(m.quote).to.equal(dep.tokens.USDC.address);
    expect(m.lotSize.toString()).to.equal(dep.markets["WETH/USDC"].lotSize);
    expect([m.baseDecimals, m.quoteDecimals]).to.deep.equal([18, 6]);
    const btc = await trader.getMarket({ marketId: BigInt(dep.markets["WBTC/USDC"].marketId) });
    expect(btc.baseDecimals).to.equal(8);
    // tick sizes chosen by price: each book quotes at least 10× its seeded mid ($3,000, $60,000)
    expect(Number(tickToPrice(MAX_TICK, m))).to.be.at.least(30_000);
    expect(Number(tickToPrice(MAX_TICK, btc))).to.be.at.least(600_000);
    expect(btc.maxPricePerLot).to.equal(btc.tickSize * MAX_TICK);
    expect(btc.minPricePerLot).to.equal(btc.tickSize);
  });

  it("seeded both books with resting orders on each side", async () => {
    const trader = clientFor(dep.accounts[2].privateKey);
    for (const name of ["WETH/USDC", "WBTC/USDC"]) {
      const book = await trader.getOrderBook({ marketId: BigInt(dep.markets[name].marketId), withPrices: true });
      expect(book.bids, name).to.have.length(3);
      expect(book.asks, name).to.have.length(3);
      expect(book.bids[0].tick < book.asks[0].tick).to.equal(true);
    }
    const eth = await trader.getOrderBook({ marketId: BigInt(dep.markets["WETH/USDC"].marketId), depth: 1, withPrices: true });
    expect([eth.bids[0].price, eth.asks[0].price]).to.deep.equal(["2999.5", "3000.5"]);
  });

  it("a new account deposits, quotes, gets filled by a taker, and withdraws its proceeds", async () => {
    const marketId = BigInt(dep.markets["WETH/USDC"].marketId);
    const usdc = dep.tokens.USDC.address;
    const weth = dep.tokens.WETH.address;
    const maker = clientFor(NEWCOMER_KEY);
    const taker = clientFor(dep.accounts[2].privateKey);
    const me = maker.account.address;

    await writeContract(maker, { address: usdc, abi: mockErc20Abi, functionName: "mint", args: [me, parseUnits("10000", 6)] });
    const dep1 = await maker.depositSync({ token: usdc, amount: parseUnits("10000", 6) });
    expect(dep1.approval?.status).to.equal("success");

    const grid = await maker.getMarket({ marketId });
    const quote = await maker.placeOrderSync({ marketId, side: Side.Bid, price: "2999.99", size: "2", grid });
    expect(quote.orderId).to.not.equal(0n);
    expect(await maker.getOpenOrders({ marketId, owner: me })).to.have.length(1);

    // the taker sells 2.5 WETH down to 2999.50: fills the new bid first (better price), then the seeded one
    const take = await taker.placeOrderSync({ marketId, side: Side.Ask, price: "2999.5", size: "2.5", kind: OrderKind.Ioc, grid });
    expect(take.filledLots).to.equal(sizeToLots("2.5", grid));
    const [first, second] = take.events.trades[0].fills;
    expect(first).to.deep.equal({ makerOrderId: quote.orderId, lots: sizeToLots("2", grid), tick: priceToTick("2999.99", grid) });
    expect(second.tick).to.equal(priceToTick("2999.5", grid));

    const balances = await maker.getBalances({ owner: me, tokens: [weth, usdc], marketIds: [marketId] });
    expect(balances.pockets[0].unsweptBase).to.equal(parseUnits("2", 18));
    expect(balances.pockets[0].openOrders).to.equal(0n);

    const w = await maker.withdrawSync({ token: weth, amount: "all", sweep: [marketId] });
    expect(w.sweeps).to.have.length(1);
    expect(w.amount).to.equal(parseUnits("2", 18));
    expect(await readContract(maker, { address: weth, abi: erc20Abi, functionName: "balanceOf", args: [me] })).to.equal(
      parseUnits("2", 18),
    );
  });

  it("reverts arrive as typed errors over HTTP, and cancelAll clears an account", async () => {
    const marketId = BigInt(dep.markets["WBTC/USDC"].marketId);
    const trader = clientFor(dep.accounts[3].privateKey);
    const book = await trader.getOrderBook({ marketId, depth: 1 });
    const e = await trader
      .placeOrderSync({ marketId, side: Side.Bid, tick: book.asks[0].tick, lots: 1n, kind: OrderKind.PostOnly })
      .catch((err: unknown) => err);
    expect(e).to.be.instanceOf(PostOnlyWouldCrossError);
    expect((e as PostOnlyWouldCrossError).args.bestOpposite).to.equal(book.asks[0].tick);

    await trader.batchOrdersSync({
      marketId,
      ops: [
        { type: "place", order: { side: Side.Bid, price: "55000", size: "0.01" } },
        { type: "place", order: { side: Side.Ask, price: "65000", size: "0.01" } },
      ],
    });
    const { orderIds, events } = await trader.cancelAllSync({ marketId });
    expect(orderIds).to.have.length(2);
    expect(events.cancelled).to.have.length(2);
    expect(await trader.getOpenOrders({ marketId, owner: trader.account.address })).to.deep.equal([]);
  });
});
