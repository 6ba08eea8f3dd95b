// Adds perpetual markets to a protocol with the margin layer: each one a market id in the core,
// created by governance. Shared by tests, demo and bench.
import { createdMarketId, type Protocol } from "./deploy.ts";
import { marketHandle, type PerpMarket } from "./market.ts";

export interface PerpMarketConfig {
  underlying: string;
  quote: string;
  lotSize: bigint;
  tickSize: bigint;
  minLots?: bigint;
  makerFeeBps?: bigint;
  takerFeeBps?: bigint;
  maxMakerFeeBps?: bigint;
  oiCapLots?: bigint;
  positionCapLots?: bigint;
  maxPremiumBps?: bigint;
  /** ppm of the index per hour; 12.5 ppm/h ≈ 0.01% per 8 hours */
  interestPpmPerHour?: bigint;
  fundingClampPpm?: bigint;
  fundingCapPpm?: bigint;
  liquidityBps?: bigint;
  impactNotionalUsd?: bigint;
  basisBps?: bigint;
  floorBps?: bigint;
  /** Impact notional of the mark's premium, whole USD (default 10,000; set after listing). */
  premiumImpactUsd?: bigint;
  /** Half-life of the mark premium's smoothing, seconds (default 60; set after listing). */
  premiumHalfLifeSeconds?: bigint;
}

/**
 * Market defaults: 0.05% funding clamp, 4%/hour cap, 0.75% premium bound, 0.3% liquidity, 1.15% basis,
 * 0.2% floor. The basis charge and premium bound keep docs/RISK.md's bounds (checked at listing):
 * β·(k − 1.3·q) ≥ 1.3·c with k = 1.5, q = 0.5: 115 × 0.85 = 97.75 ≥ 1.3 × 75 = 97.5; the floor is at
 * most half the basis charge, so a perfect hedge costs only the basis charge.
 */
export function perpParams(cfg: PerpMarketConfig) {
  return {
    underlying: cfg.underlying,
    quote: cfg.quote,
    lotSize: cfg.lotSize,
    tickSize: cfg.tickSize,
    minLots: cfg.minLots ?? 1n,
    makerFeeBps: cfg.makerFeeBps ?? 0n,
    takerFeeBps: cfg.takerFeeBps ?? 5n,
    maxMakerFeeBps: cfg.maxMakerFeeBps ?? 10n,
    oiCapLots: cfg.oiCapLots ?? 10n ** 12n,
    positionCapLots: cfg.positionCapLots ?? 10n ** 10n,
    maxPremiumBps: cfg.maxPremiumBps ?? 75n,
    interestPpmPerHour: cfg.interestPpmPerHour ?? 12n,
    fundingClampPpm: cfg.fundingClampPpm ?? 500n,
    fundingCapPpm: cfg.fundingCapPpm ?? 40_000n,
    liquidityBps: cfg.liquidityBps ?? 30n,
    impactNotionalUsd: cfg.impactNotionalUsd ?? 0n,
    basisBps: cfg.basisBps ?? 115n,
    floorBps: cfg.floorBps ?? 20n,
  };
}

/**
 * Creates a perp market through governance (the core's risk parameters must be set: `deployMargin`)
 * and, if asked, sets its premium parameters; returns the core bound to its market id.
 */
export async function createPerpMarket(p: Protocol, cfg: PerpMarketConfig): Promise<PerpMarket> {
  const ch = p.clearinghouse;
  const market = marketHandle(ch, await createdMarketId(ch, await ch.createPerpMarket(perpParams(cfg)), "PerpMarketCreated"));
  if (cfg.premiumImpactUsd !== undefined || cfg.premiumHalfLifeSeconds !== undefined) {
    await (await market.setPremiumParams(cfg.premiumImpactUsd ?? 10_000n, cfg.premiumHalfLifeSeconds ?? 60n)).wait();
  }
  return market;
}
