// maxWithdraw / maxBorrow / liquidationPrice: exact boundaries, checked both against the
// independent model (the boundary is where the model's value changes sign) and on chain.
import { expect } from "chai";
import {
  E18, E6, WAD, acctOf, deposit, entry, mInitial, mMaintenance, mined, sameTime, setPrice, useMarginFixture, type MFx,
} from "./margin._helpers.ts";

async function debtOf(f: MFx, who: { address: string }, token: string, pool: "USDC" | "WETH") {
  return { debt: -(await f.ch.balanceOf(acctOf(who), token)), rateWad: await f.ch.borrowRatePerSecondWad(token) };
}

/** bob: 10 WETH against 20,000 USDC of debt. */
async function leveraged(f: MFx) {
  await deposit(f, f.bob, f.W, 10n * E18);
  await mined(f.ch.connect(f.bob).borrow(f.U, 0, 20_000n * E6, f.bob.address));
}

describe("AtlasLens.maxWithdraw and maxBorrow", () => {
  const fx = useMarginFixture();

  it("without debt everything can leave", async () => {
    const f = fx();
    await deposit(f, f.alice, f.W, 2n * E18);
    expect(await f.lens.maxWithdraw(acctOf(f.alice), f.W, false)).to.equal(2n * E18);
    expect(await f.lens.maxBorrow(acctOf(f.alice), f.W)).to.equal(0n); // WETH debt against WETH withdrawn: nothing left
    expect(await f.lens.maxBorrow(acctOf(f.alice), f.U)).to.be.greaterThan(0n);
  });

  it("withdrawing maxWithdraw of collateral succeeds; one atom more reverts InsufficientMargin", async () => {
    const f = fx();
    const { ch, atlas, lens, bob, W } = f;
    await leveraged(f);
    await sameTime(f);
    const w = await lens.maxWithdraw(acctOf(bob), W, false);
    const { debt, rateWad } = await debtOf(f, bob, f.U, "USDC");
    const after = (left: bigint) => mInitial([entry("WETH", { idle: left }), entry("USDC", { debt, rateWad })]);
    expect(after(10n * E18 - w)).to.be.at.least(0n);
    expect(after(10n * E18 - w - 1n)).to.be.lessThan(0n);
    await sameTime(f);
    await expect(ch.connect(bob).withdraw(W, 0, w + 1n, bob.address))
      .to.be.revertedWithCustomError(ch, "InsufficientMargin")
      .withArgs(acctOf(bob), after(10n * E18 - w - 1n));
    await sameTime(f);
    await mined(ch.connect(bob).withdraw(W, 0, w, bob.address));
    expect(await ch.balanceOf(acctOf(bob), W)).to.equal(10n * E18 - w);
  });

  it("a lent collateral's maxWithdraw is exact too (pool shares burnt rounded up)", async () => {
    const f = fx();
    const { ch, atlas, lens, carol, W, U } = f;
    await deposit(f, carol, U, 30_000n * E6);
    await mined(ch.connect(carol).setLending(U, 0, true));
    await mined(ch.connect(carol).borrow(W, 0, 5n * E18, carol.address));
    await sameTime(f);
    const w = await lens.maxWithdraw(acctOf(carol), U, false);
    await sameTime(f);
    await expect(ch.connect(carol).withdraw(U, 0, w + 1n, carol.address)).to.be.revertedWithCustomError(ch, "InsufficientMargin");
    await sameTime(f);
    await mined(ch.connect(carol).withdraw(U, 0, w, carol.address));
  });

  // A debit redeems the lent balance before it borrows: that cash leaves the pool first, so it
  // can be borrowed only once, and the borrow's rate is the utilisation without it.
  it("a lender's maxWithdraw with borrowing counts its lent cash once: the whole cash, not more", async () => {
    const f = fx();
    const { ch, atlas, lens, bob, W, U } = f;
    await deposit(f, bob, W, 10_000n * E18); // margin is not the limit here
    await deposit(f, bob, U, 500_000n * E6);
    await mined(ch.connect(bob).setLending(U, 0, true));
    await mined(ch.connect(bob).setBorrowPolicy(0, false, true));
    await sameTime(f);
    const cash = await f.ch.cash(f.U);
    const w = await lens.maxWithdraw(acctOf(bob), U, true);
    expect(w).to.equal(cash); // the 500,000 lent plus the 1,000,000 the lender left
    expect(await lens.maxBorrow(acctOf(bob), U)).to.equal(cash - (await ch.balanceOf(acctOf(bob), U)));
    await sameTime(f);
    await expect(ch.connect(bob).withdraw(U, 0, w + 1n, bob.address)).to.be.revertedWithCustomError(f.ch, "InsufficientCash");
    await sameTime(f);
    await mined(ch.connect(bob).withdraw(U, 0, w, bob.address));
    expect(await f.ch.cash(f.U)).to.equal(0n);
  });

  it("a lender's maxWithdraw with borrowing is exact when margin binds (the rate after its redemption)", async () => {
    const f = fx();
    const { ch, atlas, lens, bob, W, U } = f;
    await deposit(f, bob, W, 100n * E18);
    await deposit(f, bob, U, 500_000n * E6);
    await mined(ch.connect(bob).setLending(U, 0, true));
    await mined(ch.connect(bob).setBorrowPolicy(0, false, true));
    await sameTime(f);
    const w = await lens.maxWithdraw(acctOf(bob), U, true);
    expect(w).to.be.greaterThan(500_000n * E6);
    expect(w).to.be.lessThan(await f.ch.cash(f.U));
    await sameTime(f);
    await expect(ch.connect(bob).withdraw(U, 0, w + 1n, bob.address)).to.be.revertedWithCustomError(ch, "InsufficientMargin");
    await sameTime(f);
    await mined(ch.connect(bob).withdraw(U, 0, w, bob.address));
    expect((await f.atlas.riskOf(acctOf(bob))).initialWad).to.be.at.least(0n);
  });

  it("maxWithdraw with borrowing is the balance plus maxBorrow; borrowing one atom past maxBorrow reverts", async () => {
    const f = fx();
    const { ch, atlas, lens, bob, U } = f;
    await leveraged(f);
    await deposit(f, f.carol, U, 1_000n * E6);
    await deposit(f, f.carol, f.W, 10n * E18);
    await sameTime(f);
    expect(await lens.maxWithdraw(acctOf(f.carol), U, true)).to.equal(
      1_000n * E6 + (await lens.maxBorrow(acctOf(f.carol), U)),
    );
    await sameTime(f);
    const b = await lens.maxBorrow(acctOf(bob), U);
    await sameTime(f);
    await expect(ch.connect(bob).borrow(U, 0, b + 1n, bob.address)).to.be.revertedWithCustomError(ch, "InsufficientMargin");
  });

  // The borrow raises utilisation and so the rate its 10-day interest add-on uses, and borrow
  // shares round up: maxBorrow prices both, so borrowing exactly the answer passes the check.
  it("borrowing exactly maxBorrow succeeds", async () => {
    const f = fx();
    const { ch, atlas, lens, bob, U } = f;
    await leveraged(f);
    await sameTime(f);
    const b = await lens.maxBorrow(acctOf(bob), U);
    await sameTime(f);
    await mined(ch.connect(bob).borrow(U, 0, b, bob.address));
  });

  // An asset without a lending pool cannot be borrowed at all (NoPool).
  it("maxBorrow of an asset without a pool is 0", async () => {
    const f = fx();
    await leveraged(f);
    expect(await f.lens.maxBorrow(acctOf(f.bob), f.L)).to.equal(0n);
  });
});

describe("AtlasLens.liquidationPrice", () => {
  const fx = useMarginFixture();

  async function flipsAt(f: MFx, who: { address: string }, token: string, healthy: bigint, sick: bigint) {
    await sameTime(f);
    await setPrice(f, token, healthy);
    expect(await f.ch.isLiquidatable(acctOf(who))).to.equal(false);
    await sameTime(f);
    await setPrice(f, token, sick);
    expect(await f.ch.isLiquidatable(acctOf(who))).to.equal(true);
  }

  it("a long's price is the lowest healthy one: 1 wei below it the account is liquidatable", async () => {
    const f = fx();
    const { atlas, lens, bob, W, U } = f;
    await leveraged(f);
    await sameTime(f);
    const p = await lens.liquidationPrice(acctOf(bob), W);
    const { debt, rateWad } = await debtOf(f, bob, U, "USDC");
    const mv = (price: bigint) => mMaintenance([entry("WETH", { idle: 10n * E18, price }), entry("USDC", { debt, rateWad })]);
    expect(mv(p)).to.be.at.least(0n);
    expect(mv(p - 1n)).to.be.lessThan(0n);
    expect(p).to.be.within(2_200n * WAD, 2_300n * WAD); // 20000·1.011 / (10·0.895) ≈ $2,259
    await flipsAt(f, bob, W, p, p - 1n);
  });

  it("a short's price is the highest healthy one: 1 wei above it the account is liquidatable", async () => {
    const f = fx();
    const { ch, atlas, lens, carol, W, U } = f;
    await deposit(f, carol, U, 10_000n * E6);
    await mined(ch.connect(carol).borrow(W, 0, 2n * E18, carol.address));
    await sameTime(f);
    const p = await lens.liquidationPrice(acctOf(carol), W);
    const { debt, rateWad } = await debtOf(f, carol, W, "WETH");
    const mv = (price: bigint) => mMaintenance([entry("WETH", { debt, rateWad, price }), entry("USDC", { idle: 10_000n * E6 })]);
    expect(mv(p)).to.be.at.least(0n);
    expect(mv(p + 1n)).to.be.lessThan(0n);
    await flipsAt(f, carol, W, p, p + 1n);
  });

  it("works for the debt asset too (the price at which the USDC owed outgrows the collateral)", async () => {
    const f = fx();
    const { atlas, lens, bob, U } = f;
    await leveraged(f);
    await sameTime(f);
    const p = await lens.liquidationPrice(acctOf(bob), U);
    expect(p).to.be.within(WAD, 2n * WAD);
    await flipsAt(f, bob, U, p, p + 1n);
  });

  it("is 0 when no price makes the account liquidatable, or the asset is not held", async () => {
    const f = fx();
    const { atlas, lens, alice, bob, W, B } = f;
    await deposit(f, alice, W, 2n * E18);
    expect(await lens.liquidationPrice(acctOf(alice), W)).to.equal(0n);
    await leveraged(f);
    expect(await lens.liquidationPrice(acctOf(bob), B)).to.equal(0n);
    await setPrice(f, W, 3_000n * WAD);
    expect(await lens.liquidationPrice(acctOf(bob), W)).to.be.greaterThan(0n);
  });
});

describe("Atlas: the range its unchecked arithmetic is proven for", () => {
  const fx = useMarginFixture();

  it("values a balance just below 2^128 atoms and reverts ValuationOutOfRange at 2^128", async () => {
    const f = fx();
    const { atlas, lens, alice, L } = f;
    await deposit(f, alice, L, 2n ** 128n - 1n);
    const r = await atlas.riskOf(acctOf(alice));
    expect(r.equityWad).to.be.greaterThan(0n);
    expect(r.maintenanceWad).to.be.lessThan(r.equityWad);
    await deposit(f, alice, L, 1n);
    await expect(atlas.riskOf(acctOf(alice))).to.be.revertedWithCustomError(atlas, "ValuationOutOfRange");
    await expect(atlas.initialValue(acctOf(alice))).to.be.revertedWithCustomError(atlas, "ValuationOutOfRange");
  });
});
