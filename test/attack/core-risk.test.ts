// Issue #14, stage 3 (risk): the Clearinghouse values accounts itself (RiskLib, from its own storage)
// instead of calling the Atlas contract, which called back into it; since stage 4 Atlas is gone and
// the core holds every market. Every path that used to ask Atlas (the margin check of withdrawals,
// transfers, borrows and perp orders; spot and perp liquidations; the liquidation flag) must still
// refuse to let anyone take value that is not theirs. To show that none of them leans on ATLAS code
// outside the core, the what-if lens's code is wiped first: a path that still called it would revert
// without a reason (or, worse, a check that skipped it would pass).
import { expect } from "chai";
import {
  E6, E18, WAD, useVenue, deposit, withdraw, transfer, borrow, allowBorrow, perpOrder, setPrice, isLiquidatable,
  flagLiquidatable, liquidateSpot, liquidatePerpLargest, maintenanceValue, initialValue, walletOf, balanceOf, perpLots,
  liquidatePerp, wipeLens, type Venue,
} from "./venue.ts";

const ETH = 300_000n; // $3,000 on the WETH books

/** The what-if lens's code gone (the only ATLAS code outside the core): whatever still called it would revert without data. */
async function wipeAtlas(v: Venue) {
  await wipeLens(v);
}

/** alice: 1,000 USDC, long 1.8 ETH-PERP bought from bob (near its initial limit). */
async function longAlice(v: Venue) {
  await deposit(v, v.alice, "USDC", 1_000n * E6);
  await deposit(v, v.bob, "USDC", 100_000n * E6);
  await perpOrder(v, v.bob, { side: 1n, tick: ETH, lots: 1_800n });
  await perpOrder(v, v.alice, { side: 0n, tick: ETH, lots: 1_800n, kind: 2n });
  expect(await initialValue(v, v.alice)).to.be.greaterThan(0n);
}

describe("attack: margin checks inside the Clearinghouse (no Atlas call)", () => {
  const venue = useVenue();

  it("the USDC behind a perp position can be neither withdrawn nor moved to another sub-account", async () => {
    const v = venue();
    await longAlice(v);
    await wipeAtlas(v);
    const wallet = await walletOf(v, v.alice, "USDC");
    await expect(withdraw(v, v.alice, "USDC", 990n * E6)).to.be.revertedWithCustomError(v.ch, "InsufficientMargin");
    await expect(transfer(v, v.alice, "USDC", 990n * E6, 0n, 1n)).to.be.revertedWithCustomError(v.ch, "InsufficientMargin");
    expect(await walletOf(v, v.alice, "USDC")).to.equal(wallet);
    expect(await balanceOf(v, v.alice, "USDC", 1n)).to.equal(0n);
    // a small withdrawal within the margin still leaves
    await withdraw(v, v.alice, "USDC", 10n * E6);
    expect(await initialValue(v, v.alice)).to.be.at.least(0n);
  });

  it("a borrow beyond the collateral reverts InsufficientMargin; one within it is paid", async () => {
    const v = venue();
    await deposit(v, v.carol, "WETH", E18); // $3,000
    await allowBorrow(v, v.carol);
    await wipeAtlas(v);
    const wallet = await walletOf(v, v.carol, "USDC");
    await expect(borrow(v, v.carol, "USDC", 2_900n * E6)).to.be.revertedWithCustomError(v.ch, "InsufficientMargin");
    expect(await walletOf(v, v.carol, "USDC")).to.equal(wallet);
    await borrow(v, v.carol, "USDC", 1_000n * E6);
    expect(await walletOf(v, v.carol, "USDC")).to.equal(wallet + 1_000n * E6);
    // the WETH behind the debt stays
    await expect(withdraw(v, v.carol, "WETH", (E18 * 8n) / 10n)).to.be.revertedWithCustomError(v.ch, "InsufficientMargin");
  });

  it("a healthy account can be neither flagged nor liquidated (spot or perp); an unhealthy one can", async () => {
    const v = venue();
    await longAlice(v);
    await deposit(v, v.carol, "USDC", 100_000n * E6);
    await deposit(v, v.dave, "WETH", E18);
    await allowBorrow(v, v.dave);
    await borrow(v, v.dave, "USDC", 2_400n * E6);
    await wipeAtlas(v);
    await expect(flagLiquidatable(v, v.carol, v.alice)).to.be.revertedWithCustomError(v.ch, "NotLiquidatable");
    await expect(liquidateSpot(v, v.carol, v.dave, "USDC", 100n * E6, "WETH")).to.be.revertedWithCustomError(
      v.ch,
      "NotLiquidatable",
    );
    await expect(liquidatePerp(v, v.carol, v.alice, 100n, false)).to.be.revertedWithCustomError(v.ch, "NotLiquidatable");
    const wethBefore = await balanceOf(v, v.dave, "WETH");
    expect(await perpLots(v, v.alice)).to.equal(1_800n);
    // ETH falls 15%: both are under water, and the liquidations take place, valued by the Clearinghouse
    await setPrice(v, "WETH", 2_550n * WAD);
    expect(await isLiquidatable(v, v.alice)).to.equal(true);
    expect(await isLiquidatable(v, v.dave)).to.equal(true);
    const mvDave = await maintenanceValue(v, v.dave);
    await liquidateSpot(v, v.carol, v.dave, "USDC", 100n * E6, "WETH");
    expect(await maintenanceValue(v, v.dave)).to.be.greaterThan(mvDave);
    expect(await balanceOf(v, v.dave, "WETH")).to.be.lessThan(wethBefore);
    const mvAlice = await maintenanceValue(v, v.alice);
    expect(await liquidatePerpLargest(v, v.carol, v.alice, false)).to.be.greaterThan(0n);
    expect(await perpLots(v, v.alice)).to.be.lessThan(1_800n);
    expect(await maintenanceValue(v, v.alice)).to.be.greaterThan(mvAlice);
  });
});
