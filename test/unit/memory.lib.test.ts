// MemoryLib returns the array ATLAS reads (OracleRouter.tryPrices) as it was built, without the
// ABI encoder's copy: its answer must be byte for byte what `return` would encode, whether the
// array sits where the head expects it or elsewhere (then it is moved), empty or full; unsafeSet
// writes element i as `a[i] = v` does; wordAt reads an array's body word by word and freePointer
// moves by what an allocation takes.
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
  const raw = async (fn: "uintArray", args: unknown[]) =>
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
