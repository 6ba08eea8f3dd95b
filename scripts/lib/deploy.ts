// Deploys the protocol with ethers v6 (Hardhat network or any JSON-RPC signer).
// Shared by tests, the demo, the bench and the local node script.
import type { Signer } from "ethers";
import { AccessManager__factory, Clearinghouse__factory, MockERC20__factory } from "../../types/ethers-contracts/index.js";
import type { Clearinghouse, MockERC20, AccessManager } from "../../types/ethers-contracts/index.js";
import { marketHandle, type SpotMarket } from "./market.ts";

export const GOVERNANCE_ROLE = 1n;
export const GUARDIAN_ROLE = 2n;

export interface Protocol {
  manager: AccessManager;
  clearinghouse: Clearinghouse;
  admin: Signer;
}

export interface SpotMarketConfig {
  base: string;
  quote: string;
  lotSize: bigint;
  tickSize: bigint;
  minLots: bigint;
  makerFeeBps: bigint;
  takerFeeBps: bigint;
  maxMakerFeeBps: bigint;
}

/** Last tick of every book (255³ − 1): a market quotes prices up to `tickSize × MAX_TICK` per lot. */
export const MAX_TICK = 255n ** 3n - 1n;

/**
 * The tick size (quote atoms per lot per tick) for a market trading around `quoteAtomsPerLot`: the
 * smallest power of ten whose last tick (`MAX_TICK`) still quotes `headroom` times that price, so the
 * book has the finest step that leaves room for the price to rise `headroom`-fold. (One quote atom
 * per 0.0001 WBTC lot, i.e. $0.01 steps, stops at $165,813.74 per BTC: too close to the price.)
 * @example tickSizeForPrice(6_000_000n) // 10n: a 0.0001 WBTC lot at $60,000, $0.10 steps up to $1.66M
 */
export function tickSizeForPrice(quoteAtomsPerLot: bigint, headroom = 10n): bigint {
  if (quoteAtomsPerLot <= 0n || headroom <= 0n) throw new Error("tickSizeForPrice: price and headroom must be positive");
  let tickSize = 1n;
  while (tickSize * MAX_TICK < quoteAtomsPerLot * headroom) tickSize *= 10n;
  return tickSize;
}

/**
 * `tickSizeForPrice` from a decimal price per whole base token (e.g. "60000" USDC per WBTC).
 * @example tickSizeForDecimalPrice("60000", 10n ** 4n, 8, 6) // 10n
 */
export function tickSizeForDecimalPrice(price: string, lotSize: bigint, baseDecimals: number, quoteDecimals: number, headroom = 10n): bigint {
  const [whole, frac = ""] = price.split(".");
  const quoteAtoms = BigInt(whole + frac.padEnd(quoteDecimals, "0").slice(0, quoteDecimals));
  const perLot = (quoteAtoms * lotSize + 10n ** BigInt(baseDecimals) - 1n) / 10n ** BigInt(baseDecimals);
  return tickSizeForPrice(perLot === 0n ? 1n : perLot, headroom);
}

/**
 * Deploys AccessManager and the Clearinghouse (the one core), and wires the governance and
 * guardian roles to `admin` (locally; a real deployment grants them to a timelocked multisig
 * with an execution delay).
 */
export async function deployProtocol(admin: Signer, treasury?: string): Promise<Protocol> {
  const adminAddr = await admin.getAddress();
  const manager = await new AccessManager__factory(admin).deploy(adminAddr);
  const clearinghouse = await new Clearinghouse__factory(admin).deploy(await manager.getAddress(), treasury ?? adminAddr);
  const chAddr = await clearinghouse.getAddress();
  const selector = (f: Parameters<typeof clearinghouse.interface.getFunction>[0]) =>
    clearinghouse.interface.getFunction(f).selector;
  // the guardian pauses and freezes at once; only governance resumes a market or lifts a freeze
  const gov = ([
    "listAsset", "createSpotMarket", "createPerpMarket", "setPremiumParams", "setMarketFees", "setTreasury",
    "withdrawReserve", "setMarketPaused", "setAllPaused", "unfreeze",
  ] as const).map(selector);
  const guard = (["pause", "freeze"] as const).map(selector);
  await (await manager.setTargetFunctionRole(chAddr, gov, GOVERNANCE_ROLE)).wait();
  await (await manager.setTargetFunctionRole(chAddr, guard, GUARDIAN_ROLE)).wait();
  await (await manager.grantRole(GOVERNANCE_ROLE, adminAddr, 0)).wait();
  await (await manager.grantRole(GUARDIAN_ROLE, adminAddr, 0)).wait();
  return { manager, clearinghouse, admin };
}

/** Deploys a mintable test token. */
export async function deployToken(admin: Signer, name: string, symbol: string, decimals: number): Promise<MockERC20> {
  return new MockERC20__factory(admin).deploy(name, symbol, decimals);
}

/** Lists both assets if needed and creates a spot market; returns the core bound to its market id. */
export async function createSpotMarket(p: Protocol, cfg: SpotMarketConfig): Promise<SpotMarket> {
  const ch = p.clearinghouse;
  for (const t of [cfg.base, cfg.quote]) {
    if (!(await ch.isListed(t))) await (await ch.listAsset(t)).wait();
  }
  return marketHandle(ch, await createdMarketId(ch, await ch.createSpotMarket(cfg), "SpotMarketCreated"));
}

/** The market id a creation transaction's event names. */
export async function createdMarketId(
  ch: Clearinghouse,
  tx: Awaited<ReturnType<Clearinghouse["createSpotMarket"]>>,
  event: "SpotMarketCreated" | "PerpMarketCreated",
): Promise<bigint> {
  const receipt = await tx.wait();
  for (const log of receipt!.logs) {
    const parsed = ch.interface.parseLog(log);
    if (parsed?.name === event) return parsed.args.marketId as bigint;
  }
  throw new Error(`no ${event} event`);
}
