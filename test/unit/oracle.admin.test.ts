// The core's prices (ClearinghousePrices) with Admin feeds: pushPrice, the read path, staleness at the boundary, access
// control, and what a feed change keeps of a pushed price.
import { expect } from "chai";
import {
  ASSET,
  Kind,
  WAD,
  adminCfg,
  cfgTuple,
  chainlinkCfg,
  mineAt,
  nextTxAt,
  now,
  setFeed,
  useOracleFixture,
  tracePrice,
} from "./oracle._fixture.ts";

const A = ASSET.weth;

describe("Core prices: Admin feeds and pushPrice", () => {
  const fx = useOracleFixture();

  it("pushPrice stores the price as of now and emits PricePushed; price() returns it", async () => {
    const f = fx();
    await setFeed(f, A, adminCfg());
    const t = (await now(f)) + 5n;
    await nextTxAt(f, t);
    await expect(f.core.connect(f.keeper).pushPrice(A, 3_000n * WAD))
      .to.emit(f.core, "PricePushed")
      .withArgs(A, 3_000n * WAD)
      .and.to.emit(f.core, "StablePriceUpdated")
      .withArgs(A, 3_000n * WAD);
    // The first push is the anchor: the stable price is that price.
    expect(await f.core.price(A)).to.deep.equal([3_000n * WAD, 3_000n * WAD]);
    expect(await f.core.tryPrice(A)).to.deep.equal([true, 3_000n * WAD, 3_000n * WAD]);
    expect(await f.core.stableAnchorOf(A)).to.deep.equal([3_000n * WAD, t]);
  });

  it("accepts prices at exactly the sanity bounds and rejects one wei outside (PriceOutOfBounds)", async () => {
    const f = fx();
    const cfg = adminCfg({ minPriceWad: 10n * WAD, maxPriceWad: 20n * WAD });
    await setFeed(f, A, cfg);
    await (await f.core.pushPrice(A, 10n * WAD)).wait();
    expect((await f.core.price(A))[0]).to.equal(10n * WAD);
    await (await f.core.pushPrice(A, 20n * WAD)).wait();
    expect((await f.core.price(A))[0]).to.equal(20n * WAD);
    await expect(f.core.pushPrice(A, 10n * WAD - 1n))
      .to.be.revertedWithCustomError(f.core, "PriceOutOfBounds")
      .withArgs(A, 10n * WAD - 1n);
    await expect(f.core.pushPrice(A, 20n * WAD + 1n))
      .to.be.revertedWithCustomError(f.core, "PriceOutOfBounds")
      .withArgs(A, 20n * WAD + 1n);
    await expect(f.core.pushPrice(A, 0n)).to.be.revertedWithCustomError(f.core, "PriceOutOfBounds").withArgs(A, 0n);
    expect((await f.core.price(A))[0]).to.equal(20n * WAD);
  });

  it("pushPrice refuses assets without an Admin feed (NotAdminFeed)", async () => {
    const f = fx();
    await expect(f.core.pushPrice(ASSET.none, WAD)).to.be.revertedWithCustomError(f.core, "NotAdminFeed").withArgs(ASSET.none);
    await setFeed(f, A, chainlinkCfg(await f.agg8.getAddress()));
    const anchor = await f.core.stableAnchorOf(A); // setFeed's, at the aggregator's price
    expect(anchor[0]).to.equal(3_000n * WAD);
    await expect(f.core.pushPrice(A, 3_000n * WAD)).to.be.revertedWithCustomError(f.core, "NotAdminFeed").withArgs(A);
    expect(await f.core.stableAnchorOf(A)).to.deep.equal(anchor);
  });

  it("restricted functions revert AccessManagedUnauthorized for outsiders", async () => {
    const f = fx();
    await expect(f.core.connect(f.outsider).setFeed(A, adminCfg()))
      .to.be.revertedWithCustomError(f.core, "AccessManagedUnauthorized")
      .withArgs(f.outsider.address);
    // The keeper holds the oracle role only: it may push, not configure.
    await expect(f.core.connect(f.keeper).setFeed(A, adminCfg()))
      .to.be.revertedWithCustomError(f.core, "AccessManagedUnauthorized")
      .withArgs(f.keeper.address);
    await setFeed(f, A, adminCfg());
    await expect(f.core.connect(f.outsider).pushPrice(A, 3_000n * WAD))
      .to.be.revertedWithCustomError(f.core, "AccessManagedUnauthorized")
      .withArgs(f.outsider.address);
    expect(await f.core.tryPrice(A)).to.deep.equal([false, 0n, 0n]);
  });

  it("price() reverts NoFeed for an asset without a feed; tryPrice reports ok = false", async () => {
    const f = fx();
    await expect(f.core.price(ASSET.none)).to.be.revertedWithCustomError(f.core, "NoFeed").withArgs(ASSET.none);
    expect(await f.core.tryPrice(ASSET.none)).to.deep.equal([false, 0n, 0n]);
    expect(await f.core.feedOf(ASSET.none)).to.deep.equal([Kind.None, "0x" + "00".repeat(20), "0x" + "00".repeat(32), 0n, 0n, 0n, 0n, 0n]);
  });

  it("an Admin feed never pushed is stale (updatedAt 0)", async () => {
    const f = fx();
    await setFeed(f, A, adminCfg());
    await expect(f.core.price(A)).to.be.revertedWithCustomError(f.core, "StalePrice").withArgs(A, 0n, 3600n);
    expect(await f.core.tryPrice(A)).to.deep.equal([false, 0n, 0n]);
  });

  it("is fresh at exactly maxAge and stale one second later", async () => {
    const f = fx();
    await setFeed(f, A, adminCfg({ maxAgeSeconds: 600n }));
    const t = (await now(f)) + 10n;
    await nextTxAt(f, t);
    await (await f.core.pushPrice(A, 3_000n * WAD)).wait();
    await mineAt(f, t + 600n);
    expect(await f.core.price(A)).to.deep.equal([3_000n * WAD, 3_000n * WAD]);
    await mineAt(f, t + 601n);
    await expect(f.core.price(A)).to.be.revertedWithCustomError(f.core, "StalePrice").withArgs(A, t, 600n);
    expect(await f.core.tryPrice(A)).to.deep.equal([false, 0n, 0n]);
    // A new push makes it fresh again.
    await (await f.core.pushPrice(A, 3_100n * WAD)).wait();
    expect((await f.core.price(A))[0]).to.equal(3_100n * WAD);
  });

  it("price() of an Admin feed reads exactly one storage slot and makes no call", async () => {
    const f = fx();
    await setFeed(f, A, adminCfg());
    await (await f.core.pushPrice(A, 3_000n * WAD)).wait();
    await (await f.core.updateStablePrice(A)).wait();
    const { slots, calls } = await tracePrice(f, A);
    expect(slots).to.equal(1);
    expect(calls).to.equal(0);
  });

  describe("setFeed", () => {
    it("stores the configuration, emits FeedSet and feedOf returns it", async () => {
      const f = fx();
      const cfg = adminCfg({ maxAgeSeconds: 7n * 86_400n, maxStableMoveBpsPerHour: 65_535n, maxPriceWad: 2n ** 87n - 1n });
      await expect(f.core.setFeed(A, cfg)).to.emit(f.core, "FeedSet").withArgs(A, cfgTuple(cfg));
      expect(await f.core.feedOf(A)).to.deep.equal(cfgTuple(cfg));
    });

    it("Admin → Admin keeps a pushed price that fits the new bounds", async () => {
      const f = fx();
      await setFeed(f, A, adminCfg());
      await (await f.core.pushPrice(A, 3_000n * WAD)).wait();
      await setFeed(f, A, adminCfg({ minPriceWad: 2_000n * WAD, maxPriceWad: 4_000n * WAD }));
      expect((await f.core.price(A))[0]).to.equal(3_000n * WAD);
    });

    it("drops a pushed price outside the new bounds, so nothing unchecked is ever read", async () => {
      const f = fx();
      await setFeed(f, A, adminCfg());
      await (await f.core.pushPrice(A, 3_000n * WAD)).wait();
      await setFeed(f, A, adminCfg({ minPriceWad: 1n * WAD, maxPriceWad: 2_000n * WAD }));
      await expect(f.core.price(A)).to.be.revertedWithCustomError(f.core, "StalePrice").withArgs(A, 0n, 3600n);
    });

    it("drops a pushed price when the feed leaves Admin and comes back", async () => {
      const f = fx();
      await setFeed(f, A, adminCfg());
      await (await f.core.pushPrice(A, 3_000n * WAD)).wait();
      await setFeed(f, A, chainlinkCfg(await f.agg8.getAddress()));
      expect((await f.core.price(A))[0]).to.equal(3_000n * WAD); // from the aggregator
      await setFeed(f, A, adminCfg());
      await expect(f.core.price(A)).to.be.revertedWithCustomError(f.core, "StalePrice").withArgs(A, 0n, 3600n);
    });
  });
});
