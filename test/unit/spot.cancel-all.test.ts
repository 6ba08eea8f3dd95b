import { expect } from "chai";
import { acct, mined, parseMarketLogs, place, pocket, Side, useFixture } from "./_helpers.ts";
import { allOpenOrders } from "../helpers/openOrders.ts";

describe("SpotMarket.cancelAll", () => {
  const fx = useFixture();

  async function three() {
    const { market, alice } = fx();
    await place(market, alice, { side: Side.Bid, tick: 100n, lots: 1n });
    await place(market, alice, { side: Side.Bid, tick: 101n, lots: 2n });
    await place(market, alice, { side: Side.Ask, tick: 200n, lots: 3n });
    return [...(await allOpenOrders(market, alice.address, 0))];
  }

  it("cancels every listed order of the account and leaves none open", async () => {
    const { market, alice, bob } = fx();
    const ids = await three();
    const other = await place(market, bob, { side: Side.Ask, tick: 200n, lots: 1n });
    const r = parseMarketLogs(market, await mined(market.connect(alice).cancelAll(alice.address, 0, ids)));
    expect(r.cancelled.map((c) => c.orderId).sort()).to.deep.equal([...ids].sort());
    const p = await pocket(market, alice);
    expect([p.openOrders, p.lockedBase, p.lockedQuote]).to.deep.equal([0n, 0n, 0n]);
    expect(await market.bestBidAsk()).to.deep.equal([0n, 200n]);
    expect((await market.getOrder(other.orderId))[1]).to.equal(1n);
    // nothing open and nothing listed is fine too
    await mined(market.connect(alice).cancelAll(alice.address, 0, []));
  });

  it("reverts OpenOrdersRemain when the list misses some, changing nothing", async () => {
    const { market, alice } = fx();
    const ids = await three();
    await expect(market.connect(alice).cancelAll(alice.address, 0, ids.slice(1)))
      .to.be.revertedWithCustomError(market, "OpenOrdersRemain")
      .withArgs(1n);
    expect((await pocket(market, alice)).openOrders).to.equal(3n);
  });

  it("reverts NotOrderOwner for another account's id and OrderNotFound for a repeated id", async () => {
    const { market, alice, bob } = fx();
    const ids = await three();
    const other = await place(market, bob, { side: Side.Ask, tick: 300n, lots: 1n });
    await expect(market.connect(alice).cancelAll(alice.address, 0, [...ids, other.orderId]))
      .to.be.revertedWithCustomError(market, "NotOrderOwner")
      .withArgs(other.orderId, acct(alice));
    await expect(market.connect(alice).cancelAll(alice.address, 0, [ids[0], ...ids]))
      .to.be.revertedWithCustomError(market, "OrderNotFound")
      .withArgs(ids[0]);
  });
});
