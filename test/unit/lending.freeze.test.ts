// The venue's incident freeze as a pool sees it: the Clearinghouse sets the flag; outside lenders'
// withdraw and redeem revert Frozen and the ERC-4626 max views say 0; deposits go on, and the
// Clearinghouse's own redemptions (a liquidation seizing lent collateral) go on.
import { expect } from "chai";
import { usePool } from "./lending._helpers.ts";

describe("LendingPool.setFrozen (the venue's freeze)", () => {
  const fx = usePool();

  it("only the Clearinghouse sets it; lenders' exits wait, deposits and the Clearinghouse's own exits go on", async () => {
    const { pool, alice, ch, unit } = fx();
    await (await pool.connect(alice).deposit(1_000n * unit, alice.address)).wait();
    await (await pool.connect(ch).deposit(1_000n * unit, ch.address)).wait();
    await expect(pool.connect(alice).setFrozen(true)).to.be.revertedWithCustomError(pool, "NotClearinghouse");
    await (await pool.connect(ch).setFrozen(true)).wait();
    expect(await pool.frozen()).to.equal(true);
    await expect(pool.connect(alice).withdraw(unit, alice.address, alice.address)).to.be.revertedWithCustomError(pool, "Frozen");
    await expect(pool.connect(alice).redeem(10n ** 6n, alice.address, alice.address)).to.be.revertedWithCustomError(pool, "Frozen");
    expect(await pool.maxWithdraw(alice.address)).to.equal(0n);
    expect(await pool.maxRedeem(alice.address)).to.equal(0n);
    await (await pool.connect(alice).deposit(unit, alice.address)).wait();
    expect(await pool.maxWithdraw(ch.address)).to.be.greaterThan(0n);
    await (await pool.connect(ch).withdraw(unit, ch.address, ch.address)).wait();
    await (await pool.connect(ch).setFrozen(false)).wait();
    await (await pool.connect(alice).withdraw(unit, alice.address, alice.address)).wait();
    expect(await pool.maxWithdraw(alice.address)).to.be.greaterThan(0n);
  });
});
