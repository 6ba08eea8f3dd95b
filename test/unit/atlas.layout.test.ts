// EntryArrayLib builds ATLAS entries in place (one calldatacopy zeroes a fresh entry, and an entry's
// token is read as the word at its address): these check that the compiler's layout of
// `AtlasMath.Entry` is still the one it assumes, and each of its functions against plain Solidity
// (`AtlasLayoutProbe`): entries built on dirty memory read as fresh zero entries, lengths cut in
// place, tokens read without bounds checks. (EntryArrayLib.tryPrices / applyPrices, which called
// the OracleRouter's batch and wrote its words into the entries, are gone with it, and so are the
// probe's price functions and their tests: the core prices entries from its own PriceLib state.)
import { expect } from "chai";
import fc from "fast-check";
import { network } from "hardhat";
import { AtlasLayoutProbe__factory, type AtlasLayoutProbe } from "../../types/ethers-contracts/index.js";

const { ethers } = await network.create();

describe("AtlasMath.Entry memory layout and EntryArrayLib", () => {
  let p: AtlasLayoutProbe;
  before(async () => {
    const [signer] = await ethers.getSigners();
    p = await new AtlasLayoutProbe__factory(signer).deploy();
  });

  it("ENTRY_BYTES is the size the compiler allocates for one Entry", async () => {
    const [allocated, assumed] = await p.entryBytes();
    expect(allocated).to.equal(assumed);
    expect(assumed % 32n).to.equal(0n);
  });

  it("token is the word at an entry's address", async () => {
    const token = "0x00000000000000000000000000000000DeaDBeef";
    expect(await p.firstWord(token)).to.equal(BigInt(token));
  });

  it("alloc + setZeroed build zero entries on dirty memory; truncate cuts; unsafeTokenAt reads e[i].token", async () => {
    const addr = fc.bigInt(1n, 2n ** 160n - 1n).map((x) => ethers.getAddress("0x" + x.toString(16).padStart(40, "0")));
    await fc.assert(
      fc.asyncProperty(fc.array(addr, { maxLength: 5 }), fc.nat(3), async (tokens, spare) => {
        const [count, unsafeRead, checkedRead, zeroed] = await p.buildEntries(tokens, tokens.length + spare);
        expect(count).to.equal(BigInt(tokens.length));
        expect(zeroed).to.equal(true);
        expect(unsafeRead).to.deep.equal(tokens);
        expect(checkedRead).to.deep.equal(tokens);
      }),
      { numRuns: 25 },
    );
  });

  it("truncate of a Book[] keeps the first n books", async () => {
    const b = await p.truncateBooks(4, 2);
    expect(b.length).to.equal(2);
    expect(b.map((x) => [x.baseIndex, x.quoteIndex, x.lockedBaseAtoms, x.lockedQuoteAtoms])).to.deep.equal([
      [0n, 1n, 0n, 0n],
      [1n, 2n, 10n, 20n],
    ]);
    expect(await p.truncateBooks(3, 0)).to.deep.equal([]);
  });
});
