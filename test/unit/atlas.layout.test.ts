// AtlasReader builds ATLAS entries in inline assembly (one calldatacopy zeroes a fresh entry, and an
// entry's token is read as the word at its address): these check that the compiler's layout of
// `AtlasMath.Entry` is still the one that assembly assumes.
import { expect } from "chai";
import { network } from "hardhat";
import { AtlasLayoutProbe__factory } from "../../types/ethers-contracts/index.js";

describe("AtlasMath.Entry memory layout (what AtlasReader's assembly assumes)", () => {
  async function probe() {
    const { ethers } = await network.create();
    const [signer] = await ethers.getSigners();
    return new AtlasLayoutProbe__factory(signer).deploy();
  }

  it("ENTRY_BYTES is the size the compiler allocates for one Entry", async () => {
    const p = await probe();
    const [allocated, assumed] = await p.entryBytes();
    expect(allocated).to.equal(assumed);
    expect(assumed % 32n).to.equal(0n);
  });

  it("token is the word at an entry's address", async () => {
    const p = await probe();
    const token = "0x00000000000000000000000000000000DeaDBeef";
    expect(await p.firstWord(token)).to.equal(BigInt(token));
  });
});
