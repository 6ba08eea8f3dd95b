/**
 * The in-process chain behind the perps invariant suite: the lending-and-margin chain
 * (margin.chain.ts: USDC, WBTC, WETH with pools, the WETH/USDC spot book as market 1, admin oracle
 * feeds, ATLAS in the core, eight funded accounts, Multicall3 reads) plus two perp markets in the
 * core, ETH-PERP (market 2: lot 0.001 WETH, tick 10 USDC atoms: tick 300_000 = $3,000, maker
 * rebate 1 bp) and BTC-PERP (market 3: lot 0.0001 WBTC, tick 10 atoms: tick 600_000 = $60,000,
 * maker fee 2 bps), both taker 5 bps. Every market call, perp liquidation and ATLAS view goes to
 * the core with the market id first; its reverts are decoded by name like the rest.
 */
import { createPerpMarket } from "../../scripts/lib/deploy-perp.ts";
import type { Protocol } from "../../scripts/lib/deploy.ts";
import { Clearinghouse__factory } from "../../types/ethers-contracts/index.js";
import { WBTC, WETH, chIface, deployMarginChain, type Call } from "./margin.chain.ts";

/** The WETH/USDC spot book's market id: the first market the margin chain creates. */
export const SPOT_ID = 1n;

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

export async function deployPerpChain() {
  const c = await deployMarginChain();
  const { ethers } = c.connection;
  const admin = await ethers.getSigner(c.admin);
  // the two fields of Protocol the perp deploy helper uses
  const ch = Clearinghouse__factory.connect(c.chAddr, admin);
  const protocol = { admin, clearinghouse: ch } as unknown as Protocol;
  if ((await ch.marketInfo(SPOT_ID)).base.toLowerCase() !== c.tokens[WETH]) throw new Error("market 1 is not the WETH/USDC book");
  /** Each perp market's id, in PERPS order. */
  const perps: bigint[] = [];
  for (const p of PERPS) {
    const m = await createPerpMarket(protocol, {
      underlying: c.tokens[p.asset],
      quote: c.tokens[0],
      lotSize: p.lotSize,
      tickSize: p.tickSize,
      makerFeeBps: p.makerFeeBps,
      takerFeeBps: 5n,
      maxMakerFeeBps: 10n,
    });
    perps.push(m.marketId);
  }
  return { ...c, perps };
}

export type PerpChain = Awaited<ReturnType<typeof deployPerpChain>>;

/** A call of the core's function `f` (market functions take the market id first). */
export const core = (c: { chAddr: string }, f: string, args: unknown[]): Call => ({ target: c.chAddr, data: chIface.encodeFunctionData(f, args) });
