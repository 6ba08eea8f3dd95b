// PriceLib.readStored, the price read the core's margin paths use (through PriceLibHarness): a
// Chainlink or Pyth price is stored in the asset's PriceWord, usable until the feed's time of it +
// 3 s, and at least for the rest of the second it was read in (its expiresAt), read again from the
// feed after that, and each read from the feed advances
// the stable anchor (only reads move it). A caller can never act on a stored price older than 3 s,
// a failed read writes nothing, a feed clock ahead of the chain cannot keep a price alive, a new
// feed never inherits the old one's stored read, and an unanchored feed has no price here (changed:
// readStored used to anchor it; now only updateStablePrice, setFeed or pushPrice anchor).
import { expect } from "chai";
import { PriceLibHarness__factory } from "../../types/ethers-contracts/index.js";
import { ASSET, STORED_MAX_AGE, WAD, adminCfg, chainlinkCfg, mineAt, nextTxAt, now, stableModel, useOracleFixture, type OracleFx } from "./oracle._fixture.ts";

const A = ASSET.weth;
const E8 = 10n ** 8n;

async function harness(f: OracleFx) {
  const h = await new PriceLibHarness__factory(f.admin).deploy();
  await (await h.setFeed(A, chainlinkCfg(await f.agg8.getAddress()))).wait();
  return h;
}

/** readStored in a transaction at exactly `t`; returns its answer and the stored word after. */
async function readAt(f: OracleFx, h: Awaited<ReturnType<typeof harness>>, t: bigint) {
  await nextTxAt(f, t);
  await (await h.readStored(A)).wait();
  const [ok, price, stable] = [await h.lastOk(), await h.lastPriceWad(), await h.lastStableWad()];
  const [stableWad, stableAt, priceWad, expiresAt] = await h.storedOf(A);
  return { ok, price, stable, stored: { stableWad, stableAt, priceWad, expiresAt } };
}

describe("PriceLib: the stored price read (readStored)", () => {
  const fx = useOracleFixture();

  it("stores the feed's price with the feed's time and reuses it for 3 s, then reads the feed again", async () => {
    const f = fx();
    const h = await harness(f);
    const t0 = (await now(f)) + 10n;
    await (await f.agg8.setRoundData(3_000n * E8, t0)).wait();
    const r0 = await readAt(f, h, t0);
    expect(r0.ok).to.equal(true);
    expect(r0.price).to.equal(3_000n * WAD);
    expect(r0.stored.priceWad).to.equal(3_000n * WAD);
    expect(r0.stored.expiresAt).to.equal(t0 + STORED_MAX_AGE); // the feed's time + 3 s

    // the feed moves, but the stored read is 3 s old: it is still the answer
    await (await f.agg8.setRoundData(3_100n * E8, t0 + 2n)).wait();
    const r1 = await readAt(f, h, t0 + STORED_MAX_AGE);
    expect(r1.price).to.equal(3_000n * WAD);
    expect(r1.stored.expiresAt).to.equal(t0 + STORED_MAX_AGE);

    // 4 s after the stored feed time: read from the feed again and stored with its time
    const r2 = await readAt(f, h, t0 + STORED_MAX_AGE + 1n);
    expect(r2.price).to.equal(3_100n * WAD);
    expect(r2.stored.priceWad).to.equal(3_100n * WAD);
    expect(r2.stored.expiresAt).to.equal(t0 + 2n + STORED_MAX_AGE);
    // the view path (tryPrice) agrees with what was just read
    const [ok, viewPrice] = await h.tryPrice(A);
    expect([ok, viewPrice]).to.deep.equal([true, 3_100n * WAD]);
  });

  it("a feed time older than 3 s is re-read on every call: no caller can keep acting on an old price", async () => {
    const f = fx();
    const h = await harness(f);
    const t0 = (await now(f)) + 10n;
    await (await f.agg8.setRoundData(3_000n * E8, t0 - 60n)).wait(); // a minute old, within maxAge
    const r0 = await readAt(f, h, t0);
    // stored for the rest of its own second only (the feed time is already more than 3 s old)
    expect(r0.stored.expiresAt).to.equal(t0);
    await (await f.agg8.setRoundData(2_900n * E8, t0 - 30n)).wait(); // mined at t0 + 1
    const r1 = await readAt(f, h, t0 + 2n);
    expect(r1.price).to.equal(2_900n * WAD); // not the stored 3,000: the stored time is 61 s old
  });

  it("a read whose feed time is older than 3 s serves the rest of its own second, not the next", async () => {
    const f = fx();
    const h = await harness(f);
    const t0 = (await now(f)) + 10n;
    await (await f.agg8.setRoundData(3_000n * E8, t0 - 60n)).wait(); // a minute old, within maxAge
    // one block at t0: a read (stores 3,000), the feed moves, a second read
    const provider = f.core.runner!.provider! as unknown as { send(m: string, p: unknown[]): Promise<unknown> };
    await provider.send("evm_setAutomine", [false]);
    try {
      await h.readStored(A, { gasLimit: 300_000n });
      await f.agg8.setRoundData(2_900n * E8, t0 - 30n, { gasLimit: 300_000n });
      const second = await h.readStored(A, { gasLimit: 300_000n });
      await provider.send("evm_mine", [Number(t0)]);
      expect((await second.wait())!.status).to.equal(1);
    } finally {
      await provider.send("evm_setAutomine", [true]);
    }
    // the second read in the same second reused the stored 3,000 instead of calling the feed again
    expect(await h.lastPriceWad()).to.equal(3_000n * WAD);
    expect((await h.storedOf(A))[3]).to.equal(t0);
    // the next second reads the feed
    const r1 = await readAt(f, h, t0 + 1n);
    expect(r1.price).to.equal(2_900n * WAD);
  });

  it("each read from the feed advances the anchor by at most the bounded move; a stored read does not", async () => {
    const f = fx();
    const h = await harness(f);
    const [anchor0, at0] = await h.storedOf(A);
    expect(anchor0).to.equal(3_000n * WAD); // setFeed anchored at the feed's first good price
    const t1 = at0 + 600n; // ten minutes later, the feed doubles
    await (await f.agg8.setRoundData(6_000n * E8, t1)).wait();
    const r1 = await readAt(f, h, t1);
    const expected = stableModel(6_000n * WAD, 500n, { wad: anchor0, at: at0 }, t1);
    expect(expected).to.be.lessThan(6_000n * WAD);
    expect(r1.stable).to.equal(expected);
    expect(r1.stored.stableWad).to.equal(expected);
    expect(r1.stored.stableAt).to.equal(t1);

    // within 3 s the stored read answers and the anchor stays where it was
    const r2 = await readAt(f, h, t1 + 2n);
    expect(r2.stored.stableAt).to.equal(t1);
    expect(r2.stable).to.equal(stableModel(6_000n * WAD, 500n, { wad: expected, at: t1 }, t1 + 2n));
  });

  it("a failed read (stale feed) answers false and writes nothing", async () => {
    const f = fx();
    const h = await harness(f);
    const t0 = (await now(f)) + 10n;
    await (await f.agg8.setRoundData(3_000n * E8, t0)).wait();
    const r0 = await readAt(f, h, t0);
    const t1 = t0 + 3_601n; // past maxAgeSeconds (3,600) of the feed's time
    const r1 = await readAt(f, h, t1);
    expect([r1.ok, r1.price, r1.stable]).to.deep.equal([false, 0n, 0n]);
    expect(r1.stored).to.deep.equal(r0.stored);
  });

  it("a feed clock ahead of the chain is stored as now, so the stored read still expires", async () => {
    const f = fx();
    const h = await harness(f);
    const t0 = (await now(f)) + 10n;
    await (await f.agg8.setRoundData(3_000n * E8, t0 + 1_000n)).wait();
    const r0 = await readAt(f, h, t0);
    expect(r0.stored.expiresAt).to.equal(t0 + STORED_MAX_AGE); // as of now, not the feed's future time
    await (await f.agg8.setRoundData(3_200n * E8, t0 + 1_000n)).wait();
    const r1 = await readAt(f, h, t0 + STORED_MAX_AGE + 1n);
    expect(r1.price).to.equal(3_200n * WAD);
  });

  it("setFeed drops the stored read, even when the anchor is kept", async () => {
    const f = fx();
    const h = await harness(f);
    const t0 = (await now(f)) + 10n;
    await (await f.agg8.setRoundData(3_000n * E8, t0)).wait();
    await readAt(f, h, t0);
    // a new feed (18 decimals) answering 2,950, inside the same bounds
    await (await f.agg18.setRoundData(2_950n * WAD, t0)).wait(); // mined at t0 + 1
    await nextTxAt(f, t0 + 2n);
    await (await h.setFeed(A, chainlinkCfg(await f.agg18.getAddress()))).wait();
    const [anchor, , priceWad, expiresAt] = await h.storedOf(A);
    expect(anchor).to.equal(3_000n * WAD); // the anchor survives inside the new bounds
    expect([priceWad, expiresAt]).to.deep.equal([0n, 0n]);
    const r = await readAt(f, h, t0 + STORED_MAX_AGE); // the old read would still answer, yet the new feed does
    expect(r.price).to.equal(2_950n * WAD);
  });

  it("an Admin feed answers its push, as tryPrice does, and leaves the PriceWord as the push left it", async () => {
    const f = fx();
    const h = await harness(f);
    await (await h.setFeed(A, adminCfg())).wait();
    const tp = (await now(f)) + 2n;
    await nextTxAt(f, tp);
    await (await h.pushPrice(A, 2_500n * WAD)).wait();
    const pushed = await h.storedOf(A);
    const t = tp + 5n;
    const r = await readAt(f, h, t);
    // the anchor kept from the Chainlink feed (3,000) moves toward the pushed 2,500 at the bound
    const [okView, priceView, stableView] = await h.tryPrice(A);
    expect([r.ok, r.price, r.stable]).to.deep.equal([okView, priceView, stableView]);
    expect(r.price).to.equal(2_500n * WAD);
    expect(r.stable).to.be.lessThan(3_000n * WAD);
    // Changed with the one-slot PriceWord: an Admin push is the word's price (expiresAt = push time
    // + maxAge) where a stored feed read would be; readStored wrote nothing.
    expect([r.stored.priceWad, r.stored.expiresAt]).to.deep.equal([2_500n * WAD, tp + 3_600n]);
    expect([r.stored.stableWad, r.stored.stableAt, r.stored.priceWad, r.stored.expiresAt]).to.deep.equal([...pushed]);
  });

  it("an unanchored feed answers false and stores nothing; updateStablePrice anchors it and stores the read", async () => {
    const f = fx();
    const h = await new PriceLibHarness__factory(f.admin).deploy();
    const t0 = (await now(f)) + 10n;
    await (await f.agg8.setRoundData(3_000n * E8, t0 - 7_200n)).wait(); // stale when set: no anchor
    await (await h.setFeed(A, chainlinkCfg(await f.agg8.getAddress()))).wait();
    expect(await h.storedOf(A)).to.deep.equal([0n, 0n, 0n, 0n]);
    await (await f.agg8.setRoundData(3_100n * E8, t0)).wait(); // fresh again
    // Changed: readStored used to anchor an unanchored feed; now it answers no price and writes nothing.
    const r = await readAt(f, h, t0);
    expect([r.ok, r.price, r.stable]).to.deep.equal([false, 0n, 0n]);
    expect(r.stored).to.deep.equal({ stableWad: 0n, stableAt: 0n, priceWad: 0n, expiresAt: 0n });
    expect((await h.tryPrice(A))[0]).to.equal(false);
    await nextTxAt(f, t0 + 1n);
    await (await h.updateStablePrice(A)).wait();
    expect(await h.storedOf(A)).to.deep.equal([3_100n * WAD, t0 + 1n, 3_100n * WAD, t0 + STORED_MAX_AGE]);
    const r2 = await readAt(f, h, t0 + 2n);
    expect([r2.ok, r2.price, r2.stable]).to.deep.equal([true, 3_100n * WAD, 3_100n * WAD]);
  });

  it("a reverting feed answers false and writes nothing, as tryPrice answers false", async () => {
    const f = fx();
    const h = await harness(f);
    const before = await h.storedOf(A);
    await (await f.agg8.setReverting(true)).wait();
    await mineAt(f, (await now(f)) + 1n);
    const r = await readAt(f, h, (await now(f)) + 1n);
    expect([r.ok, r.price, r.stable]).to.deep.equal([false, 0n, 0n]);
    expect([r.stored.stableWad, r.stored.stableAt, r.stored.priceWad, r.stored.expiresAt]).to.deep.equal([...before]);
    expect(await h.tryPrice(A)).to.deep.equal([false, 0n, 0n]);
  });
});
