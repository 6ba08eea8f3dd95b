// The venue's incident freeze as a pool sees it: the venue sets the pool's flag (in the core, the
// Clearinghouse's `freeze`, restricted by the AccessManager: margin.governance.test.ts; here the
// mock's test-only setter); outside lenders' withdraw and redeem through the LendingVault revert
// Frozen and the ERC-4626 max views say 0; deposits go on, and margin accounts' own exits (a
// liquidation seizing lent collateral, a lent withdrawal) go on. (Ported from the standalone
// LendingPool, whose setFrozen was Clearinghouse-only with NotClearinghouse: that check is now the
// Clearinghouse's AccessManager restriction on `freeze`.)
import { expect } from "chai";
import { usePool } from "./lending._helpers.ts";

describe("The pool's freeze (the venue's), through the core and its LendingVault", () => {
  const fx = usePool();

  it("lenders' exits wait; deposits and margin accounts' own exits go on", async () => {
    const { pool, core, alice, ch, unit } = fx();
    await (await pool.connect(alice).deposit(1_000n * unit, alice.address)).wait();
    await (await pool.connect(ch).supplyAsAccount(1_000n * unit)).wait();
    await (await pool.setFrozen(true)).wait();
    expect(await pool.frozen()).to.equal(true);
    await expect(pool.connect(alice).withdraw(unit, alice.address, alice.address)).to.be.revertedWithCustomError(core, "Frozen");
    await expect(pool.connect(alice).redeem(10n ** 6n, alice.address, alice.address)).to.be.revertedWithCustomError(core, "Frozen");
    expect(await pool.maxWithdraw(alice.address)).to.equal(0n);
    expect(await pool.maxRedeem(alice.address)).to.equal(0n);
    await (await pool.connect(alice).deposit(unit, alice.address)).wait();
    const held = await pool.accountSharesOf(ch.address);
    await (await pool.connect(ch).withdrawUpTo(held, unit, ch.address)).wait();
    expect(await pool.accountSharesOf(ch.address)).to.be.lessThan(held);
    await (await pool.setFrozen(false)).wait();
    await (await pool.connect(alice).withdraw(unit, alice.address, alice.address)).wait();
    expect(await pool.maxWithdraw(alice.address)).to.be.greaterThan(0n);
  });
});
