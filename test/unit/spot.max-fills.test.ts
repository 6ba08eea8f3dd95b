import { expect } from "chai";
import { bookState, ord, OrderKind, place, Side, useFixture } from "./_helpers.ts";

describe("SpotMarket: maximum fills per order", () => {
  const fx = useFixture();
  const tick = 100_000n;

  /** Three one-lot asks at `tick` (bob, carol, dave) and one at tick + 10 (eve). */
  async function makers() {
    const { market, bob, carol, dave, eve } = fx();
    for (const s of [bob, carol, dave]) await place(market, s, { side: Side.Ask, tick, lots: 1n });
    await place(market, eve, { side: Side.Ask, tick: tick + 10n, lots: 1n });
  }

  it("IOC stops after maxFills fills and drops the remainder", async () => {
    const { market, alice } = fx();
    await makers();
    const r = await place(market, alice, { side: Side.Bid, tick, lots: 3n, kind: OrderKind.Ioc, maxFills: 2n });
    expect(r.trade!.filled).to.equal(2n);
    expect(r.trade!.fills.length).to.equal(2);
    expect(r.orderId).to.equal(0n);
    expect((await market.levelOf(Side.Ask, tick))[0]).to.equal(1n);
  });

  it("a market order stops there too", async () => {
    const { market, alice } = fx();
    await makers();
    const r = await place(market, alice, { side: Side.Bid, tick: tick + 10n, lots: 4n, kind: OrderKind.Market, maxFills: 3n });
    expect(r.trade!.filled).to.equal(3n);
    expect(await market.bestBidAsk()).to.deep.equal([0n, tick + 10n]);
  });

  it("a GTC remainder rests when the cap is reached as the crossing liquidity runs out", async () => {
    const { market, alice } = fx();
    await makers();
    const r = await place(market, alice, { side: Side.Bid, tick: tick + 5n, lots: 5n, maxFills: 3n });
    expect(r.trade!.filled).to.equal(3n);
    expect((await market.getOrder(r.orderId))[1]).to.equal(2n);
    expect(await market.bestBidAsk()).to.deep.equal([tick + 5n, tick + 10n]);
  });

  it("a GTC remainder that would still cross the book is dropped, so the book never rests crossed", async () => {
    const { market, alice } = fx();
    await makers();
    const r = await place(market, alice, { side: Side.Bid, tick, lots: 3n, maxFills: 1n });
    expect(r.trade!.filled).to.equal(1n);
    expect(r.orderId).to.equal(0n);
    const [bid, ask] = await market.bestBidAsk();
    expect(bid === 0n || bid < ask).to.equal(true);
    expect((await market.levelOf(Side.Ask, tick))[0]).to.equal(2n);
  });

  it("more than 128 fills asked for reverts TooManyFills, changing nothing", async () => {
    const { market, alice } = fx();
    await makers();
    const before = await bookState(market);
    for (const maxFills of [129n, 255n]) {
      await expect(market.connect(alice).placeOrder(ord({ side: Side.Bid, tick, lots: 1n, kind: OrderKind.Ioc, maxFills })))
        .to.be.revertedWithCustomError(market, "TooManyFills")
        .withArgs(maxFills, 128n);
    }
    expect(await bookState(market)).to.deep.equal(before);
    // 128 is allowed
    const r = await place(market, alice, { side: Side.Bid, tick, lots: 1n, kind: OrderKind.Ioc, maxFills: 128n });
    expect(r.trade!.filled).to.equal(1n);
  });
});
