import { expect } from "chai";
import { createSpotMarket } from "../../scripts/lib/deploy.ts";
import { USDC_TICK, WETH_LOT } from "../helpers/fixture.ts";
import { acct, amendOp, bidLockPerLot, decodeFill, mined, OrderKind, place, pocket, Side, useFixture } from "./_helpers.ts";

describe("SpotMarket.amendOrder", () => {
  const fx = useFixture();
  const tick = 100_000n;

  it("shrinks in place: the order keeps its queue position and fills first", async () => {
    const { market, alice, bob, carol } = fx();
    const first = await place(market, bob, { side: Side.Ask, tick, lots: 5n });
    const second = await place(market, carol, { side: Side.Ask, tick, lots: 5n });
    await expect(market.connect(bob).amendOrder(first.orderId, 2n)).to.emit(market, "OrderAmended").withArgs(market.marketId, first.orderId, 2n);
    expect(await market.levelOf(Side.Ask, tick)).to.deep.equal([7n, 0n, 2n, 0n]);
    expect(await pocket(market, bob)).to.deep.equal({
      lockedBase: 2n * WETH_LOT,
      lockedQuote: 0n,
      unsweptBase: 3n * WETH_LOT,
      unsweptQuote: 0n,
      openOrders: 1n,
    });
    const r = await place(market, alice, { side: Side.Bid, tick, lots: 3n, kind: OrderKind.Ioc });
    expect(r.trade!.fills.map(decodeFill)).to.deep.equal([
      { makerOrderId: first.orderId, lots: 2n, tick },
      { makerOrderId: second.orderId, lots: 1n, tick },
    ]);
  });

  it("releases a bid's lock for the lots cut", async () => {
    const { market, alice } = fx();
    const r = await place(market, alice, { side: Side.Bid, tick, lots: 10n });
    await mined(market.connect(alice).amendOrder(r.orderId, 4n));
    const perLot = bidLockPerLot(tick, 2n) * USDC_TICK;
    const p = await pocket(market, alice);
    expect([p.lockedQuote, p.unsweptQuote]).to.deep.equal([4n * perLot, 6n * perLot]);
    expect((await market.getOrder(r.orderId))[1]).to.equal(4n);
  });

  it("reverts InvalidAmend for growth, no change and zero", async () => {
    const { market, alice } = fx();
    const r = await place(market, alice, { side: Side.Ask, tick, lots: 5n });
    for (const newLots of [6n, 5n, 0n]) {
      await expect(market.connect(alice).amendOrder(r.orderId, newLots))
        .to.be.revertedWithCustomError(market, "InvalidAmend")
        .withArgs(r.orderId, 5n, newLots);
    }
    expect((await market.getOrder(r.orderId))[1]).to.equal(5n);
  });

  it("reverts InvalidAmend below the market minimum", async () => {
    const { protocol, alice, wbtc, usdc } = fx();
    const m = await createSpotMarket(protocol, {
      base: await wbtc.getAddress(),
      quote: await usdc.getAddress(),
      lotSize: 1000n,
      tickSize: 1n,
      minLots: 5n,
      makerFeeBps: 0n,
      takerFeeBps: 0n,
      maxMakerFeeBps: 0n,
    });
    const r = await place(m, alice, { side: Side.Ask, tick: 10n, lots: 8n });
    await expect(m.connect(alice).amendOrder(r.orderId, 4n)).to.be.revertedWithCustomError(m, "InvalidAmend").withArgs(r.orderId, 8n, 4n);
    await mined(m.connect(alice).amendOrder(r.orderId, 5n));
  });

  it("reverts OrderNotFound for a dead id, NotAuthorized for a stranger, NotOrderOwner in another account's batch", async () => {
    const { market, alice, bob } = fx();
    const r = await place(market, alice, { side: Side.Ask, tick, lots: 5n });
    await expect(market.connect(alice).amendOrder(r.orderId + 1n, 1n)).to.be.revertedWithCustomError(market, "OrderNotFound");
    await expect(market.connect(bob).amendOrder(r.orderId, 1n)).to.be.revertedWithCustomError(market, "NotAuthorized");
    await expect(market.connect(bob).batch(bob.address, 0, [amendOp(r.orderId, 1n)]))
      .to.be.revertedWithCustomError(market, "NotOrderOwner")
      .withArgs(r.orderId, acct(bob));
  });
});
