/**
 * The in-process chain behind the lending-and-margin invariant suite: one deployment (three
 * tokens with 6, 8 and 18 decimals, a lending pool each (held by the Clearinghouse, with its LendingVault), the WETH/USDC book, admin
 * feeds and ATLAS's parameters in the core; the book is a market id in the core), raw transaction
 * sending with revert decoding, batched reads through a Multicall3 whose calls may fail (ATLAS views
 * revert on stale prices), and the clock.
 *
 * Time: every action runs at one timestamp. `beginAction` mines an empty block at the new time,
 * so views read before a transaction are evaluated at the very second it will execute in
 * (same-timestamp blocks are allowed): interest accrued between a view and a transaction can
 * never blur an exact comparison.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { ContractFactory, Interface } from "ethers";
import { network } from "hardhat";
import { multicall3Abi } from "viem";
import { createSpotMarket, deployProtocol, deployToken } from "../../scripts/lib/deploy.ts";
import { deployMargin, UNCAPPED } from "../../scripts/lib/deploy-margin.ts";
import {
  AccessManager__factory,
  AtlasLens__factory,
  Clearinghouse__factory,
  LendingVault__factory,
  IOracle__factory,
  MockERC20__factory,
} from "../../types/ethers-contracts/index.js";

export const WAD = 10n ** 18n;
export const chIface = new Interface(Clearinghouse__factory.abi);
/** The WETH/USDC book's id in the core (the suite's only market, created first). */
export const MARKET_ID = 1n;
/**
 * The book's calls on the core: the market id put first where the core's function takes one
 * (`spotIface.encodeFunctionData("placeOrder", [word])` is `core.placeOrder(MARKET_ID, word)`).
 */
export const spotIface = {
  encodeFunctionData(name: string, args: readonly unknown[] = []): string {
    const f = chIface.getFunction(name)!;
    return chIface.encodeFunctionData(f, f.inputs[0]?.name === "marketId" ? [MARKET_ID, ...args] : [...args]);
  },
  decodeFunctionResult: (name: string, data: string) => chIface.decodeFunctionResult(name, data),
};
/** The LendingVault (ERC-4626 for outside lenders) of each pool. */
export const poolIface = new Interface(LendingVault__factory.abi);
/** ATLAS's views (riskOf, initialValue, maintenanceValue, liquidationQuote) are the core's. */
export const atlasIface = chIface;
export const lensIface = new Interface(AtlasLens__factory.abi);
/** The core's price functions (IOracle: price, tryPrice, setFeed, pushPrice, ...); `oracleAddr` is the core. */
export const oracleIface = new Interface(IOracle__factory.abi);
export const tokenIface = new Interface(MockERC20__factory.abi);
const errorIfaces = [chIface, poolIface, oracleIface, new Interface(AccessManager__factory.abi), tokenIface];

// Under EIP-7825's per-transaction cap; only the gas used is charged.
const GAS = "0xf00000";

/** One asset of the suite. Index order is the order of `Chain.tokens`. */
export interface AssetSpec {
  symbol: "USDC" | "WBTC" | "WETH";
  decimals: number;
  priceWad: bigint;
  shockBps: bigint;
  slippageBps: bigint;
  /** Atoms of one "unit" the random amounts are counted in (about $100 worth). */
  unit: bigint;
  /**
   * Funding in units: every sub-account 0 holds all three assets; sub-account 1 of owner k holds
   * only asset k mod 3 (concentrated collateral, so price moves bite); the outside lender.
   */
  fund: [bigint, bigint];
  lend: bigint;
}

export const ASSETS: AssetSpec[] = [
  { symbol: "USDC", decimals: 6, priceWad: WAD, shockBps: 100n, slippageBps: 10n, unit: 100n * 10n ** 6n, fund: [500n, 300n], lend: 3_000n },
  { symbol: "WBTC", decimals: 8, priceWad: 60_000n * WAD, shockBps: 1_500n, slippageBps: 100n, unit: 10n ** 8n / 600n, fund: [300n, 300n], lend: 3_000n },
  { symbol: "WETH", decimals: 18, priceWad: 3_000n * WAD, shockBps: 1_000n, slippageBps: 50n, unit: 10n ** 18n / 30n, fund: [500n, 300n], lend: 3_000n },
];
export const USDC = 0;
export const WBTC = 1;
export const WETH = 2;

/** WETH/USDC: 0.001 WETH lots, 10 USDC atoms per lot per tick, so tick = $0.01 per WETH. */
export const MARKET = { lotSize: 10n ** 15n, tickSize: 10n, minLots: 1n, makerFeeBps: 1n, takerFeeBps: 5n, maxMakerFeeBps: 2n };
/** Oracle WAD price of WETH → book tick. */
export const tickOf = (priceWad: bigint) => priceWad / 10n ** 16n;

/** A steeper model than the default so warps of days move debts visibly. */
export const RATE_MODEL = {
  baseRatePerYearWad: (2n * WAD) / 100n,
  slope1PerYearWad: (20n * WAD) / 100n,
  slope2PerYearWad: 3n * WAD,
  kinkWad: (80n * WAD) / 100n,
};

/** Admin feeds go stale after this long (deploy-margin's adminFeed). */
export const MAX_AGE = 3_600n;

export interface Account {
  owner: string;
  sub: bigint;
  id: string; // bytes32 hex
}

export interface Call {
  target: string;
  data: string;
}
export type Read = { ok: true; words: bigint[]; raw: string } | { ok: false; error: string; data?: string };
export type SendResult = { ok: true; logs: { address: string; topics: string[]; data: string }[] } | { ok: false; error: string };

const word = (v: number | bigint) => BigInt(v).toString(16).padStart(64, "0");
export const hex32 = (v: bigint) => "0x" + word(v);

/** aggregate3 with allowFailure true on every call, encoded by hand (cheaper than ethers here). */
function encodeAggregate3(calls: Call[]): string {
  const heads: string[] = [];
  const tails: string[] = [];
  let offset = calls.length * 32;
  for (const c of calls) {
    const bytes = c.data.slice(2);
    const padded = bytes.padEnd(Math.ceil(bytes.length / 64) * 64, "0");
    const tuple = word(BigInt(c.target)) + word(1) + word(0x60) + word(bytes.length / 2) + padded;
    heads.push(word(offset));
    tails.push(tuple);
    offset += tuple.length / 2;
  }
  return "0x82ad56cb" + word(0x20) + word(calls.length) + heads.join("") + tails.join("");
}

function words(hex: string): bigint[] {
  const out: bigint[] = [];
  for (let i = 2; i + 64 <= hex.length; i += 64) out.push(BigInt("0x" + hex.slice(i, i + 64)));
  return out;
}

export const toInt256 = (v: bigint) => (v >= 1n << 255n ? v - (1n << 256n) : v);

/** The custom error's name from revert data (any of the protocol's, OZ's or the tokens'). */
export function decodeError(data: string): string {
  if (data.length < 10) return data === "0x" ? "empty revert" : `short revert ${data}`;
  for (const iface of errorIfaces) {
    try {
      const parsed = iface.parseError(data);
      if (parsed) return parsed.name;
    } catch {
      // not this interface
    }
  }
  if (data.startsWith("0x4e487b71")) return `Panic(0x${BigInt("0x" + data.slice(10, 74)).toString(16)})`;
  return `unknown error ${data.slice(0, 10)}`;
}

function errorOf(e: unknown): string {
  return errorData(e).error;
}

function errorData(e: unknown): { error: string; data: string } {
  const data = (e as { data?: unknown }).data;
  if (typeof data === "string") return { error: decodeError(data), data };
  throw e;
}

function multicall3Bytecode(): string {
  const viemCjs = createRequire(import.meta.url).resolve("viem");
  const src = readFileSync(viemCjs.replace(/_cjs[\\/]index\.js$/, "_esm/constants/contracts.js"), "utf8");
  return src.match(/multicall3Bytecode = '(0x[0-9a-f]+)'/)![1];
}

export async function deployMarginChain() {
  // gas is estimated at the latest block and a transaction may land a second later, when pools have
  // interest to accrue: the multiplier keeps that from running out of gas (as in the margin fixture)
  const connection = await network.create({ override: { allowBlocksWithSameTimestamp: true, gasMultiplier: 2 } });
  const { ethers, provider, networkHelpers } = connection;
  const [admin, o0, o1, o2, o3, lender0, lender1, treasury] = await ethers.getSigners();
  const protocol = await deployProtocol(admin, treasury.address);
  const ch = protocol.clearinghouse;
  const chAddr = (await ch.getAddress()).toLowerCase();
  const contracts = [];
  for (const a of ASSETS) contracts.push(await deployToken(admin, a.symbol, a.symbol, a.decimals));
  const tokens = await Promise.all(contracts.map(async (t) => (await t.getAddress()).toLowerCase()));
  const market = await createSpotMarket(protocol, { base: tokens[WETH], quote: tokens[USDC], ...MARKET });
  if (market.marketId !== MARKET_ID) throw new Error(`the book is market ${market.marketId}, not ${MARKET_ID}`);
  // the book lives in the core: its calls go to the core's address
  const marketAddr = (await market.getAddress()).toLowerCase();
  const m = await deployMargin(
    protocol,
    ASSETS.map((a, i) => ({
      token: tokens[i],
      symbol: a.symbol,
      priceWad: a.priceWad,
      shockBps: a.shockBps,
      slippageBps: a.slippageBps,
      pool: { model: RATE_MODEL, supplyCap: UNCAPPED, borrowCap: UNCAPPED },
    })),
  );
  const pools = await Promise.all(ASSETS.map(async (a) => (await m.pools[a.symbol].getAddress()).toLowerCase()));
  const oracleAddr = (await m.oracle.getAddress()).toLowerCase();
  const atlasAddr = (await m.atlas.getAddress()).toLowerCase();
  const lensAddr = (await m.lens.getAddress()).toLowerCase();
  // asset ids in listing order: the held / owed masks of accountState are indexed by them
  const listed = await ch.queryFilter(ch.filters.AssetListed());
  const tokenById = new Map<number, number>(listed.map((e, k) => [k, tokens.indexOf(e.args.token.toLowerCase())]));

  const owners = [o0, o1, o2, o3];
  const accounts: Account[] = [];
  for (const sub of [0n, 1n]) {
    for (const o of owners) {
      const owner = o.address.toLowerCase();
      accounts.push({ owner, sub, id: hex32((BigInt(owner) << 96n) | sub) });
    }
  }
  for (const o of owners) {
    for (const t of contracts) {
      await (await t.mint(o.address, 10n ** 36n)).wait();
      await (await t.connect(o).approve(chAddr, 2n ** 256n - 1n)).wait();
    }
  }
  for (const a of accounts) {
    const k = owners.findIndex((o) => o.address.toLowerCase() === a.owner);
    const signer = owners[k];
    for (let i = 0; i < ASSETS.length; i++) {
      if (a.sub === 1n && k % ASSETS.length !== i) continue;
      await (await ch.connect(signer).deposit(tokens[i], a.sub, ASSETS[i].fund[Number(a.sub)] * ASSETS[i].unit)).wait();
    }
  }
  const lenders = [lender0, lender1];
  for (const l of lenders) {
    for (let i = 0; i < ASSETS.length; i++) {
      await (await contracts[i].mint(l.address, 10n ** 36n)).wait();
      await (await contracts[i].connect(l).approve(pools[i], 2n ** 256n - 1n)).wait();
    }
  }
  for (let i = 0; i < ASSETS.length; i++) {
    await (await m.pools[ASSETS[i].symbol].connect(lender0).deposit(ASSETS[i].lend * ASSETS[i].unit, lender0.address)).wait();
  }
  const mc = await new ContractFactory(multicall3Abi, multicall3Bytecode(), admin).deploy();
  const mcAddr = (await mc.getAddress()).toLowerCase();

  async function send(from: string, to: string, data: string): Promise<SendResult> {
    let hash: string;
    try {
      hash = (await provider.request({ method: "eth_sendTransaction", params: [{ from, to, data, gas: GAS }] })) as string;
    } catch (e) {
      return { ok: false, error: errorOf(e) };
    }
    const receipt = (await provider.request({ method: "eth_getTransactionReceipt", params: [hash] })) as {
      status: string;
      logs: { address: string; topics: string[]; data: string }[];
    };
    if (receipt.status !== "0x1") return { ok: false, error: "status 0" };
    return { ok: true, logs: receipt.logs };
  }

  /** A call as `from` would make it (for simulating a transaction at the latest block's time). */
  async function simulate(from: string, to: string, data: string): Promise<Read> {
    try {
      const raw = (await provider.request({ method: "eth_call", params: [{ from, to, data, gas: GAS }, "latest"] })) as string;
      return { ok: true, words: words(raw), raw };
    } catch (e) {
      return { ok: false, ...errorData(e) };
    }
  }

  async function aggregate(calls: Call[]): Promise<Read[]> {
    const ret = (await provider.request({
      method: "eth_call",
      params: [{ to: mcAddr, data: encodeAggregate3(calls), gas: GAS }, "latest"],
    })) as string;
    // (bool success, bytes returnData)[]
    const ws = words(ret);
    const base = Number(ws[0] / 32n);
    const n = Number(ws[base]);
    const out: Read[] = [];
    for (let i = 0; i < n; i++) {
      const tuple = base + 1 + Number(ws[base + 1 + i] / 32n);
      const bytesAt = tuple + Number(ws[tuple + 1] / 32n);
      const len = Number(ws[bytesAt]);
      const body = ws.slice(bytesAt + 1, bytesAt + 1 + Math.ceil(len / 32));
      const raw = "0x" + body.map((w) => word(w)).join("").slice(0, len * 2);
      out.push(ws[tuple] === 1n ? { ok: true, words: body, raw } : { ok: false, error: decodeError(raw), data: raw });
    }
    return out;
  }

  /** Many reads in chunks sent together (Multicall3 slows as its result memory grows). */
  async function read(calls: Call[]): Promise<Read[]> {
    const chunks: Promise<Read[]>[] = [];
    for (let i = 0; i < calls.length; i += 16) chunks.push(aggregate(calls.slice(i, i + 16)));
    return (await Promise.all(chunks)).flat();
  }

  async function setNextTimestamp(t: bigint) {
    await provider.request({ method: "evm_setNextBlockTimestamp", params: [`0x${t.toString(16)}`] });
  }

  /** Mines an empty block at `t`, so views read at "latest" are evaluated at `t`. */
  async function mineAt(t: bigint) {
    await setNextTimestamp(t);
    await provider.request({ method: "evm_mine", params: [] });
  }

  return {
    connection,
    provider,
    networkHelpers,
    send,
    simulate,
    read,
    setNextTimestamp,
    mineAt,
    chAddr,
    mcAddr,
    marketAddr,
    oracleAddr,
    atlasAddr,
    lensAddr,
    tokens,
    pools,
    tokenById,
    accounts,
    admin: admin.address.toLowerCase(),
    owners: owners.map((o) => o.address.toLowerCase()),
    lenders: lenders.map((l) => l.address.toLowerCase()),
  };
}

export type MarginChain = Awaited<ReturnType<typeof deployMarginChain>>;
