// The perp words' libraries: `PerpRiskReturn.returnRaw` (the one assembly block of the perp market)
// returns the very bytes the ABI encoder would (its Solidity equivalent, `return r;`), and the
// market's views decode every typed field of its words as before.
import { expect } from "chai";
import { network } from "hardhat";
import { PerpRiskReturnProbe__factory } from "../../types/ethers-contracts/index.js";

describe("PerpRiskReturn", () => {
  it("returnRaw returns abi.encode(r) byte for byte (signed, zero and large fields)", async () => {
    const { ethers } = await network.create();
    const [admin] = await ethers.getSigners();
    const probe = await new PerpRiskReturnProbe__factory(admin).deploy();
    const u = "0x00000000000000000000000000000000000000f1";
    const cases: [bigint, bigint, bigint][] = [
      [0n, 0n, 0n],
      [-5n * 10n ** 18n, 123_456_789n, 7n],
      [2n ** 200n, -(2n ** 250n), 2n ** 255n],
      [-(2n ** 255n), 2n ** 255n - 1n, 2n ** 256n - 1n],
    ];
    for (const [size, cash, bids] of cases) {
      const data = probe.interface.encodeFunctionData("raw", [u, size, cash, bids]);
      const raw = await ethers.provider.call({ to: await probe.getAddress(), data });
      const enc = await ethers.provider.call({ to: await probe.getAddress(), data: probe.interface.encodeFunctionData("encoded", [u, size, cash, bids]) });
      expect(raw).to.equal(enc);
      expect((raw.length - 2) / 2).to.equal(0x140);
      const r = (await probe.raw(u, size, cash, bids));
      expect([r.sizeAtoms, r.cashAtoms, r.bidAtoms, r.askAtoms]).to.deep.equal([size, cash, bids, bids / 3n]);
    }
  });
});
