// Property: the SDK's copy of the mark (perpMath.impactPremium, smoothPremium, markLotWad) equals the
// contract's after random sequences of placements, takes, cancels and time steps on ETH-PERP. The
// SDK keeps its own model of the smoothed premium (premium, target, time of the last sample) and is
// told only when the contract sampled (its `lastUpdate` equals the block's time); it computes the
// target from the book (`getBook`) and the index itself.
import { expect } from "chai";
import { Side, OrderKind } from "../../sdk/src/math/order.ts";
import { impactPremium, markLotWad, smoothPremium } from "../../sdk/src/math/perp.ts";
import { E6, place, usePerpFixture } from "../unit/perp._helpers.ts";
import { WAD, deposit, mined, now } from "../unit/margin._helpers.ts";

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
  const fx = usePerpFixture();

  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}: 40 random book changes and time steps`, async () => {
      const f = fx();
      const m = f.ethPerp;
      const clampPpm = (await m.perpParams()).maxPremiumBps * 100n; // the market's premium clamp (ppm)
      const traders = [f.alice, f.bob, f.carol, f.dave];
      for (const s of traders) await deposit(f, s, f.U, 1_000_000n * E6);
      const r = rng(seed);
      const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
      const st0 = await m.premiumState();
      let model = { premium: st0.premiumAtUpdate, target: st0.target, at: st0.lastUpdate };
      const ids: { who: (typeof traders)[number]; id: bigint }[] = [];
      let t = (await now(f)) + 1n;
      let counted = 0;
      for (let i = 0; i < 40; i++) {
        t += BigInt(Math.floor(r() * 90));
        await f.networkHelpers.time.setNextBlockTimestamp(t);
        const who = pick(traders);
        const roll = r();
        try {
          if (roll < 0.15 && ids.length > 0) {
            const k = Math.floor(r() * ids.length);
            const { who: w, id } = ids.splice(k, 1)[0];
            const live = (await m.getOrder(id)).lots;
            if (live === 0n) {
              await mined(m.connect(w).settle(w.address, 0)); // the order was filled: any call to mine the block
            } else {
              await mined(m.connect(w).cancelOrder(id));
            }
          } else {
            const side = r() < 0.5 ? Side.Bid : Side.Ask;
            // ticks within ±1.5% of the index (300,000), sizes from one lot to a few impact sizes
            const tick = 300_000n + BigInt(Math.floor((r() - 0.5) * 9_000));
            const lots = BigInt(1 + Math.floor(r() ** 3 * 6_000));
            const kind = r() < 0.2 ? OrderKind.Ioc : OrderKind.Gtc;
            const rc = await place(m, who, { side, tick, lots, kind });
            for (const l of rc.logs) {
              const p = m.interface.parseLog(l);
              if (p?.name === "OrderPlaced") ids.push({ who, id: p.args.orderId });
            }
          }
        } catch {
          await f.networkHelpers.mine(); // a refused order (margin): the block passes anyway
        }
        const st = await m.premiumState();
        const [indexLot, markLot] = await m.markPrice();
        if (st.lastUpdate === t) {
          // the contract sampled in this block: the SDK samples the book as it now stands
          const b = await m.getBook(64n);
          const want = impactPremium({
            bids: { ticks: b.bidTicks, lots: b.bidLots },
            asks: { ticks: b.askTicks, lots: b.askLots },
            indexLotWad: indexLot,
            quotePriceWad: WAD,
            quoteDecimals: 6n,
            tickSize: 10n,
            maxPremiumPpm: clampPpm,
            impactNotionalUsd: 10_000n,
          });
          model = { premium: smoothPremium(model.premium, model.target, t - model.at, clampPpm, 60n), target: want.target, at: t };
          expect([st.target, st.countedTick, st.countedSide]).to.deep.equal([want.target, want.countedTick, want.countedSide]);
          if (want.target !== 0n) counted++;
        }
        const premiumNow = smoothPremium(model.premium, model.target, (await now(f)) - model.at, clampPpm, 60n);
        expect(st.premiumNow).to.equal(premiumNow);
        expect(markLot).to.equal(markLotWad(indexLot, premiumNow));
      }
      expect(counted).to.be.greaterThan(0); // the walk ran on books beyond the index
    });
  }
});
