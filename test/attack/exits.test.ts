// Issue 13, item 1: every exit is margined against every liability. A perp position, a resting
// perp order or perp cash is a liability like debt: an owner action that lowers the account's value
// (withdraw, transfer, a spot buy funded from its balance) must leave initial value >= 0.
import { expect } from "chai";
import {
  useVenue, deposit, withdraw, transfer, perpOrder, spotOrder, initialValue, balanceOf, walletOf, acctOf, sameTime, E6,
} from "./venue.ts";

const ETH = 300_000n; // $3,000 on both WETH books
const LONG = 1_800n; // 1.8 ETH of ETH-PERP: $5,400 of notional on $1,000 of USDC (near its initial limit)

describe("attack: exits that skip the margin check", () => {
  const venue = useVenue();

  /** alice: 1,000 USDC, long 2 ETH-PERP bought from bob (who has plenty). */
  async function longAlice() {
    const v = venue();
    await deposit(v, v.alice, "USDC", 1_000n * E6);
    await deposit(v, v.bob, "USDC", 100_000n * E6);
    await perpOrder(v, v.bob, { side: 1n, tick: ETH, lots: LONG });
    await perpOrder(v, v.alice, { side: 0n, tick: ETH, lots: LONG, kind: 2n });
    expect(await initialValue(v, v.alice)).to.be.greaterThan(0n);
    return v;
  }

  it("withdrawing the USDC that backs a perp position reverts InsufficientMargin", async () => {
    const v = await longAlice();
    const wallet = await walletOf(v, v.alice, "USDC");
    await expect(withdraw(v, v.alice, "USDC", 990n * E6)).to.be.revertedWithCustomError(v.ch, "InsufficientMargin");
    expect(await walletOf(v, v.alice, "USDC")).to.equal(wallet);
    // what the lens says may leave does leave, and the account still meets initial margin
    const max = await v.lens.maxWithdraw(acctOf(v.alice), v.U, false);
    expect(max).to.be.greaterThan(0n).and.lessThan(990n * E6);
    await sameTime(v); // funding accrues by the second: withdraw at the time the lens priced
    await withdraw(v, v.alice, "USDC", max);
    expect(await initialValue(v, v.alice)).to.be.at.least(0n);
  });

  it("moving that USDC to another sub-account reverts InsufficientMargin", async () => {
    const v = await longAlice();
    await expect(transfer(v, v.alice, "USDC", 990n * E6, 0n, 1n)).to.be.revertedWithCustomError(v.ch, "InsufficientMargin");
    expect(await balanceOf(v, v.alice, "USDC", 1n)).to.equal(0n);
  });

  it("a resting perp order is a liability too: withdrawing what backs it reverts", async () => {
    const v = venue();
    await deposit(v, v.alice, "USDC", 1_000n * E6);
    await perpOrder(v, v.alice, { side: 0n, tick: 290_000n, lots: LONG });
    await expect(withdraw(v, v.alice, "USDC", 999n * E6)).to.be.revertedWithCustomError(v.ch, "InsufficientMargin");
  });

  it("two colluding accounts, long and short, cannot each withdraw what backs their side", async () => {
    const v = venue();
    await deposit(v, v.alice, "USDC", 1_000n * E6);
    await deposit(v, v.bob, "USDC", 1_000n * E6);
    await perpOrder(v, v.bob, { side: 1n, tick: ETH, lots: LONG });
    await perpOrder(v, v.alice, { side: 0n, tick: ETH, lots: LONG, kind: 2n });
    for (const s of [v.alice, v.bob]) {
      await expect(withdraw(v, s, "USDC", 990n * E6)).to.be.revertedWithCustomError(v.ch, "InsufficientMargin");
      expect(await initialValue(v, s)).to.be.at.least(0n);
    }
  });

  it("a spot bid funded from the balance (a fresh book pocket) is margin-checked against the perp", async () => {
    const v = await longAlice();
    await expect(spotOrder(v, v.alice, { side: 0n, tick: ETH, lots: 300n })).to.be.revertedWithCustomError(
      v.ch,
      "InsufficientMargin",
    );
  });

  it("the spot fast path (a known pocket, no debt) is margin-checked once the account holds a perp", async () => {
    const v = venue();
    await deposit(v, v.alice, "USDC", 1_000n * E6);
    await deposit(v, v.carol, "WETH", 10n ** 18n);
    // a first spot trade gives alice a pocket on the spot book before she has any liability
    await spotOrder(v, v.carol, { side: 1n, tick: ETH, lots: 1n });
    await spotOrder(v, v.alice, { side: 0n, tick: ETH, lots: 1n, kind: 2n });
    await deposit(v, v.bob, "USDC", 100_000n * E6);
    await perpOrder(v, v.bob, { side: 1n, tick: ETH, lots: LONG });
    await perpOrder(v, v.alice, { side: 0n, tick: ETH, lots: LONG, kind: 2n });
    const usdc = await balanceOf(v, v.alice, "USDC");
    await expect(spotOrder(v, v.alice, { side: 0n, tick: ETH, lots: 300n })).to.be.revertedWithCustomError(
      v.ch,
      "InsufficientMargin",
    );
    expect(await balanceOf(v, v.alice, "USDC")).to.equal(usdc);
    // a small bid that keeps initial value >= 0 still rests
    await spotOrder(v, v.alice, { side: 0n, tick: 200_000n, lots: 1n });
    expect(await initialValue(v, v.alice)).to.be.at.least(0n);
  });
});
