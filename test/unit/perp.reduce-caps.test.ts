// Reduce-only orders (checked at placement against the live position, and at every fill: a resting
// reduce-only maker is trimmed or cancelled when the position shrank), the per-account position
// cap and the market's open-interest cap.
import { expect } from "chai";
import { OrderKind, Side } from "../../sdk/src/math/order.ts";
import type { PerpMarket } from "../../scripts/lib/market.ts";
import { E6, extraPerp, place, usePerpFixture, type PFx } from "./perp._helpers.ts";
import { acctOf, deposit, mined } from "./margin._helpers.ts";
import { allOpenOrders } from "../helpers/openOrders.ts";

async function funded(f: PFx, over: Parameters<typeof extraPerp>[1] = {}): Promise<PerpMarket> {
  const m = await extraPerp(f, { interestPpmPerHour: 0n, ...over });
  for (const s of [f.alice, f.bob, f.carol, f.dave]) await deposit(f, s, f.U, 100_000n * E6);
  return m;
}

/** alice long 10 from bob at $3,000. */
async function aliceLong(f: PFx, m: PerpMarket) {
  await place(m, f.bob, { side: Side.Ask, tick: 300_000n, lots: 10n });
  await place(m, f.alice, { side: Side.Bid, tick: 300_000n, lots: 10n, kind: OrderKind.Ioc });
}

describe("PerpMarket: reduce-only", () => {
  const fx = usePerpFixture();

  it("at placement: rejected on a flat account, on the growing side and beyond the position", async () => {
    const f = fx();
    const m = await funded(f);
    const A = acctOf(f.alice);
    await expect(place(m, f.alice, { side: Side.Bid, tick: 290_000n, lots: 1n, reduceOnly: true }))
      .to.be.revertedWithCustomError(m, "ReduceOnlyViolated").withArgs(0n, 0n, 1n);
    await aliceLong(f, m);
    await expect(place(m, f.alice, { side: Side.Bid, tick: 290_000n, lots: 1n, reduceOnly: true }))
      .to.be.revertedWithCustomError(m, "ReduceOnlyViolated").withArgs(10n, 0n, 1n);
    await expect(place(m, f.alice, { side: Side.Ask, tick: 310_000n, lots: 11n, reduceOnly: true }))
      .to.be.revertedWithCustomError(m, "ReduceOnlyViolated").withArgs(10n, 1n, 11n);
    // the whole position is fine, resting
    await place(m, f.alice, { side: Side.Ask, tick: 310_000n, lots: 10n, reduceOnly: true });
    expect((await m.positionOf(A)).askLots).to.equal(10n);
    // a short's reduce-only is a bid
    await place(m, f.carol, { side: Side.Bid, tick: 299_000n, lots: 5n });
    await place(m, f.dave, { side: Side.Ask, tick: 299_000n, lots: 5n, kind: OrderKind.Ioc });
    await expect(place(m, f.dave, { side: Side.Ask, tick: 320_000n, lots: 1n, reduceOnly: true }))
      .to.be.revertedWithCustomError(m, "ReduceOnlyViolated").withArgs(-5n, 1n, 1n);
    await place(m, f.dave, { side: Side.Bid, tick: 290_000n, lots: 5n, reduceOnly: true });
    expect((await m.positionOf(acctOf(f.dave))).bidLots).to.equal(5n);
  });

  it("a reduce-only taker order closes the position", async () => {
    const f = fx();
    const m = await funded(f);
    await aliceLong(f, m);
    await place(m, f.carol, { side: Side.Bid, tick: 300_000n, lots: 20n });
    await place(m, f.alice, { side: Side.Ask, tick: 300_000n, lots: 10n, kind: OrderKind.Ioc, reduceOnly: true });
    expect((await m.positionOf(acctOf(f.alice))).sizeLots).to.equal(0n);
    expect((await m.positionOf(acctOf(f.carol))).sizeLots).to.equal(10n);
  });

  it("at fill: a resting reduce-only order is trimmed to the position that shrank since", async () => {
    const f = fx();
    const m = await funded(f);
    const A = acctOf(f.alice);
    await aliceLong(f, m);
    await place(m, f.alice, { side: Side.Ask, tick: 310_000n, lots: 10n, reduceOnly: true });
    const [id] = await allOpenOrders(m, f.alice.address, 0);
    // alice sells 6 elsewhere: long 4, her reduce-only ask still says 10
    await place(m, f.carol, { side: Side.Bid, tick: 300_000n, lots: 6n });
    await place(m, f.alice, { side: Side.Ask, tick: 300_000n, lots: 6n, kind: OrderKind.Ioc });
    expect((await m.positionOf(A)).sizeLots).to.equal(4n);
    expect((await m.positionOf(A)).askLots).to.equal(10n);
    // dave buys 10: only 4 come from alice's order, trimmed; she ends flat, never short
    await expect(place(m, f.dave, { side: Side.Bid, tick: 310_000n, lots: 10n, kind: OrderKind.Ioc }))
      .to.emit(m, "OrderAmended").withArgs(m.marketId, id, 4n);
    const p = await m.positionOf(A);
    expect([p.sizeLots, p.askLots, p.bidLots]).to.deep.equal([0n, 0n, 0n]);
    expect((await allOpenOrders(m, f.alice.address, 0)).length).to.equal(0);
    expect((await m.positionOf(acctOf(f.dave))).sizeLots).to.equal(4n);
    expect(await m.bestBidAsk()).to.deep.equal([0n, 0n]);
  });

  it("at fill: a reduce-only order whose position closed is cancelled and the taker goes on to the next maker", async () => {
    const f = fx();
    const m = await funded(f);
    await aliceLong(f, m);
    await place(m, f.alice, { side: Side.Ask, tick: 310_000n, lots: 10n, reduceOnly: true });
    const [id] = await allOpenOrders(m, f.alice.address, 0);
    await place(m, f.bob, { side: Side.Ask, tick: 310_000n, lots: 3n }); // behind alice in the queue
    await place(m, f.carol, { side: Side.Bid, tick: 300_000n, lots: 10n });
    await place(m, f.alice, { side: Side.Ask, tick: 300_000n, lots: 10n, kind: OrderKind.Ioc });
    await expect(place(m, f.dave, { side: Side.Bid, tick: 310_000n, lots: 5n, kind: OrderKind.Ioc }))
      .to.emit(m, "OrderCancelled").withArgs(m.marketId, id, 10n);
    expect((await m.positionOf(acctOf(f.alice))).sizeLots).to.equal(0n);
    expect((await m.positionOf(acctOf(f.alice))).askLots).to.equal(0n);
    expect((await m.positionOf(acctOf(f.dave))).sizeLots).to.equal(3n);
    expect((await m.positionOf(acctOf(f.bob))).sizeLots).to.equal(-13n);
  });
});

describe("PerpMarket: position and open-interest caps", () => {
  const fx = usePerpFixture();

  it("PositionCap counts every open order on the side as filled", async () => {
    const f = fx();
    const m = await funded(f, { positionCapLots: 15n });
    await expect(place(m, f.alice, { side: Side.Bid, tick: 290_000n, lots: 16n }))
      .to.be.revertedWithCustomError(m, "PositionCap").withArgs(16n, 15n);
    await place(m, f.alice, { side: Side.Bid, tick: 290_000n, lots: 10n });
    await expect(place(m, f.alice, { side: Side.Bid, tick: 280_000n, lots: 6n }))
      .to.be.revertedWithCustomError(m, "PositionCap").withArgs(16n, 15n);
    await place(m, f.alice, { side: Side.Bid, tick: 280_000n, lots: 5n });
    // asks count on their own side: short 15 worst case from flat
    await expect(place(m, f.alice, { side: Side.Ask, tick: 310_000n, lots: 16n }))
      .to.be.revertedWithCustomError(m, "PositionCap").withArgs(16n, 15n);
    // filled to the cap, it may still reduce
    await place(m, f.bob, { side: Side.Ask, tick: 290_000n, lots: 10n, kind: OrderKind.Ioc });
    await place(m, f.bob, { side: Side.Ask, tick: 280_000n, lots: 5n, kind: OrderKind.Ioc });
    expect((await m.positionOf(acctOf(f.alice))).sizeLots).to.equal(15n);
    await expect(place(m, f.alice, { side: Side.Bid, tick: 280_000n, lots: 1n }))
      .to.be.revertedWithCustomError(m, "PositionCap").withArgs(16n, 15n);
    await place(m, f.carol, { side: Side.Bid, tick: 300_000n, lots: 15n });
    await place(m, f.alice, { side: Side.Ask, tick: 300_000n, lots: 15n, kind: OrderKind.Ioc });
    expect((await m.positionOf(acctOf(f.alice))).sizeLots).to.equal(0n);
  });

  it("OpenInterestCap: a fill that takes long open interest above the cap reverts; reducing it is fine", async () => {
    const f = fx();
    const m = await funded(f, { oiCapLots: 20n, positionCapLots: 15n });
    await place(m, f.bob, { side: Side.Ask, tick: 300_000n, lots: 15n });
    await place(m, f.alice, { side: Side.Bid, tick: 300_000n, lots: 15n, kind: OrderKind.Ioc });
    expect((await m.openInterest()).longLots).to.equal(15n);
    await place(m, f.dave, { side: Side.Ask, tick: 300_000n, lots: 10n });
    await expect(place(m, f.carol, { side: Side.Bid, tick: 300_000n, lots: 10n, kind: OrderKind.Ioc }))
      .to.be.revertedWithCustomError(m, "OpenInterestCap").withArgs(25n, 20n);
    await place(m, f.carol, { side: Side.Bid, tick: 300_000n, lots: 5n, kind: OrderKind.Ioc });
    expect((await m.openInterest()).longLots).to.equal(20n);
    // at the cap, a long changing hands (alice sells to carol) leaves it at 20 and passes
    await mined(m.connect(f.dave).cancelAll(f.dave.address, 0, [...(await allOpenOrders(m, f.dave.address, 0))]));
    await place(m, f.carol, { side: Side.Bid, tick: 300_000n, lots: 5n });
    await place(m, f.alice, { side: Side.Ask, tick: 300_000n, lots: 5n, kind: OrderKind.Ioc });
    expect((await m.openInterest()).longLots).to.equal(20n);
    // a long closing against a short closing lowers it: alice sells 5 to bob (short 15)
    await place(m, f.bob, { side: Side.Bid, tick: 300_000n, lots: 5n });
    await place(m, f.alice, { side: Side.Ask, tick: 300_000n, lots: 5n, kind: OrderKind.Ioc });
    expect((await m.openInterest()).longLots).to.equal(15n);
    const sizes = await Promise.all([f.alice, f.bob, f.carol, f.dave].map(async (s) => (await m.positionOf(acctOf(s))).sizeLots));
    expect(sizes).to.deep.equal([5n, -10n, 10n, -5n]);
  });
});
