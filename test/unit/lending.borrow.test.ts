// A margin account's borrow, repay and write-off on a pool in the core (the Clearinghouse's lending
// code, LendingCoreMock, whose test-only entry points let a plain signer `ch` be the margin account),
// with the model predicting every figure; bad debt is covered by the reserve first, then by this
// pool's lenders only. (Ported from the standalone LendingPool. Its Clearinghouse-only guard
// (NotClearinghouse) and its zero-amount/zero-address checks on borrow, repay and writeOff were the
// pool contract's: in the core these are internal calls behind the Clearinghouse's own entry points,
// whose checks margin.borrow/margin.bad-debt test; here an account may repay or write off only its
// own debt.)
import { expect } from "chai";
import { LendingVault__factory, MockERC20__factory } from "../../types/ethers-contracts/index.js";
import { ceilDiv, newCorePool, NO_CAP, readPool, Sim, usePool, WAD } from "./lending._helpers.ts";

describe("Pool borrow / repay / writeOff (a margin account in the core)", () => {
  const fx = usePool({ decimals: 6, reserveFactorBps: 1000n });

  it("an account may repay or write off only its own debt, not another's", async () => {
    const { pool, alice, ch, unit } = fx();
    await (await pool.connect(alice).deposit(100n * unit, alice.address)).wait();
    await (await pool.connect(ch).borrow(10n * unit, ch.address)).wait();
    // alice owes nothing: repaying or writing off ch's shares as hers reverts (checked subtraction)
    await expect(pool.connect(alice).repay(1n)).to.be.revertedWithPanic(0x11);
    await expect(pool.connect(alice).writeOff(1n)).to.be.revertedWithPanic(0x11);
    await expect(pool.connect(alice).repayUpTo(1n, unit, false)).to.be.revertedWithPanic(0x11);
    expect(await pool.borrowSharesOf(ch.address)).to.equal(10n * unit);
    expect(await pool.totalBorrowShares()).to.equal(10n * unit);
  });

  it("borrow sends cash to `to`, mints shares rounded up and leaves totalAssets whole", async () => {
    const { pool, alice, bob, ch, token, unit, ethers } = fx();
    const sim = await Sim.start(fx());
    await sim.tx(1n, () => pool.connect(alice).deposit(1000n * unit, alice.address), (m) => m.deposit(1000n * unit));
    // first borrow at index 1: shares = assets
    // no pool event (the Clearinghouse logs each borrow); the return value is the shares
    expect(await pool.connect(ch).borrow.staticCall(400n * unit, bob.address)).to.equal(400n * unit);
    const first = await (await pool.connect(ch).borrow(400n * unit, bob.address)).wait();
    expect(first!.logs.filter((l) => l.address === pool.target).map((l) => pool.interface.parseLog(l)!.name))
      .to.deep.equal([]); // index 1, nothing borrowed before: no accrual either
    sim.m.accrue(await pool.lastAccrualTimestamp());
    sim.m.borrow(400n * unit);
    await sim.check();
    expect(await token.balanceOf(bob.address)).to.equal(10n ** 9n * unit + 400n * unit);
    // after a month the index is above 1: shares = ceil(assets · 1e18 / index)
    await sim.warp(30n * 86400n);
    const assets = 123_456_789n;
    const { receipt, out: shares } = await sim.tx(1n, () => pool.connect(ch).borrow(assets, ch.address), (m) => m.borrow(assets));
    const index = await pool.borrowIndexWad();
    expect(index).to.be.greaterThan(WAD);
    expect(shares).to.equal(ceilDiv(assets * WAD, index));
    expect(await pool.totalBorrowShares()).to.equal(400n * unit + shares);
    expect(receipt.logs.filter((l) => l.address === pool.target).map((l) => pool.interface.parseLog(l)!.name))
      .to.deep.equal(["InterestAccrued"]);
    expect(await pool.debtOf(shares)).to.be.at.least(assets); // the borrower owes at least what it got
    await sim.check();
    await expect(pool.connect(ch).borrow(1n, ch.address)).to.changeTokenBalances(ethers, token, [pool, ch], [-1n, 1n]);
  });

  it("borrow rejects zero, the zero address, more than cash and more than the cap, changing nothing", async () => {
    const { pool, alice, ch, admin, unit } = fx();
    await (await pool.connect(alice).deposit(1000n * unit, alice.address)).wait();
    await (await pool.connect(admin).setCaps(NO_CAP, 300n * unit)).wait();
    const before = await readPool(pool);
    await expect(pool.connect(ch).borrow(1000n * unit + 1n, ch.address))
      .to.be.revertedWithCustomError(pool, "InsufficientCash")
      .withArgs(1000n * unit + 1n, 1000n * unit);
    await expect(pool.connect(ch).borrow(300n * unit + 1n, ch.address))
      .to.be.revertedWithCustomError(pool, "BorrowCapExceeded")
      .withArgs(300n * unit + 1n, 300n * unit);
    expect(await readPool(pool)).to.deep.equal(before);
    // exactly the cap is fine; then interest alone may carry totalBorrows past it
    await (await pool.connect(ch).borrow(300n * unit, ch.address)).wait();
    await fx().networkHelpers.time.increase(86400);
    const total = await pool.totalBorrows();
    expect(total).to.be.greaterThan(300n * unit);
    await expect(pool.connect(ch).borrow(1n, ch.address)).to.be.revertedWithCustomError(pool, "BorrowCapExceeded");
  });

  it("repay burns shares and pulls their debt, rounded up, from the account", async () => {
    const { pool, alice, ch, token, unit } = fx();
    const sim = await Sim.start(fx());
    await sim.tx(1n, () => pool.connect(alice).deposit(1000n * unit, alice.address), (m) => m.deposit(1000n * unit));
    const { out: shares } = await sim.tx(1n, () => pool.connect(ch).borrow(500n * unit, ch.address), (m) => m.borrow(500n * unit));
    await sim.warp(90n * 86400n);
    const part = shares / 3n;
    const chBefore = await token.balanceOf(ch.address);
    const { receipt, out: paid } = await sim.tx(7n, () => pool.connect(ch).repay(part), (m) => m.repay(part));
    const index = await pool.borrowIndexWad();
    expect(paid).to.equal(ceilDiv(part * index, WAD));
    expect(await token.balanceOf(ch.address)).to.equal(chBefore - paid);
    expect(receipt.logs.filter((l) => l.address === pool.target).map((l) => pool.interface.parseLog(l)!.name)).to.deep.equal([
      "InterestAccrued",
    ]);
    expect(await pool.borrowSharesOf(ch.address)).to.equal(shares - part);
    await sim.check();
    // the rest, all at once: the pool ends with no debt and at least the lenders' claim in cash
    const rest = await pool.totalBorrowShares();
    await sim.tx(1n, () => pool.connect(ch).repay(rest), (m) => m.repay(rest));
    await sim.check();
    const s = await readPool(pool);
    expect(s.totalBorrows).to.equal(0n);
    expect(s.cash).to.equal(s.totalAssets + s.reserves);
    expect(await token.balanceOf(await pool.getAddress())).to.equal(s.cash);
    await expect(pool.connect(ch).repay(1n))
      .to.be.revertedWithCustomError(pool, "InsufficientBorrowShares")
      .withArgs(1n, 0n);
  });

  it("repay rejects zero and more shares than exist", async () => {
    const { pool, alice, ch, unit } = fx();
    await (await pool.connect(alice).deposit(1000n * unit, alice.address)).wait();
    await (await pool.connect(ch).borrow(10n * unit, ch.address)).wait();
    const total = await pool.totalBorrowShares();
    await expect(pool.connect(ch).repayUpTo(0n, 1n, false)).to.be.revertedWithCustomError(pool, "ZeroAmount");
    await expect(pool.connect(ch).repayUpTo(total, 0n, false)).to.be.revertedWithCustomError(pool, "ZeroAmount");
    await expect(pool.connect(ch).repay(total + 1n))
      .to.be.revertedWithCustomError(pool, "InsufficientBorrowShares")
      .withArgs(total + 1n, total);
    expect(await pool.totalBorrowShares()).to.equal(total);
  });

  it("rounding leaves dust in the pool: many 1-atom borrows repaid one by one cost the borrower, not the lenders", async () => {
    const { pool, alice, ch, unit } = fx();
    const sim = await Sim.start(fx());
    await sim.tx(1n, () => pool.connect(alice).deposit(1000n * unit, alice.address), (m) => m.deposit(1000n * unit));
    await sim.tx(1n, () => pool.connect(ch).borrow(600n * unit, ch.address), (m) => m.borrow(600n * unit));
    await sim.warp(400n * 86400n); // index ≈ 1.08: one share is worth more than one atom
    const lots: bigint[] = [];
    for (let i = 0; i < 12; i++) lots.push((await sim.tx(1n, () => pool.connect(ch).borrow(1n, ch.address), (m) => m.borrow(1n))).out);
    const index = await pool.borrowIndexWad();
    const debts = lots.map((s) => ceilDiv(s * index, WAD));
    expect(lots.every((s) => s === 1n)).to.equal(true); // ceil(1e18 / index) = 1
    expect(debts.every((d) => d === 2n)).to.equal(true); // each borrowed 1 atom, owes 2
    const priceBefore = await pool.convertToAssets(10n ** 12n);
    for (const s of lots) await sim.tx(1n, () => pool.connect(ch).repay(s), (m) => m.repay(s));
    await sim.check();
    expect(await pool.convertToAssets(10n ** 12n)).to.be.at.least(priceBefore);
    // the sum of single debts (each rounded up) covers the pool's total (rounded down)
    const rest = await pool.totalBorrowShares();
    expect(await pool.debtOf(rest)).to.be.at.least(await pool.totalBorrows());
  });

  describe("writeOff", () => {
    /** Lender 1000, two borrows (big and small), a year of interest at 10 % reserve factor. */
    async function withReserve() {
      const { pool, alice, ch, unit } = fx();
      const sim = await Sim.start(fx());
      await sim.tx(1n, () => pool.connect(alice).deposit(1000n * unit, alice.address), (m) => m.deposit(1000n * unit));
      const big = (await sim.tx(1n, () => pool.connect(ch).borrow(790n * unit, ch.address), (m) => m.borrow(790n * unit))).out;
      const small = (await sim.tx(1n, () => pool.connect(ch).borrow(1n * unit, ch.address), (m) => m.borrow(1n * unit))).out;
      await sim.tx(365n * 86400n, () => pool.accrueInterest(), () => undefined);
      return { sim, big, small };
    }

    it("a loss the reserve covers leaves the lenders' share price untouched", async () => {
      const { pool, ch } = fx();
      const { sim, small } = await withReserve();
      const reserves = await pool.reserves();
      const price = await pool.convertToAssets(10n ** 12n);
      const { receipt, out } = await sim.tx(1n, () => pool.connect(ch).writeOff(small), (m) => m.writeOff(small));
      const [loss, fromReserve] = out;
      expect(fromReserve).to.equal(loss);
      expect(loss).to.be.greaterThan(10n ** 6n); // a dollar plus a year of interest
      const ev = receipt.logs.map((l) => pool.interface.parseLog(l)).find((e) => e?.name === "BadDebtWrittenOff")!;
      expect([ev.args.token, ev.args.shares, ev.args.lossAssets, ev.args.fromReserve]).to.deep.equal([pool.T, small, loss, fromReserve]);
      await sim.check();
      expect(await pool.reserves()).to.be.lessThan(reserves); // reserves paid (net of 1 s of new interest)
      expect(await pool.convertToAssets(10n ** 12n)).to.be.at.least(price);
    });

    it("a loss beyond the reserve empties it and lowers the share price by the rest", async () => {
      const { pool, ch } = fx();
      const { sim, big } = await withReserve();
      const before = await sim.expected();
      const { out } = await sim.tx(1n, () => pool.connect(ch).writeOff(big), (m) => m.writeOff(big));
      const [loss, fromReserve] = out;
      await sim.check();
      const after = await readPool(pool);
      expect(after.reserves).to.equal(0n);
      expect(fromReserve).to.be.greaterThan(0n);
      expect(loss).to.be.greaterThan(fromReserve);
      // lenders lose loss − fromReserve (give or take one second of interest on the small borrow)
      const drop = before.totalAssets - after.totalAssets;
      expect(drop).to.be.at.most(loss - fromReserve);
      expect(drop).to.be.at.least(loss - fromReserve - 10n);
      expect(after.cash + after.totalBorrows).to.equal(after.totalAssets + after.reserves);
    });

    it("writing off every debt with no reserve leaves lenders with the cash, never a negative total", async () => {
      const { pool, alice, ch, admin, unit } = fx();
      await (await pool.connect(admin).setReserveFactor(0)).wait();
      const sim = await Sim.start(fx(), { reserveFactorBps: 0n });
      await sim.tx(1n, () => pool.connect(alice).deposit(100n * unit, alice.address), (m) => m.deposit(100n * unit));
      const s = (await sim.tx(1n, () => pool.connect(ch).borrow(100n * unit, ch.address), (m) => m.borrow(100n * unit))).out;
      await sim.warp(86400n);
      await sim.tx(1n, () => pool.connect(ch).writeOff(s), (m) => m.writeOff(s));
      await sim.check();
      const after = await readPool(pool);
      expect([after.cash, after.totalBorrows, after.reserves, after.totalAssets]).to.deep.equal([0n, 0n, 0n, 0n]);
      // new lenders are priced fairly after the wipe-out
      await (await pool.connect(alice).deposit(10n * unit, alice.address)).wait();
      expect(await pool.maxWithdraw(alice.address)).to.be.at.most(10n * unit);
      expect(10n * unit - (await pool.maxWithdraw(alice.address))).to.be.at.most(1n);
    });

    it("only this pool's lenders bear the loss: another pool is untouched", async () => {
      const { pool, core, bob, ch, admin, unit } = fx();
      // another asset's pool in the same core (one pool per asset)
      const token = await new MockERC20__factory(admin).deploy("Other", "OTH", 6);
      const other = await newCorePool(admin, core, token);
      for (const s of [bob, ch]) {
        await (await token.mint(s.address, 10n ** 9n * unit)).wait();
        await (await token.connect(s).approve(await other.vault.getAddress(), 2n ** 255n)).wait();
        await (await token.connect(s).approve(await core.getAddress(), 2n ** 255n)).wait();
      }
      await (await other.connect(bob).deposit(500n * unit, bob.address)).wait();
      await (await other.connect(ch).borrow(100n * unit, ch.address)).wait();
      const { big } = await withReserve();
      const otherBefore = await readPool(other);
      const price = await pool.convertToAssets(10n ** 12n);
      await (await pool.connect(ch).writeOff(big)).wait();
      expect(await pool.convertToAssets(10n ** 12n)).to.be.lessThan(price);
      // the other pool's state moved only by its own interest
      const otherAfter = await readPool(other);
      expect(otherAfter.cash).to.equal(otherBefore.cash);
      expect(otherAfter.borrowShares).to.equal(otherBefore.borrowShares);
      expect(otherAfter.totalAssets).to.be.at.least(otherBefore.totalAssets);
      expect(await token.balanceOf(await other.getAddress())).to.equal(otherAfter.cash); // the core holds each pool's cash
    });

    it("rejects more shares than the account owes", async () => {
      const { pool, ch } = fx();
      await withReserve();
      const total = await pool.totalBorrowShares();
      // more than the account owes never reaches the pool (checked subtraction)
      await expect(pool.connect(ch).writeOff(total + 1n)).to.be.revertedWithPanic(0x11);
      expect(await pool.totalBorrowShares()).to.equal(total);
    });
  });

  it("the LendingVault refuses a zero core", async () => {
    const { admin, token } = fx();
    const f = new LendingVault__factory(admin);
    const zero = "0x0000000000000000000000000000000000000000";
    await expect(f.deploy(await token.getAddress(), "n", "s", zero)).to.be.revertedWithCustomError(f, "ZeroAddress");
  });
});
