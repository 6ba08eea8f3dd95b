import { expect } from "chai";
import { acct, cancelOp, mined, ord, parseMarketLogs, placeOp, pocket, Side, useFixture } from "./_helpers.ts";

const ZERO = "0x0000000000000000000000000000000000000000";

describe("Clearinghouse.setOperator / isOperator and trading as an operator", () => {
  const fx = useFixture();

  async function agent() {
    const { ethers } = fx();
    return (await ethers.getSigners())[7];
  }

  it("approves and revokes per sub-account, emitting OperatorSet", async () => {
    const { ch, alice } = fx();
    const a = await agent();
    await expect(ch.connect(alice).setOperator(2, a.address, true))
      .to.emit(ch, "OperatorSet")
      .withArgs(acct(alice, 2n), a.address, true);
    expect(await ch.isOperator(acct(alice, 2n), a.address)).to.equal(true);
    expect(await ch.isOperator(acct(alice, 0n), a.address)).to.equal(false);
    await mined(ch.connect(alice).setOperator(2, a.address, false));
    expect(await ch.isOperator(acct(alice, 2n), a.address)).to.equal(false);
  });

  it("rejects the zero address as operator", async () => {
    const { ch, alice } = fx();
    await expect(ch.connect(alice).setOperator(0, ZERO, true)).to.be.revertedWithCustomError(ch, "ZeroAddress");
  });

  it("an operator places for the owner's account and cancels it; the owner's pocket carries it", async () => {
    const { ch, market, alice } = fx();
    const a = await agent();
    await mined(ch.connect(alice).setOperator(0, a.address, true));
    const word = ord({ side: Side.Ask, tick: 310_000n, lots: 3n, clientOrderId: 9n });
    const placed = parseMarketLogs(market, await mined(market.connect(a).placeOrderFor(alice.address, word)));
    expect(placed.orderId).to.not.equal(0n);
    const [owner, lots] = await market.getOrder(placed.orderId);
    expect(owner).to.equal(acct(alice));
    expect(lots).to.equal(3n);
    expect((await pocket(market, alice)).openOrders).to.equal(1n);
    expect((await pocket(market, a)).openOrders).to.equal(0n);
    await expect(market.connect(a).cancelOrder(placed.orderId)).to.emit(market, "OrderCancelled").withArgs(placed.orderId, 3n);
    // client id, amend, batch and cancel-all go through the same check
    const again = parseMarketLogs(market, await mined(market.connect(a).placeOrderFor(alice.address, word)));
    await mined(market.connect(a).amendOrder(again.orderId, 2n));
    await mined(market.connect(a).cancelOrderByClientId(alice.address, 0, 9n));
    await mined(market.connect(a).batch(alice.address, 0, [placeOp({ side: Side.Ask, tick: 310_000n, lots: 1n })]));
    await mined(market.connect(a).cancelAll(alice.address, 0, [...(await market.openOrders(alice.address, 0))]));
    expect((await pocket(market, alice)).openOrders).to.equal(0n);
  });

  it("the owner may use placeOrderFor on its own account", async () => {
    const { market, alice } = fx();
    const word = ord({ side: Side.Bid, tick: 290_000n, lots: 1n });
    const placed = parseMarketLogs(market, await mined(market.connect(alice).placeOrderFor(alice.address, word)));
    expect((await market.getOrder(placed.orderId))[0]).to.equal(acct(alice));
  });

  it("a non-operator gets NotAuthorized on every account entry point", async () => {
    const { ch, market, alice } = fx();
    const a = await agent();
    const word = ord({ side: Side.Ask, tick: 310_000n, lots: 3n, clientOrderId: 4n });
    await expect(market.connect(a).placeOrderFor(alice.address, word))
      .to.be.revertedWithCustomError(market, "NotAuthorized")
      .withArgs(a.address, acct(alice));
    const { orderId } = parseMarketLogs(market, await mined(market.connect(alice).placeOrder(word)));
    await expect(market.connect(a).cancelOrder(orderId)).to.be.revertedWithCustomError(market, "NotAuthorized");
    await expect(market.connect(a).amendOrder(orderId, 1n)).to.be.revertedWithCustomError(market, "NotAuthorized");
    await expect(market.connect(a).cancelOrderByClientId(alice.address, 0, 4n)).to.be.revertedWithCustomError(market, "NotAuthorized");
    await expect(market.connect(a).cancelAll(alice.address, 0, [orderId])).to.be.revertedWithCustomError(market, "NotAuthorized");
    await expect(market.connect(a).batch(alice.address, 0, [cancelOp(orderId)])).to.be.revertedWithCustomError(market, "NotAuthorized");
    // approval is per sub-account: an operator of sub 1 may not touch sub 0
    await mined(ch.connect(alice).setOperator(1, a.address, true));
    await expect(market.connect(a).cancelOrder(orderId)).to.be.revertedWithCustomError(market, "NotAuthorized");
    // and a revoked operator is locked out again
    await mined(ch.connect(alice).setOperator(0, a.address, true));
    await mined(ch.connect(alice).setOperator(0, a.address, false));
    await expect(market.connect(a).cancelOrder(orderId))
      .to.be.revertedWithCustomError(market, "NotAuthorized")
      .withArgs(a.address, acct(alice));
    expect((await market.getOrder(orderId))[1]).to.equal(3n);
  });
});
