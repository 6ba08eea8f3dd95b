import { expect } from "chai";
import {
  DAY, E18, E6, WAD, ZERO, acctOf, deposit, divUp, marginShares, mined, sameTime, storedAmount, useMarginFixture, warp,
} from "./margin._helpers.ts";

const DEBT_BIT_USDC = 1n << 65n; // USDC is asset id 2: owed mask bit 64 + 1

describe("Clearinghouse.borrow", () => {
  const fx = useMarginFixture();

  it("sends borrowed atoms to any address and records borrow shares against the account", async () => {
    const f = fx();
    const { ch, bob, carol, W, U } = f;
    await deposit(f, bob, W, 10n * E18);
    await sameTime(f);
    const shares = await f.ch.sharesForDebt(f.U, 5_000n * E6);
    const tx = ch.connect(bob).borrow(U, 0, 5_000n * E6, carol.address);
    // out of the pool's cash, which sits in the vault
    await expect(tx).to.changeTokenBalances(f.ethers, f.usdc, [carol, bob, ch], [5_000n * E6, 0n, -5_000n * E6]);
    // the debt is logged once, the tokens leaving the vault (where the pool's cash sits) as a withdrawal
    await expect(tx).to.emit(ch, "Borrowed").withArgs(acctOf(bob), U, 5_000n * E6, shares, carol.address);
    await expect(tx).to.emit(ch, "Withdrawn").withArgs(acctOf(bob), U, 5_000n * E6, carol.address);
    expect(await storedAmount(f, acctOf(bob), U)).to.equal(-shares);
    expect(await ch.balanceOf(acctOf(bob), U)).to.equal(-(await f.ch.debtOf(f.U, shares)));
    expect(await f.ch.totalBorrowShares(f.U)).to.equal(shares);
    expect((await ch.accountState(acctOf(bob))) & DEBT_BIT_USDC).to.equal(DEBT_BIT_USDC);
  });

  it("spends the idle balance first and borrows only the rest", async () => {
    const f = fx();
    const { ch, bob, W, U } = f;
    await deposit(f, bob, W, 10n * E18);
    await deposit(f, bob, U, 1_000n * E6);
    await expect(ch.connect(bob).borrow(U, 0, 3_000n * E6, bob.address)).to.changeTokenBalance(
      f.ethers,
      f.usdc,
      bob,
      3_000n * E6,
    );
    expect(await f.ch.totalBorrows(f.U)).to.equal(2_000n * E6);
    expect(await ch.balanceOf(acctOf(bob), U)).to.equal(-2_000n * E6);
  });

  it("reverts InsufficientMargin beyond what the collateral supports, changing nothing", async () => {
    const f = fx();
    const { ch, bob, carol, W, U } = f;
    await deposit(f, bob, W, E18); // $3,000: initial margin supports about $2,480 of USDC debt
    await expect(ch.connect(bob).borrow(U, 0, 2_600n * E6, bob.address))
      .to.be.revertedWithCustomError(ch, "InsufficientMargin")
      .withArgs(acctOf(bob), (iv: bigint) => iv < 0n);
    await expect(ch.connect(carol).borrow(U, 0, 1n, carol.address))
      .to.be.revertedWithCustomError(ch, "InsufficientMargin")
      .withArgs(acctOf(carol), (iv: bigint) => iv < 0n && iv > -WAD);
    expect(await ch.balanceOf(acctOf(bob), U)).to.equal(0n);
    expect(await ch.accountState(acctOf(bob))).to.equal(1n); // only WETH held
    expect(await f.ch.totalBorrows(f.U)).to.equal(0n);
    await mined(ch.connect(bob).borrow(U, 0, 2_400n * E6, bob.address));
  });

  it("reverts ZeroAddress, ZeroAmount, and NoPool for an asset without a pool or an unlisted token", async () => {
    const f = fx();
    const { ch, bob, W, L } = f;
    await deposit(f, bob, W, 10n * E18);
    await expect(ch.connect(bob).borrow(W, 0, 1n, ZERO)).to.be.revertedWithCustomError(ch, "ZeroAddress");
    await expect(ch.connect(bob).borrow(f.U, 0, 0n, bob.address)).to.be.revertedWithCustomError(ch, "ZeroAmount");
    await expect(ch.connect(bob).borrow(L, 0, E18, bob.address)).to.be.revertedWithCustomError(ch, "NoPool").withArgs(L);
    const stranger = f.outsider.address;
    await expect(ch.connect(bob).borrow(stranger, 0, 1n, bob.address))
      .to.be.revertedWithCustomError(ch, "NoPool")
      .withArgs(stranger);
  });

  it("cannot borrow more than the pool's cash (the pool's InsufficientCash)", async () => {
    const f = fx();
    const { ch, bob, W, U } = f;
    await deposit(f, bob, W, 10_000n * E18);
    const cash = await f.ch.cash(f.U);
    await expect(ch.connect(bob).borrow(U, 0, cash + 1n, bob.address))
      .to.be.revertedWithCustomError(ch, "InsufficientCash")
      .withArgs(cash + 1n, cash);
  });
});

describe("Clearinghouse.repay", () => {
  const fx = useMarginFixture();

  async function indebted() {
    const f = fx();
    await deposit(f, f.bob, f.W, 10n * E18);
    await mined(f.ch.connect(f.bob).borrow(f.U, 0, 5_000n * E6, f.bob.address));
    await warp(f, 30n * DAY); // the index moves off 1.0, so share arithmetic rounds
    return f;
  }

  it("anyone repays for an account: its borrow shares fall by floor(atoms / index)", async () => {
    const f = await indebted();
    const { ch, bob, carol, U } = f;
    const shares0 = -(await storedAmount(f, acctOf(bob), U));
    await sameTime(f);
    const index = await f.ch.borrowIndexWad(f.U);
    expect(index).to.be.greaterThan(WAD);
    const burnt = (1_000n * E6 * WAD) / index;
    const paid = divUp(burnt * index, WAD); // the burnt shares' debt, rounded up
    const pool = f.pools.USDC;
    const [reserve0, cash0] = [await ch.reserveOf(U), await ch.cash(U)];
    const tx = await ch.connect(carol).repay(U, bob.address, 0, 1_000n * E6);
    // logged once, by the Clearinghouse, with the borrow shares burnt
    await expect(tx).to.emit(ch, "Repaid").withArgs(acctOf(bob), U, 1_000n * E6, burnt);
    expect(paid).to.be.at.most(1_000n * E6);
    // one token movement: the payer into the vault, where the pool's cash sits (the LendingVault holds none)
    await expect(tx).to.changeTokenBalances(f.ethers, f.usdc, [carol, ch, pool], [-1_000n * E6, 1_000n * E6, 0n]);
    expect(await storedAmount(f, acctOf(bob), U)).to.equal(-(shares0 - burnt));
    // the sub-share dust (1,000 − paid) stays in the pool's cash, for its lenders (the pool's side)
    expect(await ch.cash(U)).to.equal(cash0 + 1_000n * E6);
    expect(await ch.reserveOf(U)).to.equal(reserve0);
  });

  it("a repayment too small to buy one borrow share stays with the pool's lenders and leaves the debt", async () => {
    const f = await indebted();
    const { ch, bob, U } = f;
    const shares0 = await storedAmount(f, acctOf(bob), U);
    const cash0 = await ch.cash(U);
    await expect(ch.connect(bob).repay(U, bob.address, 0, 1n)).to.emit(ch, "Repaid").withArgs(acctOf(bob), U, 1n, 0n);
    expect(await storedAmount(f, acctOf(bob), U)).to.equal(shares0);
    expect(await ch.cash(U)).to.equal(cash0 + 1n);
    expect(await ch.reserveOf(U)).to.equal(0n);
  });

  it("a repayment beyond the whole debt: the pool's cash takes the debt and the excess is credited", async () => {
    const f = await indebted();
    const { ch, bob, carol, U } = f;
    await sameTime(f);
    const debt = -(await ch.balanceOf(acctOf(bob), U));
    const cash0 = await ch.cash(U);
    const tx = await ch.connect(carol).repay(U, bob.address, 0, debt + 300n * E6);
    await expect(tx).to.changeTokenBalances(f.ethers, f.usdc, [carol, ch], [-(debt + 300n * E6), debt + 300n * E6]);
    expect(await ch.cash(U)).to.equal(cash0 + debt);
    expect(await ch.balanceOf(acctOf(bob), U)).to.equal(300n * E6);
    expect(await ch.totalBorrowShares(U)).to.equal(0n);
  });

  it("repays the whole debt first and keeps the excess as balance (lent when opted in)", async () => {
    const f = await indebted();
    const { ch, bob, U } = f;
    await mined(ch.connect(bob).setLending(U, 0, true));
    await sameTime(f);
    const debt = -(await ch.balanceOf(acctOf(bob), U));
    const excess = 250n * E6;
    const chShares0 = await marginShares(f, U);
    await mined(ch.connect(bob).repay(U, bob.address, 0, debt + excess));
    const p = await ch.positionOf(acctOf(bob), U);
    // the excess was deposited into the pool after the debt was repaid: shares at that price
    expect([p.amount, p.lent]).to.deep.equal([(await marginShares(f, U)) - chShares0, true]);
    expect(await ch.balanceOf(acctOf(bob), U)).to.be.within(excess - 1n, excess);
    expect(await f.ch.totalBorrowShares(f.U)).to.equal(0n);
    expect((await ch.accountState(acctOf(bob))) & DEBT_BIT_USDC).to.equal(0n);
  });

  it("a deposit into a balance in debt repays it and is logged as Deposited and Repaid, with the shares burnt", async () => {
    const f = await indebted();
    const { ch, bob, U } = f;
    const shares0 = -(await storedAmount(f, acctOf(bob), U));
    const tx = await ch.connect(bob).deposit(U, 0, 1_000n * E6);
    const burnt = shares0 + (await storedAmount(f, acctOf(bob), U));
    expect(burnt).to.be.greaterThan(0n);
    await expect(tx).to.emit(ch, "Deposited").withArgs(acctOf(bob), U, 1_000n * E6);
    await expect(tx).to.emit(ch, "Repaid").withArgs(acctOf(bob), U, 1_000n * E6, burnt);
    // a deposit into a balance not in debt logs no Repaid
    await expect(ch.connect(bob).deposit(f.W, 0, E18)).not.to.emit(ch, "Repaid");
  });

  it("a zero repayment of a balance in debt reverts ZeroAmount (the pool path)", async () => {
    const f = await indebted();
    await expect(f.ch.connect(f.bob).repay(f.U, f.bob.address, 0, 0n)).to.be.revertedWithCustomError(f.ch, "ZeroAmount");
    await expect(f.ch.connect(f.bob).deposit(f.U, 0, 0n)).to.be.revertedWithCustomError(f.ch, "ZeroAmount");
  });

  it("is never blocked by a stale price, while borrowing is", async () => {
    const f = await indebted();
    const { ch, bob, carol, U, W } = f;
    await f.networkHelpers.time.increase(3_601n); // every admin feed is now stale
    await expect(ch.connect(bob).borrow(U, 0, 1n, bob.address))
      .to.be.revertedWithCustomError(f.atlas, "PriceUnavailable")
      .withArgs(W);
    await mined(ch.connect(carol).repay(U, bob.address, 0, 100n * E6));
    await mined(ch.connect(bob).repay(U, bob.address, 0, 100n * E6));
    await deposit(f, bob, W, E18);
    expect(await ch.balanceOf(acctOf(bob), W)).to.equal(11n * E18);
  });

  it("reverts ZeroAmount and AssetNotListed", async () => {
    const f = fx();
    const { ch, bob, U } = f;
    await expect(ch.connect(bob).repay(U, bob.address, 0, 0n)).to.be.revertedWithCustomError(ch, "ZeroAmount");
    const stranger = f.outsider.address;
    await expect(ch.connect(bob).repay(stranger, bob.address, 0, 1n))
      .to.be.revertedWithCustomError(ch, "AssetNotListed")
      .withArgs(stranger);
  });
});
