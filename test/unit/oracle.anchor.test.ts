// No margin price is ever unanchored (issue #13, item 3): every feed kind is anchored from its
// first good price — an Admin feed by its first push, a Chainlink or Pyth feed by setFeed when its
// price is good then, otherwise by the first updateStablePrice that finds a good price; until
// then price() reverts NoStableAnchor and tryPrice reports the price unusable (the batched
// tryPrices is gone with the OracleRouter). And the move an anchor allows counts at most one hour,
// whatever the kind.
import { expect } from "chai";
import {
  ASSET,
  ETH_ID,
  WAD,
  adminCfg,
  chainlinkCfg,
  mineAt,
  nextTxAt,
  now,
  pythCfg,
  setFeed,
  setPyth,
  useOracleFixture,
  type OracleFx,
} from "./oracle._fixture.ts";

const A = ASSET.weth;
const HOUR = 3600n;
const WEEK = 7n * 24n * HOUR;

/** price() reverts NoStableAnchor; tryPrice reports the price unusable. */
async function unanchored(f: OracleFx) {
  await expect(f.core.price(A)).to.be.revertedWithCustomError(f.core, "NoStableAnchor").withArgs(A);
  expect(await f.core.tryPrice(A)).to.deep.equal([false, 0n, 0n]);
  expect(await f.core.stableAnchorOf(A)).to.deep.equal([0n, 0n]);
}

describe("Core prices: every feed is anchored from its first good price", () => {
  const fx = useOracleFixture();

  it("Admin: the first push is the anchor (a feed never pushed has no price at all)", async () => {
    const f = fx();
    await setFeed(f, A, adminCfg());
    expect(await f.core.stableAnchorOf(A)).to.deep.equal([0n, 0n]);
    await expect(f.core.price(A)).to.be.revertedWithCustomError(f.core, "StalePrice");
    const t = (await now(f)) + 3n;
    await nextTxAt(f, t);
    await expect(f.core.pushPrice(A, 3_000n * WAD)).to.emit(f.core, "StablePriceUpdated").withArgs(A, 3_000n * WAD);
    expect(await f.core.stableAnchorOf(A)).to.deep.equal([3_000n * WAD, t]);
    // the next push, a 10x pump, moves the stable price only from its own time, at the bounded rate
    await nextTxAt(f, t + 1n);
    await (await f.core.pushPrice(A, 30_000n * WAD)).wait();
    expect(await f.core.price(A)).to.deep.equal([30_000n * WAD, 3_000n * WAD]);
  });

  it("Admin → Admin: a kept push whose anchor the new bounds drop becomes the anchor, as of setFeed", async () => {
    const f = fx();
    await setFeed(f, A, adminCfg({ maxAgeSeconds: WEEK }));
    await (await f.core.pushPrice(A, 1_000n * WAD)).wait();
    await (await f.core.pushPrice(A, 2_000n * WAD)).wait(); // anchor 1,000, push 2,000
    const t = (await now(f)) + 7n;
    await nextTxAt(f, t);
    await expect(f.core.setFeed(A, adminCfg({ maxAgeSeconds: WEEK, minPriceWad: 1_500n * WAD, maxPriceWad: 3_000n * WAD })))
      .to.emit(f.core, "StablePriceUpdated")
      .withArgs(A, 2_000n * WAD);
    expect(await f.core.stableAnchorOf(A)).to.deep.equal([2_000n * WAD, t]);
    expect(await f.core.price(A)).to.deep.equal([2_000n * WAD, 2_000n * WAD]);
  });

  it("Chainlink: setFeed anchors at the aggregator's good price, at once", async () => {
    const f = fx();
    const t = (await now(f)) + 4n;
    await nextTxAt(f, t);
    await expect(f.core.setFeed(A, chainlinkCfg(await f.agg8.getAddress())))
      .to.emit(f.core, "StablePriceUpdated")
      .withArgs(A, 3_000n * WAD);
    expect(await f.core.stableAnchorOf(A)).to.deep.equal([3_000n * WAD, t]);
    // a 10x pump right after: the stable price has moved 5%/h × 1 s only
    await nextTxAt(f, t + 1n);
    await (await f.agg8.setAnswer(30_000n * 10n ** 8n)).wait();
    expect(await f.core.price(A)).to.deep.equal([30_000n * WAD, 3_000n * WAD + (3_000n * WAD * 500n) / (10_000n * HOUR)]);
  });

  it("Chainlink: set while stale, it has no price until updateStablePrice anchors its first good one", async () => {
    const f = fx();
    const feed = await f.agg8.getAddress();
    await (await f.agg8.setRoundData(3_000n * 10n ** 8n, (await now(f)) - 2n * HOUR)).wait(); // stale
    await expect(f.core.setFeed(A, chainlinkCfg(feed))).not.to.emit(f.core, "StablePriceUpdated");
    await expect(f.core.price(A)).to.be.revertedWithCustomError(f.core, "StalePrice");
    await expect(f.core.updateStablePrice(A)).to.be.revertedWithCustomError(f.core, "StalePrice");
    // fresh again, already pumped: still no price until anchored, and then the anchor is that price
    await (await f.agg8.setAnswer(3_100n * 10n ** 8n)).wait();
    await unanchored(f);
    const t = (await now(f)) + 2n;
    await nextTxAt(f, t);
    await expect(f.core.connect(f.outsider).updateStablePrice(A)).to.emit(f.core, "StablePriceUpdated").withArgs(A, 3_100n * WAD);
    expect(await f.core.stableAnchorOf(A)).to.deep.equal([3_100n * WAD, t]);
    expect(await f.core.price(A)).to.deep.equal([3_100n * WAD, 3_100n * WAD]);
  });

  it("Chainlink: an anchor dropped by new bounds is replaced by the feed's good price within them", async () => {
    const f = fx();
    const feed = await f.agg8.getAddress();
    await setFeed(f, A, chainlinkCfg(feed));
    await (await f.agg8.setAnswer(3_500n * 10n ** 8n)).wait();
    const t = (await now(f)) + 3n;
    await nextTxAt(f, t);
    await expect(f.core.setFeed(A, chainlinkCfg(feed, { minPriceWad: 3_200n * WAD })))
      .to.emit(f.core, "StablePriceUpdated")
      .withArgs(A, 3_500n * WAD);
    expect(await f.core.stableAnchorOf(A)).to.deep.equal([3_500n * WAD, t]);
  });

  it("Pyth: set before its first price, it answers NoStableAnchor until updateStablePrice anchors one", async () => {
    const f = fx();
    await expect(f.core.setFeed(A, pythCfg(await f.pyth.getAddress()))).not.to.emit(f.core, "StablePriceUpdated");
    await expect(f.core.price(A)).to.be.revertedWithCustomError(f.core, "FeedUnavailable");
    await setPyth(f, { price: 3_000_00000000n, conf: 0n, expo: -8n, publishTime: await now(f) });
    await unanchored(f);
    const t = (await now(f)) + 2n;
    await nextTxAt(f, t);
    await expect(f.core.updateStablePrice(A)).to.emit(f.core, "StablePriceUpdated").withArgs(A, 3_000n * WAD);
    expect(await f.core.stableAnchorOf(A)).to.deep.equal([3_000n * WAD, t]);
    // a 10x pump: the stable price stays at the anchor (moved 5%/h × elapsed at most)
    await setPyth(f, { price: 30_000_00000000n, conf: 0n, expo: -8n, publishTime: t + 1n });
    const [p, s] = await f.core.price(A);
    expect(p).to.equal(30_000n * WAD);
    expect(s * 10_000n <= 3_000n * WAD * 10_001n).to.equal(true);
  });

  it("Pyth: set when its price is good, it is anchored at once", async () => {
    const f = fx();
    await setPyth(f, { id: ETH_ID, price: 2_500_00000000n, conf: 0n, expo: -8n, publishTime: await now(f) });
    const t = (await now(f)) + 2n;
    await nextTxAt(f, t);
    await expect(f.core.setFeed(A, pythCfg(await f.pyth.getAddress())))
      .to.emit(f.core, "StablePriceUpdated")
      .withArgs(A, 2_500n * WAD);
    expect(await f.core.stableAnchorOf(A)).to.deep.equal([2_500n * WAD, t]);
    expect(await f.core.price(A)).to.deep.equal([2_500n * WAD, 2_500n * WAD]);
  });
});

describe("Core prices: the stable price's move counts at most one hour", () => {
  const fx = useOracleFixture();

  // MAX_STABLE_ELAPSED_SECONDS is no longer a public constant (the core's ABI has none): its value,
  // one hour, is tested by behaviour instead.
  it("counts 3,599 s and 3,600 s in full, and not one second more (MAX_STABLE_ELAPSED_SECONDS = 3600)", async () => {
    const f = fx();
    const t0 = (await now(f)) + 2n;
    await nextTxAt(f, t0);
    await setFeed(f, A, chainlinkCfg(await f.agg8.getAddress(), { maxAgeSeconds: WEEK })); // anchored at 3,000
    await nextTxAt(f, t0 + 1n);
    await (await f.agg8.setAnswer(30_000n * 10n ** 8n)).wait();
    await mineAt(f, t0 + HOUR - 1n);
    // 3000e18 × 500 × 3599 / 36e6, rounded down
    expect((await f.core.price(A))[1]).to.equal(3_000n * WAD + (3_000n * WAD * 500n * (HOUR - 1n)) / (10_000n * HOUR));
    await mineAt(f, t0 + HOUR);
    expect((await f.core.price(A))[1]).to.equal(3_150n * WAD);
    await mineAt(f, t0 + HOUR + 1n);
    expect((await f.core.price(A))[1]).to.equal(3_150n * WAD);
  });

  it("Chainlink: an anchor left alone 10 hours allows one hour's move (5%), not 50%", async () => {
    const f = fx();
    const t0 = (await now(f)) + 2n;
    await nextTxAt(f, t0);
    await setFeed(f, A, chainlinkCfg(await f.agg8.getAddress(), { maxAgeSeconds: WEEK }));
    await mineAt(f, t0 + 10n * HOUR);
    await nextTxAt(f, t0 + 10n * HOUR + 1n);
    await (await f.agg8.setAnswer(30_000n * 10n ** 8n)).wait(); // 10x in one update
    expect(await f.core.price(A)).to.deep.equal([30_000n * WAD, 3_150n * WAD]);
    await (await f.agg8.setAnswer(300n * 10n ** 8n)).wait(); // a crash is held the same way
    expect((await f.core.price(A))[1]).to.equal(2_850n * WAD);
  });

  it("Pyth: the same, after updateStablePrice anchored it", async () => {
    const f = fx();
    await setFeed(f, A, pythCfg(await f.pyth.getAddress(), { maxAgeSeconds: WEEK }));
    const t0 = (await now(f)) + 2n;
    await setPyth(f, { price: 3_000_00000000n, conf: 0n, expo: -8n, publishTime: t0 - 1n });
    await nextTxAt(f, t0);
    await (await f.core.updateStablePrice(A)).wait();
    await nextTxAt(f, t0 + 10n * HOUR);
    await setPyth(f, { price: 30_000_00000000n, conf: 0n, expo: -8n, publishTime: t0 + 10n * HOUR });
    expect(await f.core.price(A)).to.deep.equal([30_000n * WAD, 3_150n * WAD]);
  });

  it("Admin: an anchor with no push for 10 hours (carried over from a Chainlink feed) allows one hour's move", async () => {
    const f = fx();
    const t0 = (await now(f)) + 2n;
    await nextTxAt(f, t0);
    await setFeed(f, A, chainlinkCfg(await f.agg8.getAddress())); // anchored at 3,000
    await setFeed(f, A, adminCfg()); // the anchor stays in the PriceWord (every kind's); no push yet
    expect(await f.core.stableAnchorOf(A)).to.deep.equal([3_000n * WAD, t0]);
    await nextTxAt(f, t0 + 10n * HOUR);
    await (await f.core.pushPrice(A, 30_000n * WAD)).wait();
    expect(await f.core.price(A)).to.deep.equal([30_000n * WAD, 3_150n * WAD]);
  });
});
