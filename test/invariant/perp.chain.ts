/**
 * The in-process chain behind the perps invariant suite: the lending-and-margin chain
 * (margin.chain.ts: USDC, WBTC, WETH with pools, the WETH/USDC spot book, admin oracle feeds,
 * Atlas, eight funded accounts, Multicall3 reads) plus a PerpLiquidator and two perp markets,
 * ETH-PERP (lot 0.001 WETH, tick 10 USDC atoms: tick 300_000 = $3,000, maker rebate 1 bp) and
 * BTC-PERP (lot 0.0001 WBTC, tick 10 atoms: tick 600_000 = $60,000, maker fee 2 bps), both
 * taker 5 bps. Reverts of the perp contracts are decoded by name like the rest.
 */
import { Interface } from "ethers";
import { createPerpMarket, deployPerpLiquidator } from "../../scripts/lib/deploy-perp.ts";
import type { Protocol } from "../../scripts/lib/deploy.ts";
import type { Margin } from "../../scripts/lib/deploy-margin.ts";
import { Clearinghouse__factory, PerpLiquidator__factory, PerpMarket__factory } from "../../types/ethers-contracts/index.js";
import { WBTC, WETH, deployMarginChain, type Read, type SendResult } from "./margin.chain.ts";

export const perpIface = new Interface(PerpMarket__factory.abi);
export const liqIface = new Interface(PerpLiquidator__factory.abi);

/** One perp market of the suite; `asset` is the underlying's index in ASSETS. */
export interface PerpSpec {
  symbol: "ETH-PERP" | "BTC-PERP";
  asset: number;
  lotSize: bigint;
  tickSize: bigint;
  makerFeeBps: bigint;
  /** Oracle WAD price of the underlying → book tick. */
  tickOf: (priceWad: bigint) => bigint;
}

export const PERPS: PerpSpec[] = [
  { symbol: "ETH-PERP", asset: WETH, lotSize: 10n ** 15n, tickSize: 10n, makerFeeBps: -1n, tickOf: (p) => p / 10n ** 16n },
  { symbol: "BTC-PERP", asset: WBTC, lotSize: 10n ** 4n, tickSize: 10n, makerFeeBps: 2n, tickOf: (p) => p / 10n ** 17n },
];

/** Error names of the perp contracts by selector (margin.chain's decoder does not know them). */
const selectors = new Map<string, string>();
for (const iface of [perpIface, liqIface]) iface.forEachError((e) => selectors.set(e.selector, e.name));
const rename = (error: string) => (error.startsWith("unknown error 0x") ? (selectors.get(error.slice(14, 24)) ?? error) : error);

export async function deployPerpChain() {
  const c = await deployMarginChain();
  const { ethers } = c.connection;
  const admin = await ethers.getSigner(c.admin);
  // the two fields of Protocol / Margin the perp deploy helpers use
  const protocol = { admin, clearinghouse: Clearinghouse__factory.connect(c.chAddr, admin) } as unknown as Protocol;
  const margin = { oracle: { getAddress: async () => c.oracleAddr } } as unknown as Margin;
  const liquidator = await deployPerpLiquidator(protocol);
  const perps: string[] = [];
  for (const p of PERPS) {
    const m = await createPerpMarket(protocol, margin, liquidator, {
      underlying: c.tokens[p.asset],
      quote: c.tokens[0],
      lotSize: p.lotSize,
      tickSize: p.tickSize,
      makerFeeBps: p.makerFeeBps,
      takerFeeBps: 5n,
      maxMakerFeeBps: 10n,
    });
    perps.push((await m.getAddress()).toLowerCase());
  }
  const send = async (from: string, to: string, data: string): Promise<SendResult> => {
    const r = await c.send(from, to, data);
    return r.ok ? r : { ok: false, error: rename(r.error) };
  };
  const simulate = async (from: string, to: string, data: string): Promise<Read> => {
    const r = await c.simulate(from, to, data);
    return r.ok ? r : { ...r, error: rename(r.error) };
  };
  const read = async (calls: Parameters<typeof c.read>[0]): Promise<Read[]> =>
    (await c.read(calls)).map((r) => (r.ok ? r : { ...r, error: rename(r.error) }));
  return { ...c, send, simulate, read, liquidatorAddr: (await liquidator.getAddress()).toLowerCase(), perps };
}

export type PerpChain = Awaited<ReturnType<typeof deployPerpChain>>;
