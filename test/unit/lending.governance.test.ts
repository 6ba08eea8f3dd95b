// Governance of a pool in the core (the Clearinghouse's lending code, LendingCoreMock) through the
// AccessManager, keyed by token: rate model, reserve factor and caps within their hard bounds,
// reserve withdrawals (`withdrawPoolReserve`); each setter that changes interest accrues at the old
// values first. (Ported from the standalone LendingPool: its constructor's bounds are now
// `listPool`'s, and a deposit past the supply cap is the core's SupplyRefused.)
import { expect } from "chai";
import { MockERC20__factory } from "../../types/ethers-contracts/index.js";
import { DEFAULT_MODEL, MAX_RATE, NO_CAP, readPool, Sim, usePool, WAD, type Model } from "./lending._helpers.ts";

const ZERO = "0x0000000000000000000000000000000000000000";
const asTuple = (m: Model) => [m.baseRatePerYearWad, m.slope1PerYearWad, m.slope2PerYearWad, m.kinkWad];

describe("Pool governance (the core, keyed by token)", () => {
  const fx = usePool({ decimals: 6, reserveFactorBps: 1000n });

  it("exposes its initial settings (the hard bounds are checked by the setters below)", async () => {
    const { pool } = fx();
    expect(asTuple(await pool.rateModel())).to.deep.equal(asTuple(DEFAULT_MODEL));
    expect(await pool.reserveFactorBps()).to.equal(1000n);
    expect(await pool.caps()).to.deep.equal([NO_CAP, NO_CAP]);
  });

  it("every setter is restricted to the governance role", async () => {
    const { pool, outsider } = fx();
    const calls = [
      pool.connect(outsider).setRateModel(DEFAULT_MODEL),
      pool.connect(outsider).setReserveFactor(0),
      pool.connect(outsider).setCaps(1n, 1n),
      pool.connect(outsider).withdrawReserve(1n, outsider.address),
    ];
    for (const c of calls) {
      await expect(c).to.be.revertedWithCustomError(pool, "AccessManagedUnauthorized").withArgs(outsider.address);
    }
    // nor may anyone but the vault take the outside lenders' cash
    await expect(pool.core.connect(outsider).withdrawToVault(pool.T, 1n, outsider.address))
      .to.be.revertedWithCustomError(pool, "NotLendingVault")
      .withArgs(outsider.address);
  });

  describe("setRateModel", () => {
    it("rejects each rate above 1000 % a year and a kink outside (0, 1e18), changing nothing", async () => {
      const { pool, admin } = fx();
      const over = MAX_RATE + 1n;
      for (const field of ["baseRatePerYearWad", "slope1PerYearWad", "slope2PerYearWad"] as const) {
        await expect(pool.connect(admin).setRateModel({ ...DEFAULT_MODEL, [field]: over }))
          .to.be.revertedWithCustomError(pool, "RateTooHigh")
          .withArgs(over, MAX_RATE);
      }
      for (const kinkWad of [0n, WAD, WAD + 1n]) {
        await expect(pool.connect(admin).setRateModel({ ...DEFAULT_MODEL, kinkWad }))
          .to.be.revertedWithCustomError(pool, "InvalidKink")
          .withArgs(kinkWad);
      }
      expect(asTuple(await pool.rateModel())).to.deep.equal(asTuple(DEFAULT_MODEL));
    });

    it("accepts the bounds themselves and emits RateModelSet", async () => {
      const { pool, admin } = fx();
      const edge = { baseRatePerYearWad: MAX_RATE, slope1PerYearWad: MAX_RATE, slope2PerYearWad: MAX_RATE, kinkWad: WAD - 1n };
      await expect(pool.connect(admin).setRateModel(edge)).to.emit(pool, "RateModelSet").withArgs(pool.T, asTuple(edge));
      expect(asTuple(await pool.rateModel())).to.deep.equal(asTuple(edge));
      const low = { baseRatePerYearWad: 0n, slope1PerYearWad: 0n, slope2PerYearWad: 0n, kinkWad: 1n };
      await (await pool.connect(admin).setRateModel(low)).wait();
      expect(asTuple(await pool.rateModel())).to.deep.equal(asTuple(low));
    });

    it("interest up to the change is owed at the old model, after it at the new one", async () => {
      const { pool, alice, ch, admin, unit } = fx();
      const sim = await Sim.start(fx());
      await sim.tx(1n, () => pool.connect(alice).deposit(1000n * unit, alice.address), (m) => m.deposit(1000n * unit));
      await sim.tx(1n, () => pool.connect(ch).borrow(900n * unit, ch.address), (m) => m.borrow(900n * unit));
      const steep = { baseRatePerYearWad: WAD, slope1PerYearWad: WAD, slope2PerYearWad: 5n * WAD, kinkWad: WAD / 2n };
      // the model accrues at the old rates to the setter's block, then switches
      await sim.tx(30n * 86_400n, () => pool.connect(admin).setRateModel(steep), (m) => {
        m.model = steep;
      });
      await sim.warp(30n * 86_400n);
      await sim.check();
    });
  });

  describe("setReserveFactor", () => {
    it("rejects more than 5000 bps and accepts 5000, emitting ReserveFactorSet", async () => {
      const { pool, admin } = fx();
      await expect(pool.connect(admin).setReserveFactor(5001))
        .to.be.revertedWithCustomError(pool, "ReserveFactorTooHigh")
        .withArgs(5001n, 5000n);
      expect(await pool.reserveFactorBps()).to.equal(1000n);
      await expect(pool.connect(admin).setReserveFactor(5000)).to.emit(pool, "ReserveFactorSet").withArgs(pool.T, 5000n);
      expect(await pool.reserveFactorBps()).to.equal(5000n);
    });

    it("interest up to the change is split at the old factor", async () => {
      const { pool, alice, ch, admin, unit } = fx();
      const sim = await Sim.start(fx());
      await sim.tx(1n, () => pool.connect(alice).deposit(1000n * unit, alice.address), (m) => m.deposit(1000n * unit));
      await sim.tx(1n, () => pool.connect(ch).borrow(500n * unit, ch.address), (m) => m.borrow(500n * unit));
      await sim.tx(90n * 86_400n, () => pool.connect(admin).setReserveFactor(0), (m) => {
        m.reserveFactorBps = 0n;
      });
      const reserves = await pool.reserves();
      expect(reserves).to.be.greaterThan(0n);
      await sim.warp(90n * 86_400n);
      await sim.check();
      expect(await pool.reserves()).to.equal(reserves); // nothing more since the factor went to 0
    });
  });

  describe("setCaps", () => {
    it("sets both caps and emits CapsSet; caps above 2^112 − 1 mean no cap", async () => {
      const { pool, admin } = fx();
      await expect(pool.connect(admin).setCaps(123n, 45n)).to.emit(pool, "CapsSet").withArgs(pool.T, 123n, 45n);
      expect(await pool.caps()).to.deep.equal([123n, 45n]);
      await expect(pool.connect(admin).setCaps(2n ** 256n - 1n, NO_CAP + 1n))
        .to.emit(pool, "CapsSet")
        .withArgs(pool.T, NO_CAP, NO_CAP);
      expect(await pool.caps()).to.deep.equal([NO_CAP, NO_CAP]);
      await (await pool.connect(admin).setCaps(0n, 0n)).wait();
      expect(await pool.maxDeposit(admin.address)).to.equal(0n);
    });

    it("a cap below the current total blocks growth but nothing else", async () => {
      const { pool, alice, ch, admin, unit } = fx();
      await (await pool.connect(alice).deposit(1000n * unit, alice.address)).wait();
      await (await pool.connect(ch).borrow(100n * unit, ch.address)).wait();
      await (await pool.connect(admin).setCaps(10n * unit, 10n * unit)).wait();
      await expect(pool.connect(alice).deposit(1n, alice.address)).to.be.revertedWithCustomError(pool, "SupplyRefused");
      await expect(pool.connect(ch).borrow(1n, ch.address)).to.be.revertedWithCustomError(pool, "BorrowCapExceeded");
      // repaying and withdrawing still work
      await (await pool.connect(ch).repay(10n * unit)).wait();
      await (await pool.connect(alice).withdraw(10n * unit, alice.address, alice.address)).wait();
    });
  });

  describe("withdrawReserve", () => {
    /** A year of interest on 800 of 1000 lent builds a reserve. */
    async function withReserve() {
      const { pool, alice, ch, unit, networkHelpers } = fx();
      await (await pool.connect(alice).deposit(1000n * unit, alice.address)).wait();
      await (await pool.connect(ch).borrow(800n * unit, ch.address)).wait();
      await networkHelpers.time.increase(365 * 86_400);
      await (await pool.accrueInterest()).wait();
      return readPool(pool);
    }

    it("pays the treasury from the reserve, leaving totalAssets (the lenders' claim) unchanged", async () => {
      const { pool, admin, treasury, token, ethers } = fx();
      const s = await withReserve();
      expect(s.reserves).to.be.greaterThan(0n);
      const amount = s.reserves / 2n;
      await expect(pool.connect(admin).withdrawReserve(amount, treasury.address))
        .to.emit(pool, "PoolReserveWithdrawn")
        .withArgs(pool.T, amount, treasury.address);
      const after = await readPool(pool);
      expect(after.cash).to.equal(s.cash - amount);
      // one second of interest on top of the same claim
      expect(after.totalAssets).to.be.at.least(s.totalAssets);
      expect(after.totalAssets - s.totalAssets).to.be.lessThan(10n ** 3n);
      expect(await token.balanceOf(treasury.address)).to.equal(amount);
      await expect(pool.connect(admin).withdrawReserve(1n, treasury.address)).to.changeTokenBalances(
        ethers,
        token,
        [pool, treasury],
        [-1n, 1n],
      );
    });

    it("rejects zero, the zero address, more than the reserve and more than cash", async () => {
      const { pool, admin, ch, treasury } = fx();
      await withReserve();
      await expect(pool.connect(admin).withdrawReserve(0n, treasury.address)).to.be.revertedWithCustomError(pool, "ZeroAmount");
      await expect(pool.connect(admin).withdrawReserve(1n, ZERO)).to.be.revertedWithCustomError(pool, "ZeroAddress");
      // the reserve grows by far less than 1000 atoms in the second before the call is mined
      const tooMuch = (await pool.reserves()) + 1_000n;
      await expect(pool.connect(admin).withdrawReserve(tooMuch, treasury.address)).to.be.revertedWithCustomError(
        pool,
        "InsufficientReserves",
      );
      // lend out all but 1 atom of cash: the reserve is now mostly a claim on borrows
      const cash = await pool.cash();
      await (await pool.connect(ch).borrow(cash - 1n, ch.address)).wait();
      const r = await pool.reserves();
      expect(r).to.be.greaterThan(1n);
      await expect(pool.connect(admin).withdrawReserve(2n, treasury.address))
        .to.be.revertedWithCustomError(pool, "InsufficientCash")
        .withArgs(2n, 1n);
    });

    it("InsufficientReserves carries the request and the reserve at that moment", async () => {
      const { pool, admin, treasury } = fx();
      // no borrows: the reserve is exactly 0 and stays 0
      await expect(pool.connect(admin).withdrawReserve(5n, treasury.address))
        .to.be.revertedWithCustomError(pool, "InsufficientReserves")
        .withArgs(5n, 0n);
    });
  });

  describe("listPool", () => {
    it("applies the same bounds as the setters, and clamps caps", async () => {
      const { admin, pool } = fx();
      const core = pool.core;
      const other = await new MockERC20__factory(admin).deploy("O", "O", 6);
      const O = await other.getAddress();
      await expect(core.listPool(O, admin.address, { ...DEFAULT_MODEL, slope2PerYearWad: MAX_RATE + 1n }, 0, 0n, 0n))
        .to.be.revertedWithCustomError(core, "RateTooHigh")
        .withArgs(MAX_RATE + 1n, MAX_RATE);
      await expect(core.listPool(O, admin.address, { ...DEFAULT_MODEL, kinkWad: 0n }, 0, 0n, 0n))
        .to.be.revertedWithCustomError(core, "InvalidKink")
        .withArgs(0n);
      await expect(core.listPool(O, admin.address, DEFAULT_MODEL, 5001, 0n, 0n))
        .to.be.revertedWithCustomError(core, "ReserveFactorTooHigh")
        .withArgs(5001n, 5000n);
      await (await core.listPool(O, admin.address, DEFAULT_MODEL, 5000, 2n ** 200n, 2n ** 200n)).wait();
      expect(await core.capsOf(O)).to.deep.equal([NO_CAP, NO_CAP]);
      expect(await core.reserveFactorBpsOf(O)).to.equal(5000n);
      expect(await core.authority()).to.equal(await fx().manager.getAddress());
      // the other pool is untouched
      expect(await pool.reserveFactorBps()).to.equal(1000n);
    });
  });
});
