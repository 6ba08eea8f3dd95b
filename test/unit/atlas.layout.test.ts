// EntryArrayLib builds ATLAS entries in place (one calldatacopy zeroes a fresh entry, and an entry's
// token is read as the word at its address): these check that the compiler's layout of
// `AtlasMath.Entry` is still the one it assumes, and each of its functions against plain Solidity
// (`AtlasLayoutProbe`): entries built on dirty memory read as fresh zero entries, lengths cut in
// place, tokens read without bounds checks, the oracle's `tryPrices` called with calldata written
// from the entries (its answer and its revert as the decoder would see them), and prices written
// entry by entry up to the first word that is not ok.
import { expect } from "chai";
import fc from "fast-check";
import { network } from "hardhat";
import { AtlasLayoutProbe__factory, type AtlasLayoutProbe } from "../../types/ethers-contracts/index.js";

const { ethers } = await network.create();
const OK = 1n << 255n;
const MAX = 2n ** 256n - 1n;

describe("AtlasMath.Entry memory layout and EntryArrayLib", () => {
  let p: AtlasLayoutProbe;
  /** The probe is its own stand-in oracle (`AtlasLayoutProbe.tryPrices`). */
  let oracle: AtlasLayoutProbe;
  before(async () => {
    const [signer] = await ethers.getSigners();
    p = await new AtlasLayoutProbe__factory(signer).deploy();
    oracle = p;
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

  it("applyPrices writes what PriceWord's getters read, up to the first word that is not ok", async () => {
    const word = fc.oneof(
      fc.bigInt(0n, MAX),
      fc.tuple(fc.bigInt(0n, 2n ** 128n - 1n), fc.bigInt(0n, 2n ** 127n - 1n)).map(([pr, st]) => OK | (st << 128n) | pr),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(word, { maxLength: 6 }), fc.nat(7), fc.bigInt(0n, MAX), async (words, from, seed) => {
        const got = await p.applyPrices(words, from, seed);
        const want = await p.applyPricesPlain(words, from, seed);
        expect(got[0]).to.equal(want[0]);
        expect(got[1]).to.deep.equal(want[1]);
        expect(got[2]).to.deep.equal(want[2]);
      }),
      { numRuns: 60 },
    );
    // the edges by hand: stops at a word without the ok bit, prices the ok ones before it
    const [stop, prices, stables] = await p.applyPrices([OK | (5n << 128n) | 7n, (5n << 128n) | 7n, OK | 9n], 0, 1n);
    expect(stop).to.equal(1n);
    expect(prices).to.deep.equal([7n, 1n, 1n]);
    expect(stables).to.deep.equal([5n, 1n, 1n]);
    expect((await p.applyPrices([OK | 3n], 0, 0n))[0]).to.equal(1n);
  });

  it("tryPrices sends the first n entries' tokens and answers what the oracle's decoder reads", async () => {
    const oa = await oracle.getAddress();
    const tokens = [1n, 2n, 0xabcdefn, 2n ** 160n - 1n].map((x) => ethers.getAddress("0x" + x.toString(16).padStart(40, "0")));
    for (let n = 0; n <= tokens.length; n++) {
      const [inPlace, decoded] = await p.pricesOf(oa, tokens, n);
      expect(inPlace).to.deep.equal(decoded);
      expect(inPlace.length).to.equal(n);
    }
    expect((await p.pricesOf(oa, tokens, 2))[0][0]).to.equal(OK | 3n);
  });

  it("tryPrices bubbles the oracle's revert as it is", async () => {
    await expect(p.pricesOf(await oracle.getAddress(), [ethers.ZeroAddress], 1))
      .to.be.revertedWithCustomError(oracle, "Refused")
      .withArgs(0n);
  });
});
