import { expect } from "chai";
import { WETH_LOT } from "../helpers/fixture.ts";
import { decodeFill, mined, OrderKind, place, pocket, Side, useFixture } from "./_helpers.ts";

describe("SpotMarket queue hygiene: cancelled and expired entries inside a level", () => {
  const fx = useFixture();
  const tick = 100_000n;

  it("cancels at the head and in the middle leave a queue that still fills in order", async () => {
    const { market, alice, bob, carol, dave, eve } = fx();
    const a = await place(market, alice, { side: Side.Ask, tick, lots: 1n });
    const b = await place(market, bob, { side: Side.Ask, tick, lots: 2n });
    const c = await place(market, carol, { side: Side.Ask, tick, lots: 3n });
    const d = await place(market, dave, { side: Side.Ask, tick, lots: 4n });
    await mined(market.connect(bob).cancelOrder(b.orderId));
    await mined(market.connect(alice).cancelOrder(a.orderId));
    // head stepped past a; b is a dead entry the next taker steps over
    expect(await market.levelOf(Side.Ask, tick)).to.deep.equal([7n, 1n, 4n, 0n]);
    const r = await place(market, eve, { side: Side.Bid, tick, lots: 4n, kind: OrderKind.Ioc });
    expect(r.trade!.fills.map(decodeFill).map((f) => [f.makerOrderId, f.lots])).to.deep.equal([
      [c.orderId, 3n],
      [d.orderId, 1n],
    ]);
    expect(await market.levelOf(Side.Ask, tick)).to.deep.equal([3n, 3n, 4n, 0n]);
    await mined(market.connect(dave).cancelOrder(d.orderId));
    expect(await market.levelOf(Side.Ask, tick)).to.deep.equal([0n, 0n, 0n, 1n]);
    expect(await market.bestBidAsk()).to.deep.equal([0n, 0n]);
  });

  it("a taker's own expired order is removed (not self-traded) and its lots return to the taker's pocket", async () => {
    const { market, alice, bob, connection } = fx();
    const expiry = BigInt(await connection.networkHelpers.time.latest()) + 30n;
    const own = await place(market, alice, { side: Side.Ask, tick, lots: 2n, expiry });
    const other = await place(market, bob, { side: Side.Ask, tick, lots: 2n });
    await connection.networkHelpers.time.increaseTo(expiry);
    const r = await place(market, alice, { side: Side.Bid, tick, lots: 2n, kind: OrderKind.Ioc, selfTrade: 1n });
    expect(r.expired).to.deep.equal([{ orderId: own.orderId, lots: 2n }]);
    expect(r.trade!.fills.map(decodeFill).map((f) => f.makerOrderId)).to.deep.equal([other.orderId]);
    const p = await pocket(market, alice);
    expect([p.openOrders, p.lockedBase, p.unsweptBase]).to.deep.equal([0n, 0n, 4n * WETH_LOT]);
  });

  it("an owner may still cancel its own expired order before anyone purges it", async () => {
    const { market, alice, connection } = fx();
    const expiry = BigInt(await connection.networkHelpers.time.latest()) + 30n;
    const own = await place(market, alice, { side: Side.Bid, tick, lots: 2n, expiry });
    await connection.networkHelpers.time.increaseTo(expiry + 5n);
    await expect(market.connect(alice).cancelOrder(own.orderId)).to.emit(market, "OrderCancelled").withArgs(market.marketId, own.orderId, 2n);
    expect((await pocket(market, alice)).openOrders).to.equal(0n);
  });
});
