// LendingLib and SharesMathLib on their own (through contracts/mocks/LendingLibHarness.sol, no
// tokens): the State's five-slot layout as drawn in LendingLib, each named rounding and whom it
// favours, the first-deposit inflation attack, and the invariants L2, L4, L5 over random sequences.
import { expect } from "chai";
import { network } from "hardhat";
import { LendingLibHarness__factory } from "../../types/ethers-contracts/index.js";
import type { LendingLibHarness } from "../../types/ethers-contracts/index.js";
import { DEFAULT_MODEL, NO_CAP, WAD, ceilDiv } from "./lending._helpers.ts";

const VIRTUAL_SHARES = 10n ** 6n;
const mask = (bits: bigint) => (1n << bits) - 1n;
const field = (word: bigint, lo: bigint, bits: bigint) => (word >> lo) & mask(bits);

async function deploy(rf = 1000n, supplyCap = NO_CAP, borrowCap = NO_CAP) {
  const connection = await network.create();
  const { ethers, networkHelpers } = connection;
  const [admin] = await ethers.getSigners();
  const lib = await new LendingLibHarness__factory(admin).deploy(DEFAULT_MODEL, rf, supplyCap, borrowCap);
  await lib.waitForDeployment();
  return { ethers, networkHelpers, lib };
}

/** Deterministic pseudo-random bigints (xorshift), so a failure can be replayed. */
function rng(seed: number) {
  let x = BigInt(seed) || 1n;
  return (below: bigint): bigint => {
    x ^= (x << 13n) & mask(64n);
    x ^= x >> 7n;
    x ^= (x << 17n) & mask(64n);
    return below === 0n ? 0n : x % below;
  };
}

const mine = async (p: Promise<{ wait(): Promise<unknown> }>) => (await p).wait();

describe("LendingLib: one asset's pool as a State", () => {
  it("stores the State in five slots, each field where LendingLib's drawing puts it", async () => {
    const { lib, ethers, networkHelpers } = await deploy(1234n, 5n * 10n ** 30n, 4n * 10n ** 30n);
    await mine(lib.supply(1_000_000n * 10n ** 6n));
    await mine(lib.borrow(400_000n * 10n ** 6n));
    await networkHelpers.time.increase(86_400);
    await mine(lib.accrue());
    await mine(lib.setFrozen(true));
    const at = await lib.getAddress();
    const slot = async (i: number) => BigInt(await ethers.provider.getStorage(at, i));
    const [s0, s1, s2, s3, s4] = await Promise.all([0, 1, 2, 3, 4].map(slot));
    const st = await lib.state();
    const now = BigInt(await networkHelpers.time.latest());
    // slot 0 | cashAssets 112 | borrowShares 112 | lastAccrual 32 |
    expect(field(s0, 0n, 112n)).to.equal(st.cash);
    expect(field(s0, 112n, 112n)).to.equal(st.borrowShares);
    expect(field(s0, 224n, 32n)).to.equal(now - 1n); // accrued one block before setFrozen
    // slot 1 | borrowIndexWad 128 | reserveAssets 112 | reserveFactorBps 16 |
    // (the view accrues up to the call's own timestamp, so the stored index and reserve are at most its)
    expect(field(s1, 0n, 128n)).to.be.greaterThan(WAD).and.to.be.at.most(st.indexWad);
    expect(field(s1, 128n, 112n)).to.be.greaterThan(0n).and.to.be.at.most(st.reserves);
    expect(field(s1, 240n, 16n)).to.equal(1234n);
    // slot 2 | base 64 | slope1 64 | slope2 64 | kink 64 |
    expect([0n, 64n, 128n, 192n].map((lo) => field(s2, lo, 64n))).to.deep.equal([
      DEFAULT_MODEL.baseRatePerYearWad,
      DEFAULT_MODEL.slope1PerYearWad,
      DEFAULT_MODEL.slope2PerYearWad,
      DEFAULT_MODEL.kinkWad,
    ]);
    // slot 3 | supplyCapAssets 112 | borrowCapAssets 112 | frozen 8 | (24 free) |
    expect(field(s3, 0n, 112n)).to.equal(5n * 10n ** 30n);
    expect(field(s3, 112n, 112n)).to.equal(4n * 10n ** 30n);
    expect(field(s3, 224n, 8n)).to.equal(1n);
    expect(s3 >> 232n).to.equal(0n);
    // slot 4 | supplyShares 128 | outsideShares 128 | (the harness has no outside lenders)
    expect(field(s4, 0n, 128n)).to.equal(st.supplyShares);
    expect(s4 >> 128n).to.equal(0n);
    expect(st.supplyShares).to.equal(1_000_000n * 10n ** 6n * VIRTUAL_SHARES);
    // nothing beyond the five slots
    expect(await slot(5)).to.equal(0n);
  });

  it("setCaps keeps the frozen flag, and caps above 2^112 − 1 are stored as no cap", async () => {
    const { lib, ethers } = await deploy();
    await mine(lib.setFrozen(true));
    await mine(lib.setCaps(2n ** 200n, 7n));
    expect(await lib.frozen()).to.equal(true);
    const s3 = BigInt(await ethers.provider.getStorage(await lib.getAddress(), 3));
    expect(field(s3, 0n, 112n)).to.equal(NO_CAP);
    expect(field(s3, 112n, 112n)).to.equal(7n);
  });

  it("a supply past the cap is refused (ok = false) and changes nothing; maxSupply is the room", async () => {
    const { lib } = await deploy(1000n, 1_000n, NO_CAP);
    await mine(lib.supply(600n));
    expect(await lib.maxSupply()).to.equal(400n);
    const before = await lib.state();
    const [shares, ok] = await lib.supply.staticCall(401n);
    expect([shares, ok]).to.deep.equal([0n, false]);
    const [, okMint] = await lib.mintShares.staticCall(ceilDiv(401n * (before.supplyShares + VIRTUAL_SHARES), before.supplyAssets + 1n));
    expect(okMint).to.equal(false);
    await mine(lib.supply(401n));
    expect(await lib.state()).to.deep.equal(before);
    expect((await lib.supply.staticCall(400n))[1]).to.equal(true);
  });

  it("reverts with the pool's errors: cash, borrow cap, borrow shares, reserves, bounds", async () => {
    const { lib } = await deploy(1000n, NO_CAP, 500n);
    await mine(lib.supply(1_000n));
    await expect(lib.borrow(1_001n)).to.be.revertedWithCustomError(lib, "InsufficientCash").withArgs(1_001n, 1_000n);
    await expect(lib.borrow(501n)).to.be.revertedWithCustomError(lib, "BorrowCapExceeded").withArgs(501n, 500n);
    await mine(lib.borrow(500n));
    await expect(lib.withdraw(501n)).to.be.revertedWithCustomError(lib, "InsufficientCash").withArgs(501n, 500n);
    await expect(lib.repay(501n)).to.be.revertedWithCustomError(lib, "InsufficientBorrowShares");
    await expect(lib.writeOff(501n)).to.be.revertedWithCustomError(lib, "InsufficientBorrowShares");
    await expect(lib.withdrawReserve(1n)).to.be.revertedWithCustomError(lib, "InsufficientReserves").withArgs(1n, 0n);
    await expect(lib.setReserveFactor(5001)).to.be.revertedWithCustomError(lib, "ReserveFactorTooHigh");
    await expect(lib.setRateModel({ ...DEFAULT_MODEL, kinkWad: 0n })).to.be.revertedWithCustomError(lib, "InvalidKink");
    await expect(lib.setRateModel({ ...DEFAULT_MODEL, slope2PerYearWad: 10n * WAD + 1n })).to.be.revertedWithCustomError(lib, "RateTooHigh");
  });

  it("a write-off takes the reserve first, then the lenders; the supply share price falls by the rest only", async () => {
    const { lib, networkHelpers } = await deploy(5000n);
    await mine(lib.supply(1_000_000n));
    const borrowShares = await lib.borrow.staticCall(900_000n);
    await mine(lib.borrow(900_000n));
    await networkHelpers.time.increase(365 * 86_400);
    await mine(lib.accrue());
    const before = await lib.state();
    expect(before.reserves).to.be.greaterThan(0n);
    const loss = ceilDiv(borrowShares * before.indexWad, WAD);
    await expect(lib.writeOff(borrowShares)).to.emit(lib, "BadDebtWrittenOff").withArgs(await lib.getAddress(), borrowShares, loss, before.reserves);
    const after = await lib.state();
    expect(after.reserves).to.equal(0n);
    expect(after.borrowShares).to.equal(0n);
    // the lenders lose what the reserve did not cover (totalBorrows was counted rounded down)
    expect(before.supplyAssets - after.supplyAssets).to.equal(before.totalBorrows - before.reserves);
    expect(after.supplyAssets).to.equal(after.cash);
  });
});

describe("SharesMathLib: every rounding named, each favouring the pool", () => {
  let lib: LendingLibHarness;
  before(async () => {
    lib = (await deploy()).lib;
  });

  it("supply shares: down and up bracket the exact value with 10^6 virtual shares and 1 virtual atom", async () => {
    const r = rng(7);
    for (let i = 0; i < 40; i++) {
      const ta = r(10n ** 30n);
      const ts = r(10n ** 36n);
      const a = r(10n ** 28n);
      const num = a * (ts + VIRTUAL_SHARES);
      const den = ta + 1n;
      expect(await lib.toSharesDown(a, ta, ts)).to.equal(num / den);
      expect(await lib.toSharesUp(a, ta, ts)).to.equal(ceilDiv(num, den));
      const sh = r(10n ** 34n);
      expect(await lib.toAssetsDown(sh, ta, ts)).to.equal((sh * (ta + 1n)) / (ts + VIRTUAL_SHARES));
      expect(await lib.toAssetsUp(sh, ta, ts)).to.equal(ceilDiv(sh * (ta + 1n), ts + VIRTUAL_SHARES));
    }
  });

  it("a deposit redeemed at once never returns more than it put in; a withdrawal burns at least its worth", async () => {
    const r = rng(11);
    for (let i = 0; i < 30; i++) {
      const ta = r(10n ** 24n);
      const ts = r(10n ** 30n) + ta; // a share price at most about one atom per share
      const a = r(10n ** 20n) + 1n;
      const minted = await lib.toSharesDown(a, ta, ts);
      // the new lender's shares, redeemed against the pool after the deposit
      expect(await lib.toAssetsDown(minted, ta + a, ts + minted)).to.be.at.most(a);
      const burnt = await lib.toSharesUp(a, ta, ts);
      expect(await lib.toAssetsDown(burnt, ta, ts)).to.be.at.least(a - 1n);
      expect(burnt * (ta + 1n)).to.be.at.least(a * (ts + VIRTUAL_SHARES)); // never fewer shares than a's worth
    }
  });

  it("borrow shares: a borrower owes at least what it received; a partial repayment burns no more than it pays for", async () => {
    const r = rng(13);
    for (let i = 0; i < 30; i++) {
      const index = WAD + r(10n * WAD);
      const a = r(10n ** 30n) + 1n;
      const shares = await lib.toDebtSharesUp(a, index);
      expect(shares).to.equal(ceilDiv(a * WAD, index));
      expect(await lib.toDebtAssetsUp(shares, index)).to.be.at.least(a);
      const burnt = await lib.toDebtSharesDown(a, index);
      expect(burnt).to.equal((a * WAD) / index);
      expect(await lib.toDebtAssetsUp(burnt, index)).to.be.at.most(a);
      expect(await lib.toDebtAssetsDown(shares, index)).to.equal((shares * index) / WAD);
    }
  });
});

describe("LendingLib attacks", () => {
  it("first-deposit inflation gains nothing: the attacker's one atom cannot take the next lender's rounding", async () => {
    const { lib } = await deploy();
    // the attacker supplies one atom into the empty pool: 10^6 shares
    const attacker = await lib.supply.staticCall(1n);
    await mine(lib.supply(1n));
    expect(attacker[0]).to.equal(VIRTUAL_SHARES);
    // the pool counts its cash: a token sent to its holder moves no share price, so the victim's
    // deposit is priced as if nothing happened
    const victimAssets = 10n ** 6n;
    const victim = await lib.supply.staticCall(victimAssets);
    await mine(lib.supply(victimAssets));
    expect(victim[0]).to.equal((victimAssets * (VIRTUAL_SHARES + VIRTUAL_SHARES)) / 2n);
    // the attacker's shares redeem for at most its one atom; the victim's for at least its deposit − 1
    expect(await lib.redeem.staticCall(attacker[0])).to.be.at.most(1n);
    await mine(lib.redeem(attacker[0]));
    expect(await lib.redeem.staticCall(victim[0])).to.be.at.least(victimAssets - 1n);
  });

  it("random sequences keep L2 (reserves ≤ cash + borrows), L4 (index never falls) and L5 (share price never falls but at a write-off)", async () => {
    const { lib, networkHelpers } = await deploy(2000n);
    const r = rng(20261207);
    let prev = await lib.state();
    let outstanding = 0n; // supply shares of the model's lenders
    for (let step = 0; step < 60; step++) {
      const op = r(6n);
      let wroteOff = false;
      const st = await lib.state();
      {
        // every operation below is within cash (no cap is set), so none may revert
        if (op === 0n) {
          await mine(lib.supply(r(10n ** 12n) + 1n));
        } else if (op === 1n && st.cash > 0n) {
          await mine(lib.borrow(r(st.cash) + 1n));
        } else if (op === 2n && st.borrowShares > 0n) {
          await mine(lib.repayUpTo(st.borrowShares, r(st.totalBorrows + 1n) + 1n));
        } else if (op === 3n && st.supplyShares > 0n && st.cash > 0n) {
          await mine(lib.withdrawUpTo(r(st.supplyShares) + 1n, r(st.cash) + 1n));
        } else if (op === 4n) {
          await networkHelpers.time.increase(Number(r(30n * 86_400n)) + 1);
          await mine(lib.accrue());
        } else if (op === 5n && st.borrowShares > 0n && r(4n) === 0n) {
          await mine(lib.writeOff(r(st.borrowShares) + 1n));
          wroteOff = true;
        }
      }
      const now = await lib.state();
      expect(now.reserves).to.be.at.most(now.cash + now.totalBorrows); // L2
      expect(now.supplyAssets).to.equal(now.cash + now.totalBorrows - now.reserves); // L1
      expect(now.indexWad).to.be.at.least(prev.indexWad); // L4
      if (!wroteOff) {
        // L5: (assets + 1) / (shares + 10^6) never falls
        expect((now.supplyAssets + 1n) * (prev.supplyShares + VIRTUAL_SHARES)).to.be.at.least(
          (prev.supplyAssets + 1n) * (now.supplyShares + VIRTUAL_SHARES),
        );
      }
      prev = now;
      outstanding = now.supplyShares;
    }
    expect(outstanding).to.be.greaterThan(0n);
  });
});
