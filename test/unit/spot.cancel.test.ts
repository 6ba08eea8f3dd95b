import { expect } from "chai";
import { ZeroHash } from "ethers";
import { createSpotMarket } from "../../scripts/lib/deploy.ts";
import { DEPOSIT, USDC_TICK } from "../helpers/fixture.ts";
import { acct, bidLockPerLot, bookState, MARKET_INDEX, mined, OrderKind, orderIdOf, place, pocket, Side, useFixture } from "./_helpers.ts";

describe("SpotMarket.cancelOrder", () => {
  const fx = useFixture();

  it("removes the order and returns its lock to the pocket's unswept funds, not the balance", async () => {
    const { ch, market, alice, usdc } = fx();
    const tick = 150_000n;
    const r = await place(market, alice, { side: Side.Bid, tick, lots: 4n });
    const lock = 4n * bidLockPerLot(tick, 2n) * USDC_TICK;
    await expect(market.connect(alice).cancelOrder(r.orderId)).to.emit(market, "OrderCancelled").withArgs(market.marketId, r.orderId, 4n);
    expect(await pocket(market, alice)).to.deep.equal({ lockedBase: 0n, lockedQuote: 0n, unsweptBase: 0n, unsweptQuote: lock, openOrders: 0n });
    expect(await ch.balanceOf(acct(alice), await usdc.getAddress())).to.equal(DEPOSIT - lock);
    expect(await market.getOrder(r.orderId)).to.deep.equal([ZeroHash, 0n, 0n]);
    // the emptied level is reset with a new epoch and the best bid is gone
    expect(await market.levelOf(Side.Bid, tick)).to.deep.equal([0n, 0n, 0n, 1n]);
    expect(await market.bestBidAsk()).to.deep.equal([0n, 0n]);
  });

  it("cancelling the best level moves the best price to the next one; a middle cancel keeps the level", async () => {
    const { market, alice, bob } = fx();
    const a = await place(market, alice, { side: Side.Ask, tick: 100n, lots: 1n });
    const b = await place(market, bob, { side: Side.Ask, tick: 100n, lots: 2n });
    const c = await place(market, alice, { side: Side.Ask, tick: 100n, lots: 3n });
    await place(market, bob, { side: Side.Ask, tick: 105n, lots: 1n });
    await mined(market.connect(bob).cancelOrder(b.orderId));
    expect(await market.levelOf(Side.Ask, 100n)).to.deep.equal([4n, 0n, 3n, 0n]);
    await mined(market.connect(alice).cancelOrder(a.orderId));
    expect((await market.levelOf(Side.Ask, 100n))[0]).to.equal(3n);
    expect(await market.bestBidAsk()).to.deep.equal([0n, 100n]);
    await mined(market.connect(alice).cancelOrder(c.orderId));
    expect(await market.bestBidAsk()).to.deep.equal([0n, 105n]);
  });

  it("reverts OrderNotFound for unknown, already-cancelled, filled and stale-epoch ids, changing nothing", async () => {
    const { market, alice, bob } = fx();
    const notFound = (id: bigint) => expect(market.connect(alice).cancelOrder(id)).to.be.revertedWithCustomError(market, "OrderNotFound").withArgs(id);
    await notFound(0n);
    await notFound(orderIdOf(MARKET_INDEX, Side.Bid, 7n, 0n, 0n));
    const cancelled = await place(market, alice, { side: Side.Bid, tick: 7n, lots: 1n });
    await place(market, alice, { side: Side.Bid, tick: 7n, lots: 1n });
    await mined(market.connect(alice).cancelOrder(cancelled.orderId));
    await notFound(cancelled.orderId);
    const filled = await place(market, alice, { side: Side.Ask, tick: 900n, lots: 1n });
    await place(market, bob, { side: Side.Bid, tick: 900n, lots: 1n, kind: OrderKind.Ioc });
    await notFound(filled.orderId);
    // a new order at a tick that emptied gets a new epoch: the old id cannot reach it
    const reborn = await place(market, alice, { side: Side.Ask, tick: 900n, lots: 1n });
    expect(reborn.orderId).to.equal(orderIdOf(MARKET_INDEX, Side.Ask, 900n, 1n, 0n));
    const before = await bookState(market);
    await notFound(filled.orderId);
    // bits outside the id layout
    await notFound(reborn.orderId | (1n << 89n));
    expect(await bookState(market)).to.deep.equal(before);
    expect((await pocket(market, alice)).openOrders).to.equal(2n);
  });

  it("an id from another market is not found here", async () => {
    const { market, protocol, alice, wbtc, usdc } = fx();
    const other = await createSpotMarket(protocol, {
      base: await wbtc.getAddress(),
      quote: await usdc.getAddress(),
      lotSize: 1000n,
      tickSize: 1n,
      minLots: 1n,
      makerFeeBps: 0n,
      takerFeeBps: 0n,
      maxMakerFeeBps: 0n,
    });
    const here = await place(market, alice, { side: Side.Ask, tick: 50n, lots: 1n });
    const there = await place(other, alice, { side: Side.Ask, tick: 50n, lots: 1n });
    expect(there.orderId).to.equal(orderIdOf(2n, Side.Ask, 50n, 0n, 0n));
    // same side, tick, epoch and position: only the market index differs
    expect(there.orderId ^ here.orderId).to.equal(3n << 96n);
    await expect(market.connect(alice).cancelOrder(there.orderId)).to.be.revertedWithCustomError(market, "OrderNotFound").withArgs(there.orderId);
    await mined(other.connect(alice).cancelOrder(there.orderId));
    expect((await market.getOrder(here.orderId))[1]).to.equal(1n);
  });

  it("reverts NotAuthorized for a caller that is neither owner nor operator", async () => {
    const { market, alice, bob } = fx();
    const r = await place(market, alice, { side: Side.Ask, tick: 50n, lots: 1n });
    await expect(market.connect(bob).cancelOrder(r.orderId))
      .to.be.revertedWithCustomError(market, "NotAuthorized")
      .withArgs(bob.address, acct(alice));
  });
});
