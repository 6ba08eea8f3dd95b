// The stable price (Mango v4's defence after its 2022 pump): after a 2x oracle pump it moves at
// most maxStableMoveBpsPerHour of its anchor per hour, rounded so it never moves more, counting
// at most one hour since its anchor (keepers re-anchor it to let it catch up); a crash is
// followed as slowly; a bad oracle price never moves the anchor.
import { expect } from "chai";
import {
  ASSET,
  WAD,
  adminCfg,
  chainlinkCfg,
  mineAt,
  nextTxAt,
  now,
  setFeed,
  stableModel,
  useOracleFixture,
  type OracleFx,
} from "./oracle._fixture.ts";

const A = ASSET.weth;
const HOUR = 3600n;
const WEEK = 7n * 24n * HOUR;

/** Admin feed at 5%/hour; pushes `from` at t0 and `to` at t1 = t0 + 60; returns t1. */
async function pump(f: OracleFx, from: bigint, to: bigint, bps = 500n): Promise<bigint> {
  await setFeed(f, A, adminCfg({ maxAgeSeconds: WEEK, maxStableMoveBpsPerHour: bps }));
  const t0 = (await now(f)) + 10n;
  await nextTxAt(f, t0);
  await (await f.core.pushPrice(A, from)).wait();
  const t1 = t0 + 60n;
  await nextTxAt(f, t1);
  // The push anchors the stable price at the previous price (no anchor yet: that price itself).
  await expect(f.core.pushPrice(A, to)).to.emit(f.core, "StablePriceUpdated").withArgs(A, from);
  expect(await f.core.stableAnchorOf(A)).to.deep.equal([from, t1]);
  return t1;
}

describe("Core prices: stable price", () => {
  const fx = useOracleFixture();

  it("setFeed anchors at the feed's good price; updateStablePrice (anyone) stores the stable price with the time", async () => {
    const f = fx();
    const t0 = (await now(f)) + 2n;
    await nextTxAt(f, t0);
    await expect(f.core.setFeed(A, chainlinkCfg(await f.agg8.getAddress())))
      .to.emit(f.core, "StablePriceUpdated")
      .withArgs(A, 3_000n * WAD);
    expect(await f.core.price(A)).to.deep.equal([3_000n * WAD, 3_000n * WAD]);
    expect(await f.core.stableAnchorOf(A)).to.deep.equal([3_000n * WAD, t0]);
    const t = (await now(f)) + 5n;
    await nextTxAt(f, t);
    await expect(f.core.connect(f.outsider).updateStablePrice(A))
      .to.emit(f.core, "StablePriceUpdated")
      .withArgs(A, 3_000n * WAD);
    expect(await f.core.stableAnchorOf(A)).to.deep.equal([3_000n * WAD, t]);
  });

  it("after a 2x pump moves exactly the bound per hour, and no further after an hour without an update", async () => {
    const f = fx();
    const t1 = await pump(f, 1_000n * WAD, 2_000n * WAD);
    expect(await f.core.price(A)).to.deep.equal([2_000n * WAD, 1_000n * WAD]);
    await mineAt(f, t1 + 1800n);
    expect((await f.core.price(A))[1]).to.equal(1_025n * WAD);
    await mineAt(f, t1 + HOUR);
    expect((await f.core.price(A))[1]).to.equal(1_050n * WAD);
    await mineAt(f, t1 + HOUR + 1n);
    // One second more counts nothing: the move counts at most an hour since the anchor.
    expect((await f.core.price(A))[1]).to.equal(1_050n * WAD);
  });

  it("rounds the allowed move down to the wei", async () => {
    const f = fx();
    const t1 = await pump(f, 1_000n * WAD, 2_000n * WAD);
    // 1000e18 × 500 × 1 s / 36e6 = 13,888,888,888,888,888.9 → rounded down.
    await mineAt(f, t1 + 1n);
    expect((await f.core.price(A))[1]).to.equal(1_000n * WAD + 13_888_888_888_888_888n);
  });

  it("with hourly keeper updates moves at most 5% of the anchor per hour and catches up in 15 hours", async () => {
    const f = fx();
    const t1 = await pump(f, 1_000n * WAD, 2_000n * WAD);
    let anchor = 1_000n * WAD;
    for (let k = 1n; k <= 15n; k++) {
      const t = t1 + k * HOUR;
      await nextTxAt(f, t);
      const expected = stableModel(2_000n * WAD, 500n, { wad: anchor, at: t - HOUR }, t);
      await expect(f.core.connect(f.anyone).updateStablePrice(A)).to.emit(f.core, "StablePriceUpdated").withArgs(A, expected);
      expect(expected * 10_000n <= anchor * 10_500n, `hour ${k}: at most +5%`).to.equal(true);
      expect(await f.core.stableAnchorOf(A)).to.deep.equal([expected, t]);
      if (k < 15n) expect(expected < 2_000n * WAD, `hour ${k}: still catching up`).to.equal(true);
      anchor = expected;
    }
    // 1000 × 1.05^14 ≈ 1979.9 < 2000 < 1000 × 1.05^15: caught up, and it stays there.
    expect(anchor).to.equal(2_000n * WAD);
    await mineAt(f, t1 + 20n * HOUR);
    expect(await f.core.price(A)).to.deep.equal([2_000n * WAD, 2_000n * WAD]);
  });

  it("an anchor left alone counts one hour at most: 1,050 after 1, 19 or 30 hours without updates", async () => {
    const f = fx();
    const t1 = await pump(f, 1_000n * WAD, 2_000n * WAD);
    for (const h of [1n, 19n, 30n]) {
      await mineAt(f, t1 + h * HOUR);
      expect((await f.core.price(A))[1], `${h} h`).to.equal(1_050n * WAD);
    }
    // a keeper update after 30 hours stores 1,050 (one hour's move), and the next hour adds 5% of it
    await nextTxAt(f, t1 + 30n * HOUR + 1n);
    await expect(f.core.updateStablePrice(A)).to.emit(f.core, "StablePriceUpdated").withArgs(A, 1_050n * WAD);
    await mineAt(f, t1 + 31n * HOUR + 1n);
    expect((await f.core.price(A))[1]).to.equal(1_102_500_000_000_000_000_000n);
  });

  it("follows a crash as slowly, staying above the oracle meanwhile", async () => {
    const f = fx();
    const t1 = await pump(f, 2_000n * WAD, 1_000n * WAD);
    await mineAt(f, t1 + HOUR);
    expect(await f.core.price(A)).to.deep.equal([1_000n * WAD, 1_900n * WAD]);
    await mineAt(f, t1 + 10n * HOUR); // without updates, still one hour's move
    expect((await f.core.price(A))[1]).to.equal(1_900n * WAD);
  });

  it("a bound larger than the anchor lets the stable price reach the oracle (floor at zero)", async () => {
    const f = fx();
    const t1 = await pump(f, 2_000n * WAD, 1_000n * WAD, 65_535n);
    await mineAt(f, t1 + HOUR); // maxMove = 6.55 × anchor
    expect((await f.core.price(A))[1]).to.equal(1_000n * WAD);
  });

  it("pushPrice anchors at the stable price of the previous push, so a new price moves it only from now", async () => {
    const f = fx();
    const t1 = await pump(f, 1_000n * WAD, 2_000n * WAD);
    await nextTxAt(f, t1 + HOUR);
    await expect(f.core.pushPrice(A, 2_100n * WAD)).to.emit(f.core, "StablePriceUpdated").withArgs(A, 1_050n * WAD);
    expect(await f.core.stableAnchorOf(A)).to.deep.equal([1_050n * WAD, t1 + HOUR]);
    expect(await f.core.price(A)).to.deep.equal([2_100n * WAD, 1_050n * WAD]);
    await mineAt(f, t1 + 2n * HOUR);
    expect((await f.core.price(A))[1]).to.equal(1_050n * WAD + (1_050n * WAD * 500n) / 10_000n);
  });

  it("a Chainlink pump is bounded the same way between keeper updates", async () => {
    const f = fx();
    await setFeed(f, A, chainlinkCfg(await f.agg8.getAddress(), { maxAgeSeconds: WEEK, maxStableMoveBpsPerHour: 1_000n }));
    const t0 = (await now(f)) + 5n;
    await nextTxAt(f, t0);
    await (await f.core.updateStablePrice(A)).wait();
    await (await f.agg8.setAnswer(6_000n * 10n ** 8n)).wait();
    await mineAt(f, t0 + HOUR);
    expect(await f.core.price(A)).to.deep.equal([6_000n * WAD, 3_300n * WAD]);
    await mineAt(f, t0 + 2n * HOUR); // two hours count as one
    expect((await f.core.price(A))[1]).to.equal(3_300n * WAD);
    await nextTxAt(f, t0 + 2n * HOUR + 1n);
    await expect(f.core.updateStablePrice(A)).to.emit(f.core, "StablePriceUpdated").withArgs(A, 3_300n * WAD);
    await mineAt(f, t0 + 3n * HOUR + 1n);
    expect((await f.core.price(A))[1]).to.equal(3_630n * WAD);
  });

  it("updateStablePrice reverts with the oracle's error and leaves the anchor alone", async () => {
    const f = fx();
    await expect(f.core.updateStablePrice(ASSET.none)).to.be.revertedWithCustomError(f.core, "NoFeed").withArgs(ASSET.none);
    await setFeed(f, A, chainlinkCfg(await f.agg8.getAddress(), { maxPriceWad: 5_000n * WAD }));
    const t = (await now(f)) + 5n;
    await nextTxAt(f, t);
    await (await f.core.updateStablePrice(A)).wait();
    await (await f.agg8.setAnswer(9_000n * 10n ** 8n)).wait(); // a pump past the sanity ceiling
    await expect(f.core.updateStablePrice(A)).to.be.revertedWithCustomError(f.core, "PriceOutOfBounds").withArgs(A, 9_000n * WAD);
    await (await f.agg8.setRoundData(3_000n * 10n ** 8n, t)).wait();
    await mineAt(f, t + 3601n);
    await expect(f.core.updateStablePrice(A)).to.be.revertedWithCustomError(f.core, "StalePrice").withArgs(A, t, 3600n);
    expect(await f.core.stableAnchorOf(A)).to.deep.equal([3_000n * WAD, t]);
  });

  it("setFeed keeps an anchor inside the new bounds and drops one outside", async () => {
    const f = fx();
    const feed = await f.agg8.getAddress();
    await setFeed(f, A, chainlinkCfg(feed));
    const t = (await now(f)) + 5n;
    await nextTxAt(f, t);
    await (await f.core.updateStablePrice(A)).wait();
    await setFeed(f, A, chainlinkCfg(feed, { minPriceWad: 2_000n * WAD, maxPriceWad: 4_000n * WAD }));
    expect(await f.core.stableAnchorOf(A)).to.deep.equal([3_000n * WAD, t]);
    await setFeed(f, A, chainlinkCfg(feed, { minPriceWad: 1n * WAD, maxPriceWad: 2_999n * WAD }));
    expect(await f.core.stableAnchorOf(A)).to.deep.equal([0n, 0n]);
  });

  it("an anchor within the new bounds follows the feed across kinds (Chainlink → Admin → Chainlink)", async () => {
    const f = fx();
    const feed = await f.agg8.getAddress();
    await setFeed(f, A, chainlinkCfg(feed));
    const t = (await now(f)) + 5n;
    await nextTxAt(f, t);
    await (await f.core.updateStablePrice(A)).wait();
    // The anchor stays in the asset's PriceWord (every kind keeps it there); the push is new.
    await setFeed(f, A, adminCfg({ maxAgeSeconds: WEEK }));
    expect(await f.core.stableAnchorOf(A)).to.deep.equal([3_000n * WAD, t]);
    await (await f.core.pushPrice(A, 3_000n * WAD)).wait();
    expect((await f.core.price(A))[1]).to.equal(3_000n * WAD);
    // Back to Chainlink: the anchor (still 3000 at t) is kept, the push dropped.
    await setFeed(f, A, chainlinkCfg(feed));
    expect(await f.core.stableAnchorOf(A)).to.deep.equal([3_000n * WAD, t]);
    expect(await f.core.price(A)).to.deep.equal([3_000n * WAD, 3_000n * WAD]);
  });
});
