// Shared by the margin, ATLAS and liquidation tests: a protocol with WETH (18), WBTC (8), USDC (6)
// and LINK (18, no pool), a WETH/USDC spot book (market 1 in the core), admin feeds in the core
// (`oracle` is the core too), ATLAS's parameters in the core (`atlas` is the core) with its what-if lens, and a
// lending pool per asset funded by an outside lender. One deployment for the run, rolled back by
// snapshot before each test. Also an independent bigint model of the ATLAS formulas (written
// from the NatSpec of contracts/libraries/AtlasMath.sol), so tests compare values to the wei.
import type { ContractTransactionReceipt, ContractTransactionResponse, Signer } from "ethers";
import { network } from "hardhat";
import { createSpotMarket, deployProtocol, deployToken } from "../../scripts/lib/deploy.ts";
import { deployMargin, UNCAPPED } from "../../scripts/lib/deploy-margin.ts";
import { accountId } from "../../sdk/src/math/order.ts";
import type { LendingVault } from "../../types/ethers-contracts/index.js";

export const WAD = 10n ** 18n;
export const BPS = 10_000n;
export const E6 = 10n ** 6n;
export const E8 = 10n ** 8n;
export const E18 = 10n ** 18n;
export const DAY = 86_400n;
export const ZERO = "0x0000000000000000000000000000000000000000";

export const WETH_LOT = 10n ** 15n; // 0.001 WETH per lot
export const USDC_TICK = 10n; // 10 USDC atoms per lot per tick: tick 300_000 = $3,000 per WETH

/** Prices and risk parameters the fixture starts with. */
export const START = {
  WETH: { price: 3_000n * WAD, shockBps: 1_000n, slippageBps: 50n },
  USDC: { price: WAD, shockBps: 100n, slippageBps: 10n },
  WBTC: { price: 60_000n * WAD, shockBps: 1_500n, slippageBps: 100n },
  LINK: { price: 20n * WAD, shockBps: 2_000n, slippageBps: 200n },
} as const;
export const HAIRCUT_BPS = 9_800n;
export const INITIAL_SCALE_BPS = 15_000n;
export const DEBT_SECONDS = 10n * DAY;

/** Pool liquidity the outside lender supplies. */
export const LIQUIDITY = { USDC: 1_000_000n * E6, WETH: 1_000n * E18, WBTC: 100n * E8 } as const;

export const acctOf = (s: { address: string }, sub = 0n): string => accountId(s.address as `0x${string}`, sub);

export async function mined(tx: Promise<ContractTransactionResponse>): Promise<ContractTransactionReceipt> {
  const receipt = await (await tx).wait();
  if (!receipt) throw new Error("no receipt");
  return receipt;
}

export async function deployMarginFixture(opts: { takerFeeBps?: bigint } = {}) {
  // Same-timestamp blocks let a test send a transaction at the time a view was evaluated at,
  // so interest accrued between the two cannot blur an exact boundary. Gas is then estimated at
  // the latest block's time, where a pool has no interest to accrue, while the transaction may
  // land a second later and accrue it: the multiplier keeps that from running out of gas.
  const connection = await network.create({ override: { allowBlocksWithSameTimestamp: true, gasMultiplier: 2 } });
  const { ethers, networkHelpers } = connection;
  const [admin, alice, bob, carol, dave, lender, outsider] = await ethers.getSigners();
  const protocol = await deployProtocol(admin);
  const ch = protocol.clearinghouse;
  const chAddr = await ch.getAddress();
  const weth = await deployToken(admin, "Wrapped Ether", "WETH", 18);
  const usdc = await deployToken(admin, "USD Coin", "USDC", 6);
  const wbtc = await deployToken(admin, "Wrapped Bitcoin", "WBTC", 8);
  const link = await deployToken(admin, "Chainlink", "LINK", 18);
  const [W, U, B, L] = await Promise.all([weth, usdc, wbtc, link].map((t) => t.getAddress()));
  const market = await createSpotMarket(protocol, {
    base: W,
    quote: U,
    lotSize: WETH_LOT,
    tickSize: USDC_TICK,
    minLots: 1n,
    makerFeeBps: 0n,
    takerFeeBps: opts.takerFeeBps ?? 0n,
    maxMakerFeeBps: 0n,
  });
  // uncapped pools: these tests probe margin and lending, not caps (test/unit/lending.* test caps)
  const pool = { supplyCap: UNCAPPED, borrowCap: UNCAPPED };
  const margin = await deployMargin(protocol, [
    { token: W, symbol: "WETH", ...asset(START.WETH), pool },
    { token: U, symbol: "USDC", ...asset(START.USDC), pool },
    { token: B, symbol: "WBTC", ...asset(START.WBTC), pool },
    { token: L, symbol: "LINK", ...asset(START.LINK) },
  ]);
  const pools = { WETH: margin.pools.WETH, USDC: margin.pools.USDC, WBTC: margin.pools.WBTC };
  const tokens = { WETH: weth, USDC: usdc, WBTC: wbtc, LINK: link };
  for (const s of [alice, bob, carol, dave, lender, outsider]) {
    for (const t of Object.values(tokens)) {
      await (await t.mint(s.address, 10n ** 40n)).wait();
      await (await t.connect(s).approve(chAddr, 2n ** 256n - 1n)).wait();
    }
  }
  for (const [sym, pool] of Object.entries(pools) as [keyof typeof pools, LendingVault][]) {
    await (await tokens[sym].connect(lender).approve(await pool.getAddress(), 2n ** 256n - 1n)).wait();
    await (await pool.connect(lender).deposit(LIQUIDITY[sym], lender.address)).wait();
  }
  const prices = new Map<string, bigint>([
    [W, START.WETH.price],
    [U, START.USDC.price],
    [B, START.WBTC.price],
    [L, START.LINK.price],
  ]);
  return {
    connection, ethers, networkHelpers, admin, alice, bob, carol, dave, lender, outsider,
    protocol, ch, market, tokens, weth, usdc, wbtc, link, W, U, B, L,
    oracle: margin.oracle, atlas: margin.atlas, lens: margin.lens, pools, prices,
  };
}

function asset(a: { price: bigint; shockBps: bigint; slippageBps: bigint }) {
  return { priceWad: a.price, shockBps: a.shockBps, slippageBps: a.slippageBps };
}

export type MFx = Awaited<ReturnType<typeof deployMarginFixture>>;

/** Supply shares of `token`'s pool held by margin accounts (the supply less the outside lenders' part). */
export async function marginShares(f: { ch: MFx["ch"] }, token: string): Promise<bigint> {
  const [, supply, outside] = await f.ch.lendingSupplyOf(token);
  return supply - outside;
}

const cache = new Map<string, Promise<{ fx: MFx; snapshot: { restore(): Promise<void> }; prices: Map<string, bigint> }>>();

/**
 * Deploys once per option set for the whole run (every file of the margin suite shares it) and
 * restores the snapshot before every test, so each test starts from the same funded state.
 */
export function useMarginFixture(opts: Parameters<typeof deployMarginFixture>[0] = {}): () => MFx {
  let fx: MFx | undefined;
  let snapshot: { restore(): Promise<void> } | undefined;
  let prices: Map<string, bigint> | undefined;
  before(async () => {
    const key = JSON.stringify(opts, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
    if (!cache.has(key)) {
      cache.set(
        key,
        deployMarginFixture(opts).then(async (d) => ({
          fx: d,
          snapshot: await d.networkHelpers.takeSnapshot(),
          prices: new Map(d.prices),
        })),
      );
    }
    ({ fx, snapshot, prices } = await cache.get(key)!);
  });
  beforeEach(async () => {
    await snapshot!.restore();
    fx!.prices.clear();
    for (const [k, v] of prices!) fx!.prices.set(k, v);
  });
  return () => fx!;
}

/** Timestamp of the latest block (the time views are evaluated at). */
export async function now(fx: MFx): Promise<bigint> {
  return BigInt((await fx.ethers.provider.getBlock("latest"))!.timestamp);
}

/** Makes the next transaction land at the latest block's timestamp (views and it agree). */
export async function sameTime(fx: MFx): Promise<bigint> {
  const t = await now(fx);
  await fx.networkHelpers.time.setNextBlockTimestamp(t);
  return t;
}

/** Pushes a new oracle price (the admin holds the oracle role). */
export async function setPrice(fx: MFx, token: string, priceWad: bigint): Promise<ContractTransactionReceipt> {
  fx.prices.set(token, priceWad);
  return mined(fx.oracle.pushPrice(token, priceWad));
}

/** Re-pushes every price (admin feeds go stale after an hour). */
export async function refreshPrices(fx: MFx): Promise<void> {
  for (const [t, p] of fx.prices) await mined(fx.oracle.pushPrice(t, p));
}

/** Moves time forward and re-pushes prices so they stay fresh. */
export async function warp(fx: MFx, seconds: bigint): Promise<void> {
  await fx.networkHelpers.time.increase(seconds);
  await refreshPrices(fx);
}

/** Borrow shares of a balance (negative stored amount) as a positive number. */
export async function storedAmount(fx: MFx, account: string, token: string): Promise<bigint> {
  return (await fx.ch.positionOf(account, token)).amount;
}

export const deposit = (fx: MFx, s: Signer, token: string, atoms: bigint, sub = 0n) =>
  mined(fx.ch.connect(s).deposit(token, sub, atoms));

// ------------------------------------------------------------------ independent ATLAS model

/** One asset as the model sees it: atoms split by kind, risk parameters, prices. */
export interface ME {
  decimals: bigint;
  shockBps: bigint;
  slippageBps: bigint;
  haircutBps: bigint;
  idle: bigint;
  lent: bigint;
  debt: bigint;
  pocket: bigint;
  rateWad: bigint;
  seconds: bigint;
  price: bigint;
  stable: bigint;
}

/** Locked funds of one book: indices into the entries. */
export interface MB {
  base: number;
  quote: number;
  lockedBase: bigint;
  lockedQuote: bigint;
}

export const divUp = (a: bigint, b: bigint): bigint => (a === 0n ? 0n : (a - 1n) / b + 1n);
export const floorDiv = (a: bigint, b: bigint): bigint => {
  let q = a / b;
  if (a % b !== 0n && a < 0n !== b < 0n) q -= 1n;
  return q;
};
const min = (a: bigint, b: bigint) => (a < b ? a : b);
const max = (a: bigint, b: bigint) => (a > b ? a : b);

/** Entry with the fixture's parameters for `sym`, no balance, the start price. */
export function entry(sym: keyof typeof START, over: Partial<ME> = {}): ME {
  const a = START[sym];
  const decimals = sym === "USDC" ? 6n : sym === "WBTC" ? 8n : 18n;
  return {
    decimals, shockBps: a.shockBps, slippageBps: a.slippageBps, haircutBps: HAIRCUT_BPS,
    idle: 0n, lent: 0n, debt: 0n, pocket: 0n, rateWad: 0n, seconds: DEBT_SECONDS,
    price: a.price, stable: a.price, ...over,
  };
}

/** x = idle + pocket + lent × haircut (down) − debt × (1 + r·T) (up). */
export function mAdjusted(e: ME): bigint {
  const plus = e.idle + e.pocket + (e.lent * e.haircutBps) / BPS;
  const minus = divUp(e.debt * (WAD + e.rateWad * e.seconds), WAD);
  return plus - minus;
}

/** USD WAD: holdings rounded down, debts rounded up (both against the account). */
export function mUsd(atoms: bigint, priceWad: bigint, decimals: bigint): bigint {
  const unit = 10n ** decimals;
  return atoms >= 0n ? (atoms * priceWad) / unit : -divUp(-atoms * priceWad, unit);
}

export function mEquity(es: ME[]): bigint {
  return es.reduce((s, e) => s + mUsd(e.idle + e.pocket + e.lent - e.debt, e.price, e.decimals), 0n);
}

/** Per-asset values; maintenance: scale 10_000 at the oracle price; initial: scaled, conservative price. */
export function mValues(es: ME[], books: MB[], scaleBps: bigint, conservative: boolean): bigint[] {
  const sc = (bps: bigint) => divUp(bps * scaleBps, BPS);
  const xs = es.map(mAdjusted);
  const px = es.map((e, i) => (!conservative ? e.price : xs[i] >= 0n ? min(e.price, e.stable) : max(e.price, e.stable)));
  const hs = es.map((e) => sc(e.shockBps) + sc(e.slippageBps));
  const down = es.map(() => 0n);
  const up = es.map(() => 0n);
  for (const b of books) {
    const bidUsd = mUsd(b.lockedQuote, px[b.quote], es[b.quote].decimals);
    const askUsd = mUsd(b.lockedBase, px[b.base], es[b.base].decimals);
    down[b.base] += divUp(bidUsd * hs[b.base], BPS);
    up[b.base] += divUp(askUsd * hs[b.base], BPS);
  }
  return es.map((e, i) => {
    const h = sc(e.shockBps);
    const s = xs[i] >= 0n ? -sc(e.slippageBps) : sc(e.slippageBps);
    const v = mUsd(xs[i], px[i], e.decimals);
    const upV = floorDiv(v * (BPS + h + s), BPS) - up[i];
    const downV = floorDiv(v * (BPS - h + s), BPS) - down[i];
    return min(upV, downV);
  });
}

export const mMaintenance = (es: ME[], books: MB[] = []) => mValues(es, books, BPS, false).reduce((a, b) => a + b, 0n);
export const mInitial = (es: ME[], books: MB[] = []) =>
  mValues(es, books, INITIAL_SCALE_BPS, true).reduce((a, b) => a + b, 0n);

/** Seized collateral as the docs state it: floor(repayUSD / (P_coll · (1 − discount))). */
export function mSeized(repay: bigint, pDebt: bigint, decDebt: bigint, pColl: bigint, decColl: bigint, discountBps: bigint) {
  const usd = (repay * pDebt) / 10n ** decDebt;
  return (usd * 10n ** decColl * BPS) / (pColl * (BPS - discountBps));
}
