// A liquidation cannot be blocked by lent collateral in a pool with no cash (issue #13 item 6): the
// seized collateral moves as the pool's supply shares to the liquidator, whose balance of it is then lent.
import { expect } from "chai";
import {
  E6, E18, WAD, useVenue, deposit, borrow, setPrice, setLending, lenderExits, poolCash, liquidateSpot, isLiquidatable,
  maintenanceValue, balanceOf, allowBorrow, type Venue,
} from "./venue.ts";

/** Bob lends 1 WETH, borrows 2,000 USDC; the WETH pool's whole cash is then borrowed; WETH falls to $2,200. */
async function lentAndIlliquid(v: Venue) {
  await lenderExits(v, "WETH");
  await deposit(v, v.bob, "WETH", E18);
  await setLending(v, v.bob, "WETH", true);
  await borrow(v, v.bob, "USDC", 2_000n * E6);
  await deposit(v, v.carol, "USDC", 100_000n * E6);
  await allowBorrow(v, v.carol);
  await borrow(v, v.carol, "WETH", await poolCash(v, "WETH")); // every atom of cash
  expect(await poolCash(v, "WETH")).to.equal(0n);
  await deposit(v, v.alice, "USDC", 10_000n * E6);
  await setPrice(v, "WETH", 2_200n * WAD);
  expect(await isLiquidatable(v, v.bob)).to.equal(true);
}

describe("attack: lent collateral in a pool with no cash blocks a liquidation", () => {
  const fx = useVenue();

  it("the liquidator receives the seized WETH as lent supply shares; the account's maintenance value rises", async () => {
    const v = fx();
    await lentAndIlliquid(v);
    const mv = await maintenanceValue(v, v.bob);
    // supply shares, not their value in atoms: the value grows with the fully used pool's interest
    // between two reads, the shares move only with the liquidation
    const { acctOf } = await import("../unit/margin._helpers.ts");
    const shares = async (who: { address: string }) => (await v.ch.positionOf(acctOf(who), v.W)).amount;
    const before = await shares(v.bob);
    await liquidateSpot(v, v.alice, v.bob, "USDC", 300n * E6, "WETH");
    expect(await maintenanceValue(v, v.bob)).to.be.greaterThan(mv);
    const seized = before - (await shares(v.bob));
    expect(seized).to.be.greaterThan(0n);
    const got = await shares(v.alice);
    expect(got).to.be.greaterThan(0n);
    expect(got).to.be.lessThanOrEqual(seized); // share rounding keeps the dust in the pool
    expect(seized - got).to.be.lessThan(3n);
    expect(await balanceOf(v, v.alice, "WETH")).to.be.greaterThan(0n);
    expect((await v.ch.positionOf(acctOf(v.alice), v.W)).lent).to.equal(true);
  });

  it("a liquidator whose balance of the collateral is idle must use an empty or lent sub-account (SeizedAsShares)", async () => {
    const v = fx();
    await lentAndIlliquid(v);
    await deposit(v, v.alice, "WETH", E18); // idle WETH in sub-account 0
    await expect(liquidateSpot(v, v.alice, v.bob, "USDC", 300n * E6, "WETH"))
      .to.be.revertedWithCustomError(v.ch, "SeizedAsShares").withArgs(v.W);
  });
});
