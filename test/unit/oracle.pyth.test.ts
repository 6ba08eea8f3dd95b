// The core's prices (ClearinghousePrices) with Pyth feeds (Pyth's own MockPyth): exact conversion for any exponent,
// the confidence bound at its edge, staleness at the boundary, non-positive prices, bounds,
// an unknown price id.
import { expect } from "chai";
import { ASSET, ETH_ID, MAX_UINT, STORED_MAX_AGE, WAD, mineAt, now, pythCfg, setFeed, setPyth, useOracleFixture, type Cfg, type OracleFx } from "./oracle._fixture.ts";

const A = ASSET.weth;

async function pythFeed(f: OracleFx, o: Partial<Cfg> = {}) {
  await setFeed(f, A, pythCfg(await f.pyth.getAddress(), o));
}

/**
 * Quotes on MockPyth; the feed was set before its first price, so the first good quote is
 * anchored by updateStablePrice, as a keeper would (test/unit/oracle.anchor.test.ts shows the
 * feed answers NoStableAnchor until then). updateStablePrice now also stores the read, which the
 * core reuses while its publishTime is at most 3 s old (oracle.stored, prices.core): the helper
 * then lets those seconds pass, so later quotes are read from the feed as before.
 */
async function quote(f: OracleFx, p: Parameters<typeof setPyth>[1]) {
  await setPyth(f, p);
  if ((await f.core.stableAnchorOf(A))[1] !== 0n) return;
  const good = await f.core.updateStablePrice.staticCall(A).then(() => true, () => false);
  if (!good) return;
  await (await f.core.updateStablePrice(A)).wait();
  await mineAt(f, (await now(f)) + STORED_MAX_AGE);
}

describe("Core prices: Pyth feeds", () => {
  const fx = useOracleFixture();

  it("converts a price with expo -8 exactly to WAD", async () => {
    const f = fx();
    await pythFeed(f);
    await quote(f, { price: 3_000_12345678n, conf: 1_00000000n, expo: -8n, publishTime: await now(f) });
    const wad = 3_000_123_456_780_000_000_000n;
    expect(await f.core.price(A)).to.deep.equal([wad, wad]);
    expect(await f.core.tryPrice(A)).to.deep.equal([true, wad, wad]);
  });

  const exponents: [bigint, bigint, bigint][] = [
    // [price, expo, WAD]
    [3_000n, 0n, 3_000n * WAD],
    [3n, 3n, 3_000n * WAD],
    [3n * WAD + 7n, -18n, 3n * WAD + 7n],
    [9n * 10n ** 18n + 99n, -20n, 9n * 10n ** 16n], // rounds down below WAD resolution
  ];
  for (const [p, expo, wad] of exponents) {
    it(`converts price ${p} × 10^${expo} to ${wad} WAD`, async () => {
      const f = fx();
      await pythFeed(f, { maxConfBps: 10_000n, minPriceWad: 1n });
      await quote(f, { price: p, conf: 0n, expo, publishTime: await now(f) });
      expect((await f.core.price(A))[0]).to.equal(wad);
    });
  }

  it("saturates absurd exponents into PriceOutOfBounds instead of reverting", async () => {
    const f = fx();
    await pythFeed(f);
    const t = await now(f);
    await quote(f, { price: 3n, conf: 0n, expo: 100n, publishTime: t });
    await expect(f.core.price(A)).to.be.revertedWithCustomError(f.core, "PriceOutOfBounds").withArgs(A, MAX_UINT);
    expect(await f.core.tryPrice(A)).to.deep.equal([false, 0n, 0n]);
    await quote(f, { price: 3n, conf: 0n, expo: -100n, publishTime: t + 1n });
    await expect(f.core.price(A)).to.be.revertedWithCustomError(f.core, "PriceOutOfBounds").withArgs(A, 0n);
    expect(await f.core.tryPrice(A)).to.deep.equal([false, 0n, 0n]);
  });

  it("accepts confidence at exactly maxConfBps and rejects one unit wider (ConfidenceTooWide)", async () => {
    const f = fx();
    await pythFeed(f, { maxConfBps: 100n }); // 1%
    const t = await now(f);
    await quote(f, { price: 3_000_00000000n, conf: 30_00000000n, expo: -8n, publishTime: t });
    expect((await f.core.price(A))[0]).to.equal(3_000n * WAD);
    await quote(f, { price: 3_000_00000000n, conf: 30_00000001n, expo: -8n, publishTime: t + 1n });
    await expect(f.core.price(A))
      .to.be.revertedWithCustomError(f.core, "ConfidenceTooWide")
      .withArgs(A, 30_000_000_010_000_000_000n, 3_000n * WAD);
    expect(await f.core.tryPrice(A)).to.deep.equal([false, 0n, 0n]);
  });

  it("is fresh at exactly maxAge after publishTime and stale one second later", async () => {
    const f = fx();
    await pythFeed(f, { maxAgeSeconds: 60n });
    const t = (await now(f)) - 10n;
    await quote(f, { price: 2_000_00000000n, conf: 0n, expo: -8n, publishTime: t });
    await mineAt(f, t + 60n);
    expect((await f.core.price(A))[0]).to.equal(2_000n * WAD);
    await mineAt(f, t + 61n);
    await expect(f.core.price(A)).to.be.revertedWithCustomError(f.core, "StalePrice").withArgs(A, t, 60n);
    expect(await f.core.tryPrice(A)).to.deep.equal([false, 0n, 0n]);
  });

  it("treats a publishTime in the future as fresh", async () => {
    const f = fx();
    await pythFeed(f, { maxAgeSeconds: 60n });
    await quote(f, { price: 2_000_00000000n, conf: 0n, expo: -8n, publishTime: (await now(f)) + 30n });
    expect((await f.core.price(A))[0]).to.equal(2_000n * WAD);
  });

  for (const p of [0n, -5n]) {
    it(`rejects a price of ${p} with NonPositivePrice`, async () => {
      const f = fx();
      await pythFeed(f);
      await quote(f, { price: p, conf: 0n, expo: -8n, publishTime: await now(f) });
      await expect(f.core.price(A)).to.be.revertedWithCustomError(f.core, "NonPositivePrice").withArgs(A, p);
      expect(await f.core.tryPrice(A)).to.deep.equal([false, 0n, 0n]);
    });
  }

  it("rejects prices outside the sanity bounds with PriceOutOfBounds", async () => {
    const f = fx();
    await pythFeed(f, { minPriceWad: 1_000n * WAD, maxPriceWad: 5_000n * WAD });
    const t = await now(f);
    await quote(f, { price: 999_99999999n, conf: 0n, expo: -8n, publishTime: t });
    await expect(f.core.price(A))
      .to.be.revertedWithCustomError(f.core, "PriceOutOfBounds")
      .withArgs(A, 1_000n * WAD - 10n ** 10n);
    await quote(f, { price: 5_000_00000001n, conf: 0n, expo: -8n, publishTime: t + 1n });
    await expect(f.core.price(A))
      .to.be.revertedWithCustomError(f.core, "PriceOutOfBounds")
      .withArgs(A, 5_000n * WAD + 10n ** 10n);
  });

  it("an unknown price id (MockPyth reverts) is FeedUnavailable", async () => {
    const f = fx();
    const pyth = await f.pyth.getAddress();
    await setFeed(f, A, pythCfg(pyth, { pythPriceId: "0x" + "ab".repeat(32) }));
    await quote(f, { id: ETH_ID, price: 1n, conf: 0n, expo: 0n, publishTime: await now(f) });
    await expect(f.core.price(A)).to.be.revertedWithCustomError(f.core, "FeedUnavailable").withArgs(A, pyth);
    expect(await f.core.tryPrice(A)).to.deep.equal([false, 0n, 0n]);
  });
});
