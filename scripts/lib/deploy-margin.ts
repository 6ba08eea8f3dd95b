// Adds the margin layer to a deployed protocol: admin feeds in the core's oracle, a lending pool in the
// Clearinghouse (and its LendingVault for outside lenders) per asset that lends, ATLAS's parameters
// in the core with its what-if lens, and each asset's risk parameters. Shared by tests, demo and bench.
import type { Signer } from "ethers";
import { AtlasLens__factory, LendingVault__factory } from "../../types/ethers-contracts/index.js";
import type { AtlasLens, Clearinghouse, LendingVault } from "../../types/ethers-contracts/index.js";
import { GOVERNANCE_ROLE, type Protocol } from "./deploy.ts";

export const ORACLE_ROLE = 3n;
export const FEED_ADMIN = 1n;
const WAD = 10n ** 18n;

export interface RateModel {
  baseRatePerYearWad: bigint;
  slope1PerYearWad: bigint;
  slope2PerYearWad: bigint;
  kinkWad: bigint;
}

/** A typical kinked model: 0% base, 4% at the 80% kink, +75% above it. */
export const DEFAULT_RATE_MODEL: RateModel = {
  baseRatePerYearWad: 0n,
  slope1PerYearWad: (4n * WAD) / 100n,
  slope2PerYearWad: (75n * WAD) / 100n,
  kinkWad: (80n * WAD) / 100n,
};

/**
 * Default pool caps, as multiples of the liquidity the deployment seeds into the pool: the supply
 * cap lets the pool grow to 4× its seed before governance raises it, and the borrow cap, half the
 * supply cap, bounds what every borrower together can take out (2× the seed) whatever an oracle
 * says — the backstop behind the stable price against a Mango-style pump (docs/LENDING.md).
 */
export const SUPPLY_CAP_SEED_MULTIPLE = 4n;
export const BORROW_CAP_SEED_MULTIPLE = 2n;
/** A cap a pool reads as "none" (its cash is uint112). Test worlds only: deployments set finite caps. */
export const UNCAPPED = 2n ** 112n - 1n;

/** A lending pool's parameters. Its caps are finite: give them, or `seedAtoms` to derive them. */
export interface PoolConfig {
  model?: RateModel;
  reserveFactorBps?: bigint;
  /** Liquidity (atoms) the deployment seeds into the pool; the caps default to multiples of it. */
  seedAtoms?: bigint;
  /** Cap on the pool's total assets (atoms); default SUPPLY_CAP_SEED_MULTIPLE × seedAtoms. */
  supplyCap?: bigint;
  /** Cap on the pool's total borrows (atoms); default BORROW_CAP_SEED_MULTIPLE × seedAtoms. */
  borrowCap?: bigint;
}

export interface MarginAsset {
  token: string;
  symbol: string;
  priceWad: bigint;
  shockBps: bigint;
  slippageBps: bigint;
  lentHaircutBps?: bigint;
  /** Deploy a lending pool for this asset. */
  pool?: PoolConfig;
}

/** A pool's caps: as given, else the default multiples of its seed; throws if neither gives finite caps. */
export function poolCaps(symbol: string, cfg: PoolConfig): { supplyCap: bigint; borrowCap: bigint } {
  const seed = cfg.seedAtoms;
  const supplyCap = cfg.supplyCap ?? (seed === undefined ? undefined : seed * SUPPLY_CAP_SEED_MULTIPLE);
  const borrowCap = cfg.borrowCap ?? (seed === undefined ? undefined : seed * BORROW_CAP_SEED_MULTIPLE);
  if (supplyCap === undefined || borrowCap === undefined || supplyCap === 0n || borrowCap === 0n) {
    throw new Error(`${symbol} pool: caps must be set: give seedAtoms (caps ${SUPPLY_CAP_SEED_MULTIPLE}× and ${BORROW_CAP_SEED_MULTIPLE}× it) or supplyCap and borrowCap`);
  }
  return { supplyCap, borrowCap };
}

/** ATLAS's initial scale (bps) and seconds of interest charged ahead on debt, as deployed. */
export const INITIAL_SCALE_BPS = 15_000n;
export const DEBT_INTEREST_SECONDS = 10n * 86_400n;

export interface Margin {
  /** The core again, as the venue's oracle (feeds, stored prices: `setFeed`, `pushPrice`, `price`). */
  oracle: Clearinghouse;
  /** The core, which values every account (ATLAS: riskOf, initialValue, maintenanceValue, liquidationQuote). */
  atlas: Clearinghouse;
  /** ATLAS's what-if views (maxWithdraw, maxBorrow, liquidationPrice, ...) over the core. */
  lens: AtlasLens;
  /** Each lending asset's LendingVault (ERC-4626 for outside lenders); the pool itself is in the Clearinghouse. */
  pools: Record<string, LendingVault>;
}

/**
 * Sets each asset's admin feed in the core, ATLAS's parameters in the core (initial margin 1.5x, 10 days of interest on
 * debt), deploys its lens and the pools
 * (with finite supply and borrow caps: `poolCaps`), and wires their governance through the protocol's
 * AccessManager (roles granted to the admin). Each asset's admin feed is anchored by its first push.
 */
export async function deployMargin(p: Protocol, assets: MarginAsset[]): Promise<Margin> {
  const admin = p.admin;
  const adminAddr = await admin.getAddress();
  const ch = p.clearinghouse;
  const chAddr = await ch.getAddress();
  const oracle = ch; // the core holds every feed and stored price
  const lens = await new AtlasLens__factory(admin).deploy(chAddr);
  const m = p.manager;
  const chSel = (f: Parameters<typeof ch.interface.getFunction>[0]) => ch.interface.getFunction(f).selector;
  await (
    await m.setTargetFunctionRole(
      chAddr,
      (
        [
          "setAssetRisk",
          "listPool",
          "setRiskParams",
          "setFeed",
          "setLiquidationParams",
          "setRateModel",
          "setReserveFactor",
          "setCaps",
          "withdrawPoolReserve",
        ] as const
      ).map(chSel),
      GOVERNANCE_ROLE,
    )
  ).wait();
  await (await m.setTargetFunctionRole(chAddr, [chSel("pushPrice")], ORACLE_ROLE)).wait();
  await (await m.grantRole(ORACLE_ROLE, adminAddr, 0)).wait();
  await (await ch.setRiskParams(INITIAL_SCALE_BPS, DEBT_INTEREST_SECONDS)).wait();
  const pools: Record<string, LendingVault> = {};
  for (const a of assets) {
    if (!(await ch.isListed(a.token))) await (await ch.listAsset(a.token)).wait();
    await (await oracle.setFeed(a.token, adminFeed(a.priceWad))).wait();
    await (await oracle.pushPrice(a.token, a.priceWad)).wait();
    await (await ch.setAssetRisk(a.token, a.shockBps, a.slippageBps, a.lentHaircutBps ?? 9_800n)).wait();
    if (a.pool) pools[a.symbol] = await deployPool(p, a, a.pool);
  }
  return { oracle, atlas: ch, lens, pools };
}

/** Admin feed config: 1 hour staleness, stable price moving at most 5% an hour, wide sanity bounds. */
export function adminFeed(priceWad: bigint) {
  return {
    kind: FEED_ADMIN,
    feed: "0x0000000000000000000000000000000000000000",
    pythPriceId: "0x" + "00".repeat(32),
    maxAgeSeconds: 3_600n,
    maxConfBps: 0n,
    maxStableMoveBpsPerHour: 500n,
    minPriceWad: priceWad / 1000n > 0n ? priceWad / 1000n : 1n,
    maxPriceWad: priceWad * 1000n,
  };
}

/** Deploys the asset's LendingVault and lists its pool in the Clearinghouse (governance). */
async function deployPool(p: Protocol, a: MarginAsset, cfg: PoolConfig): Promise<LendingVault> {
  const admin: Signer = p.admin;
  const { supplyCap, borrowCap } = poolCaps(a.symbol, cfg);
  const chAddr = await p.clearinghouse.getAddress();
  const vault = await new LendingVault__factory(admin).deploy(a.token, `Exchange ${a.symbol} pool`, `x${a.symbol}`, chAddr);
  await vault.waitForDeployment();
  await (
    await p.clearinghouse.listPool(
      a.token,
      await vault.getAddress(),
      cfg.model ?? DEFAULT_RATE_MODEL,
      cfg.reserveFactorBps ?? 1_000n,
      supplyCap,
      borrowCap,
    )
  ).wait();
  return vault;
}
