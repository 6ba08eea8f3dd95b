// Shared by the perp tests: the margin fixture (WETH, USDC, WBTC, LINK, a WETH/USDC spot book,
// oracle, the core's ATLAS parameters, pools) plus two perp markets in the core, ETH-PERP (market 2:
// lot 0.001 WETH, tick 10 USDC atoms: tick 300_000 = $3,000) and BTC-PERP (market 3: lot 0.0001
// WBTC, tick 10 atoms: tick 600_000 = $60,000). The core is also the liquidator
// (`ch.liquidatePerp(market.marketId, ...)`). One deployment per run, rolled back by snapshot
// before each test.
import { createPerpMarket, type PerpMarketConfig } from "../../scripts/lib/deploy-perp.ts";
import type { PerpMarket } from "../../scripts/lib/market.ts";
import { accountId, packOrder, type OrderParams } from "../../sdk/src/math/order.ts";
import type { Signer } from "ethers";
import { deployMarginFixture, mined, type MFx, E6, E8, WETH_LOT, USDC_TICK } from "./margin._helpers.ts";

export const BTC_LOT = 10n ** 4n; // 0.0001 WBTC per lot
export const ETH_PERP: Omit<PerpMarketConfig, "underlying" | "quote"> = {
  lotSize: WETH_LOT,
  tickSize: USDC_TICK,
  takerFeeBps: 5n,
  makerFeeBps: 0n,
  maxMakerFeeBps: 10n,
};

export async function deployPerpFixture() {
  const fx = await deployMarginFixture();
  const ethPerp: PerpMarket = await createPerpMarket(fx.protocol, { underlying: fx.W, quote: fx.U, ...ETH_PERP });
  const btcPerp: PerpMarket = await createPerpMarket(fx.protocol, {
    underlying: fx.B,
    quote: fx.U,
    lotSize: BTC_LOT,
    tickSize: USDC_TICK,
  });
  return { ...fx, ethPerp, btcPerp };
}

export type PFx = Awaited<ReturnType<typeof deployPerpFixture>>;

let shared: Promise<{ fx: PFx; snapshot: { restore(): Promise<void> }; prices: Map<string, bigint> }> | undefined;

/** One deployment for the run, restored before every test. */
export function usePerpFixture(): () => PFx {
  let fx: PFx | undefined;
  let snapshot: { restore(): Promise<void> } | undefined;
  let prices: Map<string, bigint> | undefined;
  before(async () => {
    shared ??= deployPerpFixture().then(async (d) => ({
      fx: d,
      snapshot: await d.networkHelpers.takeSnapshot(),
      prices: new Map(d.prices),
    }));
    ({ fx, snapshot, prices } = await shared);
  });
  beforeEach(async () => {
    await snapshot!.restore();
    fx!.prices.clear();
    for (const [k, v] of prices!) fx!.prices.set(k, v);
  });
  return () => fx!;
}

/** Places a perp order word built by the SDK's encoder (reduce-only is bit 158). */
export const place = (m: PerpMarket, s: Signer, o: OrderParams) => mined(m.connect(s).placeOrder(packOrder(o)));

export { E6, E8, type MFx };

/** Lists one more ETH-PERP-like market with `over` parameters (deployed inside a test: rolled back). */
export async function extraPerp(fx: PFx, over: Partial<PerpMarketConfig> = {}): Promise<PerpMarket> {
  return createPerpMarket(fx.protocol, { underlying: fx.W, quote: fx.U, ...ETH_PERP, ...over });
}

/** Makes the next transaction land exactly at `t` (blocks may share a timestamp). */
export const at = (fx: PFx, t: bigint) => fx.networkHelpers.time.setNextBlockTimestamp(t);

/** quote atoms of `lots` at `tick` (tick size 10 atoms). */
export const notionalAtoms = (lots: bigint, tick: bigint, tickSize = 10n) => lots * tick * tickSize;

/** Taker fee in quote atoms: ceil(notional ticks × bps / 10_000) tick units. */
export const takerFeeAtoms = (lots: bigint, tick: bigint, bps = 5n, tickSize = 10n) =>
  ((lots * tick * bps + 9_999n) / 10_000n) * tickSize;

/**
 * A bankrupt long on a fresh ETH-PERP without interest (funding 0, figures exact): bob ($200 USDC)
 * buys 300 lots at $3,000 from carol (200) and dave (100); ETH gaps to $2,000; alice takes 250 lots
 * over at the mark with a zero discount (first call), which realises bob's loss into a USDC debt.
 * Bob is left long 50 lots (entry $150) under water at the $100 mark, holding nothing.
 */
export async function bankruptLong(fx: PFx) {
  const { alice, bob, carol, dave, U, W } = fx;
  const m = await extraPerp(fx, { interestPpmPerHour: 0n });
  const { deposit, setPrice, WAD } = await import("./margin._helpers.ts");
  await deposit(fx, bob, U, 200n * E6);
  for (const s of [alice, carol, dave]) await deposit(fx, s, U, 100_000n * E6);
  await place(m, carol, { side: 1n, tick: 300_000n, lots: 200n });
  await place(m, dave, { side: 1n, tick: 300_000n, lots: 100n });
  await place(m, bob, { side: 0n, tick: 300_000n, lots: 300n, kind: 2n });
  await setPrice(fx, W, 2_000n * WAD);
  await mined(fx.ch.connect(alice).liquidatePerp(m.marketId, acctOfS(bob), 250n, 0, false));
  return m;
}

const acctOfS = (s: { address: string }) => accountId(s.address as `0x${string}`, 0n);
