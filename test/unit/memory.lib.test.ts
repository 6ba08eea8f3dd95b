// MemoryLib's memory readers: wordAt reads an array's body word by word and freePointer moves by
// what an allocation takes. (MemoryLib.reserve / returnUintArray, which returned the batched
// tryPrices array without the ABI encoder's copy, are gone with the OracleRouter, and their tests
// with them.)
import { expect } from "chai";
import fc from "fast-check";
import { network } from "hardhat";
import { MemoryLibMock__factory, type MemoryLibMock } from "../../types/ethers-contracts/index.js";

const { ethers } = await network.create();
const MAX = 2n ** 256n - 1n;

describe("MemoryLib", () => {
  let m: MemoryLibMock;
  before(async () => {
    const [s] = await ethers.getSigners();
    m = await new MemoryLibMock__factory(s).deploy();
  });

  it("wordAt reads each word of an array's body; freePointer advances by the allocation", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.bigInt(0n, MAX), { maxLength: 8 }), async (xs) => {
        const [words, advance] = await m.readBack(xs);
        expect(words).to.deep.equal(xs);
        expect(advance).to.equal(32n * BigInt(xs.length + 1));
      }),
      { numRuns: 30 },
    );
  });
});
