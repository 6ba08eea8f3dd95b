import { expect } from "chai";
import { acct, cancelOp, mined, ord, parseMarketLogs, placeOp, pocket, Side, useFixture, type Fx } from "./_helpers.ts";
import { attachPrices } from "../helpers/fixture.ts";
import { allOpenOrders } from "../helpers/openOrders.ts";

const ZERO = "0x0000000000000000000000000000000000000000";

describe("Clearinghouse.setOperator / isOperator and trading as an operator", () => {
  const fx = useFixture();

  async function agent() {
    const { ethers } = fx();
    return (await ethers.getSigners())[7];
  }

  /** WETH $3,000 and USDC $1 on a new risk engine's oracle: operators may place within ±2% of tick 300_000. */
  async function prices(f: Fx) {
    await attachPrices(f.protocol, [
      [await f.weth.getAddress(), "WETH", 3_000n * 10n ** 18n],
      [await f.usdc.getAddress(), "USDC", 10n ** 18n],
    ]);
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

  it("with no risk engine there is no index price: an operator cannot place, the owner can", async () => {
    const { ch, market, alice } = fx();
    const a = await agent();
    await mined(ch.connect(alice).setOperator(0, a.address, true));
    const word = ord({ side: Side.Ask, tick: 310_000n, lots: 3n });
    await expect(market.connect(a).placeOrderFor(alice.address, word)).to.be.revertedWithCustomError(ch, "NoRiskEngine");
    await expect(market.connect(a).batch(alice.address, 0, [placeOp({ side: Side.Ask, tick: 310_000n, lots: 1n })])).to.be.revertedWithCustomError(
      ch,
      "NoRiskEngine",
    );
    await mined(market.connect(alice).placeOrderFor(alice.address, word));
    // cancels need no price
    await mined(market.connect(a).cancelAll(alice.address, 0, [...(await allOpenOrders(market, alice.address, 0))]));
  });

  it("operatorTickBand: not approved reads no price; approved gives the ticks of the band, edges rounded inward", async () => {
    const f = fx();
    const { ch, market, alice } = f;
    const a = await agent();
    const [base, quote] = [await f.weth.getAddress(), await f.usdc.getAddress()];
    expect(await ch.operatorTickBand(acct(alice), a.address, base, quote, 10n ** 15n, 10n)).to.deep.equal([false, 0n, 0n]);
    await prices(f);
    await mined(ch.connect(alice).setOperator(0, a.address, true));
    expect(await ch.operatorTickBand(acct(alice), a.address, base, quote, 10n ** 15n, 10n)).to.deep.equal([true, 294_000n, 306_000n]);
    // a 3-bps band on a coarse tick: 300_000 / 7 = 42_857.14 ticks; ±0.03% = [42_844.28, 42_870.0]
    await mined(ch.connect(alice).setOperatorBand(0, 3));
    expect(await ch.operatorTickBand(acct(alice), a.address, base, quote, 10n ** 15n, 70n)).to.deep.equal([true, 42_845n, 42_870n]);
    expect(await market.CLEARINGHOUSE()).to.equal(await ch.getAddress());
  });

  it("an operator places for the owner's account and cancels it; the owner's pocket carries it", async () => {
    const { ch, market, alice } = fx();
    const a = await agent();
    await prices(fx());
    await mined(ch.connect(alice).setOperator(0, a.address, true));
    const word = ord({ side: Side.Ask, tick: 310_000n, lots: 3n, clientOrderId: 9n });
    const placed = parseMarketLogs(market, await mined(market.connect(a).placeOrderFor(alice.address, word)));
    expect(placed.orderId).to.not.equal(0n);
    const [owner, lots] = await market.getOrder(placed.orderId);
    expect(owner).to.equal(acct(alice));
    expect(lots).to.equal(3n);
    expect((await pocket(market, alice)).openOrders).to.equal(1n);
    expect((await pocket(market, a)).openOrders).to.equal(0n);
    await expect(market.connect(a).cancelOrder(placed.orderId)).to.emit(market, "OrderCancelled").withArgs(market.marketId, placed.orderId, 3n);
    // client id, amend, batch and cancel-all go through the same check
    const again = parseMarketLogs(market, await mined(market.connect(a).placeOrderFor(alice.address, word)));
    await mined(market.connect(a).amendOrder(again.orderId, 2n));
    await mined(market.connect(a).cancelOrderByClientId(alice.address, 0, 9n));
    await mined(market.connect(a).batch(alice.address, 0, [placeOp({ side: Side.Ask, tick: 310_000n, lots: 1n })]));
    await mined(market.connect(a).cancelAll(alice.address, 0, [...(await allOpenOrders(market, alice.address, 0))]));
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
