// Only added risk is margin-checked: an account below initial value that still has resting orders
// may reduce its position; placing more (or growing the position) is refused.
import { expect } from "chai";
import { OrderKind, Side, encodeOrder } from "../../sdk/src/math/order.ts";
import { WAD, acctOf, deposit, E6, mined, setPrice } from "./margin._helpers.ts";
import { place, usePerpFixture } from "./perp._helpers.ts";

describe("PerpMarket: de-risking below initial value", () => {
  const fx = usePerpFixture();

  it("a reducing trade passes with resting orders left; more open lots or a larger position do not", async () => {
    const f = fx();
    const { alice, bob, carol, ethPerp, atlas, ch, W, U } = f;
    await deposit(f, alice, U, 600n * E6);
    for (const s of [bob, carol]) await deposit(f, s, U, 100_000n * E6);
    await place(ethPerp, bob, { side: Side.Ask, tick: 300_000n, lots: 1_000n });
    await place(ethPerp, alice, { side: Side.Bid, tick: 300_000n, lots: 1_000n, kind: OrderKind.Ioc }); // long 1 ETH
    await place(ethPerp, alice, { side: Side.Bid, tick: 250_000n, lots: 10n }); // a resting bid stays
    await setPrice(f, W, 2_850n * WAD);
    await place(ethPerp, carol, { side: Side.Bid, tick: 285_000n, lots: 1_000n });
    const A = acctOf(alice);
    expect(await atlas.initialValue(A)).to.be.lessThan(0n);
    expect(await ch.isLiquidatable(A)).to.equal(false);

    // growing is refused, and so is one more resting lot
    await expect(ethPerp.connect(alice).placeOrder(encodeOrder({ side: Side.Bid, tick: 250_000n, lots: 1n })))
      .to.be.revertedWithCustomError(ch, "InsufficientMargin");
    // selling half into carol's bid reduces risk: no check, it fills
    await mined(ethPerp.connect(alice).placeOrder(encodeOrder({ side: Side.Ask, tick: 285_000n, lots: 500n, kind: OrderKind.Ioc })));
    const pos = await ethPerp.positionOf(A);
    expect(pos.sizeLots).to.equal(500n);
    expect(pos.bidLots).to.equal(10n);
  });
});
