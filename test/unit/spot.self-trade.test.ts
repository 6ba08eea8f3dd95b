import { expect } from "chai";
import { WETH_LOT } from "../helpers/fixture.ts";
import { decodeFill, MARKET_INDEX, orderIdOf, place, pocket, SelfTrade, Side, useFixture } from "./_helpers.ts";

describe("SpotMarket: self-trade prevention (chosen by the taker)", () => {
  const fx = useFixture();
  const tick = 100_000n;

  /** bob's ask, then alice's own ask, at one tick; alice then buys 3 lots GTC. */
  async function setup() {
    const { market, alice, bob } = fx();
    const bobAsk = await place(market, bob, { side: Side.Ask, tick, lots: 1n });
    const ownAsk = await place(market, alice, { side: Side.Ask, tick, lots: 1n });
    return { bobAsk: bobAsk.orderId, ownAsk: ownAsk.orderId };
  }

  it("cancel resting: the own resting order is cancelled, matching continues, the remainder rests", async () => {
    const { market, alice } = fx();
    const { bobAsk, ownAsk } = await setup();
    const r = await place(market, alice, { side: Side.Bid, tick, lots: 3n, selfTrade: SelfTrade.CancelResting });
    expect(r.trade!.fills.map(decodeFill).map((f) => f.makerOrderId)).to.deep.equal([bobAsk]);
    expect(r.cancelled).to.deep.equal([{ orderId: ownAsk, lots: 1n }]);
    // the ask level emptied and the remainder rests on the bid side of the same tick
    expect(r.orderId).to.equal(orderIdOf(MARKET_INDEX, Side.Bid, tick, 0n, 0n));
    expect((await market.getOrder(r.orderId))[1]).to.equal(2n);
    expect(await market.bestBidAsk()).to.deep.equal([tick, 0n]);
    const p = await pocket(market, alice);
    expect([p.openOrders, p.lockedBase, p.unsweptBase]).to.deep.equal([1n, 0n, 2n * WETH_LOT]);
  });

  it("cancel incoming: matching stops at the own order, which stays; nothing of the taker rests", async () => {
    const { market, alice } = fx();
    const { bobAsk, ownAsk } = await setup();
    const r = await place(market, alice, { side: Side.Bid, tick, lots: 3n, selfTrade: SelfTrade.CancelIncoming });
    expect(r.trade!.filled).to.equal(1n);
    expect(r.trade!.fills.map(decodeFill).map((f) => f.makerOrderId)).to.deep.equal([bobAsk]);
    expect(r.cancelled).to.deep.equal([]);
    expect(r.orderId).to.equal(0n);
    expect((await market.getOrder(ownAsk))[1]).to.equal(1n);
    expect(await market.bestBidAsk()).to.deep.equal([0n, tick]);
    expect((await pocket(market, alice)).openOrders).to.equal(1n);
  });

  it("cancel both: the own resting order is cancelled and the taker stops", async () => {
    const { market, alice } = fx();
    const { ownAsk } = await setup();
    const r = await place(market, alice, { side: Side.Bid, tick, lots: 3n, selfTrade: SelfTrade.CancelBoth });
    expect(r.trade!.filled).to.equal(1n);
    expect(r.cancelled).to.deep.equal([{ orderId: ownAsk, lots: 1n }]);
    expect(r.orderId).to.equal(0n);
    expect(await market.bestBidAsk()).to.deep.equal([0n, 0n]);
    const p = await pocket(market, alice);
    expect([p.openOrders, p.lockedBase, p.lockedQuote]).to.deep.equal([0n, 0n, 0n]);
  });

  it("sub-accounts of one owner are different accounts: they trade with each other", async () => {
    const { ch, market, alice, weth } = fx();
    await (await ch.connect(alice).transfer(await weth.getAddress(), 0, 1, 5n * WETH_LOT)).wait();
    const ask = await place(market, alice, { side: Side.Ask, tick, lots: 1n, sub: 1n });
    const r = await place(market, alice, { side: Side.Bid, tick, lots: 1n, selfTrade: SelfTrade.CancelBoth });
    expect(r.trade!.fills.map(decodeFill).map((f) => f.makerOrderId)).to.deep.equal([ask.orderId]);
  });
});
