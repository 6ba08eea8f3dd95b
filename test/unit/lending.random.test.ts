// Random sequences (fast-check) of deposit, mint, withdraw, redeem (outside lenders, through the
// LendingVault), borrow, repay, writeOff (a margin account of the core), reserve-factor changes,
// reserve withdrawals, donations (to the core, which holds the cash) and time warps, on a pool in the
// core (the Clearinghouse's lending code, LendingCoreMock). After every step the pool must equal the
// bigint model to the wei and keep its invariants (LendingLib L1–L5; L3 is the core's token balance);
// at the end every loan is repaid and every lender must be able to leave. (Ported from the standalone
// LendingPool: a deposit or mint past the room is now the core's SupplyRefused.)
import { expect } from "chai";
import fc from "fast-check";
import { ceilDiv, deployPool, latestTimestamp, min, OFFSET, readPool, Sim, WAD, type Model, type PoolFx } from "./lending._helpers.ts";

const MODEL: Model = {
  baseRatePerYearWad: 5n * 10n ** 16n,
  slope1PerYearWad: 2n * 10n ** 17n,
  slope2PerYearWad: 3n * WAD,
  kinkWad: 8n * 10n ** 17n,
};
const RF = 2000n;

type Action =
  | { kind: "deposit"; who: number; units: bigint }
  | { kind: "mint"; who: number; units: bigint }
  | { kind: "withdraw"; who: number; permille: bigint }
  | { kind: "redeem"; who: number; permille: bigint }
  | { kind: "borrow"; permille: bigint }
  | { kind: "repay"; loan: number; permille: bigint }
  | { kind: "writeOff"; loan: number }
  | { kind: "reserveFactor"; bps: bigint }
  | { kind: "withdrawReserve"; permille: bigint }
  | { kind: "donate"; units: bigint }
  | { kind: "accrue" }
  | { kind: "overdraw" };
type Step = { action: Action; dt: bigint };

const who = fc.integer({ min: 0, max: 2 });
const permille = fc.bigInt({ min: 1n, max: 1000n });
const units = fc.bigInt({ min: 1n, max: 5_000n });
const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("deposit" as const), who, units }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("mint" as const), who, units }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("withdraw" as const), who, permille }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("redeem" as const), who, permille }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("borrow" as const), permille }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("repay" as const), loan: fc.nat(), permille }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("writeOff" as const), loan: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("reserveFactor" as const), bps: fc.bigInt({ min: 0n, max: 5000n }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("withdrawReserve" as const), permille }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("donate" as const), units }) },
  { weight: 2, arbitrary: fc.constant({ kind: "accrue" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "overdraw" as const }) },
);
const dtArb = fc.constantFrom(1n, 2n, 13n, 3600n, 86_400n, 30n * 86_400n, 365n * 86_400n);
const stepArb: fc.Arbitrary<Step> = fc.record({ action: actionArb, dt: dtArb });

/** Runs `steps` against the pool and the model; returns how many deposits and mints were refused. */
async function runSequence(fx: PoolFx, steps: Step[]): Promise<number> {
  const { pool, token, ch, admin, treasury, unit, decimals } = fx;
  const lenders = [fx.alice, fx.bob, fx.carol];
  const poolAddr = await pool.getAddress();
  const sim = await Sim.start(fx, { model: MODEL, reserveFactorBps: RF });
  const loans: bigint[] = []; // borrow shares per "account", as the Clearinghouse would keep them
  let donated = 0n;
  let prevIndex = WAD;
  let prevPrice = await pool.convertToAssets(10n ** (BigInt(decimals) + OFFSET));

  const check = async (kind: Action["kind"]) => {
    await sim.check();
    const s = await readPool(pool);
    expect(s.cash + s.totalBorrows, "L1").to.equal(s.totalAssets + s.reserves);
    expect(s.reserves <= s.cash + s.totalBorrows, "L2").to.equal(true);
    expect(await token.balanceOf(poolAddr), "L3").to.equal(s.cash + donated);
    expect(s.index >= prevIndex, "L4").to.equal(true);
    const price = await pool.convertToAssets(10n ** (BigInt(decimals) + OFFSET));
    if (kind !== "writeOff") expect(price >= prevPrice, `L5 after ${kind}`).to.equal(true);
    expect(loans.reduce((a, b) => a + b, 0n), "loan shares").to.equal(s.borrowShares);
    const debts = loans.reduce((a, sh) => a + ceilDiv(sh * s.index, WAD), 0n);
    expect(debts >= s.totalBorrows, "single debts cover totalBorrows").to.equal(true);
    prevIndex = s.index;
    prevPrice = price;
  };

  // A refused transaction, mined (a fixed gas limit skips the estimate) `dt` seconds on, so the
  // expected error arguments are those of that block's accrual; the model does not change.
  const GAS = 1_000_000n;
  let refusals = 0;
  const refused = (dt: bigint, send: () => Promise<unknown>) => {
    refusals++;
    return expect(
      (async () => {
        await fx.networkHelpers.time.setNextBlockTimestamp((await latestTimestamp(fx)) + dt);
        return send();
      })(),
    );
  };

  for (const { action: a, dt } of steps) {
    const e = await sim.at(dt); // the pool as it will be when this step is mined
    switch (a.kind) {
      case "deposit": {
        const amount = a.units * unit;
        const l = lenders[a.who];
        const max = e.maxDeposit();
        if (amount <= max) {
          await sim.tx(dt, () => pool.connect(l).deposit(amount, l.address), (m) => m.deposit(amount));
          break;
        }
        // After a write-off took the lenders' assets to (nearly) 0, a share is worth next to
        // nothing and a deposit would mint more shares than the supply's 128 bits hold: refused
        // at maxDeposit, and maxDeposit itself is accepted.
        await refused(dt, () => pool.connect(l).deposit(amount, l.address, { gasLimit: GAS }))
          .to.be.revertedWithCustomError(pool, "SupplyRefused")
          .withArgs(amount, max);
        const room = (await sim.at(1n)).maxDeposit();
        if (room > 0n) await sim.tx(1n, () => pool.connect(l).deposit(room, l.address), (m) => m.deposit(room));
        break;
      }
      case "mint": {
        const shares = a.units * unit * 10n ** OFFSET;
        const l = lenders[a.who];
        const max = e.toShares(e.maxDeposit(), false); // maxMint: the shares maxDeposit buys
        if (shares <= max) {
          await sim.tx(dt, () => pool.connect(l).mint(shares, l.address), (m) => m.mint(shares));
          break;
        }
        // refused by the core with the room in assets (maxDeposit)
        await refused(dt, () => pool.connect(l).mint(shares, l.address, { gasLimit: GAS }))
          .to.be.revertedWithCustomError(pool, "SupplyRefused")
          .withArgs(shares, e.maxDeposit());
        break;
      }
      case "withdraw": {
        const l = lenders[a.who];
        const max = min(e.toAssets(await pool.balanceOf(l.address), false), e.cash);
        const amount = (max * a.permille) / 1000n;
        if (amount === 0n) continue;
        await sim.tx(dt, () => pool.connect(l).withdraw(amount, l.address, l.address), (m) => m.withdraw(amount));
        break;
      }
      case "redeem": {
        const l = lenders[a.who];
        const byCash = ceilDiv((e.cash + 1n) * (e.supply + 10n ** OFFSET), e.totalAssets + 1n) - 1n;
        const max = min(await pool.balanceOf(l.address), byCash);
        const shares = (max * a.permille) / 1000n;
        if (shares === 0n) continue;
        await sim.tx(dt, () => pool.connect(l).redeem(shares, l.address, l.address), (m) => m.redeem(shares));
        break;
      }
      case "borrow": {
        const amount = (e.cash * a.permille) / 1000n;
        if (amount === 0n) continue;
        const { out } = await sim.tx(dt, () => pool.connect(ch).borrow(amount, ch.address), (m) => m.borrow(amount));
        loans.push(out);
        break;
      }
      case "repay": {
        if (loans.length === 0) continue;
        const i = a.loan % loans.length;
        const shares = ceilDiv(loans[i] * a.permille, 1000n);
        await sim.tx(dt, () => pool.connect(ch).repay(shares), (m) => m.repay(shares));
        loans[i] -= shares;
        if (loans[i] === 0n) loans.splice(i, 1);
        break;
      }
      case "writeOff": {
        if (loans.length === 0) continue;
        const i = a.loan % loans.length;
        const shares = loans[i];
        await sim.tx(dt, () => pool.connect(ch).writeOff(shares), (m) => m.writeOff(shares));
        loans.splice(i, 1);
        break;
      }
      case "reserveFactor":
        await sim.tx(dt, () => pool.connect(admin).setReserveFactor(a.bps), (m) => {
          m.reserveFactorBps = a.bps;
        });
        break;
      case "withdrawReserve": {
        const amount = (min(e.reserves, e.cash) * a.permille) / 1000n;
        if (amount === 0n) continue;
        await sim.tx(dt, () => pool.connect(admin).withdrawReserve(amount, treasury.address), (m) => m.withdrawReserve(amount));
        break;
      }
      case "donate": {
        const amount = a.units * unit;
        await sim.tx(dt, () => token.connect(fx.bob).transfer(poolAddr, amount), () => undefined, false);
        donated += amount;
        break;
      }
      case "accrue":
        await sim.tx(dt, () => pool.accrueInterest(), () => undefined);
        break;
      case "overdraw": {
        const before = await readPool(pool);
        await expect(pool.connect(ch).borrow(before.cash + 1n, ch.address))
          .to.be.revertedWithCustomError(pool, "InsufficientCash")
          .withArgs(before.cash + 1n, before.cash);
        break;
      }
    }
    await check(a.kind);
  }

  // wind-down: every loan repaid, then every lender leaves with all their shares
  while (loans.length > 0) {
    const shares = loans[0];
    await sim.tx(1n, () => pool.connect(ch).repay(shares), (m) => m.repay(shares));
    loans.shift();
    await check("repay");
  }
  for (const l of lenders) {
    const shares = await pool.balanceOf(l.address);
    if (shares === 0n) continue;
    expect(await pool.maxRedeem(l.address)).to.equal(shares);
    await sim.tx(1n, () => pool.connect(l).redeem(shares, l.address, l.address), (m) => m.redeem(shares));
    await check("redeem");
  }
  const s = await readPool(pool);
  expect(s.supply).to.equal(0n);
  expect(s.totalBorrows).to.equal(0n);
  // what is left is the reserve plus rounding dust the virtual shares hold (< 1 atom per 10^6 shares)
  expect(s.cash).to.equal(s.reserves + s.totalAssets);
  return refusals;
}

/**
 * fast-check seed -252841240 (18 decimals), path "7": alice lends 4,998 tokens, a loan takes 0.3 % of
 * the cash, she redeems all the cash there is, the loan is written off a year later (the reserve covers
 * little of it), and totalAssets falls to (nearly) 0 while her ~1.5e25 shares remain. A deposit of 1,480
 * tokens would then mint ~2e46 shares: it reverted SafeCastOverflowedUintDowncast(128, …) while
 * maxDeposit said 2^112 − 1. Replayed here as a fixed sequence (fast-check's own replay depends on its
 * version); the random runs below keep a fresh seed each time.
 */
const SEED_252841240: Step[] = [
  { action: { kind: "borrow", permille: 997n }, dt: 2n },
  { action: { kind: "reserveFactor", bps: 143n }, dt: 3600n },
  { action: { kind: "redeem", who: 1, permille: 423n }, dt: 13n },
  { action: { kind: "redeem", who: 1, permille: 859n }, dt: 3600n },
  { action: { kind: "deposit", who: 0, units: 4998n }, dt: 13n },
  { action: { kind: "repay", loan: 2147483630, permille: 998n }, dt: 86_400n },
  { action: { kind: "borrow", permille: 3n }, dt: 30n * 86_400n },
  { action: { kind: "repay", loan: 262166173, permille: 2n }, dt: 86_400n },
  { action: { kind: "redeem", who: 0, permille: 1000n }, dt: 1n },
  { action: { kind: "overdraw" }, dt: 1n },
  { action: { kind: "writeOff", loan: 23 }, dt: 365n * 86_400n },
  { action: { kind: "donate", units: 1n }, dt: 2n },
  { action: { kind: "repay", loan: 261323041, permille: 691n }, dt: 3600n },
  { action: { kind: "borrow", permille: 1n }, dt: 86_400n },
  { action: { kind: "deposit", who: 2, units: 1480n }, dt: 86_400n },
  { action: { kind: "deposit", who: 0, units: 1252n }, dt: 13n },
  { action: { kind: "reserveFactor", bps: 159n }, dt: 86_400n },
  { action: { kind: "repay", loan: 440665823, permille: 978n }, dt: 13n },
];

for (const decimals of [6, 18]) {
  describe(`Pool random sequences (core + LendingVault, ${decimals} decimals)`, () => {
    let fx: PoolFx;
    let snap: { restore(): Promise<void> };
    before(async () => {
      fx = await deployPool({ decimals, model: MODEL, reserveFactorBps: RF });
      snap = await fx.networkHelpers.takeSnapshot();
    });

    if (decimals === 18) {
      it("after a write-off wiped the lenders out, refuse a deposit beyond what 2^128 shares hold (seed -252841240)", async () => {
        await snap.restore();
        expect(await runSequence(fx, SEED_252841240)).to.equal(2); // 1,480 (then the room), 1,252 (room 0)
      });
    }

    it("keep the model and the invariants after every step, and let every lender out at the end", async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(stepArb, { minLength: 5, maxLength: 32 }), async (steps) => {
          await snap.restore();
          await runSequence(fx, steps);
        }),
        // random seed each run (fast-check prints seed and path on failure); replay one with
        // LENDING_SEED=<seed> [LENDING_PATH=<path>] npx hardhat test mocha test/unit/lending.random.test.ts
        // (LENDING_RUNS=<n> for a longer soak)
        {
          numRuns: Number(process.env.LENDING_RUNS ?? 30),
          ...(process.env.LENDING_SEED
            ? { seed: Number(process.env.LENDING_SEED), path: process.env.LENDING_PATH, endOnFailure: true }
            : {}),
        },
      );
    });
  });
}
