// Funding and the mark: the book's impact premium over the oracle index (bounded, smoothed:
// test/unit/perp.premium.test.ts), the rate formula premium + clamp(interest − premium, ±clamp)
// capped, the cumulative index over simulated hours, payers rounded up, Σ paid − Σ received =
// dust ≥ 0. Quotes are the whole impact size (3,334 lots = $10,002), and the smoothed premium is
// given its ramp (two half-lives per clamp) before funding is measured, so the premium is the
// target. Every transaction lands at a pinned timestamp so the expected figures are computed here,
// independently, in bigint.
import { expect } from "chai";
import { OrderKind, Side } from "../../sdk/src/math/order.ts";
import type { PerpMarket } from "../../scripts/lib/market.ts";
import { markLotWad } from "../../sdk/src/math/perp.ts";
import { E6, at, extraPerp, place, usePerpFixture, type PFx } from "./perp._helpers.ts";
import { WAD, acctOf, deposit, mined, now, setPrice } from "./margin._helpers.ts";
import { allOpenOrders } from "../helpers/openOrders.ts";

const PPM = 1_000_000n;
const HOUR = 3_600n;
const INDEX_LOT = 3_000_000n * WAD; // $3 per 0.001 WETH lot in USDC atoms, × 1e18
const MAX_PREMIUM = 7_500n; // 75 bps (the default premium bound, docs/RISK.md "Parameter bounds")
const INTEREST = 12n;
const CLAMP = 500n;
const CAP = 40_000n;

const clamp = (x: bigint, lo: bigint, hi: bigint) => (x < lo ? lo : x > hi ? hi : x);
/** Impact quotes: at least $10,000 at each price. */
const IMPACT_LOTS = 3_334n;
/** The impact premium in ppm of full-impact quotes: the bid's distance above the index or the ask's
 *  below it (0 otherwise), bounded, truncated toward zero. */
const premiumOf = (bidTick: bigint, askTick: bigint, indexLot = INDEX_LOT) => {
  const bid = bidTick * 10n * WAD;
  const ask = askTick * 10n * WAD;
  if (bid > indexLot) return clamp(((bid - indexLot) * PPM) / indexLot, 0n, MAX_PREMIUM);
  if (ask < indexLot) return -clamp(((indexLot - ask) * PPM) / indexLot, 0n, MAX_PREMIUM);
  return 0n;
};
const rateOf = (premium: bigint, cap = CAP) => clamp(premium + clamp(INTEREST - premium, -CLAMP, CLAMP), -cap, cap);
/** Index change per second, quote atoms × 1e9 per lot. */
const perSecOf = (rate: bigint, indexLot = INDEX_LOT) => (rate * indexLot) / (PPM * HOUR * 10n ** 9n);
/** size × ΔF / 1e9 rounded toward +∞ (a payer pays the dust). */
const owedOf = (size: bigint, dF: bigint) => {
  const x = size * dF;
  const q = x / 10n ** 9n;
  return x > 0n && x % 10n ** 9n !== 0n ? q + 1n : q;
};

/** alice long 10, bob short 10 at $3,000, then carol and dave quote `bid`/`ask` (the impact size
 *  each); after the premium's ramp (two half-lives) a call re-samples and alice and bob settle, at `t0`. */
async function book(f: PFx, m: PerpMarket, bid: bigint, ask: bigint): Promise<bigint> {
  for (const s of [f.alice, f.bob, f.carol, f.dave]) await deposit(f, s, f.U, 100_000n * E6);
  const ts = (await now(f)) + 10n;
  await at(f, ts);
  await place(m, f.bob, { side: Side.Ask, tick: 300_000n, lots: 10n });
  await at(f, ts);
  await place(m, f.alice, { side: Side.Bid, tick: 300_000n, lots: 10n, kind: OrderKind.Ioc });
  await at(f, ts);
  await place(m, f.carol, { side: Side.Bid, tick: bid, lots: IMPACT_LOTS });
  await at(f, ts);
  await place(m, f.dave, { side: Side.Ask, tick: ask, lots: IMPACT_LOTS });
  const t0 = ts + 121n;
  await at(f, t0);
  await place(m, f.dave, { side: Side.Ask, tick: ask + 1_000n, lots: 1n }); // a minute on: re-samples
  for (const s of [f.alice, f.bob]) {
    await at(f, t0);
    await mined(m.settle(s.address, 0));
  }
  return t0;
}

/** Settles alice and bob at `t1`; returns their USDC balance changes. */
async function settleBoth(f: PFx, m: PerpMarket, t1: bigint): Promise<[bigint, bigint]> {
  const before = [await f.ch.balanceOf(acctOf(f.alice), f.U), await f.ch.balanceOf(acctOf(f.bob), f.U)];
  await at(f, t1);
  await mined(m.settle(f.alice.address, 0));
  await at(f, t1);
  await mined(m.settle(f.bob.address, 0));
  return [
    (await f.ch.balanceOf(acctOf(f.alice), f.U)) - before[0],
    (await f.ch.balanceOf(acctOf(f.bob), f.U)) - before[1],
  ];
}

describe("PerpMarket: funding and mark", () => {
  const fx = usePerpFixture();

  it("bids over the index: longs pay shorts over 3 hours; payer rounded up, dust = paid − received", async () => {
    const f = fx();
    const m = f.ethPerp;
    const t0 = await book(f, m, 301_500n, 302_500n);
    const premium = premiumOf(301_500n, 302_500n);
    expect(premium).to.equal(5_000n);
    const rate = rateOf(premium);
    expect(rate).to.equal(4_500n); // the clamp holds interest − premium to −500
    const fr = await m.funding();
    expect([fr.ratePpmPerHour, fr.premiumPpm, fr.lastUpdate]).to.deep.equal([rate, premium, t0]);
    const [indexLot, markLot] = await m.markPrice();
    expect(indexLot).to.equal(INDEX_LOT);
    expect(markLot).to.equal((INDEX_LOT * (PPM + premium)) / PPM);

    const t1 = t0 + 3n * HOUR;
    const F0 = (await m.funding()).cumulative;
    await f.networkHelpers.time.increaseTo(t1);
    const dF = perSecOf(rate) * 3n * HOUR;
    expect((await m.funding()).cumulative - F0).to.equal(dF);
    const pays = owedOf(10n, dF);
    const gets = owedOf(-10n, dF);
    expect(pays).to.equal(405_000n); // 10 lots × $3 × 0.45% × 3 h
    expect(gets).to.equal(-405_000n);
    expect((await m.positionOf(acctOf(f.alice))).fundingOwedAtoms).to.equal(pays);
    expect((await m.positionOf(acctOf(f.bob))).fundingOwedAtoms).to.equal(gets);
    expect(await settleBoth(f, m, t1)).to.deep.equal([-pays, -gets]);
    const oi = await m.openInterest();
    expect(oi.fundingPaid - oi.fundingReceived).to.be.within(0n, 2n); // payer's dust, from the ramp's settle too
    // settled: nothing owed until the index moves again
    expect((await m.positionOf(acctOf(f.alice))).fundingOwedAtoms).to.equal(0n);
  });

  it("asks under the index: shorts pay longs", async () => {
    const f = fx();
    const m = f.ethPerp;
    const t0 = await book(f, m, 297_000n, 298_000n);
    const premium = premiumOf(297_000n, 298_000n);
    expect(premium).to.equal(-6_666n);
    const rate = rateOf(premium);
    expect(rate).to.equal(-6_166n);
    expect((await m.funding()).ratePpmPerHour).to.equal(rate);
    const dt = 2n * HOUR + 7n;
    const dF = perSecOf(rate) * dt;
    const pays = owedOf(-10n, dF);
    const gets = owedOf(10n, dF);
    expect(pays).to.be.greaterThan(0n);
    expect(pays + gets).to.equal(1n);
    const paid0 = (await m.openInterest()).fundingPaid;
    const [dA, dB] = await settleBoth(f, m, t0 + dt);
    expect([dA, dB]).to.deep.equal([-gets, -pays]);
    const oi = await m.openInterest();
    expect(oi.fundingPaid - paid0).to.equal(pays);
  });

  it("with a one-sided book the premium is 0 and the rate is the interest part", async () => {
    const f = fx();
    const m = f.ethPerp;
    for (const s of [f.alice, f.bob]) await deposit(f, s, f.U, 100_000n * E6);
    const t0 = (await now(f)) + 5n;
    await at(f, t0);
    await place(m, f.bob, { side: Side.Ask, tick: 300_000n, lots: 20n });
    await at(f, t0);
    await place(m, f.alice, { side: Side.Bid, tick: 300_000n, lots: 10n, kind: OrderKind.Ioc });
    const fr = await m.funding();
    expect([fr.premiumPpm, fr.ratePpmPerHour]).to.deep.equal([0n, INTEREST]);
    const [dA, dB] = await settleBoth(f, m, t0 + 10n * HOUR);
    const dF = perSecOf(INTEREST) * 10n * HOUR; // 12 ppm of $3 per lot per hour = 0.36 atoms... × 10 h
    expect([dA, dB]).to.deep.equal([-owedOf(10n, dF), -owedOf(-10n, dF)]);
    expect(dA).to.equal(-3_600n); // 10 lots × 3,000,000 atoms × 12 ppm × 10 h
  });

  it("the rate formula: interest inside the clamp, the clamp, the premium bound and the cap", async () => {
    const f = fx();
    const m = f.ethPerp;
    const capped = await extraPerp(f, { fundingCapPpm: 2_000n });
    for (const s of [f.carol, f.dave, f.bob]) await deposit(f, s, f.U, 100_000n * E6);
    const cases: [bigint, bigint][] = [
      [299_990n, 300_010n], // premium 0: rate 12, the interest
      [300_800n, 301_000n], // premium 2,666: rate 2,166
      [330_000n, 340_000n], // premium bounded at +0.75% (the default clamp): rate 7,000
      [250_000n, 260_000n], // bounded at −0.75%: rate −7,000
    ];
    for (const [bid, ask] of cases) {
      for (const mk of [m, capped]) {
        await mined(mk.connect(f.carol).cancelAll(f.carol.address, 0, [...(await allOpenOrders(mk, f.carol.address, 0))]));
        await mined(mk.connect(f.dave).cancelAll(f.dave.address, 0, [...(await allOpenOrders(mk, f.dave.address, 0))]));
        await place(mk, f.carol, { side: Side.Bid, tick: bid, lots: IMPACT_LOTS });
        await place(mk, f.dave, { side: Side.Ask, tick: ask, lots: IMPACT_LOTS });
      }
      // from one clamp to the other takes four half-lives; then a call re-samples
      await f.networkHelpers.time.increase(241n);
      for (const mk of [m, capped]) await place(mk, f.bob, { side: Side.Bid, tick: 1n, lots: 1n });
      const premium = premiumOf(bid, ask);
      const fr = await m.funding();
      expect([fr.premiumPpm, fr.ratePpmPerHour]).to.deep.equal([premium, rateOf(premium)]);
      const fc = await capped.funding();
      expect([fc.premiumPpm, fc.ratePpmPerHour]).to.deep.equal([premium, rateOf(premium, 2_000n)]);
      const [indexLot, markLot] = await m.markPrice();
      const st = await m.premiumState();
      expect(st.premiumNow / 10_000n).to.equal(premium); // the target, in 1e-10 of the index
      expect(markLot).to.equal(markLotWad(indexLot, st.premiumNow));
    }
    expect(rateOf(premiumOf(299_990n, 300_010n))).to.equal(12n);
    expect(rateOf(premiumOf(330_000n, 340_000n))).to.equal(7_000n);
    expect(rateOf(premiumOf(330_000n, 340_000n), 2_000n)).to.equal(2_000n);
    // the mark stays within 0.75% of the index however far the book runs
    const [indexLot, markLot] = await m.markPrice();
    expect(markLot).to.equal((indexLot * 992_500n) / PPM);
  });

  it("the index follows the oracle at the next update; funding before it accrues at the old rate", async () => {
    const f = fx();
    const m = f.ethPerp;
    const t0 = await book(f, m, 301_500n, 302_500n);
    const F0 = (await m.funding()).cumulative;
    const r0 = rateOf(premiumOf(301_500n, 302_500n));
    // one hour later ETH is $3,300: the carol/dave quotes are now 8.5% under the index
    const t1 = t0 + HOUR;
    await f.networkHelpers.time.increaseTo(t1 - 5n);
    await setPrice(f, f.W, 3_300n * WAD);
    await setPrice(f, f.U, WAD);
    await at(f, t1);
    await place(m, f.carol, { side: Side.Bid, tick: 301_400n, lots: 1n }); // an update at t1
    const index1 = (INDEX_LOT * 11n) / 10n;
    const p1 = premiumOf(301_500n, 302_500n, index1);
    expect(p1).to.equal(-MAX_PREMIUM);
    // the smoothed premium is still the old one at t1 (the new target counts from then on)
    let fr = await m.funding();
    expect(fr.ratePpmPerHour).to.equal(r0);
    expect(fr.cumulative - F0).to.equal(perSecOf(r0) * HOUR);
    expect((await m.markPrice())[0]).to.equal(index1);
    // four half-lives on (the 0.75% clamp moves 62.5 ppm a second), the mark's premium is at −0.75%;
    // the next call takes the rate there
    const t2 = t1 + 240n;
    await at(f, t2);
    await place(m, f.carol, { side: Side.Bid, tick: 301_300n, lots: 1n });
    fr = await m.funding();
    expect([fr.premiumPpm, fr.ratePpmPerHour]).to.deep.equal([p1, rateOf(p1)]);
    // two hours at the new rate: longs now receive
    const t3 = t2 + 2n * HOUR;
    await f.networkHelpers.time.increaseTo(t3);
    const dF = perSecOf(r0) * HOUR + perSecOf(r0, index1) * 240n + perSecOf(rateOf(p1), index1) * 2n * HOUR;
    expect((await m.funding()).cumulative - F0).to.equal(dF);
    expect((await m.positionOf(acctOf(f.alice))).fundingOwedAtoms).to.equal(owedOf(10n, dF));
    expect(owedOf(10n, dF)).to.be.lessThan(0n);
  });
});
