import { expect } from "chai";
import { acct, mined, OrderKind, place, pocket, Side, useFixture } from "./_helpers.ts";

describe("SpotMarket: client order ids and cancelOrderByClientId", () => {
  const fx = useFixture();

  it("cancels the account's order carrying the client id, returning its lock to the pocket", async () => {
    const { market, alice } = fx();
    const r = await place(market, alice, { side: Side.Ask, tick: 300_000n, lots: 6n, clientOrderId: 0xdeadbeefn, sub: 0n });
    await expect(market.connect(alice).cancelOrderByClientId(alice.address, 0, 0xdeadbeefn))
      .to.emit(market, "OrderCancelled")
      .withArgs(market.marketId, r.orderId, 6n);
    const p = await pocket(market, alice);
    expect([p.openOrders, p.lockedBase, p.unsweptBase]).to.deep.equal([0n, 0n, 6n * 10n ** 15n]);
  });

  it("reverts ClientOrderNotFound for unknown, zero, cancelled and filled client ids", async () => {
    const { market, alice, bob } = fx();
    const notFound = async (cid: bigint) =>
      expect(market.connect(alice).cancelOrderByClientId(alice.address, 0, cid))
        .to.be.revertedWithCustomError(market, "ClientOrderNotFound")
        .withArgs(acct(alice), cid);
    await notFound(5n);
    await place(market, alice, { side: Side.Ask, tick: 300_000n, lots: 1n });
    await notFound(0n);
    await place(market, alice, { side: Side.Ask, tick: 300_000n, lots: 1n, clientOrderId: 7n });
    await mined(market.connect(alice).cancelOrderByClientId(alice.address, 0, 7n));
    await notFound(7n);
    await place(market, alice, { side: Side.Ask, tick: 300_000n, lots: 2n, clientOrderId: 8n });
    await place(market, bob, { side: Side.Bid, tick: 300_000n, lots: 3n, kind: OrderKind.Ioc });
    await notFound(8n);
  });

  it("client ids are per account: another account's id is not found, sub-accounts are separate", async () => {
    const { market, alice, bob } = fx();
    await place(market, bob, { side: Side.Ask, tick: 300_000n, lots: 1n, clientOrderId: 11n });
    await expect(market.connect(alice).cancelOrderByClientId(alice.address, 0, 11n))
      .to.be.revertedWithCustomError(market, "ClientOrderNotFound")
      .withArgs(acct(alice), 11n);
    await expect(market.connect(bob).cancelOrderByClientId(bob.address, 1, 11n))
      .to.be.revertedWithCustomError(market, "ClientOrderNotFound")
      .withArgs(acct(bob, 1n), 11n);
    expect((await pocket(market, bob)).openOrders).to.equal(1n);
  });

  it("reusing a live client id points it at the newest order", async () => {
    const { market, alice } = fx();
    const a = await place(market, alice, { side: Side.Bid, tick: 100n, lots: 1n, clientOrderId: 3n });
    const b = await place(market, alice, { side: Side.Bid, tick: 101n, lots: 1n, clientOrderId: 3n });
    await expect(market.connect(alice).cancelOrderByClientId(alice.address, 0, 3n)).to.emit(market, "OrderCancelled").withArgs(market.marketId, b.orderId, 1n);
    expect((await market.getOrder(a.orderId))[1]).to.equal(1n);
  });
});
