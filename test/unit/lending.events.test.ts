// Each event of a pool's state names its pool: with two pools in one core (the Clearinghouse's
// lending code, contracts/mocks/LendingCoreMock.sol, governed through an AccessManager as the
// Clearinghouse is), InterestAccrued, BadDebtWrittenOff, RateModelSet, ReserveFactorSet and CapsSet
// carry the token of the pool they are about as their first, indexed field, and a topic filter on
// one token finds that pool's events only.
import { expect } from "chai";
import { network } from "hardhat";
import { AccessManager__factory, LendingCoreMock__factory, MockERC20__factory } from "../../types/ethers-contracts/index.js";
import { DEFAULT_MODEL, GOVERNANCE_ROLE, NO_CAP } from "./lending._helpers.ts";

const E6 = 10n ** 6n;
const MAX = 2n ** 256n - 1n;
const mine = async (p: Promise<{ wait(): Promise<unknown> }>) => (await p).wait();

async function twoPools() {
  const { ethers, networkHelpers } = await network.create();
  const [admin, alice, borrower] = await ethers.getSigners();
  const manager = await new AccessManager__factory(admin).deploy(admin.address);
  const core = await new LendingCoreMock__factory(admin).deploy(await manager.getAddress());
  const coreAddr = await core.getAddress();
  const sel = (["setRateModel", "setReserveFactor", "setCaps", "withdrawPoolReserve"] as const).map(
    (f) => core.interface.getFunction(f).selector,
  );
  await mine(manager.setTargetFunctionRole(coreAddr, sel, GOVERNANCE_ROLE));
  await mine(manager.grantRole(GOVERNANCE_ROLE, admin.address, 0));
  const a = await new MockERC20__factory(admin).deploy("A", "A", 6);
  const b = await new MockERC20__factory(admin).deploy("B", "B", 6);
  const [A, B] = [await a.getAddress(), await b.getAddress()];
  for (const [t, T] of [[a, A], [b, B]] as const) {
    await mine(core.listPool(T, admin.address, DEFAULT_MODEL, 1000, NO_CAP, NO_CAP));
    for (const s of [alice, borrower]) {
      await mine(t.mint(s.address, 10n ** 9n * E6));
      await mine(t.connect(s).approve(coreAddr, MAX));
    }
    await mine(core.connect(alice).supplyAsAccount(T, 1_000n * E6));
    await mine(core.connect(borrower).borrow(T, 500n * E6, borrower.address));
  }
  return { ethers, networkHelpers, admin, alice, borrower, core, A, B };
}

describe("Pool events name their pool (two pools in one core)", () => {
  it("InterestAccrued names the pool that accrued, and a topic filter on one token finds only its own", async () => {
    const w = await twoPools();
    await w.networkHelpers.time.increase(86_400);
    await expect(w.core.accrueInterest(w.B)).to.emit(w.core, "InterestAccrued").withArgs(w.B, (x: bigint) => x > 0n);
    const tx = await w.core.accrueInterest(w.A);
    await expect(tx).to.emit(w.core, "InterestAccrued").withArgs(w.A, (x: bigint) => x > 0n);
    const receipt = (await tx.wait())!;
    const onA = await w.core.queryFilter(w.core.filters.InterestAccrued(w.A), receipt.blockNumber, receipt.blockNumber);
    const onB = await w.core.queryFilter(w.core.filters.InterestAccrued(w.B), receipt.blockNumber, receipt.blockNumber);
    expect(onA.length).to.equal(1);
    expect(onB.length).to.equal(0);
    // the packed index is pool A's
    expect(onA[0].args.accrual & ((1n << 128n) - 1n)).to.equal(await w.core.borrowIndexWad(w.A));
  });

  it("BadDebtWrittenOff names the pool whose debt was written off", async () => {
    const w = await twoPools();
    const shares = await w.core.borrowSharesOf(w.borrower.address, w.B);
    const loss = await w.core.debtOf(w.B, shares);
    await expect(w.core.connect(w.borrower).writeOff(w.B, shares))
      .to.emit(w.core, "BadDebtWrittenOff")
      .withArgs(w.B, shares, (x: bigint) => x >= loss && x <= loss + 10n, (x: bigint) => x <= 1n); // a second of interest
    expect(await w.core.totalBorrowShares(w.B)).to.equal(0n);
    expect(await w.core.totalBorrowShares(w.A)).to.equal(shares); // same borrow in A, untouched
  });

  it("RateModelSet, ReserveFactorSet and CapsSet name the pool governance set", async () => {
    const w = await twoPools();
    const m = { ...DEFAULT_MODEL, baseRatePerYearWad: 1n };
    await expect(w.core.connect(w.admin).setRateModel(w.B, m))
      .to.emit(w.core, "RateModelSet")
      .withArgs(w.B, [m.baseRatePerYearWad, m.slope1PerYearWad, m.slope2PerYearWad, m.kinkWad]);
    await expect(w.core.connect(w.admin).setReserveFactor(w.A, 2_000))
      .to.emit(w.core, "ReserveFactorSet")
      .withArgs(w.A, 2_000n);
    await expect(w.core.connect(w.admin).setCaps(w.B, 7n, 8n)).to.emit(w.core, "CapsSet").withArgs(w.B, 7n, 8n);
    expect(await w.core.capsOf(w.A)).to.deep.equal([NO_CAP, NO_CAP]);
    expect(await w.core.reserveFactorBpsOf(w.B)).to.equal(1000n);
    expect((await w.core.rateModelOf(w.A)).baseRatePerYearWad).to.equal(DEFAULT_MODEL.baseRatePerYearWad);
  });

  it("listing a pool logs its model, factor and caps under its token", async () => {
    const w = await twoPools();
    const c = await new MockERC20__factory(w.admin).deploy("C", "C", 6);
    const C = await c.getAddress();
    const tx = w.core.listPool(C, w.admin.address, DEFAULT_MODEL, 500, 9n, 10n);
    await expect(tx).to.emit(w.core, "CapsSet").withArgs(C, 9n, 10n);
    await expect(tx).to.emit(w.core, "ReserveFactorSet").withArgs(C, 500n);
    await expect(tx).to.emit(w.core, "RateModelSet").withArgs(C, (m: bigint[]) => m[3] === DEFAULT_MODEL.kinkWad);
  });
});
