// StaticCallLib.staticcallInPlace calls one of the protocol's own contracts and leaves its answer in
// memory where it was copied; MemoryLib's readers (wordAt, uintArrayAt, addressArrayAt,
// unsafeTriple) read it there. AtlasReader reads `riskInputsOf` and `riskOf` this way: each answer
// must be what the ABI decoder returns for the same call, in both call forms, and a revert must
// reach the caller as it is.
import { expect } from "chai";
import fc from "fast-check";
import { network } from "hardhat";
import { InPlaceCallMock__factory, type InPlaceCallMock } from "../../types/ethers-contracts/index.js";

const { ethers } = await network.create();
const MAX = 2n ** 256n - 1n;

describe("StaticCallLib.staticcallInPlace and MemoryLib's in-place readers", () => {
  let m: InPlaceCallMock;
  before(async () => {
    const [s] = await ethers.getSigners();
    m = await new InPlaceCallMock__factory(s).deploy();
  });

  it("the selector form reads what the decoder reads", async () => {
    await fc.assert(
      fc.asyncProperty(fc.bigInt(1n, 2n ** 128n), fc.bigInt(0n, MAX), async (a, b) => {
        const got = await m.viaSelector(a, b);
        const want = await m.answer(a, b);
        expect(got.map((x) => x)).to.deep.equal(want.map((x) => x));
        expect(got[2].length).to.equal(Number(b % 5n));
        expect(got[3].length).to.equal(Number(a % 4n));
      }),
      { numRuns: 40 },
    );
  });

  it("the bytes form reads what the decoder reads, and the answer stays put when memory is allocated after it", async () => {
    await fc.assert(
      fc.asyncProperty(fc.bigInt(1n, 2n ** 128n), fc.bigInt(0n, MAX), async (a, b) => {
        const got = await m.viaBytes(a, b);
        const want = await m.answer(a, b);
        expect([got[0], got[1], got[2], got[3]]).to.deep.equal(want.map((x) => x));
        expect(got[4]).to.equal(true);
      }),
      { numRuns: 40 },
    );
  });

  it("both forms bubble the callee's revert as it is", async () => {
    await expect(m.viaSelector(0n, 42n)).to.be.revertedWithCustomError(m, "Refused").withArgs(42n);
    await expect(m.viaBytes(0n, 43n)).to.be.revertedWithCustomError(m, "Refused").withArgs(43n);
  });

  it("unsafeTriple reads (a[i], a[i + 1], a[i + 2])", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.bigInt(0n, MAX), { minLength: 3, maxLength: 9 }), fc.nat(), async (xs, k) => {
        const i = k % (xs.length - 2);
        expect(await m.triple(xs, i)).to.deep.equal([xs[i], xs[i + 1], xs[i + 2]]);
      }),
      { numRuns: 40 },
    );
  });
});
