import { expect } from "chai";
import { acct, mined, OrderKind, place, pocket, Side, useFixture } from "./_helpers.ts";
import { countNewSlots } from "../../scripts/bench-measure.ts";

/** Entries of an account's client-id ring per market (`CLIENT_RING` in contracts/types/ClientSlot.sol). */
const CLIENT_RING = 64n;

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

  it("steady state: a placement with a fresh client id creates no storage slot once the ring is written", async () => {
    const { market, alice, bob, connection } = fx();
    const tick = 300_000n;
    // bob's ask one tick up keeps the tick bitmap word non-zero while alice's level empties
    await place(market, bob, { side: Side.Ask, tick: tick + 1n, lots: 1n });
    const placeAndCancel = async (cid: bigint) => {
      const r = await place(market, alice, { side: Side.Ask, tick, lots: 1n, clientOrderId: cid });
      await mined(market.connect(alice).cancelOrderByClientId(alice.address, 0, cid));
      return countNewSlots(connection.provider, r.receipt.hash);
    };
    await placeAndCancel(CLIENT_RING); // level, queue slot and pocket written once
    // the first use of each ring entry creates it (entry 0 is written above)
    for (let cid = 1n; cid < CLIENT_RING; cid++) expect(await placeAndCancel(cid)).to.equal(1, `cid ${cid}`);
    // every later fresh client id rewrites an entry: no new slot (each took one before this change)
    for (const cid of [CLIENT_RING + 1n, 2n * CLIENT_RING + 5n, 0xffff_ffffn]) {
      expect(await placeAndCancel(cid)).to.equal(0, `cid ${cid}`);
    }
  });

  it("a later client id on the same ring entry replaces the mapping: the evicted id is not found, its order lives on", async () => {
    const { market, alice } = fx();
    const a = await place(market, alice, { side: Side.Bid, tick: 100n, lots: 1n, clientOrderId: 5n });
    const b = await place(market, alice, { side: Side.Bid, tick: 101n, lots: 2n, clientOrderId: 5n + CLIENT_RING });
    await expect(market.connect(alice).cancelOrderByClientId(alice.address, 0, 5n))
      .to.be.revertedWithCustomError(market, "ClientOrderNotFound")
      .withArgs(acct(alice), 5n);
    expect((await market.getOrder(a.orderId))[1]).to.equal(1n);
    await expect(market.connect(alice).cancelOrderByClientId(alice.address, 0, 5n + CLIENT_RING))
      .to.emit(market, "OrderCancelled")
      .withArgs(market.marketId, b.orderId, 2n);
    // the evicted order is still cancellable by its order id
    await expect(market.connect(alice).cancelOrder(a.orderId)).to.emit(market, "OrderCancelled").withArgs(market.marketId, a.orderId, 1n);
    // ids on distinct entries (a counter's window of 64) never evict one another
    const ids: bigint[] = [];
    for (let cid = 200n; cid < 200n + CLIENT_RING; cid++) {
      ids.push((await place(market, alice, { side: Side.Bid, tick: 100n + (cid % 3n), lots: 1n, clientOrderId: cid })).orderId);
    }
    for (let i = 0; i < ids.length; i++) {
      await expect(market.connect(alice).cancelOrderByClientId(alice.address, 0, 200n + BigInt(i)))
        .to.emit(market, "OrderCancelled")
        .withArgs(market.marketId, ids[i], 1n);
    }
  });

  it("an ended order's entry never resolves to a later order on the same entry or queue slot", async () => {
    const { market, alice, bob } = fx();
    const a = await place(market, alice, { side: Side.Ask, tick: 300_000n, lots: 1n, clientOrderId: 9n });
    await place(market, bob, { side: Side.Bid, tick: 300_000n, lots: 1n, kind: OrderKind.Ioc }); // fills a
    // the same level restarts at the same queue slot (next epoch): a new order of alice without a client id
    const b = await place(market, alice, { side: Side.Ask, tick: 300_000n, lots: 1n });
    expect(b.orderId).to.not.equal(a.orderId);
    await expect(market.connect(alice).cancelOrderByClientId(alice.address, 0, 9n))
      .to.be.revertedWithCustomError(market, "ClientOrderNotFound")
      .withArgs(acct(alice), 9n);
    expect((await market.getOrder(b.orderId))[1]).to.equal(1n);
  });

  it("an attacker's client ids never reach another account's order", async () => {
    const { market, alice, bob } = fx();
    const a = await place(market, alice, { side: Side.Ask, tick: 300_000n, lots: 3n, clientOrderId: 42n });
    // bob cannot act for alice
    await expect(market.connect(bob).cancelOrderByClientId(alice.address, 0, 42n)).to.be.revertedWithCustomError(market, "NotAuthorized");
    // bob's own ring: the same id and every id on the same entry name only his orders
    await expect(market.connect(bob).cancelOrderByClientId(bob.address, 0, 42n))
      .to.be.revertedWithCustomError(market, "ClientOrderNotFound")
      .withArgs(acct(bob), 42n);
    const b = await place(market, bob, { side: Side.Ask, tick: 300_000n, lots: 1n, clientOrderId: 42n + CLIENT_RING });
    await expect(market.connect(bob).cancelOrderByClientId(bob.address, 0, 42n))
      .to.be.revertedWithCustomError(market, "ClientOrderNotFound")
      .withArgs(acct(bob), 42n);
    await expect(market.connect(bob).cancelOrderByClientId(bob.address, 0, 42n + CLIENT_RING))
      .to.emit(market, "OrderCancelled")
      .withArgs(market.marketId, b.orderId, 1n);
    expect((await market.getOrder(a.orderId))[1]).to.equal(3n);
    expect((await pocket(market, alice)).openOrders).to.equal(1n);
  });
});
