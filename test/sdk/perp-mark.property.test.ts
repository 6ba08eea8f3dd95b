// Property: the SDK's copy of the mark (perpMath.impactPremium, smoothPremium, markLotWad) equals the
// core's after random sequences of placements, takes, cancels and time steps on ETH-PERP, all sent
// through the SDK's own actions (by market id). The SDK keeps its own model of the smoothed premium
// (premium, target, time of the last sample) and is told only when the core sampled (its
// `lastUpdate` equals the block's time); it computes the target from the book (`getOrderBook`) and
// the index itself.
import { expect } from "chai";
import { readContract } from "viem/actions";
import { OrderKind, Side, clearinghouseAbi } from "../../sdk/src/index.ts";
import { impactPremium, markLotWad, smoothPremium } from "../../sdk/src/math/perp.ts";
import { WAD, useMarginWorld } from "./_margin.ts";

const USDC = 10n ** 6n;

/** A small deterministic PRNG (mulberry32). */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("sdk perp mark = contract mark (property)", () => {
  const world = useMarginWorld({ allowBlocksWithSameTimestamp: true });

  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}: 40 random book changes and time steps`, async () => {
      const w = world();
      const marketId = w.perps.ethPerp;
      const premiumState = () =>
        readContract(w.publicClient, { address: w.clearinghouse, abi: clearinghouseAbi, functionName: "premiumState", args: [marketId] });
      const now = async () => (await w.publicClient.getBlock()).timestamp;
      const perp = await w.alice.getPerpMarket({ marketId });
      const clampPpm = perp.maxPremiumBps * 100n; // the market's premium clamp (ppm)
      const traders = [w.alice, w.bob, w.carol, w.dave];
      for (const c of traders) await c.depositSync({ token: w.tokens.usdc, amount: 1_000_000n * USDC, approve: "max" });
      const r = rng(seed);
      const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
      const [, premiumAtUpdate, target0, lastUpdate0, impactNotionalUsd, halfLifeSeconds] = await premiumState();
      let model = { premium: premiumAtUpdate, target: target0, at: lastUpdate0 };
      const ids: { who: (typeof traders)[number]; id: bigint }[] = [];
      let t = (await now()) + 1n;
      let counted = 0;
      for (let i = 0; i < 40; i++) {
        t += BigInt(Math.floor(r() * 90));
        await w.connection.networkHelpers.time.setNextBlockTimestamp(t);
        const who = pick(traders);
        const roll = r();
        try {
          if (roll < 0.15 && ids.length > 0) {
            const k = Math.floor(r() * ids.length);
            const { who: owner, id } = ids.splice(k, 1)[0];
            if (!(await owner.getOrder({ marketId, orderId: id })).live) {
              await owner.settlePerpSync({ marketId }); // the order was filled: any call to mine the block
            } else {
              await owner.cancelOrderSync({ marketId, orderId: id });
            }
          } else {
            const side = r() < 0.5 ? Side.Bid : Side.Ask;
            // ticks within ±1.5% of the index (300,000), sizes from one lot to a few impact sizes
            const tick = 300_000n + BigInt(Math.floor((r() - 0.5) * 9_000));
            const lots = BigInt(1 + Math.floor(r() ** 3 * 6_000));
            const kind = r() < 0.2 ? OrderKind.Ioc : OrderKind.Gtc;
            const { orderId } = await who.placeOrderSync({ marketId, side, tick, lots, kind });
            if (orderId !== 0n) ids.push({ who, id: orderId });
          }
        } catch {
          await w.connection.networkHelpers.mine(); // a refused order (margin): the block passes anyway
        }
        const st = await premiumState();
        const [premiumNowOnChain, , targetOnChain, lastUpdate, , , countedTick, countedSide] = st;
        const mark = await w.alice.getMarkPrice({ marketId });
        if (lastUpdate === t) {
          // the core sampled in this block: the SDK samples the book as it now stands
          const b = await w.alice.getOrderBook({ marketId, depth: 64 });
          const want = impactPremium({
            bids: { ticks: b.bids.map((l) => l.tick), lots: b.bids.map((l) => l.lots) },
            asks: { ticks: b.asks.map((l) => l.tick), lots: b.asks.map((l) => l.lots) },
            indexLotWad: mark.indexLotWad,
            quotePriceWad: WAD,
            quoteDecimals: 6n,
            tickSize: perp.tickSize,
            maxPremiumPpm: clampPpm,
            impactNotionalUsd,
          });
          model = { premium: smoothPremium(model.premium, model.target, t - model.at, clampPpm, halfLifeSeconds), target: want.target, at: t };
          expect([targetOnChain, countedTick, countedSide]).to.deep.equal([want.target, want.countedTick, want.countedSide]);
          if (want.target !== 0n) counted++;
        }
        const premiumNow = smoothPremium(model.premium, model.target, (await now()) - model.at, clampPpm, halfLifeSeconds);
        expect(premiumNowOnChain).to.equal(premiumNow);
        expect(mark.premium).to.equal(premiumNow);
        expect(mark.markLotWad).to.equal(markLotWad(mark.indexLotWad, premiumNow));
      }
      expect(counted).to.be.greaterThan(0); // the walk ran on books beyond the index
    });
  }
});
