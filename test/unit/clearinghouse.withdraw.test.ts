import { expect } from "chai";
import { DEPOSIT, USDC_TICK } from "../helpers/fixture.ts";
import { acct, bidLockPerLot, mined, ord, Side, useFixture } from "./_helpers.ts";

describe("Clearinghouse.withdraw", () => {
  const fx = useFixture();

  it("pays free balance out to any address and emits Withdrawn", async () => {
    const { ch, usdc, alice, carol, ethers } = fx();
    const token = await usdc.getAddress();
    await expect(ch.connect(alice).withdraw(token, 0, 700n, carol.address)).to.changeTokenBalances(
      ethers,
      usdc,
      [ch, carol, alice],
      [-700n, 700n, 0n],
    );
    expect(await ch.balanceOf(acct(alice), token)).to.equal(DEPOSIT - 700n);
    await expect(ch.connect(alice).withdraw(token, 0, 1n, alice.address))
      .to.emit(ch, "Withdrawn")
      .withArgs(acct(alice), token, 1n, alice.address);
  });

  it("rejects zero amounts and the zero address", async () => {
    const { ch, usdc, alice } = fx();
    const token = await usdc.getAddress();
    await expect(ch.connect(alice).withdraw(token, 0, 0n, alice.address)).to.be.revertedWithCustomError(ch, "ZeroAmount");
    await expect(ch.connect(alice).withdraw(token, 0, 1n, "0x0000000000000000000000000000000000000000")).to.be.revertedWithCustomError(
      ch,
      "ZeroAddress",
    );
  });

  it("reverts InsufficientBalance beyond the balance, and for an empty sub-account", async () => {
    const { ch, usdc, alice } = fx();
    const token = await usdc.getAddress();
    await expect(ch.connect(alice).withdraw(token, 0, DEPOSIT + 1n, alice.address))
      .to.be.revertedWithCustomError(ch, "InsufficientBalance")
      .withArgs(token, DEPOSIT + 1n, DEPOSIT);
    await expect(ch.connect(alice).withdraw(token, 9, 1n, alice.address))
      .to.be.revertedWithCustomError(ch, "InsufficientBalance")
      .withArgs(token, 1n, 0n);
  });

  it("only free balance can leave: funds locked behind a resting bid stay", async () => {
    const { ch, usdc, market, alice } = fx();
    const token = await usdc.getAddress();
    const tick = 300_000n;
    await mined(market.connect(alice).placeOrder(ord({ side: Side.Bid, tick, lots: 4n })));
    const locked = 4n * bidLockPerLot(tick, 2n) * USDC_TICK;
    expect(await ch.balanceOf(acct(alice), token)).to.equal(DEPOSIT - locked);
    await expect(ch.connect(alice).withdraw(token, 0, DEPOSIT, alice.address))
      .to.be.revertedWithCustomError(ch, "InsufficientBalance")
      .withArgs(token, DEPOSIT, DEPOSIT - locked);
    await mined(ch.connect(alice).withdraw(token, 0, DEPOSIT - locked, alice.address));
    expect(await ch.balanceOf(acct(alice), token)).to.equal(0n);
    expect((await market.pocketOf(alice.address, 0))[1]).to.equal(locked);
  });

  it("an operator cannot withdraw the account it trades for", async () => {
    const { ch, usdc, alice, ethers } = fx();
    const token = await usdc.getAddress();
    const [agent] = (await ethers.getSigners()).slice(7);
    await mined(ch.connect(alice).setOperator(0, agent.address, true));
    // withdraw always debits the caller's own account: the agent's is empty
    await expect(ch.connect(agent).withdraw(token, 0, 1n, agent.address))
      .to.be.revertedWithCustomError(ch, "InsufficientBalance")
      .withArgs(token, 1n, 0n);
    await expect(ch.connect(agent).transfer(token, 0, 1, 1n))
      .to.be.revertedWithCustomError(ch, "InsufficientBalance")
      .withArgs(token, 1n, 0n);
    expect(await ch.balanceOf(acct(alice), token)).to.equal(DEPOSIT);
  });

  it("works while every market is paused", async () => {
    const { ch, usdc, market, admin, alice, ethers } = fx();
    await mined(ch.connect(admin).setAllPaused(true));
    expect((await market.marketState())[2]).to.equal(true);
    await expect(ch.connect(alice).withdraw(await usdc.getAddress(), 0, 5n, alice.address)).to.changeTokenBalance(
      ethers,
      usdc,
      alice,
      5n,
    );
  });
});
