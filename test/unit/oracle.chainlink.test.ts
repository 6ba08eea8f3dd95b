// The core's prices (ClearinghousePrices) with Chainlink-style feeds (MockAggregator): scaling by the feed's decimals,
// staleness at the boundary, non-positive answers, sanity bounds, a broken feed, and tryPrice.
import { expect } from "chai";
import { MockAggregator__factory, MockERC20__factory } from "../../types/ethers-contracts/index.js";
import { ASSET, MAX_PRICE, MAX_UINT, WAD, chainlinkCfg, mineAt, now, setFeed, useOracleFixture, type OracleFx } from "./oracle._fixture.ts";

const A = ASSET.weth;

async function aggregator(f: OracleFx, decimals: number, answer: bigint) {
  const agg = await new MockAggregator__factory(f.admin).deploy(decimals, answer);
  await setFeed(f, A, chainlinkCfg(await agg.getAddress(), { maxPriceWad: MAX_PRICE }));
  return agg;
}

describe("Core prices: Chainlink feeds", () => {
  const fx = useOracleFixture();

  it("scales an 8-decimal answer to WAD per whole token", async () => {
    const f = fx();
    await (await f.agg8.setAnswer(3_000_12345678n)).wait(); // $3,000.12345678
    await setFeed(f, A, chainlinkCfg(await f.agg8.getAddress()));
    const wad = 3_000_123_456_780_000_000_000n;
    expect(await f.core.price(A)).to.deep.equal([wad, wad]);
    expect(await f.core.tryPrice(A)).to.deep.equal([true, wad, wad]);
  });

  it("passes an 18-decimal answer through unchanged", async () => {
    const f = fx();
    await (await f.agg18.setAnswer(1_000_100_000_000_000_001n)).wait();
    await setFeed(f, A, chainlinkCfg(await f.agg18.getAddress()));
    expect((await f.core.price(A))[0]).to.equal(1_000_100_000_000_000_001n);
  });

  it("scales 0 decimals up and 36 decimals down (rounding down below WAD resolution)", async () => {
    const f = fx();
    await aggregator(f, 0, 3_000n);
    expect((await f.core.price(A))[0]).to.equal(3_000n * WAD);
    await aggregator(f, 36, 3_000n * 10n ** 36n + 10n ** 18n - 1n);
    expect((await f.core.price(A))[0]).to.equal(3_000n * WAD);
  });

  it("caches the decimals at setFeed: a later change shows only after setFeed again", async () => {
    const f = fx();
    await setFeed(f, A, chainlinkCfg(await f.agg8.getAddress()));
    await (await f.agg8.setDecimals(10)).wait();
    expect((await f.core.price(A))[0]).to.equal(3_000n * WAD);
    await setFeed(f, A, chainlinkCfg(await f.agg8.getAddress()));
    expect((await f.core.price(A))[0]).to.equal(30n * WAD);
  });

  it("is fresh at exactly maxAge after updatedAt and stale one second later", async () => {
    const f = fx();
    await setFeed(f, A, chainlinkCfg(await f.agg8.getAddress(), { maxAgeSeconds: 900n }));
    const updatedAt = (await now(f)) + 10n;
    await (await f.agg8.setRoundData(2_500n * 10n ** 8n, updatedAt)).wait();
    await mineAt(f, updatedAt + 900n);
    expect((await f.core.price(A))[0]).to.equal(2_500n * WAD);
    await mineAt(f, updatedAt + 901n);
    await expect(f.core.price(A)).to.be.revertedWithCustomError(f.core, "StalePrice").withArgs(A, updatedAt, 900n);
    expect(await f.core.tryPrice(A)).to.deep.equal([false, 0n, 0n]);
  });

  it("treats an updatedAt in the future (feed clock ahead) as fresh", async () => {
    const f = fx();
    await setFeed(f, A, chainlinkCfg(await f.agg8.getAddress()));
    await (await f.agg8.setRoundData(2_500n * 10n ** 8n, (await now(f)) + 1_000n)).wait();
    expect((await f.core.price(A))[0]).to.equal(2_500n * WAD);
  });

  it("an incomplete round (updatedAt 0) is stale", async () => {
    const f = fx();
    await setFeed(f, A, chainlinkCfg(await f.agg8.getAddress()));
    await (await f.agg8.setRoundData(2_500n * 10n ** 8n, 0n)).wait();
    await expect(f.core.price(A)).to.be.revertedWithCustomError(f.core, "StalePrice").withArgs(A, 0n, 3600n);
  });

  for (const [label, answer] of [["0", 0n], ["-1", -1n], ["-2^255", -(2n ** 255n)]] as const) {
    it(`rejects a fresh answer of ${label} with NonPositivePrice`, async () => {
      const f = fx();
      await setFeed(f, A, chainlinkCfg(await f.agg8.getAddress()));
      await (await f.agg8.setAnswer(answer)).wait();
      await expect(f.core.price(A)).to.be.revertedWithCustomError(f.core, "NonPositivePrice").withArgs(A, answer);
      expect(await f.core.tryPrice(A)).to.deep.equal([false, 0n, 0n]);
    });
  }

  it("rejects answers outside the sanity bounds with PriceOutOfBounds (bounds inclusive)", async () => {
    const f = fx();
    await setFeed(f, A, chainlinkCfg(await f.agg8.getAddress(), { minPriceWad: 100n * WAD, maxPriceWad: 10_000n * WAD }));
    await (await f.agg8.setAnswer(100n * 10n ** 8n)).wait();
    expect((await f.core.price(A))[0]).to.equal(100n * WAD);
    await (await f.agg8.setAnswer(10_000n * 10n ** 8n)).wait();
    expect((await f.core.price(A))[0]).to.equal(10_000n * WAD);
    await (await f.agg8.setAnswer(100n * 10n ** 8n - 1n)).wait();
    await expect(f.core.price(A))
      .to.be.revertedWithCustomError(f.core, "PriceOutOfBounds")
      .withArgs(A, 100n * WAD - 10n ** 10n);
    await (await f.agg8.setAnswer(10_000n * 10n ** 8n + 1n)).wait();
    await expect(f.core.price(A))
      .to.be.revertedWithCustomError(f.core, "PriceOutOfBounds")
      .withArgs(A, 10_000n * WAD + 10n ** 10n);
    expect(await f.core.tryPrice(A)).to.deep.equal([false, 0n, 0n]);
  });

  it("saturates instead of overflowing on an absurd answer, so tryPrice still answers", async () => {
    const f = fx();
    await aggregator(f, 0, 2n ** 255n - 1n);
    await expect(f.core.price(A)).to.be.revertedWithCustomError(f.core, "PriceOutOfBounds").withArgs(A, MAX_UINT);
    expect(await f.core.tryPrice(A)).to.deep.equal([false, 0n, 0n]);
  });

  it("a reverting feed is FeedUnavailable and tryPrice reports ok = false", async () => {
    const f = fx();
    const feed = await f.agg8.getAddress();
    await setFeed(f, A, chainlinkCfg(feed));
    await (await f.agg8.setReverting(true)).wait();
    await expect(f.core.price(A)).to.be.revertedWithCustomError(f.core, "FeedUnavailable").withArgs(A, feed);
    expect(await f.core.tryPrice(A)).to.deep.equal([false, 0n, 0n]);
    await (await f.agg8.setReverting(false)).wait();
    expect((await f.core.price(A))[0]).to.equal(3_000n * WAD);
  });

  it("a contract with decimals() but no latestRoundData passes setFeed and reads FeedUnavailable", async () => {
    const f = fx();
    const token = await new MockERC20__factory(f.admin).deploy("Not a feed", "NAF", 8);
    const feed = await token.getAddress();
    await setFeed(f, A, chainlinkCfg(feed));
    await expect(f.core.price(A)).to.be.revertedWithCustomError(f.core, "FeedUnavailable").withArgs(A, feed);
    expect(await f.core.tryPrice(A)).to.deep.equal([false, 0n, 0n]);
  });
});
