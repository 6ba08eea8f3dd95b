import { expect } from "chai";
import { Side, encodeOrder } from "../../sdk/src/math/order.ts";
import {
  E18, E6, E8, WAD, acctOf, deposit, mSeized, mined, now, sameTime, setPrice, storedAmount, useMarginFixture, warp, type MFx,
} from "./margin._helpers.ts";
import { allOpenOrders } from "../helpers/openOrders.ts";

const P_DROP = 2_700n * WAD;
const CAP_BPS = ((1_000n + 50n) * 5_000n) / 10_000n; // WETH (shock + slippage) × capShare = 525 bps
const RAMP = 600n;

/** bob: 10 WETH against 24,000 USDC of debt; WETH falls to $2,700 (maintenance ≈ −$99). carol has USDC. */
async function underwater(f: MFx, beforeDrop?: () => Promise<unknown>) {
  await deposit(f, f.bob, f.W, 10n * E18);
  await mined(f.ch.connect(f.bob).borrow(f.U, 0, 24_000n * E6, f.bob.address));
  await deposit(f, f.carol, f.U, 100_000n * E6);
  if (beforeDrop) await beforeDrop();
  await setPrice(f, f.W, P_DROP);
  expect(await f.ch.isLiquidatable(acctOf(f.bob))).to.equal(true);
}

/** Largest repayment (USDC atoms) that does not overshoot the buffer, found with static calls now. */
async function largestRepay(f: MFx): Promise<bigint> {
  let lo = 1n;
  let hi = -(await f.ch.balanceOf(acctOf(f.bob), f.U));
  while (lo < hi) {
    const mid = hi - (hi - lo) / 2n;
    const ok = await f.ch.connect(f.carol).liquidate.staticCall(acctOf(f.bob), f.U, mid, f.W, 0).then(() => true, () => false);
    if (ok) lo = mid;
    else hi = mid - 1n;
  }
  return lo;
}

describe("Clearinghouse.liquidate", () => {
  const fx = useMarginFixture();

  it("a healthy account is not liquidatable (NotLiquidatable with its maintenance value)", async () => {
    const f = fx();
    const { ch, atlas, bob, carol, W, U } = f;
    await deposit(f, bob, W, 10n * E18);
    await mined(ch.connect(bob).borrow(U, 0, 24_000n * E6, bob.address));
    await sameTime(f);
    const mv = await atlas.maintenanceValue(acctOf(bob));
    expect(mv).to.be.greaterThan(0n);
    await expect(ch.connect(carol).liquidate(acctOf(bob), U, E6, W, 0))
      .to.be.revertedWithCustomError(ch, "NotLiquidatable")
      .withArgs(acctOf(bob), mv);
    await sameTime(f);
    await expect(ch.connect(carol).flagLiquidatable(acctOf(bob)))
      .to.be.revertedWithCustomError(ch, "NotLiquidatable")
      .withArgs(acctOf(bob), mv);
  });

  it("resting orders must be cancelled first; anyone may cancel them once the account is liquidatable", async () => {
    const f = fx();
    const { ch, market, bob, carol, W, U } = f;
    let orderId = 0n;
    await underwater(f, async () => {
      await mined(market.connect(bob).placeOrder(encodeOrder({ side: Side.Ask, tick: 500_000n, lots: 100n })));
      [orderId] = await allOpenOrders(market, bob.address, 0);
      await expect(market.connect(carol).cancelForLiquidation(bob.address, 0, [orderId]))
        .to.be.revertedWithCustomError(market, "AccountNotLiquidatable")
        .withArgs(acctOf(bob));
    });
    // Atlas sees the base the ask locks, so the Clearinghouse reads the pockets and names the market
    expect((await f.atlas.liquidationQuote(acctOf(bob), U, W))[5]).to.equal(true);
    await expect(ch.connect(carol).liquidate(acctOf(bob), U, 100n * E6, W, 0))
      .to.be.revertedWithCustomError(ch, "OrdersStillOpen")
      .withArgs(market.marketId, 1n);
    await expect(market.connect(carol).cancelForLiquidation(bob.address, 0, [orderId])).to.emit(market, "OrderCancelled");
    expect((await f.atlas.liquidationQuote(acctOf(bob), U, W))[5]).to.equal(false);
    expect(await market.pocketOf(bob.address, 0)).to.deep.equal([0n, 0n, 100n * 10n ** 15n, 0n, 0n]);
    await mined(ch.connect(carol).liquidate(acctOf(bob), U, 100n * E6, W, 0));
  });

  it("the repayment goes from the liquidator's balance to the pool's cash, logged once, in Liquidated with the shares burnt", async () => {
    const f = fx();
    const { ch, bob, carol, W, U } = f;
    await underwater(f);
    const [shares0, cash0, vault0, reserve0] = [
      await storedAmount(f, acctOf(bob), U), await ch.cash(U), await f.usdc.balanceOf(ch), await ch.reserveOf(U),
    ];
    const tx = await ch.connect(carol).liquidate(acctOf(bob), U, 100n * E6, W, 0);
    const burnt = (await storedAmount(f, acctOf(bob), U)) - shares0;
    expect(burnt).to.be.greaterThan(0n);
    const seized = mSeized(100n * E6, WAD, 6n, P_DROP, 18n, 0n);
    await expect(tx).to.emit(ch, "Liquidated").withArgs(acctOf(bob), acctOf(carol), U, 100n * E6, burnt, W, seized, 0n);
    await expect(tx).not.to.emit(ch, "Repaid");
    // all 100 USDC went from carol's balance to the pool's cash, both in the vault: no token moved, and
    // the sub-share dust stays in the cash, not in the reserve
    expect(await f.usdc.balanceOf(ch)).to.equal(vault0);
    expect(await ch.cash(U)).to.equal(cash0 + 100n * E6);
    expect(await ch.reserveOf(U)).to.equal(reserve0);
  });

  it("the discount is 0 when first found liquidatable and grows linearly to the cap over rampSeconds", async () => {
    const f = fx();
    const { ch, bob, carol, W, U } = f;
    await underwater(f);
    const t0 = (await now(f)) + 1n;
    await f.networkHelpers.time.setNextBlockTimestamp(t0);
    await expect(ch.connect(carol).flagLiquidatable(acctOf(bob))).to.emit(ch, "LiquidatableFlagged").withArgs(acctOf(bob), t0);
    expect((await ch.accountState(acctOf(bob))) >> 208n).to.equal(t0);
    const repay = 100n * E6;
    for (const k of [0n, 150n, 300n, 599n, 600n, 900n]) {
      await f.networkHelpers.time.setNextBlockTimestamp(t0 + k);
      const discount = k >= RAMP ? CAP_BPS : (CAP_BPS * k) / RAMP;
      const seized = mSeized(repay, WAD, 6n, P_DROP, 18n, discount);
      const [bobW, carolW, carolU] = [
        await ch.balanceOf(acctOf(bob), W), await ch.balanceOf(acctOf(carol), W), await ch.balanceOf(acctOf(carol), U),
      ];
      const shares0 = await storedAmount(f, acctOf(bob), U);
      const tx = await ch.connect(carol).liquidate(acctOf(bob), U, repay, W, 0);
      const burnt = (await storedAmount(f, acctOf(bob), U)) - shares0;
      await expect(tx).to.emit(ch, "Liquidated").withArgs(acctOf(bob), acctOf(carol), U, repay, burnt, W, seized, discount);
      expect(await ch.balanceOf(acctOf(bob), W)).to.equal(bobW - seized);
      expect(await ch.balanceOf(acctOf(carol), W)).to.equal(carolW + seized);
      expect(await ch.balanceOf(acctOf(carol), U)).to.equal(carolU - repay);
    }
    expect((await ch.accountState(acctOf(bob))) >> 208n).to.equal(t0); // still under water: the clock runs on
  });

  it("a liquidation raises maintenance, never past the buffer, and a healthy account's clock resets", async () => {
    const f = fx();
    const { ch, atlas, bob, carol, W, U } = f;
    await underwater(f);
    const repay = await largestRepay(f);
    await sameTime(f);
    const before = await atlas.maintenanceValue(acctOf(bob));
    await sameTime(f);
    await mined(ch.connect(carol).liquidate(acctOf(bob), U, repay, W, 0));
    const r = await atlas.riskOf(acctOf(bob));
    expect(r.maintenanceWad).to.be.greaterThan(before);
    expect(r.maintenanceWad).to.be.at.least(0n);
    expect(r.maintenanceWad).to.be.at.most((r.equityWad * 100n) / 10_000n);
    expect((await ch.accountState(acctOf(bob))) >> 208n).to.equal(0n);
    expect(await ch.isLiquidatable(acctOf(bob))).to.equal(false);
    // healthy now: nothing is left to liquidate
    await expect(ch.connect(carol).liquidate.staticCall(acctOf(bob), U, 1n, W, 0)).to.be.revertedWithCustomError(ch, "NotLiquidatable");
  });

  it("reverts LiquidationTooLarge when the repayment would overshoot the buffer", async () => {
    const f = fx();
    const { ch, bob, carol, W, U } = f;
    await underwater(f);
    await expect(ch.connect(carol).liquidate(acctOf(bob), U, 20_000n * E6, W, 0))
      .to.be.revertedWithCustomError(ch, "LiquidationTooLarge")
      .withArgs((after: bigint) => after > 0n, (buffer: bigint) => buffer > 0n && buffer < 100n * WAD);
  });

  it("reverts RepayExceedsDebt beyond the debt with interest", async () => {
    const f = fx();
    const { ch, bob, carol, W, U } = f;
    await underwater(f);
    await warp(f, 86_400n);
    await sameTime(f);
    const debt = -(await ch.balanceOf(acctOf(bob), U));
    expect(debt).to.be.greaterThan(24_000n * E6);
    await sameTime(f);
    await expect(ch.connect(carol).liquidate(acctOf(bob), U, debt + 1n, W, 0))
      .to.be.revertedWithCustomError(ch, "RepayExceedsDebt")
      .withArgs(U, debt + 1n, debt);
    await expect(ch.connect(carol).liquidate(acctOf(bob), W, 1n, U, 0))
      .to.be.revertedWithCustomError(ch, "RepayExceedsDebt")
      .withArgs(W, 1n, 0n);
  });

  it("reverts InsufficientCollateral when the account holds less of the collateral than the seizure", async () => {
    const f = fx();
    const { ch, bob, carol, U, B, L } = f;
    await underwater(f, () => deposit(f, bob, B, E8 / 1_000n));
    // first call: the discount is 0
    const seizeB = mSeized(1_000n * E6, WAD, 6n, 60_000n * WAD, 8n, 0n);
    await expect(ch.connect(carol).liquidate(acctOf(bob), U, 1_000n * E6, B, 0))
      .to.be.revertedWithCustomError(ch, "InsufficientCollateral")
      .withArgs(B, seizeB, E8 / 1_000n);
    const seizeL = mSeized(1_000n * E6, WAD, 6n, 20n * WAD, 18n, 0n);
    await expect(ch.connect(carol).liquidate(acctOf(bob), U, 1_000n * E6, L, 0))
      .to.be.revertedWithCustomError(ch, "InsufficientCollateral")
      .withArgs(L, seizeL, 0n);
  });

  it("reverts LiquidationDidNotImprove when the repayment buys no borrow share but collateral is seized", async () => {
    const f = fx();
    const { ch, atlas, bob, carol, W, U } = f;
    await underwater(f);
    await warp(f, 3_600n); // the borrow index is above 1.0: one atom repays no whole share
    expect(await f.ch.borrowIndexWad(f.U)).to.be.greaterThan(WAD);
    await sameTime(f);
    const before = await atlas.maintenanceValue(acctOf(bob));
    await sameTime(f);
    await expect(ch.connect(carol).liquidate(acctOf(bob), U, 1n, W, 0))
      .to.be.revertedWithCustomError(ch, "LiquidationDidNotImprove")
      .withArgs(before, (after: bigint) => after < before);
  });

  it("reverts SelfLiquidation and ZeroAmount; another sub-account of the owner may liquidate", async () => {
    const f = fx();
    const { ch, bob, carol, W, U } = f;
    await underwater(f);
    await expect(ch.connect(bob).liquidate(acctOf(bob), U, E6, W, 0)).to.be.revertedWithCustomError(ch, "SelfLiquidation");
    await expect(ch.connect(carol).liquidate(acctOf(bob), U, 0n, W, 0)).to.be.revertedWithCustomError(ch, "ZeroAmount");
    await deposit(f, bob, U, 1_000n * E6, 1n);
    await mined(ch.connect(bob).liquidate(acctOf(bob), U, 100n * E6, W, 1));
    expect(await ch.balanceOf(acctOf(bob, 1n), W)).to.be.greaterThan(0n);
  });

  it("the liquidator pays from its own balance and never borrows", async () => {
    const f = fx();
    const { ch, bob, dave, W, U } = f;
    await underwater(f);
    await deposit(f, dave, W, 100n * E18);
    await mined(ch.connect(dave).setBorrowPolicy(0, true, true));
    await expect(ch.connect(dave).liquidate(acctOf(bob), U, 100n * E6, W, 0))
      .to.be.revertedWithCustomError(ch, "InsufficientBalance")
      .withArgs(U, 100n * E6, 0n);
  });

  // Found by this suite (see the report): the auction clock is only cleared by a liquidation that
  // leaves the account healthy. An account flagged once, healthy again through a price recovery,
  // deposit or repayment, keeps its old timestamp, so when it next falls under water the first
  // liquidator gets the full capped discount at once instead of an auction starting from 0.
  it("ends the auction when anyone flags the account healthy again; the next fall starts from a zero discount", async () => {
    const f = fx();
    const { ch, bob, carol, W, U } = f;
    await underwater(f);
    await mined(ch.connect(carol).flagLiquidatable(acctOf(bob)));
    await setPrice(f, W, 3_000n * WAD); // healthy again
    expect(await ch.isLiquidatable(acctOf(bob))).to.equal(false);
    // the owner (who has the reason to) shows the account healthy: the clock is cleared
    await expect(ch.connect(bob).flagLiquidatable(acctOf(bob))).to.emit(ch, "LiquidatableFlagged").withArgs(acctOf(bob), 0n);
    expect((await ch.accountState(acctOf(bob))) >> 208n).to.equal(0n);
    // a healthy account with no running auction cannot be flagged
    await expect(ch.connect(carol).flagLiquidatable(acctOf(bob))).to.be.revertedWithCustomError(ch, "NotLiquidatable");
    await f.networkHelpers.time.increase(RAMP);
    await setPrice(f, W, P_DROP); // under water again, a new episode
    const shares0 = await storedAmount(f, acctOf(bob), U);
    const tx = await ch.connect(carol).liquidate(acctOf(bob), U, 100n * E6, W, 0);
    const burnt = (await storedAmount(f, acctOf(bob), U)) - shares0;
    expect(burnt).to.be.greaterThan(0n);
    await expect(tx).to.emit(ch, "Liquidated")
      .withArgs(acctOf(bob), acctOf(carol), U, 100n * E6, burnt, W, mSeized(100n * E6, WAD, 6n, P_DROP, 18n, 0n), 0n);
  });

  it("the core's liquidationQuote agrees with riskOf, the debt and the oracle from one valuation", async () => {
    const f = fx();
    const { ch, atlas, oracle, bob, W, U, B } = f;
    await underwater(f);
    await warp(f, 3_600n); // interest accrued: the debt is the pool's, rounded up
    const a = acctOf(bob);
    const [mv, eq, debt, pd, pc, ordersOpen] = await atlas.liquidationQuote(a, U, W);
    expect(ordersOpen).to.equal(false); // nothing rests on a book
    const r = await atlas.riskOf(a);
    expect(mv).to.equal(r.maintenanceWad);
    expect(mv).to.be.lessThan(0n);
    expect(eq).to.equal(r.equityWad);
    expect(debt).to.equal(-(await ch.balanceOf(a, U))); // the debt with interest, as the pool books it
    expect(debt).to.be.greaterThan(24_000n * E6);
    expect(pd).to.equal((await oracle.price(U))[0]);
    expect(pc).to.equal(P_DROP);
    // no tokens: only the two values; a collateral the account does not hold is still priced,
    // and a token it does not owe has no debt
    expect(await atlas.liquidationQuote(a, "0x0000000000000000000000000000000000000000", "0x0000000000000000000000000000000000000000"))
      .to.deep.equal([r.maintenanceWad, r.equityWad, 0n, 0n, 0n, false]);
    const [, , debtW, pW, pB] = await atlas.liquidationQuote(a, W, B);
    expect(debtW).to.equal(0n);
    expect(pW).to.equal(P_DROP);
    expect(pB).to.equal((await oracle.price(B))[0]);
  });
});
