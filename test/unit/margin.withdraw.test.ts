import { expect } from "chai";
import { E18, E6, acctOf, deposit, mined, useMarginFixture } from "./margin._helpers.ts";

describe("Clearinghouse.withdraw with margin", () => {
  const fx = useMarginFixture();

  it("without a borrow policy a withdrawal beyond the balance reverts InsufficientBalance", async () => {
    const f = fx();
    const { ch, bob, W, U } = f;
    await deposit(f, bob, W, 10n * E18);
    await deposit(f, bob, U, 100n * E6);
    await expect(ch.connect(bob).withdraw(U, 0, 150n * E6, bob.address))
      .to.be.revertedWithCustomError(ch, "InsufficientBalance")
      .withArgs(U, 150n * E6, 100n * E6);
    // borrowing for orders does not allow borrowing for withdrawals
    await mined(ch.connect(bob).setBorrowPolicy(0, true, false));
    await expect(ch.connect(bob).withdraw(U, 0, 150n * E6, bob.address))
      .to.be.revertedWithCustomError(ch, "InsufficientBalance")
      .withArgs(U, 150n * E6, 100n * E6);
  });

  it("with forWithdrawals it spends the balance then borrows the rest, margin-checked", async () => {
    const f = fx();
    const { ch, bob, W, U } = f;
    await deposit(f, bob, W, E18);
    await deposit(f, bob, U, 100n * E6);
    await mined(ch.connect(bob).setBorrowPolicy(0, false, true));
    const tx = ch.connect(bob).withdraw(U, 0, 150n * E6, bob.address);
    await expect(tx).to.changeTokenBalance(f.ethers, f.usdc, bob, 150n * E6);
    await expect(tx).to.emit(ch, "Withdrawn").withArgs(acctOf(bob), U, 150n * E6, bob.address);
    expect(await ch.balanceOf(acctOf(bob), U)).to.equal(-50n * E6);
    expect(await f.ch.totalBorrows(f.U)).to.equal(50n * E6);
    await expect(ch.connect(bob).withdraw(U, 0, 3_000n * E6, bob.address))
      .to.be.revertedWithCustomError(ch, "InsufficientMargin")
      .withArgs(acctOf(bob), (iv: bigint) => iv < 0n);
    expect(await ch.balanceOf(acctOf(bob), U)).to.equal(-50n * E6);
  });

  it("an indebted account's collateral withdrawal is margin-checked; a debt-free one is not", async () => {
    const f = fx();
    const { ch, bob, carol, W, U } = f;
    await deposit(f, bob, W, 10n * E18);
    await mined(ch.connect(bob).borrow(U, 0, 20_000n * E6, bob.address));
    await expect(ch.connect(bob).withdraw(W, 0, 3n * E18, bob.address))
      .to.be.revertedWithCustomError(ch, "InsufficientMargin")
      .withArgs(acctOf(bob), (iv: bigint) => iv < 0n);
    await mined(ch.connect(bob).withdraw(W, 0, E18 / 2n, bob.address));
    expect(await ch.balanceOf(acctOf(bob), W)).to.equal(10n * E18 - E18 / 2n);
    // no debt: no valuation, so even stale prices do not block it
    await deposit(f, carol, W, E18);
    await f.networkHelpers.time.increase(7_200n);
    await mined(ch.connect(carol).withdraw(W, 0, E18, carol.address));
    await expect(ch.connect(bob).withdraw(W, 0, 1n, bob.address))
      .to.be.revertedWithCustomError(f.atlas, "PriceUnavailable")
      .withArgs(W);
  });
});

describe("Clearinghouse.transfer with margin", () => {
  const fx = useMarginFixture();

  it("a transfer out of an indebted sub-account is margin-checked", async () => {
    const f = fx();
    const { ch, bob, W, U } = f;
    await deposit(f, bob, W, 10n * E18);
    await mined(ch.connect(bob).borrow(U, 0, 20_000n * E6, bob.address));
    await expect(ch.connect(bob).transfer(W, 0, 1, 3n * E18))
      .to.be.revertedWithCustomError(ch, "InsufficientMargin")
      .withArgs(acctOf(bob), (iv: bigint) => iv < 0n);
    await expect(ch.connect(bob).transfer(W, 0, 1, E18))
      .to.emit(ch, "Transferred")
      .withArgs(acctOf(bob), acctOf(bob, 1n), W, E18);
    expect(await ch.balanceOf(acctOf(bob, 1n), W)).to.equal(E18);
  });

  it("never borrows, whatever the policy", async () => {
    const f = fx();
    const { ch, bob, W, U } = f;
    await deposit(f, bob, W, 10n * E18);
    await mined(ch.connect(bob).setBorrowPolicy(0, true, true));
    await expect(ch.connect(bob).transfer(U, 0, 1, 1n))
      .to.be.revertedWithCustomError(ch, "InsufficientBalance")
      .withArgs(U, 1n, 0n);
  });

  it("a transfer into an indebted sub-account repays its debt first", async () => {
    const f = fx();
    const { ch, bob, W, U } = f;
    await deposit(f, bob, W, 10n * E18, 1n);
    await mined(ch.connect(bob).borrow(U, 1, 1_000n * E6, bob.address));
    await deposit(f, bob, U, 5_000n * E6);
    await mined(ch.connect(bob).transfer(U, 0, 1, 1_000n * E6 + 7n));
    // a fresh borrow at index 1.0 owes exactly what it took, so 7 atoms are left over
    expect(await ch.balanceOf(acctOf(bob, 1n), U)).to.be.within(0n, 7n);
    expect(await f.ch.totalBorrowShares(f.U)).to.equal(0n);
  });
});
