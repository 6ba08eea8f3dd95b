/**
 * The in-process chain behind the invariant suite: deployment of two markets in the core (WETH/USDC
 * with 18/6 decimals, WBTC/USDC with 8/6 and a maker rebate; ids 1 and 2), raw transaction sending with revert
 * decoding, and batched reads through a Multicall3 so checking every step stays cheap.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { ContractFactory, Interface, type Log } from "ethers";
import { network } from "hardhat";
import { multicall3Abi } from "viem";
import { deployProtocol, deployToken, createSpotMarket } from "../../scripts/lib/deploy.ts";
import { attachPrices } from "../helpers/fixture.ts";
import { AccessManager__factory, Clearinghouse__factory, MockERC20__factory } from "../../types/ethers-contracts/index.js";
import { accountOf, ev, type MarketModel, type ModelEvent, type World } from "./model.ts";

/** The core: the vault and every market (a market's functions and events take its id first). */
export const chIface = new Interface(Clearinghouse__factory.abi);
const tokenIface = new Interface(MockERC20__factory.abi);
const errorIfaces = [chIface, new Interface(AccessManager__factory.abi), tokenIface];

/** Calldata of the core's market function `fn` on market `mi` (0-based: its id is mi + 1). */
export const marketData = (mi: number, fn: string, args: readonly unknown[] = []) =>
  chIface.encodeFunctionData(fn, [BigInt(mi + 1), ...args]);

/** The market events' names: the core's events whose first input is the market id. */
const MARKET_EVENTS = new Set<string>();
chIface.forEachEvent((e) => {
  if (e.inputs[0]?.name === "marketId") MARKET_EVENTS.add(e.name);
});

/** A log of the core as a market event: the market's 0-based index and the event's other args, or undefined. */
export function parseMarketLog(chAddr: string, log: { address: string; topics: readonly string[]; data: string }) {
  if (log.address.toLowerCase() !== chAddr) return undefined;
  const p = chIface.parseLog({ topics: [...log.topics], data: log.data });
  if (!p || !MARKET_EVENTS.has(p.name)) return undefined;
  const [id, ...args] = p.args.toArray() as unknown[];
  return { mi: Number(id as bigint) - 1, name: p.name, args };
}

/** Multicall3's creation code, read from viem's constants (the module does not export it). */
function multicall3Bytecode(): string {
  const viemCjs = createRequire(import.meta.url).resolve("viem");
  const src = readFileSync(viemCjs.replace(/_cjs[\\/]index\.js$/, "_esm/constants/contracts.js"), "utf8");
  return src.match(/multicall3Bytecode = '(0x[0-9a-f]+)'/)![1];
}

// Under EIP-7825's per-transaction cap; only the gas used is charged.
const GAS = "0xf00000";

export interface MarketSpec {
  name: string;
  base: "WETH" | "WBTC";
  lotSize: bigint;
  tickSize: bigint;
  minLots: bigint;
  makerFeeBps: bigint;
  takerFeeBps: bigint;
  maxMakerFeeBps: bigint;
  /** Middle of the narrow band of ticks the random orders use. */
  center: bigint;
}

export const MARKETS: MarketSpec[] = [
  // 0.001 WETH lots, $0.01 per WETH ticks, around $3,000
  { name: "WETH/USDC", base: "WETH", lotSize: 10n ** 15n, tickSize: 10n, minLots: 1n, makerFeeBps: 1n, takerFeeBps: 5n, maxMakerFeeBps: 2n, center: 300_000n },
  // 0.0001 WBTC lots, $1 per WBTC ticks, around $60,000; maker rebate; minimum 2 lots
  { name: "WBTC/USDC", base: "WBTC", lotSize: 10n ** 4n, tickSize: 100n, minLots: 2n, makerFeeBps: -2n, takerFeeBps: 4n, maxMakerFeeBps: 3n, center: 60_000n },
];

export interface AccountSpec {
  owner: string;
  sub: bigint;
  acct: bigint;
  hasAgent: boolean;
}

export type SendResult = { ok: true; events: ModelEvent[]; logs: Log[] } | { ok: false; error: string };

export interface Call {
  target: string;
  data: string;
}

const word = (v: number | bigint) => v.toString(16).padStart(64, "0");

/**
 * aggregate3((address target, bool allowFailure, bytes callData)[]) with allowFailure false,
 * encoded by hand: ethers' general encoder costs more than the call itself here.
 */
export function encodeAggregate3(calls: Call[]): string {
  const heads: string[] = [];
  const tails: string[] = [];
  let offset = calls.length * 32;
  for (const c of calls) {
    const bytes = c.data.slice(2);
    const padded = bytes.padEnd(Math.ceil(bytes.length / 64) * 64, "0");
    const tuple = word(BigInt(c.target)) + word(0) + word(0x60) + word(bytes.length / 2) + padded;
    heads.push(word(offset));
    tails.push(tuple);
    offset += tuple.length / 2;
  }
  return "0x82ad56cb" + word(0x20) + word(calls.length) + heads.join("") + tails.join("");
}

/** Splits ABI-encoded return data into 32-byte words. */
export function words(hex: string): bigint[] {
  const out: bigint[] = [];
  for (let i = 2; i + 64 <= hex.length; i += 64) out.push(BigInt("0x" + hex.slice(i, i + 64)));
  return out;
}

/** A dynamic uint256[] at byte offset `off` of a return-data word list. */
export function uintArray(ws: bigint[], off: bigint): bigint[] {
  const at = Number(off / 32n);
  const n = Number(ws[at]);
  return ws.slice(at + 1, at + 1 + n);
}

export async function deployChain() {
  const connection = await network.create();
  const { ethers, provider, networkHelpers } = connection;
  const signers = await ethers.getSigners();
  const [admin, o0, o1, o2, o3, agent, stranger, treasury] = signers;
  const protocol = await deployProtocol(admin, treasury.address);
  const ch = protocol.clearinghouse;
  const chAddr = (await ch.getAddress()).toLowerCase();
  const weth = await deployToken(admin, "Wrapped Ether", "WETH", 18);
  const wbtc = await deployToken(admin, "Wrapped Bitcoin", "WBTC", 8);
  const usdc = await deployToken(admin, "USD Coin", "USDC", 6);
  const tokenAddr = {
    WETH: (await weth.getAddress()).toLowerCase(),
    WBTC: (await wbtc.getAddress()).toLowerCase(),
    USDC: (await usdc.getAddress()).toLowerCase(),
  };
  const tokens = [tokenAddr.WETH, tokenAddr.WBTC, tokenAddr.USDC];
  // market i (0-based) has id i + 1: created in this order
  const marketIds: bigint[] = [];
  for (const s of MARKETS) {
    const m = await createSpotMarket(protocol, { ...s, base: tokenAddr[s.base], quote: tokenAddr.USDC });
    if (m.marketId !== BigInt(marketIds.length + 1)) throw new Error(`market ${s.name} got id ${m.marketId}`);
    marketIds.push(m.marketId);
  }

  // the oracle index an agent's orders keep to (±2% of each market's center; the runs stay far
  // inside it), fresh for the whole run
  await attachPrices(
    protocol,
    [
      [tokenAddr.WETH, "WETH", 3_000n * 10n ** 18n],
      [tokenAddr.WBTC, "WBTC", 60_000n * 10n ** 18n],
      [tokenAddr.USDC, "USDC", 10n ** 18n],
    ],
    7n * 86_400n,
  );

  const owners = [o0, o1, o2, o3];
  const accounts: AccountSpec[] = [
    ...owners.map((o, i) => ({ owner: o.address.toLowerCase(), sub: 0n, acct: 0n, hasAgent: i === 0 })),
    { owner: o0.address.toLowerCase(), sub: 1n, acct: 0n, hasAgent: false },
    { owner: o1.address.toLowerCase(), sub: 1n, acct: 0n, hasAgent: true },
  ];
  for (const a of accounts) a.acct = accountOf(a.owner, a.sub);

  // Sub-account 0 is well funded; sub-account 1 runs close to empty so debits fail often.
  const funding: Record<string, [bigint, bigint]> = {
    [tokenAddr.WETH]: [10n ** 19n, 5n * 10n ** 16n],
    [tokenAddr.WBTC]: [10n ** 8n, 5n * 10n ** 5n],
    [tokenAddr.USDC]: [2n * 10n ** 11n, 3n * 10n ** 8n],
  };
  for (const o of owners) {
    for (const t of [weth, wbtc, usdc]) {
      await (await t.mint(o.address, 10n ** 30n)).wait();
      await (await t.connect(o).approve(chAddr, 2n ** 256n - 1n)).wait();
    }
  }
  for (const a of accounts) {
    const signer = owners.find((o) => o.address.toLowerCase() === a.owner)!;
    for (const t of tokens) {
      await (await ch.connect(signer).deposit(t, a.sub, funding[t][Number(a.sub)])).wait();
    }
    if (a.hasAgent) await (await ch.connect(signer).setOperator(Number(a.sub), agent.address, true)).wait();
  }

  const mc = await new ContractFactory(multicall3Abi, multicall3Bytecode(), admin).deploy();
  const mcAddr = (await mc.getAddress()).toLowerCase();

  /** Sends one transaction from an unlocked account; decodes the revert or the markets' events. */
  async function send(from: string, to: string, data: string): Promise<SendResult> {
    let hash: string;
    try {
      hash = (await provider.request({ method: "eth_sendTransaction", params: [{ from, to, data, gas: GAS }] })) as string;
    } catch (e) {
      return { ok: false, error: errorName(e) };
    }
    const receipt = (await provider.request({ method: "eth_getTransactionReceipt", params: [hash] })) as {
      status: string;
      logs: Log[];
    };
    if (receipt.status !== "0x1") return { ok: false, error: "status 0" };
    return { ok: true, events: marketEvents(receipt.logs), logs: receipt.logs };
  }

  function marketEvents(logs: Log[]): ModelEvent[] {
    const out: ModelEvent[] = [];
    for (const log of logs) {
      const p = parseMarketLog(chAddr, log);
      if (!p) continue;
      const idx = BigInt(p.mi + 1);
      const a = p.args as (bigint | boolean | string | bigint[])[];
      if (p.name === "Trade") out.push(ev(idx, "Trade", a[0] as bigint, a[1] as bigint, [...(a[2] as bigint[])]));
      else if (p.name === "Swept") out.push(ev(idx, "Swept", BigInt(a[0] as string), a[1] as bigint, a[2] as bigint));
      else if (p.name === "BatchExecuted") out.push(ev(idx, "BatchExecuted", BigInt(a[0] as string), [...(a[1] as bigint[])]));
      else out.push(ev(idx, p.name, ...(a as (bigint | boolean)[])));
    }
    return out;
  }

  /** One eth_call to Multicall3's aggregate3; returns each call's return words. */
  async function aggregate(calls: Call[]): Promise<bigint[][]> {
    const call = { to: mcAddr, data: encodeAggregate3(calls), gas: GAS };
    const ret = (await provider.request({ method: "eth_call", params: [call, "latest"] })) as string;
    // (bool success, bytes returnData)[]
    const ws = words(ret);
    const base = Number(ws[0] / 32n);
    const n = Number(ws[base]);
    const out: bigint[][] = [];
    for (let i = 0; i < n; i++) {
      const tuple = base + 1 + Number(ws[base + 1 + i] / 32n);
      const bytesAt = tuple + Number(ws[tuple + 1] / 32n);
      const len = Number(ws[bytesAt]);
      out.push(ws.slice(bytesAt + 1, bytesAt + 1 + len / 32));
    }
    return out;
  }

  /**
   * Reads many calls in chunks sent together. Multicall3's memory grows with every result and
   * the in-process node's cost per call grows with it: chunks of fifteen measured fastest.
   */
  async function read(calls: Call[]): Promise<bigint[][]> {
    const chunks: Promise<bigint[][]>[] = [];
    for (let i = 0; i < calls.length; i += 15) chunks.push(aggregate(calls.slice(i, i + 15)));
    return (await Promise.all(chunks)).flat();
  }

  async function setNextTimestamp(t: bigint) {
    await provider.request({ method: "evm_setNextBlockTimestamp", params: [`0x${t.toString(16)}`] });
  }

  const initialModel = async (): Promise<World> => {
    const w: World = {
      now: BigInt(await networkHelpers.time.latest()),
      balances: new Map(),
      reserve: new Map(tokens.map((t) => [t, 0n])),
      vault: new Map(),
      treasuryWallet: new Map(tokens.map((t) => [t, 0n])),
      markets: MARKETS.map(
        (s, i): MarketModel => ({
          index: marketIds[i],
          base: tokenAddr[s.base],
          quote: tokenAddr.USDC,
          lotSize: s.lotSize,
          tickSize: s.tickSize,
          minLots: s.minLots,
          maxMakerFeeBps: s.maxMakerFeeBps,
          makerFeeBps: s.makerFeeBps,
          takerFeeBps: s.takerFeeBps,
          paused: false,
          fees: 0n,
          levels: [new Map(), new Map()],
          pockets: new Map(),
          clientIds: new Map(),
        }),
      ),
      operators: new Set(),
      events: [],
      touched: new Set(),
    };
    for (const t of tokens) w.vault.set(t, 0n);
    for (const a of accounts) {
      const m = new Map<string, bigint>();
      for (const t of tokens) {
        m.set(t, funding[t][Number(a.sub)]);
        w.vault.set(t, w.vault.get(t)! + funding[t][Number(a.sub)]);
      }
      w.balances.set(a.acct, m);
      if (a.hasAgent) w.operators.add(`${a.acct}:${agent.address.toLowerCase()}`);
    }
    return w;
  };

  return {
    connection,
    provider,
    networkHelpers,
    send,
    read,
    setNextTimestamp,
    initialModel,
    chAddr,
    mcAddr,
    marketIds,
    tokens,
    tokenAddr,
    accounts,
    admin: admin.address.toLowerCase(),
    agent: agent.address.toLowerCase(),
    stranger: stranger.address.toLowerCase(),
    treasury: treasury.address.toLowerCase(),
    owners: owners.map((o) => o.address.toLowerCase()),
  };
}

export type Chain = Awaited<ReturnType<typeof deployChain>>;

/** The custom error's name from a failed send (any of the protocol's, OZ's or the tokens'). */
function errorName(e: unknown): string {
  const data = (e as { data?: unknown }).data;
  if (typeof data === "string" && data.length >= 10) {
    for (const iface of errorIfaces) {
      const parsed = iface.parseError(data);
      if (parsed) return parsed.name;
    }
    return `unknown error ${data.slice(0, 10)}`;
  }
  throw e;
}
