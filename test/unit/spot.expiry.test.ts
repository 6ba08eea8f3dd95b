import { expect } from "chai";
import { WETH_LOT, USDC_TICK } from "../helpers/fixture.ts";
import { bidLockPerLot, decodeFill, mined, OrderKind, parseMarketLogs, place, placeOp, pocket, Side, useFixture } from "./_helpers.ts";

describe("SpotMarket: expired orders (skipped in matching) and purgeExpired", () => {
  const fx = useFixture();

  async function now(): Promise<bigint> {
    return BigInt(await fx().connection.networkHelpers.time.latest());
  }

  it("matching skips an expired maker, removes it with OrderExpired and returns its funds to its pocket", async () => {
    const { market, alice, bob, carol, connection } = fx();
    const expiry = (await now()) + 100n;
    const stale = await place(market, bob, { side: Side.Ask, tick: 100_000n, lots: 3n, expiry });
    const live = await place(market, carol, { side: Side.Ask, tick: 100_000n, lots: 3n });
    await connection.networkHelpers.time.increaseTo(expiry);
    const r = await place(market, alice, { side: Side.Bid, tick: 100_000n, lots: 2n, kind: OrderKind.Ioc });
    expect(r.expired).to.deep.equal([{ orderId: stale.orderId, lots: 3n }]);
    expect(r.trade!.fills.map(decodeFill).map((f) => f.makerOrderId)).to.deep.equal([live.orderId]);
    expect(await pocket(market, bob)).to.deep.equal({ lockedBase: 0n, lockedQuote: 0n, unsweptBase: 3n * WETH_LOT, unsweptQuote: 0n, openOrders: 0n });
    expect((await market.getOrder(stale.orderId))[1]).to.equal(0n);
    expect((await market.levelOf(Side.Ask, 100_000n))[0]).to.equal(1n);
  });

  it("a level holding only expired orders is emptied and matching moves on to the next level", async () => {
    const { market, alice, bob, carol, connection } = fx();
    const expiry = (await now()) + 50n;
    await place(market, bob, { side: Side.Bid, tick: 200_000n, lots: 2n, expiry });
    await place(market, carol, { side: Side.Bid, tick: 199_000n, lots: 2n });
    await connection.networkHelpers.time.increaseTo(expiry + 1n);
    const r = await place(market, alice, { side: Side.Ask, tick: 199_000n, lots: 1n, kind: OrderKind.Ioc });
    expect(r.expired.length).to.equal(1);
    expect(r.trade!.filled).to.equal(1n);
    expect(r.trade!.notional).to.equal(199_000n);
    expect(await market.bestBidAsk()).to.deep.equal([199_000n, 0n]);
    const p = await pocket(market, bob);
    expect([p.lockedQuote, p.unsweptQuote]).to.deep.equal([0n, 2n * bidLockPerLot(200_000n, 2n) * USDC_TICK]);
  });

  it("one taker steps over at most 64 dead entries; the rest wait for the next call or a purge", async () => {
    const { market, alice, bob, carol, dave, connection } = fx();
    const expiry = (await now()) + 1000n;
    const ops = Array.from({ length: 64 }, () => placeOp({ side: Side.Ask, tick: 100n, lots: 1n, expiry }));
    await mined(market.connect(bob).batch(bob.address, 0, ops));
    await place(market, carol, { side: Side.Ask, tick: 100n, lots: 1n, expiry });
    await place(market, dave, { side: Side.Ask, tick: 100n, lots: 1n });
    await connection.networkHelpers.time.increaseTo(expiry);
    const first = await place(market, alice, { side: Side.Bid, tick: 100n, lots: 1n, kind: OrderKind.Ioc });
    expect(first.expired.length).to.equal(64);
    expect(first.trade).to.equal(undefined);
    const second = await place(market, alice, { side: Side.Bid, tick: 100n, lots: 1n, kind: OrderKind.Ioc });
    expect(second.expired.length).to.equal(1);
    expect(second.trade!.filled).to.equal(1n);
    expect((await pocket(market, bob)).unsweptBase).to.equal(64n * WETH_LOT);
  });

  it("anyone may purge expired orders; funds return to each owner's pocket, on both sides", async () => {
    const { market, bob, carol, eve, connection } = fx();
    const expiry = (await now()) + 10n;
    const ask = await place(market, bob, { side: Side.Ask, tick: 300_000n, lots: 4n, expiry });
    const bid = await place(market, carol, { side: Side.Bid, tick: 200_000n, lots: 5n, expiry });
    const keep = await place(market, carol, { side: Side.Bid, tick: 199_000n, lots: 1n });
    await connection.networkHelpers.time.increaseTo(expiry);
    const r = parseMarketLogs(market, await mined(market.connect(eve).purgeExpired([ask.orderId, bid.orderId])));
    expect(r.expired).to.deep.equal([
      { orderId: ask.orderId, lots: 4n },
      { orderId: bid.orderId, lots: 5n },
    ]);
    expect(await pocket(market, bob)).to.deep.equal({ lockedBase: 0n, lockedQuote: 0n, unsweptBase: 4n * WETH_LOT, unsweptQuote: 0n, openOrders: 0n });
    const c = await pocket(market, carol);
    expect(c.unsweptQuote).to.equal(5n * bidLockPerLot(200_000n, 2n) * USDC_TICK);
    expect(c.openOrders).to.equal(1n);
    expect(await market.bestBidAsk()).to.deep.equal([199_000n, 0n]);
    expect((await market.getOrder(keep.orderId))[1]).to.equal(1n);
  });

  it("refuses live orders with NotExpired and unknown ids with OrderNotFound", async () => {
    const { market, bob, eve } = fx();
    const expiry = (await now()) + 1000n;
    const later = await place(market, bob, { side: Side.Ask, tick: 300_000n, lots: 1n, expiry });
    const never = await place(market, bob, { side: Side.Ask, tick: 300_000n, lots: 1n });
    await expect(market.connect(eve).purgeExpired([later.orderId]))
      .to.be.revertedWithCustomError(market, "NotExpired")
      .withArgs(later.orderId, expiry);
    await expect(market.connect(eve).purgeExpired([never.orderId]))
      .to.be.revertedWithCustomError(market, "NotExpired")
      .withArgs(never.orderId, 0n);
    await expect(market.connect(eve).purgeExpired([never.orderId + 5n]))
      .to.be.revertedWithCustomError(market, "OrderNotFound")
      .withArgs(never.orderId + 5n);
    expect((await pocket(market, bob)).openOrders).to.equal(2n);
  });
});
