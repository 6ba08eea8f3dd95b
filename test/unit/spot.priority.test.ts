import { expect } from "chai";
import { decodeFill, OrderKind, place, Side, useFixture } from "./_helpers.ts";

describe("SpotMarket price-time priority", () => {
  const fx = useFixture();
  const tick = 100_000n;

  it("two makers at one tick fill in arrival order; a partly filled head keeps its place", async () => {
    const { market, alice, bob, carol } = fx();
    const first = await place(market, carol, { side: Side.Ask, tick, lots: 3n });
    const second = await place(market, bob, { side: Side.Ask, tick, lots: 3n });
    let r = await place(market, alice, { side: Side.Bid, tick, lots: 1n, kind: OrderKind.Ioc });
    expect(r.trade!.fills.map(decodeFill)).to.deep.equal([{ makerOrderId: first.orderId, lots: 1n, tick }]);
    r = await place(market, alice, { side: Side.Bid, tick, lots: 3n, kind: OrderKind.Ioc });
    expect(r.trade!.fills.map(decodeFill)).to.deep.equal([
      { makerOrderId: first.orderId, lots: 2n, tick },
      { makerOrderId: second.orderId, lots: 1n, tick },
    ]);
  });

  it("a better price fills first regardless of arrival, at the maker's price", async () => {
    const { market, alice, bob, carol } = fx();
    const worse = await place(market, bob, { side: Side.Ask, tick: tick + 5n, lots: 1n });
    const better = await place(market, carol, { side: Side.Ask, tick, lots: 1n });
    const r = await place(market, alice, { side: Side.Bid, tick: tick + 5n, lots: 2n, kind: OrderKind.Ioc });
    expect(r.trade!.fills.map(decodeFill).map((f) => f.makerOrderId)).to.deep.equal([better.orderId, worse.orderId]);
    expect(r.trade!.notional).to.equal(tick + tick + 5n);
  });

  it("on the bid side the highest bid fills first", async () => {
    const { market, alice, bob, carol } = fx();
    const low = await place(market, bob, { side: Side.Bid, tick: tick - 5n, lots: 1n });
    const high = await place(market, carol, { side: Side.Bid, tick, lots: 1n });
    const r = await place(market, alice, { side: Side.Ask, tick: tick - 5n, lots: 2n, kind: OrderKind.Ioc });
    expect(r.trade!.fills.map(decodeFill).map((f) => f.makerOrderId)).to.deep.equal([high.orderId, low.orderId]);
  });

  it("price order holds across bitmap words (255 ticks per leaf, 255 leaves per mid word)", async () => {
    const { market, alice, bob } = fx();
    // arrival order scrambled; ticks straddle leaf and mid word boundaries
    const ticks = [65_026n, 254n, 1n, 65_025n, 255n, 16_581_374n, 256n, 65_024n];
    for (const tick of ticks) await place(market, bob, { side: Side.Ask, tick, lots: 1n });
    const sorted = [...ticks].sort((a, b) => (a < b ? -1 : 1));
    expect((await market.getBook(16))[2]).to.deep.equal(sorted);
    const r = await place(market, alice, { side: Side.Bid, tick: 65_026n, lots: 100n, kind: OrderKind.Ioc });
    expect(r.trade!.fills.map(decodeFill).map((f) => f.tick)).to.deep.equal(sorted.slice(0, 7));
    expect(await market.bestBidAsk()).to.deep.equal([0n, 16_581_374n]);
    // and the same walk downwards on the bid side
    for (const tick of ticks.slice(0, 5)) await place(market, bob, { side: Side.Bid, tick, lots: 1n });
    const down = ticks.slice(0, 5).sort((a, b) => (a > b ? -1 : 1));
    expect((await market.getBook(16))[0]).to.deep.equal(down);
    const s = await place(market, alice, { side: Side.Ask, tick: 1n, lots: 5n, kind: OrderKind.Ioc });
    expect(s.trade!.fills.map(decodeFill).map((f) => f.tick)).to.deep.equal(down);
  });
});
