// The SDK's copy of SharesMathLib (sdk/src/math/shares.ts) agrees with the contract to the wei,
// rounding for rounding, on random inputs (through contracts/mocks/LendingLibHarness.sol).
import { expect } from "chai";
import { network } from "hardhat";
import { sharesMath } from "../../sdk/src/index.ts";
import { LendingLibHarness__factory } from "../../types/ethers-contracts/index.js";

describe("sdk: sharesMath matches SharesMathLib to the wei", () => {
  it("all eight conversions, on random totals, amounts and indices", async () => {
    const { ethers } = await network.create();
    const [admin] = await ethers.getSigners();
    const model = { baseRatePerYearWad: 0n, slope1PerYearWad: 0n, slope2PerYearWad: 0n, kinkWad: 5n * 10n ** 17n };
    const lib = await new LendingLibHarness__factory(admin).deploy(model, 0, 0n, 0n);
    let x = 0x9e3779b97f4a7c15n;
    const next = (below: bigint) => {
      x = (x * 6364136223846793005n + 1442695040888963407n) % 2n ** 64n;
      return ((x << 64n) | (x ^ 0x5851f42d4c957f2dn)) % below;
    };
    for (let i = 0; i < 25; i++) {
      const ta = next(10n ** 30n);
      const ts = next(10n ** 36n);
      const a = next(10n ** 28n);
      const idx = 10n ** 18n + next(10n ** 19n);
      expect(sharesMath.toSharesDown(a, ta, ts)).to.equal(await lib.toSharesDown(a, ta, ts));
      expect(sharesMath.toSharesUp(a, ta, ts)).to.equal(await lib.toSharesUp(a, ta, ts));
      expect(sharesMath.toAssetsDown(a, ta, ts)).to.equal(await lib.toAssetsDown(a, ta, ts));
      expect(sharesMath.toAssetsUp(a, ta, ts)).to.equal(await lib.toAssetsUp(a, ta, ts));
      expect(sharesMath.toDebtSharesUp(a, idx)).to.equal(await lib.toDebtSharesUp(a, idx));
      expect(sharesMath.toDebtSharesDown(a, idx)).to.equal(await lib.toDebtSharesDown(a, idx));
      expect(sharesMath.toDebtAssetsUp(a, idx)).to.equal(await lib.toDebtAssetsUp(a, idx));
      expect(sharesMath.toDebtAssetsDown(a, idx)).to.equal(await lib.toDebtAssetsDown(a, idx));
    }
  });
});
