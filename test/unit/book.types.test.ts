// The book's type libraries at their edges, through BookCodecMock: ArrayLib's truncation (its one
// assembly block), order slots' lap tags, level resets, the fee fields' sign, the pocket's bounds,
// the market config word's widths and its kind (perp) bit.
// test/sdk/codec.test.ts checks every layout word for word against the SDK's codec.
import { expect } from "chai";
import { network } from "hardhat";
import { BookCodecMock__factory } from "../../types/ethers-contracts/index.js";

describe("book types (BookCodecMock)", () => {
  async function mock() {
    const { ethers } = await network.create();
    const [signer] = await ethers.getSigners();
    return new BookCodecMock__factory(signer).deploy();
  }

  it("ArrayLib.truncate keeps the first n entries, as a copy would", async () => {
    const m = await mock();
    expect(await m.truncate(5, 3)).to.deep.equal([1n, 2n, 3n]);
    expect(await m.truncate(5, 5)).to.deep.equal([1n, 2n, 3n, 4n, 5n]);
    expect(await m.truncate(5, 0)).to.deep.equal([]);
    expect(await m.truncate(0, 0)).to.deep.equal([]);
  });

  it("OrderSlot: the lap tag is (position >> 8) mod 128, and the account reads back verbatim", async () => {
    const m = await mock();
    const account = "0x" + "ab".repeat(20) + "0000000000000000000000" + "07";
    for (const [pos, tag] of [[0n, 0n], [255n, 0n], [256n, 1n], [32_767n, 127n], [32_768n, 0n]] as const) {
      const w = await m.encodeOrderSlot(account, (1n << 48n) - 1n, true, 0xffffffffn, pos);
      expect(await m.decodeOrderSlot(w)).to.deep.equal([account, (1n << 48n) - 1n, true, tag, 0xffffffffn]);
    }
  });

  it("LevelWord and TopWord fields round-trip at their widths; a negative maker fee keeps its sign", async () => {
    const m = await mock();
    const max32 = 0xffffffffn;
    const lw = await m.encodeLevel((1n << 64n) - 1n, max32, max32, max32, 255n);
    expect(await m.decodeLevel(lw)).to.deep.equal([(1n << 64n) - 1n, max32, max32, max32, 255n]);
    const top = await m.encodeTop((1n << 24n) - 1n, 1n, true, -32_768, 65_535, (1n << 128n) - 1n);
    expect(await m.decodeTop(top)).to.deep.equal([(1n << 24n) - 1n, 1n, true, -32_768n, 65_535n, (1n << 128n) - 1n]);
  });

  it("BookConfig: each field round-trips at its full width, apart from its neighbours, the perp bit included", async () => {
    const m = await mock();
    type Cfg = [bigint, bigint, bigint, bigint, boolean];
    const max: Cfg = [(1n << 16n) - 1n, (1n << 64n) - 1n, (1n << 16n) - 1n, (1n << 128n) - 1n, true];
    const w = await m.encodeConfig(...max);
    expect(await m.decodeConfig(w)).to.deep.equal([...max]);
    expect(w >> 225n).to.equal(0n); // nothing above the perp bit
    expect((w >> 224n) & 1n).to.equal(1n); // the kind is bit 224
    const zero: Cfg = [0n, 0n, 0n, 0n, false];
    // one field at its maximum, the others zero: no bit leaks into a neighbour
    for (let i = 0; i < 5; i++) {
      const args: Cfg = [...zero];
      args[i] = max[i];
      expect(await m.decodeConfig(await m.encodeConfig(...args))).to.deep.equal(args);
    }
    expect(await m.encodeConfig(0n, 0n, 0n, 0n, true)).to.equal(1n << 224n);
    expect(await m.encodeConfig(...zero)).to.equal(0n);
    // every field below the perp bit at its maximum: still a spot market
    const spot = await m.encodeConfig(max[0], max[1], max[2], max[3], false);
    expect(spot).to.equal((1n << 224n) - 1n);
    expect((await m.decodeConfig(spot))[4]).to.equal(false);
    expect(await m.decodeConfig(await m.encodeConfig(7n, 1n, 0n, 5n, true))).to.deep.equal([7n, 1n, 0n, 5n, true]);
    expect(await m.decodeConfig(await m.encodeConfig(7n, 1n, 0n, 5n, false))).to.deep.equal([7n, 1n, 0n, 5n, false]);
  });

  it("SpotPocket.fits accepts each field's maximum and refuses one more", async () => {
    const m = await mock();
    const q = (1n << 72n) - 1n;
    const b = (1n << 48n) - 1n;
    expect(await m.fitsSpotPocket(q, b, q, b)).to.equal(true);
    expect(await m.fitsSpotPocket(q + 1n, 0n, 0n, 0n)).to.equal(false);
    expect(await m.fitsSpotPocket(0n, b + 1n, 0n, 0n)).to.equal(false);
    expect(await m.fitsSpotPocket(0n, 0n, q + 1n, 0n)).to.equal(false);
    expect(await m.fitsSpotPocket(0n, 0n, 0n, b + 1n)).to.equal(false);
  });
});
