// `npm run node [-- --port 8545 --out deployments/localhost.json]`: a local JSON-RPC chain on
// 127.0.0.1 with the exchange deployed, WETH/USDC and WBTC/USDC listed, five traders funded
// and a few resting orders on each book. Writes the addresses to a JSON file, prints them, and
// keeps the chain running until killed (Ctrl-C), taking the Hardhat node down with it.
//
// Deployment reuses scripts/lib/deploy.ts (ethers over JSON-RPC); funding and quotes go
// through the SDK, so this script is also the SDK's first user.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
// deploy.ts imports TypeChain modules by their emitted ".js" names; tsx (Hardhat's own
// loader, one of its dependencies) resolves those to the ".ts" sources.
import { register } from "tsx/esm/api";

register();

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { values: args } = parseArgs({
  options: {
    port: { type: "string", default: process.env.PORT ?? "8545" },
    out: { type: "string", default: "deployments/localhost.json" },
  },
});
const port = Number(args.port);
const rpcUrl = `http://127.0.0.1:${port}`;
const outFile = resolve(root, args.out!);

/** Private keys of Hardhat's default accounts (the public "test test … junk" mnemonic). */
const KEYS = [
  "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
  "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
  "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
  "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
  "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
  "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
] as const;
const ROLES = ["admin", "maker", "trader", "trader", "trader", "trader"] as const;

let child: ChildProcess | undefined;
const stopChild = () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
};
process.on("exit", stopChild);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    stopChild();
    process.exit(0);
  });
}

/** Starts `hardhat node` on the Node binary running this script (Hardhat needs Node 22). */
function startHardhatNode(): ChildProcess {
  const cli = fileURLToPath(new URL("./cli.js", import.meta.resolve("hardhat")));
  const proc = spawn(process.execPath, [cli, "node", "--hostname", "127.0.0.1", "--port", String(port)], {
    cwd: root,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  proc.stderr!.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  proc.on("exit", (code, signal) => {
    process.stderr.write(`hardhat node exited (${signal ?? code})\n${stderr}`);
    process.exit(1);
  });
  return proc;
}

async function waitForRpc(timeoutMs = 60_000): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    try {
      const res = await fetch(rpcUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      });
      const body = (await res.json()) as { result?: string };
      if (body.result) return Number(body.result);
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no answer from ${rpcUrl} within ${timeoutMs} ms`);
}

async function main() {
  child = startHardhatNode();
  const chainId = await waitForRpc();

  const { JsonRpcProvider } = await import("ethers");
  const { deployProtocol, deployToken, createSpotMarket, tickSizeForDecimalPrice } = await import("./lib/deploy.ts");
  const { createWalletClient, getAddress, http, parseUnits } = await import("viem");
  const { privateKeyToAccount } = await import("viem/accounts");
  const { hardhat } = await import("viem/chains");
  const sdk = await import("../sdk/src/index.ts");

  // ---- deploy (ethers, through the shared deploy helpers)
  const provider = new JsonRpcProvider(rpcUrl, undefined, { pollingInterval: 50, staticNetwork: true });
  const admin = await provider.getSigner(0);
  const protocol = await deployProtocol(admin);
  const addr = async (c: { getAddress(): Promise<string> }) => getAddress(await c.getAddress());
  const tokenSpecs = [
    { symbol: "WETH", name: "Wrapped Ether", decimals: 18 },
    { symbol: "WBTC", name: "Wrapped Bitcoin", decimals: 8 },
    { symbol: "USDC", name: "USD Coin", decimals: 6 },
  ] as const;
  const tokens: Record<string, { address: `0x${string}`; decimals: number }> = {};
  for (const t of tokenSpecs) {
    tokens[t.symbol] = { address: await addr(await deployToken(admin, t.name, t.symbol, t.decimals)), decimals: t.decimals };
  }
  const fees = { minLots: 1n, makerFeeBps: 1n, takerFeeBps: 5n, maxMakerFeeBps: 2n };
  const marketSpecs = [
    // 0.001 WETH lots, 0.0001 WBTC lots; tick sizes chosen by price (`tickSizeForDecimalPrice`): the
    // finest power-of-ten step whose last tick quotes 10× the mid ($0.01 for WETH at $3,000,
    // $0.10 for WBTC at $60,000: $0.01 there would stop at $165,813.74)
    { name: "WETH/USDC", base: "WETH", quote: "USDC", lotSize: 10n ** 15n, mid: "3000", step: "0.5", size: "1" },
    { name: "WBTC/USDC", base: "WBTC", quote: "USDC", lotSize: 10n ** 4n, mid: "60000", step: "10", size: "0.1" },
  ] as const;
  const marketIds: Record<string, bigint> = {};
  for (const m of marketSpecs) {
    const market = await createSpotMarket(protocol, {
      base: tokens[m.base].address,
      quote: tokens[m.quote].address,
      lotSize: m.lotSize,
      tickSize: tickSizeForDecimalPrice(m.mid, m.lotSize, tokens[m.base].decimals, tokens[m.quote].decimals),
      ...fees,
    });
    marketIds[m.name] = market.marketId;
  }
  const clearinghouse = await addr(protocol.clearinghouse);
  const accessManager = await addr(protocol.manager);
  provider.destroy();

  // ---- fund traders and quote (SDK)
  const accounts = KEYS.map((k) => privateKeyToAccount(k));
  const clients = accounts.map((account) =>
    createWalletClient({ account: account.address, chain: hardhat, transport: http(rpcUrl), pollingInterval: 50 }).extend(
      sdk.exchangeActions({ clearinghouse }),
    ),
  );
  const funding: Record<string, string> = { WETH: "1000", WBTC: "100", USDC: "10000000" };
  for (const c of clients.slice(1)) {
    for (const [symbol, amount] of Object.entries(funding)) {
      const { address, decimals } = tokens[symbol];
      const atoms = parseUnits(amount, decimals);
      await c.writeContract({ address, abi: sdk.mockErc20Abi, functionName: "mint", args: [c.account.address, atoms * 2n] });
      await c.depositSync({ token: address, amount: atoms, approve: "max" });
    }
  }
  const maker = clients[1];
  const markets: Record<string, Record<string, string | number>> = {};
  for (const m of marketSpecs) {
    const info = await maker.getMarket({ marketId: marketIds[m.name] });
    const midTick = sdk.priceToTick(m.mid, info);
    const stepTicks = sdk.priceToTick(m.step, info);
    const size = m.size;
    const ops = [1n, 2n, 3n].flatMap((i) => [
      { type: "place" as const, order: { side: sdk.Side.Bid, tick: midTick - i * stepTicks, lots: sdk.sizeToLots(size, info) * i } },
      { type: "place" as const, order: { side: sdk.Side.Ask, tick: midTick + i * stepTicks, lots: sdk.sizeToLots(size, info) * i } },
    ]);
    await maker.batchOrdersSync({ marketId: info.marketId, ops, grid: info });
    markets[m.name] = {
      marketId: info.marketId.toString(),
      base: info.base,
      quote: info.quote,
      lotSize: info.lotSize.toString(),
      tickSize: info.tickSize.toString(),
      minLots: info.minLots.toString(),
      baseDecimals: info.baseDecimals,
      quoteDecimals: info.quoteDecimals,
      makerFeeBps: info.makerFeeBps.toString(),
      takerFeeBps: info.takerFeeBps.toString(),
      maxMakerFeeBps: info.maxMakerFeeBps.toString(),
    };
  }

  const deployment = {
    chainId,
    rpcUrl,
    contracts: { clearinghouse, accessManager },
    tokens,
    markets,
    // Hardhat's well-known development keys; never use them on a public network
    accounts: accounts.map((a, i) => ({ role: ROLES[i], address: a.address, privateKey: KEYS[i] })),
  };
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, JSON.stringify(deployment, null, 2) + "\n");

  const book = await maker.getOrderBook({ marketId: marketIds["WETH/USDC"], depth: 3, withPrices: true });
  const lines = [
    `Local exchange node on ${rpcUrl} (chain ${chainId})`,
    `  Clearinghouse  ${clearinghouse}`,
    `  AccessManager  ${accessManager}`,
    ...Object.entries(tokens).map(([s, t]) => `  ${s.padEnd(14)} ${t.address} (${t.decimals} decimals)`),
    ...Object.entries(marketIds).map(([n, id]) => `  ${n.padEnd(14)} market id ${id}`),
    `  WETH/USDC book: bids ${book.bids.map((l) => `${l.size}@${l.price}`).join(", ")} | asks ${book.asks
      .map((l) => `${l.size}@${l.price}`)
      .join(", ")}`,
    `  Traders (funded, deposited): ${accounts
      .slice(1)
      .map((a) => a.address)
      .join(", ")}`,
    `  Deployment written to ${outFile}`,
  ];
  process.stdout.write(lines.join("\n") + "\n");
  // a machine-readable line for scripts and tests waiting on this process
  process.stdout.write(`ready ${outFile}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  stopChild();
  process.exit(1);
});
