import { expect } from "chai";
import { anyValue } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import { Side, encodeOrder } from "../../sdk/src/math/order.ts";
import { DAY, E18, E6, E8, WAD, acctOf, deposit, divUp, marginShares, mined, sameTime, setPrice, storedAmount, useMarginFixture, warp, type MFx } from "./margin._helpers.ts";

/**
 * bob: 1 WETH against 2,400 USDC; WETH crashes to $100; carol's first liquidation (discount 0)
 * repays $100 and seizes exactly the 1 WETH, leaving bob with debt and nothing else.
 */
async function bankrupt(f: MFx, beforeCrash?: () => Promise<unknown>) {
  const { ch, bob, carol, W, U } = f;
  await deposit(f, bob, W, E18);
  await mined(ch.connect(bob).borrow(U, 0, 2_400n * E6, bob.address));
  await deposit(f, carol, U, 10_000n * E6);
  if (beforeCrash) await beforeCrash();
  await setPrice(f, W, 100n * WAD);
  await expect(ch.settleBadDebt(acctOf(bob), U)).to.be.revertedWithCustomError(ch, "NotBankrupt").withArgs(acctOf(bob));
  await mined(ch.connect(carol).liquidate(acctOf(bob), U, 100n * E6, W, 0));
  expect(await ch.balanceOf(acctOf(bob), W)).to.equal(0n);
  expect(await ch.balanceOf(acctOf(bob), U)).to.be.lessThan(-2_290n * E6);
}

async function poolView(f: MFx, sym: "USDC" | "WETH" | "WBTC") {
  const vault = f.pools[sym];
  const token = { USDC: f.U, WETH: f.W, WBTC: f.B }[sym];
  return {
    totalAssets: await f.ch.supplyAssets(token),
    reserves: await f.ch.poolReserves(token),
    lenderValue: await vault.convertToAssets(await vault.balanceOf(f.lender.address)),
    index: await f.ch.borrowIndexWad(token),
    borrowShares: await f.ch.totalBorrowShares(token),
  };
}

describe("Clearinghouse.settleBadDebt", () => {
  const fx = useMarginFixture();

  it("reverts NotBankrupt while a market pocket of the account holds funds", async () => {
    const f = fx();
    const { ch, market, dave, W, U } = f;
    await deposit(f, dave, W, 10n ** 15n);
    await mined(market.connect(dave).placeOrder(encodeOrder({ side: Side.Ask, tick: 400_000n, lots: 1n })));
    expect(await ch.balanceOf(acctOf(dave), W)).to.equal(0n);
    await expect(ch.settleBadDebt(acctOf(dave), U)).to.be.revertedWithCustomError(ch, "NotBankrupt").withArgs(acctOf(dave));
  });

  it("reverts NoDebt for a token the account does not owe", async () => {
    const f = fx();
    await bankrupt(f);
    const { ch, bob, outsider, W, U } = f;
    await expect(ch.settleBadDebt(acctOf(bob), W)).to.be.revertedWithCustomError(ch, "NoDebt").withArgs(W);
    await expect(ch.settleBadDebt(acctOf(outsider), U)).to.be.revertedWithCustomError(ch, "NoDebt").withArgs(U);
  });

  it("writes the loss off against that pool only: its reserve first, then its lenders' share price", async () => {
    const f = fx();
    const { ch, bob, dave, U } = f;
    await bankrupt(f, () => warp(f, 30n * DAY)); // some interest, so the pool has a (small) reserve
    const shares = -(await storedAmount(f, acctOf(bob), U));
    await sameTime(f);
    const [usdc0, weth0, wbtc0] = [await poolView(f, "USDC"), await poolView(f, "WETH"), await poolView(f, "WBTC")];
    const loss = divUp(shares * usdc0.index, WAD);
    expect(usdc0.reserves).to.be.greaterThan(0n);
    expect(usdc0.reserves).to.be.lessThan(loss);
    expect(usdc0.borrowShares).to.equal(shares); // bob is the only borrower
    await sameTime(f);
    const tx = ch.connect(dave).settleBadDebt(acctOf(bob), U);
    await expect(tx).to.emit(ch, "BadDebtSettled").withArgs(acctOf(bob), U, shares, loss);
    await expect(tx).to.emit(ch, "BadDebtWrittenOff").withArgs(U, shares, loss, usdc0.reserves);
    const usdc1 = await poolView(f, "USDC");
    expect(usdc1.reserves).to.equal(0n);
    // totalAssets = cash + totalBorrows − reserves: borrows fall by floor(shares · index), the reserve by what it covered
    expect(usdc1.totalAssets).to.equal(usdc0.totalAssets - (shares * usdc0.index) / WAD + usdc0.reserves);
    expect(usdc1.lenderValue).to.be.lessThan(usdc0.lenderValue);
    expect(await poolView(f, "WETH")).to.deep.equal(weth0);
    expect(await poolView(f, "WBTC")).to.deep.equal(wbtc0);
    expect(await ch.balanceOf(acctOf(bob), U)).to.equal(0n);
    expect(((await ch.accountState(acctOf(bob))) >> 64n) & ((1n << 64n) - 1n)).to.equal(0n);
  });

  it("a reserve large enough absorbs the whole loss: the lenders lose nothing", async () => {
    const f = fx();
    const { ch, bob, dave, B, U } = f;
    await bankrupt(f, async () => {
      // dave pushes utilisation above the kink for a month: interest fills the reserve
      await deposit(f, dave, B, 30n * E8);
      await mined(ch.connect(dave).borrow(U, 0, 900_000n * E6, dave.address));
      await warp(f, 30n * DAY);
    });
    const shares = -(await storedAmount(f, acctOf(bob), U));
    await sameTime(f);
    const before = await poolView(f, "USDC");
    const loss = divUp(shares * before.index, WAD);
    expect(before.reserves).to.be.greaterThan(loss);
    await sameTime(f);
    await expect(ch.settleBadDebt(acctOf(bob), U)).to.emit(ch, "BadDebtWrittenOff").withArgs(U, shares, loss, loss);
    const after = await poolView(f, "USDC");
    expect(after.reserves).to.equal(before.reserves - loss);
    expect(after.lenderValue).to.be.at.least(before.lenderValue);
    expect(after.totalAssets).to.be.at.least(before.totalAssets);
  });
  // The waterfall's first step, the account's own assets: what a liquidation can no longer take
  // (worth at most one cent) goes to the reserve as the debt is written off.
  for (const lent of [false, true]) {
    it(`an insolvent account's ${lent ? "lent " : ""}collateral dust (at most one cent) goes to the reserve and the debt is written off`, async () => {
      const f = fx();
      const { ch, bob, carol, dave, W, U } = f;
      await deposit(f, bob, W, E18);
      if (lent) await mined(ch.connect(bob).setLending(W, 0, true));
      await mined(ch.connect(bob).borrow(U, 0, 2_400n * E6, bob.address));
      await deposit(f, carol, U, 10_000n * E6);
      await setPrice(f, W, 100n * WAD);
      // repaying $99.995 at a zero discount seizes all but about 0.00005 WETH ($0.005)
      await mined(ch.connect(carol).liquidate(acctOf(bob), U, 99_995_000n, W, 0));
      const dust = await ch.balanceOf(acctOf(bob), W);
      expect(dust).to.be.greaterThan(4n * 10n ** 13n);
      expect(dust).to.be.at.most(5n * 10n ** 13n);
      const reserve0 = await ch.reserveOf(W);
      const shares = -(await storedAmount(f, acctOf(bob), U));
      await sameTime(f);
      const tx = await ch.connect(dave).settleBadDebt(acctOf(bob), U);
      await expect(tx).to.emit(ch, "ReserveCredited").withArgs(W, dust);
      await expect(tx).to.emit(ch, "BadDebtSettled").withArgs(acctOf(bob), U, shares, anyValue);
      expect(await ch.reserveOf(W)).to.equal(reserve0 + dust);
      expect(await storedAmount(f, acctOf(bob), W)).to.equal(0n);
      expect(await ch.balanceOf(acctOf(bob), U)).to.equal(0n);
      expect((await ch.accountState(acctOf(bob))) & ((1n << 128n) - 1n)).to.equal(0n); // nothing held, nothing owed
      if (lent) expect(await marginShares(f, W)).to.equal(0n);
    });
  }

  it("reverts NotBankrupt while the collateral left is worth more than one cent", async () => {
    const f = fx();
    const { ch, bob, carol, W, U } = f;
    await deposit(f, bob, W, E18);
    await mined(ch.connect(bob).borrow(U, 0, 2_400n * E6, bob.address));
    await deposit(f, carol, U, 10_000n * E6);
    await setPrice(f, W, 100n * WAD);
    await mined(ch.connect(carol).liquidate(acctOf(bob), U, 99_980_000n, W, 0)); // 0.0002 WETH ($0.02) left
    expect(await ch.balanceOf(acctOf(bob), W)).to.equal(2n * 10n ** 14n);
    await expect(ch.settleBadDebt(acctOf(bob), U)).to.be.revertedWithCustomError(ch, "NotBankrupt").withArgs(acctOf(bob));
  });

  it("reverts NotBankrupt for dust of a solvent account (equity >= 0): it can repay", async () => {
    const f = fx();
    const { ch, dave, W, U } = f;
    await deposit(f, dave, W, 10n ** 12n); // $0.003
    await mined(ch.connect(dave).borrow(U, 0, 1n, dave.address));
    await expect(ch.settleBadDebt(acctOf(dave), U)).to.be.revertedWithCustomError(ch, "NotBankrupt").withArgs(acctOf(dave));
  });
});
