// Interest of a pool in the core (the Clearinghouse's lending code, LendingCoreMock, with the
// asset's LendingVault; ported from the standalone LendingPool): per-second accrual on touch against
// the bigint model, views that include interest up to now, the kinked rate model below, at and above
// the kink, and the reserve factor.
import { expect } from "chai";
import { BPS, ceilDiv, DEFAULT_MODEL, deployPool, min, readPool, Sim, usePool, WAD, YEAR, type Model } from "./lending._helpers.ts";

/** The rate per second written out by hand from docs/LENDING.md for a utilisation u. */
function handRate(m: Model, u: bigint): bigint {
  const below = ceilDiv(m.slope1PerYearWad * min(u, m.kinkWad), m.kinkWad);
  const above = u > m.kinkWad ? ceilDiv(m.slope2PerYearWad * (u - m.kinkWad), WAD - m.kinkWad) : 0n;
  return ceilDiv(m.baseRatePerYearWad + below + above, YEAR);
}

describe("Pool interest (the core's lending)", () => {
  const fx = usePool({ decimals: 18, reserveFactorBps: 1500n });

  it("accrues per second on every touch, matching the bigint model to the wei", async () => {
    const { pool, alice, bob, ch, unit } = fx();
    const sim = await Sim.start(fx(), { reserveFactorBps: 1500n });
    await sim.tx(1n, () => pool.connect(alice).deposit(1000n * unit, alice.address), (m) => m.deposit(1000n * unit));
    await sim.tx(1n, () => pool.connect(bob).deposit(333n * unit + 7n, bob.address), (m) => m.deposit(333n * unit + 7n));
    await sim.tx(1n, () => pool.connect(ch).borrow(700n * unit, ch.address), (m) => m.borrow(700n * unit));
    await sim.check();
    // touches 1 s, 1 h, 1 day and 1 year apart, through different entry points
    await sim.tx(1n, () => pool.accrueInterest(), () => undefined);
    await sim.check();
    await sim.tx(3600n, () => pool.connect(ch).borrow(300n * unit, ch.address), (m) => m.borrow(300n * unit));
    await sim.check();
    await sim.tx(86_400n, () => pool.connect(alice).withdraw(5n * unit, alice.address, alice.address), (m) => m.withdraw(5n * unit));
    await sim.check();
    await sim.tx(YEAR, () => pool.connect(bob).redeem(10n ** 24n, bob.address, bob.address), (m) => m.redeem(10n ** 24n));
    await sim.check();
    const shares = (await pool.totalBorrowShares()) / 2n;
    await sim.tx(17n, () => pool.connect(ch).repay(shares), (m) => m.repay(shares));
    await sim.check();
    // a year at ≈ 75 % utilisation (≈ 9.5 %): the index grew accordingly
    const index = await pool.borrowIndexWad();
    expect(index).to.be.greaterThan(WAD + WAD / 20n);
    expect(index).to.be.lessThan(WAD + WAD / 5n);
  });

  it("views include interest up to now without any transaction", async () => {
    const { pool, alice, ch, unit } = fx();
    const sim = await Sim.start(fx(), { reserveFactorBps: 1500n });
    await sim.tx(1n, () => pool.connect(alice).deposit(1000n * unit, alice.address), (m) => m.deposit(1000n * unit));
    const { out: shares } = await sim.tx(1n, () => pool.connect(ch).borrow(500n * unit, ch.address), (m) => m.borrow(500n * unit));
    const last = await pool.lastAccrualTimestamp();
    for (const dt of [1n, 59n, 3600n, 30n * 86_400n]) {
      await sim.warp(dt);
      await sim.check(); // totalBorrows, reserves, totalAssets, index all moved
      const e = await sim.expected();
      expect(await pool.debtOf(shares)).to.equal(ceilDiv(shares * e.index, WAD));
      expect(await pool.sharesForDebt(500n * unit)).to.equal(ceilDiv(500n * unit * WAD, e.index));
      expect(await pool.maxWithdraw(alice.address)).to.equal(min(e.toAssets(await pool.balanceOf(alice.address), false), e.cash));
      expect(await pool.utilizationWad()).to.equal(e.utilization);
      expect(await pool.borrowRatePerSecondWad()).to.equal(e.ratePerSecond);
    }
    expect(await pool.lastAccrualTimestamp()).to.equal(last); // views wrote nothing
  });

  it("InterestAccrued packs the index and the interest in one word; the reserve's cut is rounded down", async () => {
    const { pool, alice, ch, unit } = fx();
    const sim = await Sim.start(fx(), { reserveFactorBps: 1500n });
    await sim.tx(1n, () => pool.connect(alice).deposit(1000n * unit, alice.address), (m) => m.deposit(1000n * unit));
    await sim.tx(1n, () => pool.connect(ch).borrow(250n * unit, ch.address), (m) => m.borrow(250n * unit));
    const before = sim.m.totalBorrows;
    const { receipt } = await sim.tx(86_400n, () => pool.accrueInterest(), () => undefined);
    const interest = sim.m.totalBorrows - before;
    expect(interest).to.be.greaterThan(0n);
    const logs = receipt.logs.map((l) => pool.interface.parseLog(l)).filter((e) => e?.name === "InterestAccrued");
    expect(logs.length).to.equal(1);
    const accrual = logs[0]!.args.accrual as bigint;
    expect(accrual & ((1n << 128n) - 1n)).to.equal(sim.m.index);
    expect(accrual >> 128n).to.equal(interest);
    expect(await pool.reserves()).to.equal((interest * 1500n) / BPS);
  });

  it("with no borrows the index stays put, nothing is emitted, and only the timestamp moves", async () => {
    const { pool, alice, unit, networkHelpers } = fx();
    await (await pool.connect(alice).deposit(10n * unit, alice.address)).wait();
    await networkHelpers.time.increase(YEAR);
    await expect(pool.accrueInterest()).not.to.emit(pool, "InterestAccrued");
    const s = await readPool(pool);
    expect([s.index, s.totalBorrows, s.reserves, s.totalAssets]).to.deep.equal([WAD, 0n, 0n, 10n * unit]);
    expect(s.last).to.equal(BigInt(await networkHelpers.time.latest()));
    expect(await pool.utilizationWad()).to.equal(0n);
    expect(await pool.borrowRatePerSecondWad()).to.equal(ceilDiv(DEFAULT_MODEL.baseRatePerYearWad, YEAR));
    expect(await pool.supplyRatePerSecondWad()).to.equal(0n);
  });

  it("an empty pool has utilisation 0 and the base rate", async () => {
    const { pool } = fx();
    expect(await pool.utilizationWad()).to.equal(0n);
    expect(await pool.borrowRatePerSecondWad()).to.equal(ceilDiv(DEFAULT_MODEL.baseRatePerYearWad, YEAR));
  });

  it("reproduces the worked example of docs/LENDING.md to the atom", async () => {
    const f = await deployPool({ decimals: 6, reserveFactorBps: 1000n, model: DEFAULT_MODEL });
    const { pool, alice, ch, networkHelpers, connection } = f;
    const provider = connection.ethers.provider;
    const usdc = 10n ** 6n;
    // 1. Alice lends 1,000 USDC: 10^15 shares (1,000 lUSDC of 12 decimals)
    await (await pool.connect(alice).deposit(1000n * usdc, alice.address)).wait();
    expect(await pool.balanceOf(alice.address)).to.equal(10n ** 15n);
    // 2. The Clearinghouse borrows 850 USDC at index 1: 850,000,000 borrow shares; u = 85 %
    await (await pool.connect(ch).borrow(850n * usdc, ch.address)).wait();
    expect(await pool.totalBorrowShares()).to.equal(850_000_000n);
    expect(await pool.utilizationWad()).to.equal(85n * 10n ** 16n);
    expect(await pool.borrowRatePerSecondWad()).to.equal(11_098_427_195n); // 35 % a year
    const T = (await pool.lastAccrualTimestamp()) + 86_400n;
    // 3. One day later (views, before anything is written)
    const snap = await networkHelpers.takeSnapshot();
    await networkHelpers.time.increaseTo(T);
    const day = await readPool(pool);
    expect(day.index).to.equal(1_000_958_904_109_648_000n);
    expect(day.totalBorrows).to.equal(850_815_068n);
    expect(day.reserves).to.equal(81_506n);
    expect(day.totalAssets).to.equal(1_000_733_562n);
    expect(await pool.convertToAssets(10n ** 12n)).to.equal(1_000_733n); // 1 lUSDC = 1.000733 USDC
    await snap.restore();
    // 4. In that same second: half the debt repaid, the other half written off as bad debt
    await provider.send("evm_setAutomine", [false]);
    const gasLimit = 1_000_000n;
    const repay = await pool.connect(ch).repay(425_000_000n, { gasLimit });
    const off = await pool.connect(ch).writeOff(425_000_000n, { gasLimit });
    await networkHelpers.time.setNextBlockTimestamp(T);
    await provider.send("evm_mine", []);
    await provider.send("evm_setAutomine", [true]);
    const logs = [...(await repay.wait())!.logs, ...(await off.wait())!.logs].map((l) => pool.interface.parseLog(l)!).filter((e) => e !== null);
    const accrued = logs.find((e) => e.name === "InterestAccrued")!.args.accrual as bigint;
    expect([accrued >> 128n, accrued & ((1n << 128n) - 1n)]).to.deep.equal([815_068n, 1_000_958_904_109_648_000n]);
    // the margin account's repayment pulls the debt, rounded up (the core logs no pool-level Repaid:
    // the Clearinghouse's Repaid names the account): the token's Transfer into the core
    const pulled = (await repay.wait())!.logs.map((l) => pool.interface.parseLog(l)).find((e) => e?.name === "Transfer")!;
    expect([pulled.args[1], pulled.args[2]]).to.deep.equal([pool.target, 425_407_535n]);
    const w = logs.find((e) => e.name === "BadDebtWrittenOff")!.args;
    expect([w.lossAssets, w.fromReserve]).to.deep.equal([425_407_535n, 81_506n]);
    const end = await readPool(pool);
    expect([end.cash, end.totalBorrows, end.reserves, end.totalAssets]).to.deep.equal([575_407_535n, 0n, 0n, 575_407_535n]);
    expect(await pool.convertToAssets(10n ** 12n)).to.equal(575_407n);
    expect(await pool.maxWithdraw(alice.address)).to.equal(575_407_535n);
  });

  describe("kinked rate model", () => {
    // base 2 %, slope1 8 % up to the 80 % kink, slope2 100 % above; supply 1000, borrow B
    const cases: { name: string; borrowed: bigint }[] = [
      { name: "well below the kink (25 %)", borrowed: 250n },
      { name: "just below the kink (79.9 %)", borrowed: 799n },
      { name: "at the kink (80 %)", borrowed: 800n },
      { name: "just above the kink (80.1 %)", borrowed: 801n },
      { name: "well above the kink (95 %)", borrowed: 950n },
      { name: "fully lent (100 %)", borrowed: 1000n },
    ];
    for (const { name, borrowed } of cases) {
      it(`${name}: utilisation, borrow and supply rates follow the formula`, async () => {
        const { pool, alice, ch } = await deployPool({ decimals: 6, reserveFactorBps: 1500n, model: DEFAULT_MODEL });
        const unit = 10n ** 6n;
        await (await pool.connect(alice).deposit(1000n * unit, alice.address)).wait();
        await (await pool.connect(ch).borrow(borrowed * unit, ch.address)).wait();
        // read in the borrow's own block: no interest yet
        const u = (borrowed * WAD) / 1000n; // exact for these figures
        expect(await pool.utilizationWad()).to.equal(u);
        const rate = handRate(DEFAULT_MODEL, u);
        expect(await pool.borrowRatePerSecondWad()).to.equal(rate);
        expect(await pool.supplyRatePerSecondWad()).to.equal((((rate * u) / WAD) * (BPS - 1500n)) / BPS);
        // the yearly rate, for the reader: 2 % + 8 % · min(u, 80 %)/80 % + 100 % · (u − 80 %)/20 %
        const yearly = 2n * 10n ** 16n + (8n * 10n ** 16n * min(u, 8n * 10n ** 17n)) / (8n * 10n ** 17n) +
          (u > 8n * 10n ** 17n ? ((u - 8n * 10n ** 17n) * WAD) / (2n * 10n ** 17n) : 0n);
        expect(rate * YEAR - yearly).to.be.lessThan(YEAR); // ceil division by a year
      });
    }

    it("the slope steepens at the kink: +1 % utilisation costs 0.1 % a year below it and 5 % above", async () => {
      const step = (u: bigint) => handRate(DEFAULT_MODEL, u + WAD / 100n) - handRate(DEFAULT_MODEL, u);
      const below = step(5n * 10n ** 17n) * YEAR;
      const above = step(85n * 10n ** 16n) * YEAR;
      expect(below - 10n ** 15n).to.be.lessThanOrEqual(YEAR); // 8 % · 1/80 = 0.1 %
      expect(above - 5n * 10n ** 16n).to.be.lessThanOrEqual(YEAR); // 100 % · 1/20 = 5 %
    });

    it("utilisation is capped at 100 % when the reserve exceeds the lenders' claim", async () => {
      // a steep model, half the interest to the reserve, most of the debt repaid, lenders gone
      const model = { baseRatePerYearWad: 0n, slope1PerYearWad: 10n * WAD, slope2PerYearWad: 10n * WAD, kinkWad: WAD / 2n };
      const f = await deployPool({ decimals: 6, reserveFactorBps: 5000n, model });
      const { pool, alice, ch, networkHelpers } = f;
      const sim = await Sim.start(f, { reserveFactorBps: 5000n, model });
      await sim.tx(1n, () => pool.connect(alice).deposit(1000n * 10n ** 6n, alice.address), (m) => m.deposit(1000n * 10n ** 6n));
      const { out: shares } = await sim.tx(1n, () => pool.connect(ch).borrow(900n * 10n ** 6n, ch.address), (m) => m.borrow(900n * 10n ** 6n));
      await sim.tx(YEAR, () => pool.connect(ch).repay(shares - 1000n), (m) => m.repay(shares - 1000n));
      const all = await pool.balanceOf(alice.address);
      expect(await pool.maxRedeem(alice.address)).to.equal(all);
      await sim.tx(1n, () => pool.connect(alice).redeem(all, alice.address, alice.address), (m) => m.redeem(all));
      await sim.check();
      const s = await readPool(pool);
      expect(s.reserves).to.be.greaterThan(s.totalBorrows);
      expect(s.totalAssets).to.be.lessThan(s.totalBorrows); // so borrows / (cash + borrows − reserves) > 1
      expect(await pool.utilizationWad()).to.equal(WAD);
      expect(await pool.borrowRatePerSecondWad()).to.equal(ceilDiv(20n * WAD, YEAR));
      // time keeps running at the capped rate, and the model still agrees
      await networkHelpers.time.increase(3600);
      await sim.check();
    });
  });

  describe("reserve factor", () => {
    for (const rf of [0n, 1n, 1000n, 5000n]) {
      it(`${rf} bps of every accrual goes to the reserve, rounded down`, async () => {
        const f = await deployPool({ decimals: 8, reserveFactorBps: rf });
        const { pool, alice, ch } = f;
        const sim = await Sim.start(f, { reserveFactorBps: rf });
        await sim.tx(1n, () => pool.connect(alice).deposit(10n ** 12n, alice.address), (m) => m.deposit(10n ** 12n));
        await sim.tx(1n, () => pool.connect(ch).borrow(6n * 10n ** 11n, ch.address), (m) => m.borrow(6n * 10n ** 11n));
        let interestSum = 0n;
        for (const dt of [1n, 13n, 3600n, 86_400n * 7n]) {
          const b = sim.m.totalBorrows;
          await sim.tx(dt, () => pool.accrueInterest(), () => undefined);
          interestSum += sim.m.totalBorrows - b;
        }
        await sim.check();
        const reserves = await pool.reserves();
        expect(reserves).to.be.at.most((interestSum * rf) / BPS);
        expect((interestSum * rf) / BPS - reserves).to.be.lessThan(4n); // one atom per accrual at most
        if (rf === 0n) expect(reserves).to.equal(0n);
      });
    }
  });
});
