import { expect } from "chai";
import { DEPOSIT } from "../helpers/fixture.ts";
import { FeeOnTransferToken__factory, NoReturnToken__factory, ReentrantToken__factory } from "../../types/ethers-contracts/index.js";
import { acct, useFixture } from "./_helpers.ts";

describe("Clearinghouse.deposit", () => {
  const fx = useFixture();

  it("credits the sub-account, pulls the tokens and emits Deposited", async () => {
    const { ch, usdc, alice, ethers } = fx();
    const token = await usdc.getAddress();
    await expect(ch.connect(alice).deposit(token, 3, 1234n)).to.emit(ch, "Deposited").withArgs(acct(alice, 3n), token, 1234n);
    expect(await ch.balanceOf(acct(alice, 3n), token)).to.equal(1234n);
    expect(await ch.balanceOf(acct(alice, 0n), token)).to.equal(DEPOSIT);
    await expect(ch.connect(alice).deposit(token, 3, 66n)).to.changeTokenBalances(ethers, usdc, [alice, ch], [-66n, 66n]);
    expect(await ch.balanceOf(acct(alice, 3n), token)).to.equal(1300n);
  });

  it("rejects a zero amount", async () => {
    const { ch, usdc, alice } = fx();
    await expect(ch.connect(alice).deposit(await usdc.getAddress(), 0, 0)).to.be.revertedWithCustomError(ch, "ZeroAmount");
  });

  it("rejects a token that is not listed", async () => {
    const { ch, admin, alice } = fx();
    const fot = await new FeeOnTransferToken__factory(admin).deploy();
    await expect(ch.connect(alice).deposit(await fot.getAddress(), 0, 1n))
      .to.be.revertedWithCustomError(ch, "AssetNotListed")
      .withArgs(await fot.getAddress());
  });

  it("refuses a fee-on-transfer token with TransferShortfall", async () => {
    const { ch, admin, alice } = fx();
    const fot = await new FeeOnTransferToken__factory(admin).deploy();
    const token = await fot.getAddress();
    await (await ch.connect(admin).listAsset(token)).wait();
    await (await fot.mint(alice.address, 10_000n)).wait();
    await (await fot.connect(alice).approve(await ch.getAddress(), 10_000n)).wait();
    // 1% burnt in transit: 1000 asked, 990 arrive
    await expect(ch.connect(alice).deposit(token, 0, 1000n))
      .to.be.revertedWithCustomError(ch, "TransferShortfall")
      .withArgs(token, 1000n, 990n);
    expect(await ch.balanceOf(acct(alice), token)).to.equal(0n);
    expect(await fot.balanceOf(alice.address)).to.equal(10_000n);
  });

  it("accepts a token whose transfers return nothing (SafeERC20) and pays it back out", async () => {
    const { ch, admin, alice, bob } = fx();
    const nrt = await new NoReturnToken__factory(admin).deploy();
    const token = await nrt.getAddress();
    await (await ch.connect(admin).listAsset(token)).wait();
    await (await nrt.mint(alice.address, 5000n)).wait();
    await (await nrt.connect(alice).approve(await ch.getAddress(), 5000n)).wait();
    await (await ch.connect(alice).deposit(token, 0, 5000n)).wait();
    expect(await ch.balanceOf(acct(alice), token)).to.equal(5000n);
    expect(await nrt.balanceOf(await ch.getAddress())).to.equal(5000n);
    await (await ch.connect(alice).withdraw(token, 0, 2000n, bob.address)).wait();
    expect(await nrt.balanceOf(bob.address)).to.equal(2000n);
    expect(await ch.balanceOf(acct(alice), token)).to.equal(3000n);
  });

  describe("reentrancy", () => {
    async function armedToken() {
      const { ch, admin, alice } = fx();
      const ree = await new ReentrantToken__factory(admin).deploy();
      const token = await ree.getAddress();
      await (await ch.connect(admin).listAsset(token)).wait();
      await (await ree.mint(alice.address, 10_000n)).wait();
      await (await ree.connect(alice).approve(await ch.getAddress(), 10_000n)).wait();
      await (await ch.connect(alice).deposit(token, 0, 4000n)).wait();
      return { ree, token };
    }

    it("a deposit whose token re-enters withdraw reverts ReentrancyGuardReentrantCall", async () => {
      const { ch, alice } = fx();
      const { ree, token } = await armedToken();
      await (await ree.arm(await ch.getAddress(), ch.interface.encodeFunctionData("withdraw", [token, 0, 1n, alice.address]))).wait();
      await expect(ch.connect(alice).deposit(token, 0, 100n)).to.be.revertedWithCustomError(ch, "ReentrancyGuardReentrantCall");
      expect(await ch.balanceOf(acct(alice), token)).to.equal(4000n);
    });

    it("a withdraw whose token re-enters deposit or transfer reverts ReentrancyGuardReentrantCall", async () => {
      const { ch, alice } = fx();
      const { ree, token } = await armedToken();
      await (await ree.arm(await ch.getAddress(), ch.interface.encodeFunctionData("deposit", [token, 0, 1n]))).wait();
      await expect(ch.connect(alice).withdraw(token, 0, 100n, alice.address)).to.be.revertedWithCustomError(
        ch,
        "ReentrancyGuardReentrantCall",
      );
      await (await ree.arm(await ch.getAddress(), ch.interface.encodeFunctionData("transfer", [token, 0, 1, 1n]))).wait();
      await expect(ch.connect(alice).withdraw(token, 0, 100n, alice.address)).to.be.revertedWithCustomError(
        ch,
        "ReentrancyGuardReentrantCall",
      );
      expect(await ch.balanceOf(acct(alice), token)).to.equal(4000n);
      expect(await ree.balanceOf(alice.address)).to.equal(6000n);
    });
  });
});
