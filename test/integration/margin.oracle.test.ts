// Oracle failure blocks every action that adds risk, and never a deposit, a repayment or the
// actions of an account without debt: a stale admin feed, then a Chainlink feed out of bounds.
import { expect } from "chai";
import { MockAggregator__factory } from "../../types/ethers-contracts/index.js";
import { OrderKind, Side, encodeOrder } from "../../sdk/src/math/order.ts";
import { E18, E6, WAD, acctOf, deposit, mined, refreshPrices, useMarginFixture, type MFx } from "../unit/margin._helpers.ts";

/** bob: 10 WETH against 5,000 USDC, may borrow for orders and withdrawals; alice sells WETH at $3,000. */
async function setup(f: MFx) {
  const { ch, market, alice, bob, W, U } = f;
  await deposit(f, alice, W, 10n * E18);
  await deposit(f, alice, U, 10_000n * E6);
  await mined(market.connect(alice).placeOrder(encodeOrder({ side: Side.Ask, tick: 300_000n, lots: 1_000n })));
  await deposit(f, bob, W, 10n * E18);
  await mined(ch.connect(bob).borrow(U, 0, 5_000n * E6, bob.address));
  await mined(ch.connect(bob).setBorrowPolicy(0, true, true));
}

/** Every risk-adding action of bob (and a liquidation of him) reverts PriceUnavailable(asset). */
async function riskBlocked(f: MFx, asset: string) {
  const { ch, atlas, market, bob, carol, W, U } = f;
  const unavailable = (tx: Promise<unknown>) =>
    expect(tx).to.be.revertedWithCustomError(atlas, "PriceUnavailable").withArgs(asset);
  await unavailable(ch.connect(bob).borrow(U, 0, E6, bob.address));
  await unavailable(ch.connect(bob).withdraw(U, 0, E6, bob.address)); // a withdrawal that borrows
  await unavailable(ch.connect(bob).withdraw(W, 0, E18, bob.address)); // collateral out of an indebted account
  await unavailable(ch.connect(bob).transfer(W, 0, 1, E18));
  await unavailable(market.connect(bob).placeOrder(encodeOrder({ side: Side.Bid, tick: 300_000n, lots: 100n, kind: OrderKind.Ioc })));
  await unavailable(market.connect(bob).placeOrder(encodeOrder({ side: Side.Bid, tick: 250_000n, lots: 100n })));
  await unavailable(ch.connect(carol).liquidate(acctOf(bob), U, E6, W, 0));
  await unavailable(ch.connect(carol).flagLiquidatable(acctOf(bob)));
}

/** Deposits, repayments (by the owner or anyone) and sweeps still go through. */
async function creditsPass(f: MFx) {
  const { ch, bob, carol, W, U } = f;
  const debt0 = await ch.balanceOf(acctOf(bob), U);
  await deposit(f, bob, W, E18);
  await mined(ch.connect(bob).repay(U, bob.address, 0, 100n * E6));
  await mined(ch.connect(carol).repay(U, bob.address, 0, 100n * E6));
  await mined(f.market.sweep(bob.address, 0));
  expect(await ch.balanceOf(acctOf(bob), U)).to.be.greaterThan(debt0 + 199n * E6);
  expect(await ch.balanceOf(acctOf(bob), W)).to.equal(11n * E18);
}

describe("Margin under oracle failure", () => {
  const fx = useMarginFixture();

  it("a stale price blocks risk but not deposits, repayments or accounts without debt", async () => {
    const f = fx();
    const { ch, market, alice, bob, W, U } = f;
    await setup(f);
    await f.networkHelpers.time.increase(3_601n);
    expect((await f.oracle.tryPrice(W))[0]).to.equal(false);
    await riskBlocked(f, W);
    await creditsPass(f);
    // alice has no debt: she trades and withdraws without a valuation
    await mined(market.connect(alice).placeOrder(encodeOrder({ side: Side.Bid, tick: 200_000n, lots: 10n })));
    await mined(ch.connect(alice).withdraw(W, 0, E18, alice.address));
    // fresh prices: risk is allowed again
    await refreshPrices(f);
    await mined(ch.connect(bob).borrow(U, 0, E6, bob.address));
  });

  it("a Chainlink price outside the sanity bounds blocks risk the same way", async () => {
    const f = fx();
    const { ch, bob, W, U } = f;
    await setup(f);
    const agg = await new MockAggregator__factory(f.admin).deploy(8, 3_000n * 10n ** 8n);
    await mined(
      f.oracle.setFeed(W, {
        kind: 2n, feed: await agg.getAddress(), pythPriceId: "0x" + "00".repeat(32), maxAgeSeconds: 3_600n,
        maxConfBps: 0n, maxStableMoveBpsPerHour: 500n, minPriceWad: 300n * WAD, maxPriceWad: 30_000n * WAD,
      }),
    );
    await mined(ch.connect(bob).borrow(U, 0, E6, bob.address)); // in bounds: fine
    await mined(agg.setAnswer(40_000n * 10n ** 8n));
    // the borrow stored the in-bounds read, used while its feed time is at most 3 s old; past that,
    // the feed's out-of-bounds answer is what every read gets
    await f.networkHelpers.time.increase(4);
    expect((await f.oracle.tryPrice(W))[0]).to.equal(false);
    await riskBlocked(f, W);
    await creditsPass(f);
  });
});
