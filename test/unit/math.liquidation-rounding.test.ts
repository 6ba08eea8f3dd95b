// The liquidation's seizure and discount round through MathLib, against the liquidator (the
// liquidated account's side): a liquidator who splits a repayment into odd-sized parts is paid
// each part's rounded-down seizure and never more in total than one repayment of the sum would
// have paid: rounding cannot be farmed for collateral that is not theirs.
import { expect } from "chai";
import { E18, E6, WAD, acctOf, deposit, mSeized, mined, setPrice, useMarginFixture, warp, type MFx } from "./margin._helpers.ts";

const P_DROP = 2_700n * WAD;
const CAP_BPS = ((1_000n + 50n) * 5_000n) / 10_000n; // WETH (shock + slippage) × capShare = 525 bps
const RAMP = 600n;

async function underwater(f: MFx) {
  await deposit(f, f.bob, f.W, 10n * E18);
  await mined(f.ch.connect(f.bob).borrow(f.U, 0, 24_000n * E6, f.bob.address));
  await deposit(f, f.carol, f.U, 100_000n * E6);
  await setPrice(f, f.W, P_DROP);
  expect(await f.ch.isLiquidatable(acctOf(f.bob))).to.equal(true);
}

describe("Liquidation rounding (MathLib): against the liquidator", () => {
  const fx = useMarginFixture();

  it("split repayments seize each part's rounded-down amount and never more than one repayment of the sum", async () => {
    const f = fx();
    const { ch, bob, carol, W, U } = f;
    await underwater(f);
    await mined(ch.connect(carol).flagLiquidatable(acctOf(bob)));
    await warp(f, RAMP + 1n); // the discount is at its cap from now on: the same for every part
    expect(await ch.liquidationDiscountBps(acctOf(bob), W)).to.equal(CAP_BPS);
    const snap = await f.networkHelpers.takeSnapshot();

    // odd-sized parts (each large enough to burn debt shares: a repayment that burns none cannot
    // improve the account and reverts LiquidationDidNotImprove, so dust cannot be farmed either)
    const parts = [333_333n, 666_668n, E6 + 1n, 2n * E6 + 3n];
    const total = parts.reduce((a, b) => a + b, 0n);
    const w0 = await ch.balanceOf(acctOf(carol), W);
    await mined(ch.connect(carol).liquidate(acctOf(bob), U, total, W, 0));
    const once = (await ch.balanceOf(acctOf(carol), W)) - w0;
    expect(once).to.equal(mSeized(total, WAD, 6n, P_DROP, 18n, CAP_BPS));

    await snap.restore();
    let split = 0n;
    for (const part of parts) {
      const before = await ch.balanceOf(acctOf(carol), W);
      await mined(ch.connect(carol).liquidate(acctOf(bob), U, part, W, 0));
      const got = (await ch.balanceOf(acctOf(carol), W)) - before;
      expect(got).to.equal(mSeized(part, WAD, 6n, P_DROP, 18n, CAP_BPS)); // ⌊·⌋ at both steps
      split += got;
    }
    expect(split <= once).to.equal(true);
    expect(split < once).to.equal(true); // the parts are inexact: the account keeps the remainders
  });
});
