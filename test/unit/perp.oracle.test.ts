// A stale oracle blocks perp risk, never its reduction: with no usable price the funding index runs
// on at the rate in force, a reduce-only close still fills, and anything that adds risk is refused
// by the ATLAS check (PriceUnavailable).
import { expect } from "chai";
import { OrderKind, Side, encodeOrder } from "../../sdk/src/math/order.ts";
import { acctOf, deposit, E6, mined } from "./margin._helpers.ts";
import { place, usePerpFixture } from "./perp._helpers.ts";

describe("PerpMarket under a stale oracle", () => {
  const fx = usePerpFixture();

  it("a reduce-only close fills, opening more is refused, and funding accrues at the last rate", async () => {
    const f = fx();
    const { alice, bob, carol, ethPerp, atlas, U } = f;
    for (const s of [alice, bob, carol]) await deposit(f, s, U, 50_000n * E6);
    await place(ethPerp, bob, { side: Side.Ask, tick: 300_000n, lots: 10n });
    await place(ethPerp, alice, { side: Side.Bid, tick: 300_000n, lots: 10n, kind: OrderKind.Ioc });
    await place(ethPerp, carol, { side: Side.Bid, tick: 299_000n, lots: 10n });
    const before = await ethPerp.funding();
    await f.networkHelpers.time.increase(2n * 3_600n); // admin feeds go stale after an hour
    await expect(atlas.riskOf(acctOf(alice))).to.be.revertedWithCustomError(atlas, "PriceUnavailable");

    // alice closes into carol's bid: reduce-only, no check, the index runs on at the old rate
    await mined(ethPerp.connect(alice).placeOrder(encodeOrder({ side: Side.Ask, tick: 299_000n, lots: 10n, kind: OrderKind.Ioc, reduceOnly: true })));
    expect((await ethPerp.positionOf(acctOf(alice))).sizeLots).to.equal(0n);
    expect((await ethPerp.positionOf(acctOf(carol))).sizeLots).to.equal(10n);
    const after = await ethPerp.funding();
    expect(after.ratePpmPerHour).to.equal(before.ratePpmPerHour);
    expect(after.premiumPpm).to.equal(before.premiumPpm);
    expect(after.lastUpdate).to.be.greaterThan(before.lastUpdate);

    // adding risk needs prices: a new resting order is refused
    await expect(ethPerp.connect(bob).placeOrder(encodeOrder({ side: Side.Ask, tick: 301_000n, lots: 5n })))
      .to.be.revertedWithCustomError(atlas, "PriceUnavailable");
  });
});
