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
