// MemoryLib returns the arrays ATLAS reads (Clearinghouse.riskInputsOf, OracleRouter.tryPrices) as
// they were built, without the ABI encoder's copy: its answers must be byte for byte what
// `return` would encode, whether the arrays sit where the head expects them or elsewhere (then
// they are moved), for empty and full arrays and an unallocated empty `markets`; and unsafeSet
// writes element i as `a[i] = v` does.
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

  /** The raw return data of a view call. */
  const raw = async (fn: "uintArray" | "wordsAndArrays" | "wordsAndArraysPlain", args: unknown[]) =>
    ethers.provider.call({
      to: await m.getAddress(),
      data: m.interface.getFunction(fn).selector + ethers.AbiCoder.defaultAbiCoder()
        .encode(m.interface.getFunction(fn).inputs, args).slice(2),
    });

  it("returnUintArray answers what `return words` encodes, in place or moved", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.bigInt(0n, MAX), { maxLength: 8 }), fc.boolean(), async (xs, displace) => {
        expect(await m.uintArray(xs, displace)).to.deep.equal(xs);
        expect(await raw("uintArray", [xs, displace])).to.equal(ethers.AbiCoder.defaultAbiCoder().encode(["uint256[]"], [xs]));
      }),
      { numRuns: 60 },
    );
  });

  it("returnWordsAndArrays answers what `return (a, b, words, markets)` encodes", async () => {
    const addr = fc.bigInt(0n, 2n ** 160n - 1n).map((x) => ethers.getAddress("0x" + x.toString(16).padStart(40, "0")));
    await fc.assert(
      fc.asyncProperty(
        fc.bigInt(0n, MAX),
        fc.bigInt(0n, MAX),
        fc.array(fc.bigInt(0n, MAX), { maxLength: 9 }),
        fc.array(addr, { maxLength: 4 }),
        fc.boolean(),
        fc.boolean(),
        async (a, b, xs, ms, displace, at60) => {
          const want = await raw("wordsAndArraysPlain", [a, b, xs, ms]);
          expect(await raw("wordsAndArrays", [a, b, xs, ms, displace, at60])).to.equal(want);
        },
      ),
      { numRuns: 60 },
    );
  });
});
