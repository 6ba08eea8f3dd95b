// The mark's premium (docs/PERPS.md, "Mark price and funding"): governance of its parameters, the
// impact walk, the rate-limited smoothing, and the quote-decimals bound that keeps the funding
// index (int96) from overflowing (issue #13 items 5 and 7). Expected figures computed here.
import { expect } from "chai";
import { createPerpMarket } from "../../scripts/lib/deploy-perp.ts";
import { deployToken } from "../../scripts/lib/deploy.ts";
import { OrderKind, Side } from "../../sdk/src/math/order.ts";
import { impactPremium, smoothPremium, markLotWad, PREMIUM_SCALE } from "../../sdk/src/math/perp.ts";
import { E6, ETH_PERP, at, place, usePerpFixture } from "./perp._helpers.ts";
import { WAD, deposit, mined, now } from "./margin._helpers.ts";

const INDEX_LOT = 3_000_000n * WAD; // $3 per lot, USDC atoms × 1e18

/** The default premium clamp (75 bps, scripts/lib/deploy-perp.ts; docs/RISK.md "Parameter bounds"). */
const CLAMP_PPM = 7_500n;

describe("PerpMarket: premium at impact size, smoothed", () => {
  const fx = usePerpFixture();

  it("setPremiumParams: governance only (AccessManagedUnauthorized), within hard bounds (InvalidPremiumParams)", async () => {
    const f = fx();
    const m = f.ethPerp;
    const st = await m.premiumState();
    expect([st.impactNotionalUsd, st.halfLifeSeconds]).to.deep.equal([10_000n, 60n]);
    await expect(m.connect(f.alice).setPremiumParams(20_000n, 120n))
      .to.be.revertedWithCustomError(f.ch, "AccessManagedUnauthorized")
      .withArgs(f.alice.address);
    for (const [usd, h] of [[99n, 60n], [100_000_001n, 60n], [10_000n, 9n], [10_000n, 3_601n], [0n, 0n]]) {
      await expect(m.connect(f.admin).setPremiumParams(usd, h)).to.be.revertedWithCustomError(m, "InvalidPremiumParams").withArgs(usd, h);
    }
    await expect(m.connect(f.admin).setPremiumParams(100n, 10n)).to.emit(m, "PremiumParamsSet").withArgs(m.marketId, 100n, 10n);
    await expect(m.connect(f.admin).setPremiumParams(100_000_000n, 3_600n)).to.emit(m, "PremiumParamsSet");
    const back = await m.premiumState();
    expect([back.impactNotionalUsd, back.halfLifeSeconds]).to.deep.equal([100_000_000n, 3_600n]);
  });

  it("the target is the impact premium of the book (SDK copy), the mark moves toward it at the rate limit", async () => {
    const f = fx();
    const m = f.ethPerp;
    for (const s of [f.alice, f.bob, f.carol]) await deposit(f, s, f.U, 200_000n * E6);
    // asks 2% over; bids over the index at three levels, one beyond the clamp (counted at the clamp)
    await place(m, f.bob, { side: Side.Ask, tick: 306_000n, lots: 50n });
    await place(m, f.alice, { side: Side.Bid, tick: 299_000n, lots: 500n }); // below the index: not counted
    await place(m, f.carol, { side: Side.Bid, tick: 301_500n, lots: 700n });
    await place(m, f.carol, { side: Side.Bid, tick: 302_000n, lots: 600n });
    const t0 = (await now(f)) + 5n;
    await at(f, t0);
    await place(m, f.alice, { side: Side.Bid, tick: 304_000n, lots: 900n }); // +1.33%: the clamp counts
    const book = await m.getBook(20n);
    const sdk = impactPremium({
      bids: { ticks: book.bidTicks, lots: book.bidLots },
      asks: { ticks: book.askTicks, lots: book.askLots },
      indexLotWad: INDEX_LOT,
      quotePriceWad: WAD,
      quoteDecimals: 6n,
      tickSize: 10n,
      maxPremiumPpm: CLAMP_PPM,
      impactNotionalUsd: 10_000n,
    });
    // by hand: 900 × $22.5 (the 0.75% clamp) + 600 × $20 + 700 × $15 = $42,750 ... per lot × 0.001:
    // 20.25 + 12 + 10.5 = $42.75 over $10,000
    expect(sdk.target).to.equal((4_275n * PREMIUM_SCALE) / 1_000_000n);
    const st = await m.premiumState();
    expect([st.target, st.countedTick, st.countedSide, st.lastUpdate]).to.deep.equal([sdk.target, 301_500n, 0n, t0]);
    expect(st.premiumNow).to.equal(st.premiumAtUpdate); // in its block
    const s0 = st.premiumAtUpdate; // where the earlier bids' samples had moved it
    expect(s0).to.be.lessThan(sdk.target);
    for (const dt of [1n, 17n, 59n, 600n]) {
      await f.networkHelpers.time.increaseTo(t0 + dt);
      const want = smoothPremium(s0, sdk.target, dt, CLAMP_PPM, 60n);
      expect((await m.premiumState()).premiumNow).to.equal(want);
      const [indexLot, markLot] = await m.markPrice();
      expect(markLot).to.equal(markLotWad(indexLot, want));
    }
    // from the index, at 62.5 ppm a second, the smoothed premium would reach the target (0.4275%)
    // after 68.4 s, no sooner
    expect(smoothPremium(0n, sdk.target, 68n, CLAMP_PPM, 60n)).to.be.lessThan(sdk.target);
    expect(smoothPremium(0n, sdk.target, 69n, CLAMP_PPM, 60n)).to.equal(sdk.target);
  });

  it("a removal of counted lots re-samples on every path: amend, cancel, take", async () => {
    const f = fx();
    const m = f.ethPerp;
    for (const s of [f.alice, f.bob, f.carol, f.dave]) await deposit(f, s, f.U, 200_000n * E6);
    await place(m, f.bob, { side: Side.Ask, tick: 306_000n, lots: 50n });
    await place(m, f.alice, { side: Side.Bid, tick: 303_000n, lots: 1n });
    const t0 = (await now(f)) + 61n;
    await at(f, t0); // a minute on: joining the level samples it
    const rc = await place(m, f.carol, { side: Side.Bid, tick: 303_000n, lots: 2_000n });
    const id = m.interface.parseLog(rc.logs.find((l) => m.interface.parseLog(l)?.name === "OrderPlaced")!)!.args.orderId;
    // the target for `n` lots at +1%, counted at the 0.75% clamp ($22.5 a lot over the index... × 0.001), of $10,000
    const of = (n: bigint) => (n * 22_500n * PREMIUM_SCALE) / (10_000n * E6);
    const target = async () => (await m.premiumState()).target;
    expect(await target()).to.equal(of(2_001n));
    await place(m, f.dave, { side: Side.Bid, tick: 303_000n, lots: 1n }); // joins: adding is not sampled
    expect(await target()).to.equal(of(2_001n));
    await mined(m.connect(f.carol).amendOrder(id, 1_000n));
    expect(await target()).to.equal(of(1_002n));
    // a sell of 400 lots into the bids (a take that leaves the best level standing)
    await place(m, f.bob, { side: Side.Ask, tick: 303_000n, lots: 400n, kind: OrderKind.Ioc });
    expect(await target()).to.equal(of(602n));
    await mined(m.connect(f.carol).cancelOrder(id)); // the lean cancel path: dave's lot stays
    expect(await target()).to.equal(of(1n));
  });

  it("with no usable oracle price a sample sets the target to the index (a removal leaves nothing counted)", async () => {
    const f = fx();
    const m = f.ethPerp;
    for (const s of [f.alice, f.bob, f.carol]) await deposit(f, s, f.U, 200_000n * E6);
    await place(m, f.bob, { side: Side.Ask, tick: 306_000n, lots: 50n });
    await place(m, f.alice, { side: Side.Bid, tick: 303_000n, lots: 1n });
    const rc = await place(m, f.carol, { side: Side.Bid, tick: 303_000n, lots: 2_000n });
    const id = m.interface.parseLog(rc.logs.find((l) => m.interface.parseLog(l)?.name === "OrderPlaced")!)!.args.orderId;
    await f.networkHelpers.time.increase(61n);
    await place(m, f.alice, { side: Side.Bid, tick: 303_000n, lots: 1n }); // a minute on: sampled
    expect((await m.premiumState()).target).to.equal((2_002n * 22_500n * PREMIUM_SCALE) / (10_000n * E6) /* +1% counted at the 0.75% clamp */);
    await f.networkHelpers.time.increase(3_601n); // the admin feeds go stale
    await mined(m.connect(f.carol).cancelOrder(id));
    const st = await m.premiumState();
    expect([st.target, st.countedTick]).to.deep.equal([0n, 0n]);
  });

  it("funding counters: a quote with more than 8 decimals is refused at listing (QuoteDecimalsUnsupported)", async () => {
    const f = fx();
    // today's units: the index F (int96, quote atoms × 1e9 per lot) grows rate × lot value × 1e9 per
    // hour. A 0.001 WETH lot at $3,000 in an 18-decimal quote is 3e18 atoms: at the 4%/h cap F passes
    // 2^95 in 330 hours; in a 24-decimal quote in about a second. Σ funding paid (80 bits) overflows at
    // 1.2 tokens of a 24-decimal quote. Either would revert every fill: positions could not close.
    const INT96 = 2n ** 95n;
    const hoursToOverflow = (quoteDecimals: bigint, capPpm: bigint) =>
      INT96 / ((capPpm * 3n * 10n ** quoteDecimals * 10n ** 9n) / 1_000_000n);
    expect(hoursToOverflow(18n, 40_000n)).to.be.lessThan(24n * 365n);
    expect(hoursToOverflow(24n, 40_000n)).to.equal(0n);
    // at the bound (8 decimals), a lot worth $1,000,000 at the 10%/h hard cap: over 450 years
    expect(INT96 / ((100_000n * 10n ** 14n * 10n ** 9n) / 1_000_000n)).to.be.greaterThan(450n * 24n * 365n);
    for (const d of [18, 24, 9]) {
      const q = await deployToken(f.admin, "Q", "Q", d);
      await mined(f.ch.listAsset(await q.getAddress()));
      await expect(createPerpMarket(f.protocol, { underlying: f.W, quote: await q.getAddress(), ...ETH_PERP }))
        .to.be.revertedWithCustomError(f.ch, "QuoteDecimalsUnsupported")
        .withArgs(BigInt(d), 8n);
    }
    const q8 = await deployToken(f.admin, "Q", "Q", 8);
    await mined(f.ch.listAsset(await q8.getAddress()));
    const m8 = await createPerpMarket(f.protocol, { underlying: f.W, quote: await q8.getAddress(), ...ETH_PERP });
    expect((await m8.perpParams()).quote).to.equal(await q8.getAddress());
  });
});
