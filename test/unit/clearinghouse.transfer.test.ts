import { expect } from "chai";
import { DEPOSIT } from "../helpers/fixture.ts";
import { acct, mined, useFixture } from "./_helpers.ts";

describe("Clearinghouse.transfer", () => {
  const fx = useFixture();

  it("moves free balance between the caller's own sub-accounts without moving tokens", async () => {
    const { ch, weth, alice, ethers } = fx();
    const token = await weth.getAddress();
    await expect(ch.connect(alice).transfer(token, 0, 7, 10n ** 18n)).to.changeTokenBalance(ethers, weth, ch, 0n);
    expect(await ch.balanceOf(acct(alice, 0n), token)).to.equal(DEPOSIT - 10n ** 18n);
    expect(await ch.balanceOf(acct(alice, 7n), token)).to.equal(10n ** 18n);
    await expect(ch.connect(alice).transfer(token, 7, 255, 5n))
      .to.emit(ch, "Transferred")
      .withArgs(acct(alice, 7n), acct(alice, 255n), token, 5n);
    expect(await ch.balanceOf(acct(alice, 255n), token)).to.equal(5n);
  });

  it("rejects the same sub-account, zero, and more than the free balance", async () => {
    const { ch, weth, alice } = fx();
    const token = await weth.getAddress();
    await expect(ch.connect(alice).transfer(token, 2, 2, 1n)).to.be.revertedWithCustomError(ch, "SameAccount");
    await expect(ch.connect(alice).transfer(token, 0, 1, 0n)).to.be.revertedWithCustomError(ch, "ZeroAmount");
    await expect(ch.connect(alice).transfer(token, 0, 1, DEPOSIT + 1n))
      .to.be.revertedWithCustomError(ch, "InsufficientBalance")
      .withArgs(token, DEPOSIT + 1n, DEPOSIT);
    expect(await ch.balanceOf(acct(alice, 1n), token)).to.equal(0n);
  });

  it("cannot reach another owner's sub-accounts", async () => {
    const { ch, weth, alice, bob } = fx();
    const token = await weth.getAddress();
    await mined(ch.connect(bob).transfer(token, 0, 1, 3n));
    // same sub numbers, but the accounts are bob's own
    expect(await ch.balanceOf(acct(bob, 1n), token)).to.equal(3n);
    expect(await ch.balanceOf(acct(alice, 1n), token)).to.equal(0n);
    expect(await ch.balanceOf(acct(alice, 0n), token)).to.equal(DEPOSIT);
  });
});
