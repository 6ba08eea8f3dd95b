import { expect } from "chai";
import { bookState, ord, OrderKind, place, Side, useFixture } from "./_helpers.ts";

describe("SpotMarket.placeOrder: market orders with a worst price", () => {
  const fx = useFixture();

  async function bids() {
    const { market, bob, carol } = fx();
    await place(market, bob, { side: Side.Bid, tick: 200_000n, lots: 2n });
    await place(market, carol, { side: Side.Bid, tick: 199_000n, lots: 2n });
    await place(market, carol, { side: Side.Bid, tick: 198_000n, lots: 2n });
  }

  it("sells down to the worst price and drops the rest, never resting", async () => {
    const { market, alice } = fx();
    await bids();
    const r = await place(market, alice, { side: Side.Ask, tick: 199_000n, lots: 10n, kind: OrderKind.Market });
    expect(r.orderId).to.equal(0n);
    expect(r.trade!.filled).to.equal(4n);
    expect(r.trade!.notional).to.equal(2n * 200_000n + 2n * 199_000n);
    expect(await market.bestBidAsk()).to.deep.equal([198_000n, 0n]);
  });

  it("a market buy stops at its worst price as well", async () => {
    const { market, alice, bob } = fx();
    await place(market, bob, { side: Side.Ask, tick: 10n, lots: 1n });
    await place(market, bob, { side: Side.Ask, tick: 12n, lots: 1n });
    const r = await place(market, alice, { side: Side.Bid, tick: 11n, lots: 5n, kind: OrderKind.Market });
    expect(r.trade!.filled).to.equal(1n);
    expect(await market.bestBidAsk()).to.deep.equal([0n, 12n]);
  });

  it("reverts WorstPriceExceeded when nothing is fillable within the worst price, or the side is empty", async () => {
    const { market, alice } = fx();
    await expect(market.connect(alice).placeOrder(ord({ side: Side.Ask, tick: 1n, lots: 1n, kind: OrderKind.Market })))
      .to.be.revertedWithCustomError(market, "WorstPriceExceeded")
      .withArgs(1n, 0n);
    await bids();
    const before = await bookState(market);
    await expect(market.connect(alice).placeOrder(ord({ side: Side.Ask, tick: 200_001n, lots: 1n, kind: OrderKind.Market })))
      .to.be.revertedWithCustomError(market, "WorstPriceExceeded")
      .withArgs(200_001n, 200_000n);
    expect(await bookState(market)).to.deep.equal(before);
  });
});
