// LendingVault, the ERC-4626 wrapper for outside lenders over the core that holds the pools
// (contracts/periphery/LendingVault.sol over contracts/mocks/LendingCoreMock.sol, which is the
// Clearinghouse's own lending code, `ClearinghouseLending`, with test-only margin entry points and a
// `listPool` that registers any address as the vault): the shares are the pool's
// supply shares held by the core as the outside lenders', conversions are the pool's, and the
// attacks an outside lender could try through the wrapper fail.
import { expect } from "chai";
import { network } from "hardhat";
import {
  LendingCoreMock__factory,
  LendingVault__factory,
  MockERC20__factory,
  ReentrantToken__factory,
} from "../../types/ethers-contracts/index.js";
import { DEFAULT_MODEL, NO_CAP, ceilDiv } from "./lending._helpers.ts";

const E6 = 10n ** 6n;
const VIRTUAL_SHARES = 10n ** 6n;
const MAX = 2n ** 256n - 1n;
const mine = async (p: Promise<{ wait(): Promise<unknown> }>) => (await p).wait();

const ZERO_RATES = { baseRatePerYearWad: 0n, slope1PerYearWad: 0n, slope2PerYearWad: 0n, kinkWad: 5n * 10n ** 17n };

async function world(opts: { supplyCap?: bigint; reentrant?: boolean; zeroRates?: boolean } = {}) {
  const connection = await network.create();
  const { ethers, networkHelpers } = connection;
  const [admin, alice, bob, borrower, stranger, fakeVault] = await ethers.getSigners();
  const core = await new LendingCoreMock__factory(admin).deploy(admin.address);
  const coreAddr = await core.getAddress();
  const token = opts.reentrant
    ? await new ReentrantToken__factory(admin).deploy()
    : await new MockERC20__factory(admin).deploy("USD Coin", "USDC", 6);
  const T = await token.getAddress();
  const vault = await new LendingVault__factory(admin).deploy(T, "Lent USDC", "lUSDC", coreAddr);
  const V = await vault.getAddress();
  await mine(core.listPool(T, V, opts.zeroRates ? ZERO_RATES : DEFAULT_MODEL, 1000, opts.supplyCap ?? NO_CAP, NO_CAP));
  for (const s of [alice, bob, borrower, stranger, fakeVault]) {
    await mine(token.mint(s.address, 10n ** 12n * E6));
    await mine(token.connect(s).approve(V, MAX));
    await mine(token.connect(s).approve(coreAddr, MAX));
  }
  return { ethers, networkHelpers, admin, alice, bob, borrower, stranger, fakeVault, core, token, vault, T, V, coreAddr };
}

describe("LendingVault: ERC-4626 for outside lenders over the core's pool", () => {
  it("a deposit supplies through the core: one vault share per pool supply share, the tokens in the core's vault", async () => {
    const w = await world();
    const preview = await w.vault.previewDeposit(1_000n * E6);
    await expect(w.vault.connect(w.alice).deposit(1_000n * E6, w.alice.address))
      .to.emit(w.vault, "Deposit")
      .withArgs(w.alice.address, w.alice.address, 1_000n * E6, preview);
    expect(preview).to.equal(1_000n * E6 * VIRTUAL_SHARES);
    const pool = await w.core.lendingSupplyOf(w.T);
    expect(await w.vault.totalSupply()).to.equal(pool.outsideShares).and.to.equal(preview);
    expect(await w.vault.balanceOf(w.alice.address)).to.equal(preview);
    expect(await w.vault.totalAssets()).to.equal(1_000n * E6);
    expect(await w.token.balanceOf(w.V)).to.equal(0n);
    expect(await w.token.balanceOf(w.coreAddr)).to.equal(1_000n * E6);
    // a margin account's lent deposit is in the same pool but not the vault's
    await mine(w.core.connect(w.bob).supplyAsAccount(w.T, 500n * E6));
    expect((await w.core.lendingSupplyOf(w.T)).outsideShares).to.equal(preview);
    expect(await w.vault.totalAssets()).to.equal(1_000n * E6);
  });

  it("mint pulls the shares' cost rounded up; withdraw burns shares rounded up; redeem pays rounded down", async () => {
    const w = await world();
    await mine(w.vault.connect(w.alice).deposit(1_000n * E6, w.alice.address));
    await mine(w.core.connect(w.borrower).borrow(w.T, 600n * E6, w.borrower.address));
    await w.networkHelpers.time.increase(30 * 86_400);
    // interest has grown the share price: conversions now round
    const p = await w.core.lendingSupplyOf(w.T);
    expect(p.supplyAssets).to.be.greaterThan(1_000n * E6);
    const before = await w.token.balanceOf(w.bob.address);
    const shares = 123_456_789n;
    await mine(w.vault.connect(w.bob).mint(shares, w.bob.address));
    const paid = before - (await w.token.balanceOf(w.bob.address));
    const p1 = await w.core.lendingSupplyOf(w.T);
    // the price moved by one more second of interest between the read and the mint: bound it
    expect(paid).to.be.at.least(ceilDiv(shares * (p.supplyAssets + 1n), p.supplyShares + VIRTUAL_SHARES));
    expect(await w.vault.balanceOf(w.bob.address)).to.equal(shares);
    expect(await w.vault.totalSupply()).to.equal(p1.outsideShares);
    // withdraw 100 USDC: alice's shares fall by at least their worth
    const aliceShares = await w.vault.balanceOf(w.alice.address);
    await mine(w.vault.connect(w.alice).withdraw(100n * E6, w.alice.address, w.alice.address));
    const burnt = aliceShares - (await w.vault.balanceOf(w.alice.address));
    const p2 = await w.core.lendingSupplyOf(w.T);
    expect(burnt * (p2.supplyAssets + 100n * E6 + 1n)).to.be.at.least(100n * E6 * (p2.supplyShares + burnt + VIRTUAL_SHARES));
    // the borrower repays; alice redeems the rest: more than she put in (interest), never more than
    // her shares' value
    await mine(w.core.connect(w.borrower).repay(w.T, await w.core.borrowSharesOf(w.borrower.address, w.T)));
    const rest = await w.vault.balanceOf(w.alice.address);
    const value = await w.vault.previewRedeem(rest);
    const b0 = await w.token.balanceOf(w.alice.address);
    await mine(w.vault.connect(w.alice).redeem(rest, w.alice.address, w.alice.address));
    const got = (await w.token.balanceOf(w.alice.address)) - b0;
    expect(got).to.be.at.least(value).and.to.be.greaterThan(900n * E6);
    expect(await w.vault.totalSupply()).to.equal((await w.core.lendingSupplyOf(w.T)).outsideShares);
  });

  it("maxDeposit is the pool's room under its supply cap, and a deposit past it is refused by the core", async () => {
    const w = await world({ supplyCap: 1_000n * E6 });
    await mine(w.vault.connect(w.alice).deposit(600n * E6, w.alice.address));
    expect(await w.vault.maxDeposit(w.bob.address)).to.equal(400n * E6);
    expect(await w.vault.maxMint(w.bob.address)).to.equal(400n * E6 * VIRTUAL_SHARES);
    await expect(w.vault.connect(w.bob).deposit(400n * E6 + 1n, w.bob.address))
      .to.be.revertedWithCustomError(w.core, "SupplyRefused")
      .withArgs(400n * E6 + 1n, 400n * E6);
    await expect(w.vault.connect(w.bob).mint(400n * E6 * VIRTUAL_SHARES + 1n, w.bob.address)).to.be.revertedWithCustomError(
      w.core,
      "SupplyRefused",
    );
    await mine(w.vault.connect(w.bob).deposit(400n * E6, w.bob.address));
  });

  it("only the asset's registered vault may supply or withdraw as the outside lenders, and only their shares", async () => {
    const w = await world();
    await mine(w.vault.connect(w.alice).deposit(1_000n * E6, w.alice.address));
    await mine(w.core.connect(w.bob).supplyAsAccount(w.T, 1_000n * E6));
    // a stranger calling the core directly is not the vault: it can neither take nor add outside supply
    await expect(w.core.connect(w.stranger).redeemToVault(w.T, 1n, w.stranger.address))
      .to.be.revertedWithCustomError(w.core, "NotLendingVault")
      .withArgs(w.stranger.address);
    await expect(w.core.connect(w.stranger).withdrawToVault(w.T, 1n, w.stranger.address)).to.be.revertedWithCustomError(w.core, "NotLendingVault");
    await expect(w.core.connect(w.stranger).supplyFromVault(w.T, 1n)).to.be.revertedWithCustomError(w.core, "NotLendingVault");
    // a vault cannot burn more than the outside lenders' shares (the margin accounts' are not its own):
    // a second token whose registered "vault" is a plain key, to call the core as a vault would
    const other = await new MockERC20__factory(w.admin).deploy("Other", "OTH", 6);
    const O = await other.getAddress();
    await mine(w.core.listPool(O, w.fakeVault.address, DEFAULT_MODEL, 1000, NO_CAP, NO_CAP));
    for (const s of [w.fakeVault, w.bob]) {
      await mine(other.mint(s.address, 10n ** 9n * E6));
      await mine(other.connect(s).approve(w.coreAddr, MAX));
    }
    await mine(w.core.connect(w.bob).supplyAsAccount(O, 1_000n * E6)); // margin supply: not the vault's
    const shares = await w.core.connect(w.fakeVault).supplyFromVault.staticCall(O, 10n * E6);
    await mine(w.core.connect(w.fakeVault).supplyFromVault(O, 10n * E6));
    await expect(w.core.connect(w.fakeVault).redeemToVault(O, shares + 1n, w.fakeVault.address))
      .to.be.revertedWithCustomError(w.core, "InsufficientOutsideShares")
      .withArgs(shares + 1n, shares);
    await expect(w.core.connect(w.fakeVault).withdrawToVault(O, 0n, w.fakeVault.address)).to.be.revertedWithCustomError(w.core, "ZeroAmount");
  });

  it("the core reproduces the worked example of docs/LENDING.md to the atom", async () => {
    const w = await world(); // USDC, 2 % + 8 % to the 80 % kink + 100 % above, reserve factor 10 %
    const provider = w.ethers.provider;
    // 1. Alice lends 1,000 USDC through the vault: 10^15 shares (1,000 lUSDC of 12 decimals)
    await mine(w.vault.connect(w.alice).deposit(1_000n * E6, w.alice.address));
    expect(await w.vault.balanceOf(w.alice.address)).to.equal(10n ** 15n);
    // 2. 850 USDC borrowed at index 1: 850,000,000 borrow shares; u = 85 %, 35 % a year
    await mine(w.core.connect(w.borrower).borrow(w.T, 850n * E6, w.borrower.address));
    expect(await w.core.totalBorrowShares(w.T)).to.equal(850_000_000n);
    expect(await w.core.utilizationWad(w.T)).to.equal(85n * 10n ** 16n);
    expect(await w.core.borrowRatePerSecondWad(w.T)).to.equal(11_098_427_195n);
    const T = (await w.core.lastAccrualTimestamp(w.T)) + 86_400n;
    // 3. one day later (views, before anything is written)
    const snap = await w.networkHelpers.takeSnapshot();
    await w.networkHelpers.time.increaseTo(T);
    expect(await w.core.borrowIndexWad(w.T)).to.equal(1_000_958_904_109_648_000n);
    expect(await w.core.totalBorrows(w.T)).to.equal(850_815_068n);
    expect(await w.core.poolReserves(w.T)).to.equal(81_506n);
    expect(await w.core.supplyAssets(w.T)).to.equal(1_000_733_562n);
    expect(await w.vault.convertToAssets(10n ** 12n)).to.equal(1_000_733n);
    await snap.restore();
    // 4. in that same second: half the debt repaid, the other half written off as bad debt
    await provider.send("evm_setAutomine", [false]);
    const gasLimit = 1_000_000n;
    const repay = await w.core.connect(w.borrower).repay(w.T, 425_000_000n, { gasLimit });
    const off = await w.core.connect(w.borrower).writeOff(w.T, 425_000_000n, { gasLimit });
    await w.networkHelpers.time.setNextBlockTimestamp(T);
    await provider.send("evm_mine", []);
    await provider.send("evm_setAutomine", [true]);
    const logs = [...(await repay.wait())!.logs, ...(await off.wait())!.logs]
      .map((l) => w.core.interface.parseLog(l))
      .filter((e) => e !== null);
    const accrued = logs.find((e) => e.name === "InterestAccrued")!.args.accrual as bigint;
    expect([accrued >> 128n, accrued & ((1n << 128n) - 1n)]).to.deep.equal([815_068n, 1_000_958_904_109_648_000n]);
    const wo = logs.find((e) => e.name === "BadDebtWrittenOff")!.args;
    expect([wo.lossAssets, wo.fromReserve]).to.deep.equal([425_407_535n, 81_506n]);
    expect([await w.core.cash(w.T), await w.core.totalBorrows(w.T), await w.core.poolReserves(w.T), await w.core.supplyAssets(w.T)])
      .to.deep.equal([575_407_535n, 0n, 0n, 575_407_535n]);
    expect(await w.vault.convertToAssets(10n ** 12n)).to.equal(575_407n);
    expect(await w.vault.maxWithdraw(w.alice.address)).to.equal(575_407_535n);
  });

  it("rejects a zero core", async () => {
    const w = await world();
    await expect(new LendingVault__factory(w.admin).deploy(w.T, "x", "x", "0x0000000000000000000000000000000000000000")).to.be.revertedWithCustomError(
      w.vault,
      "ZeroAddress",
    );
  });
});

describe("attack: outside lenders through the LendingVault", () => {
  it("cannot withdraw cash that is lent out: InsufficientCash, and maxWithdraw / maxRedeem stop at the cash", async () => {
    // no interest: the views and the next block agree to the atom
    const w = await world({ zeroRates: true });
    await mine(w.vault.connect(w.alice).deposit(1_000n * E6, w.alice.address));
    await mine(w.core.connect(w.borrower).borrow(w.T, 900n * E6, w.borrower.address));
    const { cash } = await w.core.lendingSupplyOf(w.T);
    expect(cash).to.equal(100n * E6);
    expect(await w.vault.maxWithdraw(w.alice.address)).to.equal(cash);
    await expect(w.vault.connect(w.alice).withdraw(cash + 1n, w.alice.address, w.alice.address))
      .to.be.revertedWithCustomError(w.vault, "InsufficientCash")
      .withArgs(cash + 1n, cash);
    const all = await w.vault.balanceOf(w.alice.address);
    await expect(w.vault.connect(w.alice).redeem(all, w.alice.address, w.alice.address)).to.be.revertedWithCustomError(w.vault, "InsufficientCash");
    // what maxRedeem allows pays at most the cash; the shares and the pool stay in step
    const maxRedeem = await w.vault.maxRedeem(w.alice.address);
    const b0 = await w.token.balanceOf(w.alice.address);
    await mine(w.vault.connect(w.alice).redeem(maxRedeem, w.alice.address, w.alice.address));
    expect((await w.token.balanceOf(w.alice.address)) - b0).to.be.at.most(cash);
    expect(await w.vault.totalSupply()).to.equal((await w.core.lendingSupplyOf(w.T)).outsideShares);
  });

  it("cannot take more than its shares, nor another lender's shares without an allowance", async () => {
    const w = await world();
    await mine(w.vault.connect(w.alice).deposit(1_000n * E6, w.alice.address));
    await mine(w.vault.connect(w.bob).deposit(1_000n * E6, w.bob.address));
    const shares = await w.vault.balanceOf(w.alice.address);
    await expect(w.vault.connect(w.alice).withdraw(1_000n * E6 + 1n, w.alice.address, w.alice.address)).to.be.revertedWithCustomError(
      w.vault,
      "ERC4626ExceededMaxWithdraw",
    );
    await expect(w.vault.connect(w.alice).redeem(shares + 1n, w.alice.address, w.alice.address)).to.be.revertedWithCustomError(
      w.vault,
      "ERC4626ExceededMaxRedeem",
    );
    await expect(w.vault.connect(w.stranger).redeem(1n, w.stranger.address, w.alice.address)).to.be.revertedWithCustomError(
      w.vault,
      "ERC20InsufficientAllowance",
    );
    await expect(w.vault.connect(w.stranger).withdraw(E6, w.stranger.address, w.alice.address)).to.be.revertedWithCustomError(
      w.vault,
      "ERC20InsufficientAllowance",
    );
    // with an allowance of exactly the shares, the spender takes those and no more
    await mine(w.vault.connect(w.alice).approve(w.stranger.address, 10n * E6 * VIRTUAL_SHARES));
    await mine(w.vault.connect(w.stranger).redeem(10n * E6 * VIRTUAL_SHARES, w.stranger.address, w.alice.address));
    await expect(w.vault.connect(w.stranger).redeem(1n, w.stranger.address, w.alice.address)).to.be.revertedWithCustomError(
      w.vault,
      "ERC20InsufficientAllowance",
    );
    expect(await w.vault.balanceOf(w.bob.address)).to.equal(1_000n * E6 * VIRTUAL_SHARES);
  });

  it("a frozen pool blocks the vault's withdrawals and redemptions (max* say 0); deposits go on", async () => {
    const w = await world();
    await mine(w.vault.connect(w.alice).deposit(1_000n * E6, w.alice.address));
    await mine(w.core.setFrozen(w.T, true));
    expect([await w.vault.maxWithdraw(w.alice.address), await w.vault.maxRedeem(w.alice.address)]).to.deep.equal([0n, 0n]);
    await expect(w.vault.connect(w.alice).withdraw(E6, w.alice.address, w.alice.address)).to.be.revertedWithCustomError(w.vault, "Frozen");
    await expect(w.vault.connect(w.alice).redeem(E6, w.alice.address, w.alice.address)).to.be.revertedWithCustomError(w.vault, "Frozen");
    await mine(w.vault.connect(w.bob).deposit(E6, w.bob.address));
    await mine(w.core.setFrozen(w.T, false));
    await mine(w.vault.connect(w.alice).withdraw(E6, w.alice.address, w.alice.address));
  });

  it("first-deposit share inflation gains nothing: donations to the vault or the core move no share price", async () => {
    const w = await world();
    const start = await w.token.balanceOf(w.stranger.address);
    await mine(w.vault.connect(w.stranger).deposit(1n, w.stranger.address));
    await mine(w.token.connect(w.stranger).transfer(w.V, 1_000_000n));
    await mine(w.token.connect(w.stranger).transfer(w.coreAddr, 1_000_000n));
    expect(await w.vault.totalAssets()).to.equal(1n);
    await mine(w.vault.connect(w.alice).deposit(1_000_000n, w.alice.address));
    const victim = await w.vault.balanceOf(w.alice.address);
    expect(victim).to.equal(1_000_000n * VIRTUAL_SHARES);
    const a0 = await w.token.balanceOf(w.alice.address);
    await mine(w.vault.connect(w.alice).redeem(victim, w.alice.address, w.alice.address));
    expect((await w.token.balanceOf(w.alice.address)) - a0).to.equal(1_000_000n);
    await mine(w.vault.connect(w.stranger).redeem(await w.vault.balanceOf(w.stranger.address), w.stranger.address, w.stranger.address));
    expect(start - (await w.token.balanceOf(w.stranger.address))).to.be.at.least(2_000_000n);
  });

  it("a token that calls back during a deposit or withdrawal hits the vault's lock, and nothing moves", async () => {
    const w = await world({ reentrant: true });
    const hook = ReentrantToken__factory.connect(w.T, w.admin);
    await mine(w.vault.connect(w.alice).deposit(1_000n * E6, w.alice.address));
    const reenter = w.vault.interface.encodeFunctionData("redeem", [1n, w.alice.address, w.alice.address]);
    const held = await w.token.balanceOf(w.coreAddr);
    const shares = await w.vault.totalSupply();
    await mine(hook.arm(w.V, reenter));
    await expect(w.vault.connect(w.alice).deposit(E6, w.alice.address)).to.be.revertedWithCustomError(w.vault, "ReentrancyGuardReentrantCall");
    await expect(w.vault.connect(w.alice).withdraw(E6, w.alice.address, w.alice.address)).to.be.revertedWithCustomError(
      w.vault,
      "ReentrancyGuardReentrantCall",
    );
    // re-entering the core as the vault would is refused too (the core's own lock, or not the vault)
    await mine(hook.arm(w.coreAddr, w.core.interface.encodeFunctionData("redeemToVault", [w.T, 1n, w.alice.address])));
    await expect(w.vault.connect(w.alice).withdraw(E6, w.alice.address, w.alice.address)).to.be.revertedWithCustomError(
      w.core,
      "ReentrancyGuardReentrantCall",
    );
    expect(await w.token.balanceOf(w.coreAddr)).to.equal(held);
    expect(await w.vault.totalSupply()).to.equal(shares).and.to.equal((await w.core.lendingSupplyOf(w.T)).outsideShares);
    await mine(hook.arm("0x0000000000000000000000000000000000000000", "0x"));
    await mine(w.vault.connect(w.alice).withdraw(E6, w.alice.address, w.alice.address));
  });
});
