// The core's merged margin operations (LendingLib.repayShares and withdrawUpTo, as the Clearinghouse
// runs them: LendingCoreMock's repayUpTo and withdrawUpTo for a margin account) against the two- and
// three-call sequences they replace (debtOf + borrowIndexWad + repay; previewRedeem + withdraw or
// redeem), made at the same timestamp: same results, same state. (Ported from the standalone
// LendingPool. Its repayReceived callback — tokens sent first, the remainder kept — is gone: it is
// now repayUpTo with keepRest, the core's repayment of a deposit into a balance in debt, checked
// against repayUpTo without it; its Clearinghouse-only guard is now "only the account's own debt".)
import { expect } from "chai";
import type { ContractTransactionResponse } from "ethers";
import { ceilDiv, readPool, usePool, WAD, type PoolFx } from "./lending._helpers.ts";

const DAY = 86_400n;
const M128 = (1n << 128n) - 1n;

/**
 * Runs `a` and `b` from the same state in a block at the same timestamp t; `b` first gets what
 * `probe` returns when run at t in a throwaway block (e.g. the index after accruing at t).
 */
async function sameBlock<T, P>(
  f: PoolFx,
  probe: () => Promise<P>,
  a: () => Promise<T>,
  b: (p: P) => Promise<T>,
): Promise<[T, T, unknown, unknown]> {
  const h = f.networkHelpers;
  const t = BigInt(await h.time.latest()) + 100n;
  const snap = await h.takeSnapshot();
  await h.time.setNextBlockTimestamp(t);
  const p = await probe();
  await snap.restore();
  await h.time.setNextBlockTimestamp(t);
  const ra = await a();
  const sa = await readPool(f.pool);
  await snap.restore();
  await h.time.setNextBlockTimestamp(t);
  const rb = await b(p);
  const sb = await readPool(f.pool);
  await snap.restore();
  return [ra, rb, sa, sb];
}

/** The index after accruing in a block (from InterestAccrued). */
async function accrue(f: PoolFx): Promise<bigint> {
  const events = await logs(f, f.pool.connect(f.ch).accrueInterest());
  return (events.find((e) => e.name === "InterestAccrued")!.args.accrual as bigint) & M128;
}

async function logs(f: PoolFx, tx: Promise<ContractTransactionResponse>) {
  const receipt = (await (await tx).wait())!;
  return receipt.logs.map((l) => f.pool.interface.parseLog(l)).filter((e) => e !== null);
}

describe("The core's repayUpTo / withdrawUpTo (merged margin operations)", () => {
  const fx = usePool({ decimals: 6, reserveFactorBps: 1000n });

  /**
   * alice lends 1,000: 500 through the LendingVault and 500 as a margin account (the same shares at
   * the same price); the margin account `ch` borrows 400 (400e6 shares at index 1); a month passes.
   */
  async function setup(f: PoolFx) {
    await (await f.pool.connect(f.alice).deposit(500n * f.unit, f.alice.address)).wait();
    await (await f.pool.connect(f.alice).supplyAsAccount(500n * f.unit)).wait();
    expect(await f.pool.accountSharesOf(f.alice.address)).to.equal(await f.pool.balanceOf(f.alice.address));
    await (await f.pool.connect(f.ch).borrow(400n * f.unit, f.ch.address)).wait();
    await f.networkHelpers.time.increase(30n * DAY);
    return 400n * f.unit;
  }

  it("repayUpTo with less than the debt burns the whole shares it pays for, rounded down, and pulls their value rounded up", async () => {
    const f = fx();
    const owned = await setup(f);
    const assets = 100n * f.unit + 7n;
    const events = await logs(f, f.pool.connect(f.ch).repayUpTo(owned, assets, false));
    const index = (events.find((e) => e.name === "InterestAccrued")!.args.accrual as bigint) & M128;
    expect(index).to.be.greaterThan(WAD);
    const repaid = events.find((e) => e.name === "Repaid")!;
    const shares = (assets * WAD) / index;
    expect(repaid.args.shares).to.equal(shares);
    expect(repaid.args.assets).to.equal(ceilDiv(shares * index, WAD));
    expect(repaid.args.assets).to.be.at.most(assets);
    expect(await f.pool.totalBorrowShares()).to.equal(owned - shares);
  });

  it("repayUpTo equals the Clearinghouse's debtOf + borrowIndexWad + repay at the same timestamp", async () => {
    const f = fx();
    const owned = await setup(f);
    for (const assets of [1_234_567n, 50n * f.unit, 10_000n * f.unit]) {
      const [a, b, sa, sb] = await sameBlock(
        f,
        () => accrue(f),
        async () => {
          const r = (await logs(f, f.pool.connect(f.ch).repayUpTo(owned, assets, false))).find((e) => e.name === "Repaid")!.args;
          return { assets: r.assets as bigint, shares: r.shares as bigint };
        },
        async (index) => {
          // What the Clearinghouse does today (debtOf, borrowIndexWad, repay) at the same index.
          const debt = ceilDiv(owned * index, WAD);
          const shares = assets >= debt ? owned : (assets * WAD) / index;
          const [bal, owed] = [await f.token.balanceOf(f.ch.address), await f.pool.totalBorrowShares()];
          await (await f.pool.connect(f.ch).repay(shares)).wait();
          return {
            assets: bal - (await f.token.balanceOf(f.ch.address)),
            shares: owed - (await f.pool.totalBorrowShares()),
          };
        },
      );
      expect([a.assets, a.shares]).to.deep.equal([b.assets, b.shares]);
      expect(sa).to.deep.equal(sb);
    }
  });

  it("repayUpTo with keepRest burns what it would without at the same timestamp; the remainder stays as cash, an excess is never taken", async () => {
    const f = fx();
    const owned = await setup(f);
    for (const assets of [1_234_567n, 50n * f.unit, 10_000n * f.unit, 1n]) {
      const [a, b, sa0, sb0] = await sameBlock(
        f,
        async () => (await f.pool.cash()) as bigint,
        async () => (await logs(f, f.pool.connect(f.ch).repayUpTo(owned, assets, true))).find((e) => e.name === "Repaid")!.args,
        async () => (await logs(f, f.pool.connect(f.ch).repayUpTo(owned, assets, false))).find((e) => e.name === "Repaid")!.args,
      );
      expect(a.shares).to.equal(b.shares);
      // the whole debt: only the debt is taken; a partial payment: all of it is
      expect(a.assets).to.equal(b.shares === owned ? b.assets : assets);
      // the pool's state differs only in cash: the partial payment's remainder stays there (and,
      // when no share is bought, in the accrual stored with it: without keepRest nothing is written)
      type PoolState = Awaited<ReturnType<typeof readPool>>;
      const [sa, sb] = [sa0 as PoolState, sb0 as PoolState];
      const same = (p: PoolState) => ({ ...p, cash: 0n, totalAssets: 0n, last: b.shares === 0n ? 0n : p.last });
      expect(same(sa)).to.deep.equal(same(sb));
      expect(sa.cash - sb.cash).to.equal(a.assets - b.assets);
    }
  });

  it("repayUpTo with the full debt or more repays all the shares; with less than one share's worth it does nothing", async () => {
    const f = fx();
    const owned = await setup(f);
    await expect(f.pool.connect(f.ch).repayUpTo(owned, 1n, false)).to.emit(f.pool, "Repaid").withArgs(f.ch.address, 0n, 0n);
    expect(await f.pool.totalBorrowShares()).to.equal(owned);
    const before = await f.token.balanceOf(f.ch.address);
    await (await f.pool.connect(f.ch).repayUpTo(owned, 10_000n * f.unit, false)).wait();
    expect(await f.pool.totalBorrowShares()).to.equal(0n);
    expect(before - (await f.token.balanceOf(f.ch.address))).to.be.greaterThan(400n * f.unit); // with interest
  });

  it("repayUpTo repays only the account's own debt and rejects zero amounts and more shares than exist", async () => {
    const f = fx();
    const owned = await setup(f);
    await expect(f.pool.connect(f.alice).repayUpTo(1n, 1n * f.unit, false)).to.be.revertedWithPanic(0x11);
    await expect(f.pool.connect(f.ch).repayUpTo(0n, 1n, false)).to.be.revertedWithCustomError(f.pool, "ZeroAmount");
    await expect(f.pool.connect(f.ch).repayUpTo(1n, 0n, false)).to.be.revertedWithCustomError(f.pool, "ZeroAmount");
    await expect(f.pool.connect(f.ch).repayUpTo(owned + 1n, 10_000n * f.unit, false)).to.be.revertedWithCustomError(
      f.pool,
      "InsufficientBorrowShares",
    );
  });

  it("withdrawUpTo equals previewRedeem + withdraw (worth more) or redeem (worth no more) at the same timestamp", async () => {
    const f = fx();
    await setup(f);
    // alice's lent balance as a margin account; her vault shares are as many, for the separate calls
    const all = await f.pool.accountSharesOf(f.alice.address);
    const cases: [bigint, bigint][] = [
      [all, 100n * f.unit], // worth more: withdraw
      [all, 499n * f.unit], // worth more: withdraw
      [all / 10n, 200n * f.unit], // worth about 50: redeem
    ]; // more than the cash: the next test
    for (const [have, assets] of cases) {
      if (assets > 600n * f.unit) {
        // more than the pool's cash (600): refused, as withdraw and redeem would
        await expect(f.pool.connect(f.alice).withdrawUpTo(have, assets, f.alice.address)).to.be.revertedWithCustomError(f.pool, "InsufficientCash");
        continue;
      }
      const [a, b, sa, sb] = await sameBlock(
        f,
        async () => {
          await accrue(f);
          return f.pool.previewRedeem(have); // the latest block: no further accrual
        },
        async () => {
          const [bal, held] = [await f.token.balanceOf(f.alice.address), await f.pool.accountSharesOf(f.alice.address)];
          await (await f.pool.connect(f.alice).withdrawUpTo(have, assets, f.alice.address)).wait();
          return {
            assets: (await f.token.balanceOf(f.alice.address)) - bal,
            shares: held - (await f.pool.accountSharesOf(f.alice.address)),
          };
        },
        async (value) => {
          const tx =
            value > assets
              ? f.pool.connect(f.alice).withdraw(assets, f.alice.address, f.alice.address)
              : f.pool.connect(f.alice).redeem(have, f.alice.address, f.alice.address);
          const w = (await logs(f, tx)).find((e) => e.name === "Withdraw")!.args;
          return { assets: w.assets as bigint, shares: w.shares as bigint };
        },
      );
      expect([a.assets, a.shares]).to.deep.equal([b.assets, b.shares]);
      expect(a.shares === have).to.equal(assets === 200n * f.unit); // the redeem case burns them all
      expect(sa).to.deep.equal(sb);
    }
  });

  it("withdrawUpTo rejects zero amounts, more than cash and more shares than the caller holds", async () => {
    const f = fx();
    await setup(f);
    const have = await f.pool.accountSharesOf(f.alice.address);
    await expect(f.pool.connect(f.alice).withdrawUpTo(have / 2n, 1n * f.unit, f.bob.address)).to.changeTokenBalances(
      f.ethers,
      f.token,
      [f.bob, f.alice],
      [1n * f.unit, 0n],
    ); // paid to the receiver named, not the caller
    await expect(f.pool.connect(f.alice).withdrawUpTo(0n, 1n, f.alice.address)).to.be.revertedWithCustomError(f.pool, "ZeroAmount");
    await expect(f.pool.connect(f.alice).withdrawUpTo(have, 0n, f.alice.address)).to.be.revertedWithCustomError(f.pool, "ZeroAmount");
    // ch borrows 300 more: 300 of cash left, less than alice's lent balance is worth
    await (await f.pool.connect(f.ch).borrow(300n * f.unit, f.ch.address)).wait();
    const left = await f.pool.accountSharesOf(f.alice.address);
    await expect(f.pool.connect(f.alice).withdrawUpTo(left, 400n * f.unit, f.alice.address)).to.be.revertedWithCustomError(
      f.pool,
      "InsufficientCash",
    );
    // bob lends nothing as an account: alice's lent balance is not his to take
    await expect(f.pool.connect(f.bob).withdrawUpTo(have, 1n * f.unit, f.bob.address))
      .to.be.revertedWithCustomError(f.pool, "InsufficientLentShares")
      .withArgs(have, 0n);
  });
});
