import { expect } from "chai";
import {
  DAY, E18, E6, acctOf, deposit, marginShares, mined, sameTime, setPrice, storedAmount, useMarginFixture, warp,
} from "./margin._helpers.ts";

const OFFSET = 10n ** 6n; // the pools' ERC-4626 virtual-share offset (10^6)

describe("Clearinghouse.setLending", () => {
  const fx = useMarginFixture();

  it("turns idle atoms into pool shares at the ERC-4626 rate, and back", async () => {
    const f = fx();
    const { ch, alice, U } = f;
    await deposit(f, alice, U, 1_000n * E6);
    const [supply0, assets0, chShares0] = [await ch.totalSupplyShares(U), await ch.supplyAssets(U), await marginShares(f, U)];
    // shares rounded down: the pool's side
    const shares = (1_000n * E6 * (supply0 + OFFSET)) / (assets0 + 1n);
    await expect(ch.connect(alice).setLending(U, 0, true)).to.emit(ch, "LendingSet").withArgs(acctOf(alice), U, true);
    const p = await ch.positionOf(acctOf(alice), U);
    expect([p.amount, p.lent]).to.deep.equal([shares, true]);
    expect(await marginShares(f, U)).to.equal(chShares0 + shares);
    expect(await ch.cash(U)).to.equal(assets0 + 1_000n * E6);
    const [supply1, assets1] = [await ch.totalSupplyShares(U), await ch.supplyAssets(U)];
    expect(await ch.balanceOf(acctOf(alice), U)).to.equal((shares * (assets1 + 1n)) / (supply1 + OFFSET));

    const back = (shares * (assets1 + 1n)) / (supply1 + OFFSET); // assets rounded down: the pool's side
    await expect(ch.connect(alice).setLending(U, 0, false)).to.emit(ch, "LendingSet").withArgs(acctOf(alice), U, false);
    const q = await ch.positionOf(acctOf(alice), U);
    expect([q.amount, q.lent]).to.deep.equal([back, false]);
    expect(back).to.be.within(1_000n * E6 - 1n, 1_000n * E6);
    expect(await marginShares(f, U)).to.equal(chShares0);
  });

  it("a lent balance earns the pool's interest: balanceOf is convertToAssets of the shares", async () => {
    const f = fx();
    const { ch, alice, bob, U, W } = f;
    await deposit(f, alice, U, 10_000n * E6);
    await mined(ch.connect(alice).setLending(U, 0, true));
    const before = await ch.balanceOf(acctOf(alice), U);
    await deposit(f, bob, W, 100n * E18);
    await mined(ch.connect(bob).borrow(U, 0, 150_000n * E6, bob.address));
    await warp(f, 30n * DAY);
    const shares = await storedAmount(f, acctOf(alice), U);
    const after = await ch.balanceOf(acctOf(alice), U);
    expect(after).to.equal(await f.pools.USDC.convertToAssets(shares));
    expect(after).to.be.greaterThan(before);
    // the lender outside the Clearinghouse earns at the same share price
    const lenderShares = await f.pools.USDC.balanceOf(f.lender.address);
    expect(after * lenderShares).to.be.closeTo(await f.pools.USDC.convertToAssets(lenderShares) * shares, lenderShares);
  });

  it("deposits into a lent balance mint shares; withdrawals burn them (rounded up)", async () => {
    const f = fx();
    const { ch, alice, U } = f;
    const pool = f.pools.USDC; // the LendingVault: it holds no tokens and is not called
    await mined(ch.connect(alice).setLending(U, 0, true)); // opt in with nothing: only the flag
    expect(await storedAmount(f, acctOf(alice), U)).to.equal(0n);
    expect((await ch.positionOf(acctOf(alice), U)).lent).to.equal(true);
    const minted = await ch.lentSharesFor(U, 500n * E6);
    expect(minted).to.equal(await pool.previewDeposit(500n * E6)); // the vault's conversion is the pool's
    const [cash0, chShares0] = [await ch.cash(U), await marginShares(f, U)];
    // one token movement: owner → the vault, where the pool's cash sits; the supply mints what deposit would
    const tx = await ch.connect(alice).deposit(U, 0, 500n * E6);
    await expect(tx).to.changeTokenBalances(f.ethers, f.usdc, [alice, ch, pool], [-500n * E6, 500n * E6, 0n]);
    await expect(tx).to.emit(ch, "Deposited").withArgs(acctOf(alice), U, 500n * E6);
    expect(await storedAmount(f, acctOf(alice), U)).to.equal(minted);
    expect([await ch.cash(U), await marginShares(f, U)]).to.deep.equal([cash0 + 500n * E6, chShares0 + minted]);
    const burnt = await pool.previewWithdraw(200n * E6);
    // and back in one movement: the vault pays the receiver out of the pool's cash
    await expect(ch.connect(alice).withdraw(U, 0, 200n * E6, f.carol.address)).to.changeTokenBalances(
      f.ethers,
      f.usdc,
      [f.carol, ch, pool],
      [200n * E6, -200n * E6, 0n],
    );
    expect(await ch.cash(U)).to.equal(cash0 + 300n * E6);
    expect(await storedAmount(f, acctOf(alice), U)).to.equal(minted - burnt);
  });

  it("a lent deposit is capped like a vault deposit (SupplyRefused) and refuses zero", async () => {
    const f = fx();
    const { ch, alice, U } = f;
    const pool = f.pools.USDC;
    await mined(ch.connect(alice).setLending(U, 0, true));
    await expect(ch.connect(alice).deposit(U, 0, 0n)).to.be.revertedWithCustomError(ch, "ZeroAmount");
    await mined(ch.connect(f.admin).setCaps(U, (await ch.supplyAssets(U)) + 1_000n * E6, 2n ** 200n));
    const max = await pool.maxDeposit(alice.address);
    expect(max).to.be.within(1_000n * E6 - 10n, 1_000n * E6);
    await expect(ch.connect(alice).deposit(U, 0, max + 1n))
      .to.be.revertedWithCustomError(ch, "SupplyRefused")
      .withArgs(max + 1n, max);
    // idle funds turned lent are capped alike
    await mined(ch.connect(alice).setLending(U, 0, false));
    await deposit(f, alice, U, max + 1n);
    await expect(ch.connect(alice).setLending(U, 0, true)).to.be.revertedWithCustomError(ch, "SupplyRefused");
  });

  it("a borrow is paid out of the pool's cash in the vault, straight to the receiver, with the idle part", async () => {
    const f = fx();
    const { ch, bob, U, W } = f;
    const pool = f.pools.USDC;
    await deposit(f, bob, W, 10n * E18);
    const cash0 = await ch.cash(U);
    const tx = await ch.connect(bob).borrow(U, 0, 1_000n * E6, f.carol.address);
    await expect(tx).to.changeTokenBalances(f.ethers, f.usdc, [f.carol, ch, pool], [1_000n * E6, -1_000n * E6, 0n]);
    await expect(tx).to.emit(ch, "Borrowed").withArgs(acctOf(bob), U, 1_000n * E6, 1_000n * E6, f.carol.address);
    expect(await ch.cash(U)).to.equal(cash0 - 1_000n * E6);
    // 300 idle and a 200 borrow: one transfer of 500 to the receiver, 200 of it out of the pool's cash
    await deposit(f, bob, U, 1_300n * E6); // repays the 1,000 first, leaves 300 idle
    await mined(ch.connect(bob).setBorrowPolicy(0, false, true));
    // the 1,000 borrowed accrued interest for the seconds the blocks took (wall-clock time), so the
    // idle part is 300 less that interest and the borrow the rest
    const cash1 = await ch.cash(U);
    await expect(ch.connect(bob).withdraw(U, 0, 500n * E6, f.carol.address)).to.changeTokenBalances(
      f.ethers,
      f.usdc,
      [f.carol, ch, pool],
      [500n * E6, -500n * E6, 0n],
    );
    expect(cash1 - (await ch.cash(U))).to.be.within(200n * E6, 200n * E6 + 10_000n);
    expect(await ch.balanceOf(acctOf(bob), U)).to.be.within(-200n * E6 - 1n, -200n * E6);
  });

  it("setting the flag it already has changes nothing", async () => {
    const f = fx();
    const { ch, alice, U } = f;
    await deposit(f, alice, U, 700n);
    await expect(ch.connect(alice).setLending(U, 0, false)).to.emit(ch, "LendingSet").withArgs(acctOf(alice), U, false);
    const p = await ch.positionOf(acctOf(alice), U);
    expect([p.amount, p.lent]).to.deep.equal([700n, false]);
  });

  // Lent funds count at the haircut (98 %): turning lending on is a loss of value for the margin
  // check, so an account with debt must keep initial value >= 0 through it.
  it("turning lending on is margin-checked for an account with debt: InsufficientMargin below initial value", async () => {
    const f = fx();
    const { ch, atlas, lens, bob, W, U } = f;
    await deposit(f, bob, U, 10_000n * E6);
    await sameTime(f);
    const b = await lens.maxBorrow(acctOf(bob), W);
    await sameTime(f);
    await mined(ch.connect(bob).borrow(W, 0, b, bob.address));
    await expect(ch.connect(bob).setLending(U, 0, true)).to.be.revertedWithCustomError(ch, "InsufficientMargin");
    expect((await ch.positionOf(acctOf(bob), U)).lent).to.equal(false);
    // with room for the haircut it passes, and leaves initial value >= 0
    await mined(ch.connect(bob).repay(W, bob.address, 0, b / 2n));
    await expect(ch.connect(bob).setLending(U, 0, true)).to.emit(ch, "LendingSet").withArgs(acctOf(bob), U, true);
    expect((await atlas.riskOf(acctOf(bob))).initialWad).to.be.at.least(0n);
  });

  it("turning lending on converts nothing for a token owed: not checked, whatever the margin", async () => {
    const f = fx();
    const { ch, atlas, lens, bob, W, U } = f;
    await deposit(f, bob, U, 10_000n * E6);
    await sameTime(f);
    const b = await lens.maxBorrow(acctOf(bob), W);
    await sameTime(f);
    await mined(ch.connect(bob).borrow(W, 0, b, bob.address));
    await setPrice(f, W, 3_100n * E18); // the debt grows: below initial value
    expect((await atlas.riskOf(acctOf(bob))).initialWad).to.be.lessThan(0n);
    await expect(ch.connect(bob).setLending(W, 0, true)).to.emit(ch, "LendingSet").withArgs(acctOf(bob), W, true);
    await expect(ch.connect(bob).setLending(U, 0, false)).to.emit(ch, "LendingSet").withArgs(acctOf(bob), U, false);
  });

  it("reverts NoPool for an asset without a pool and for an unlisted token", async () => {
    const f = fx();
    const { ch, alice, L } = f;
    await deposit(f, alice, L, E18);
    await expect(ch.connect(alice).setLending(L, 0, true)).to.be.revertedWithCustomError(ch, "NoPool").withArgs(L);
    const stranger = f.outsider.address;
    await expect(ch.connect(alice).setLending(stranger, 0, true)).to.be.revertedWithCustomError(ch, "NoPool").withArgs(stranger);
    expect((await ch.positionOf(acctOf(alice), L)).lent).to.equal(false);
  });
});

describe("Clearinghouse.setBorrowPolicy", () => {
  const fx = useMarginFixture();
  const ORDERS = 1n << 192n;
  const WITHDRAWALS = 1n << 193n;

  it("sets and clears the two flags per sub-account, keeping the rest of the state", async () => {
    const f = fx();
    const { ch, alice, W } = f;
    await deposit(f, alice, W, E18);
    const held = await ch.accountState(acctOf(alice));
    await expect(ch.connect(alice).setBorrowPolicy(0, true, false))
      .to.emit(ch, "BorrowPolicySet")
      .withArgs(acctOf(alice), true, false);
    expect(await ch.accountState(acctOf(alice))).to.equal(held | ORDERS);
    await mined(ch.connect(alice).setBorrowPolicy(0, false, true));
    expect(await ch.accountState(acctOf(alice))).to.equal(held | WITHDRAWALS);
    await mined(ch.connect(alice).setBorrowPolicy(0, true, true));
    expect(await ch.accountState(acctOf(alice))).to.equal(held | ORDERS | WITHDRAWALS);
    expect(await ch.accountState(acctOf(alice, 1n))).to.equal(0n);
    await mined(ch.connect(alice).setBorrowPolicy(0, false, false));
    expect(await ch.accountState(acctOf(alice))).to.equal(held);
  });
});
