// The core's stored prices (ClearinghousePrices over PriceLib): a write (updateStablePrice, a margin
// check) that reads a Chainlink or Pyth feed stores the read in the asset's PriceWord, usable until
// the feed's time + 3 s; views (price, tryPrice) answer that stored read while it is usable and the
// feed's price otherwise, storing nothing. So (a) a view in the same block as a write answers what
// the write used; (b) within 3 s of the feed's time the stored price is reused even if the feed
// moved, after that it is read again, and a feed time older than 3 s is read on every write; (c) a
// feed clock ahead of the chain is stored as now; (d) setFeed drops a stored read, even keeping the
// anchor; (e) the anchor moves only inside reads from the feed, at most the bounded move; (f) a
// reverting or stale feed gives a write no price and stores nothing (a margin check reverts
// PriceUnavailable); (g) a fresh stored read is one storage slot, as an Admin push is: `price`
// takes the same path, with the same gas, for both.
import { expect } from "chai";
import { AbiCoder, keccak256, type ContractTransactionResponse } from "ethers";
import { MockAggregator__factory } from "../../types/ethers-contracts/index.js";
import {
  ASSET,
  STORED_MAX_AGE,
  WAD,
  adminCfg,
  chainlinkCfg,
  mineAt,
  nextTxAt,
  now,
  pythCfg,
  setFeed,
  setPyth,
  tracePrice,
  stableModel,
  useOracleFixture,
  type OracleFx,
} from "./oracle._fixture.ts";
import { E18, E6, acctOf, deposit, mined, useMarginFixture, type MFx } from "./margin._helpers.ts";

const A = ASSET.weth;
const E8 = 10n ** 8n;
const HOUR = 3600n;

// `PriceLib.State _prices` is the core's slot 1 (solc storageLayout; probed in oracle.words.test.ts);
// an asset's Feed starts at keccak256(asset . 1) with its PriceWord.
const PRICES_SLOT = 1n;
const M32 = 2n ** 32n - 1n;
const M87 = 2n ** 87n - 1n;

interface Word {
  kind: bigint;
  expiresAt: bigint;
  stableAt: bigint;
  priceWad: bigint;
  stableWad: bigint;
}

/** The asset's PriceWord as the core stores it (layout in contracts/types/PriceWord.sol). */
async function wordOf(provider: OracleFx["ethers"]["provider"], core: string, asset: string): Promise<Word> {
  const slot = BigInt(keccak256(AbiCoder.defaultAbiCoder().encode(["address", "uint256"], [asset, PRICES_SLOT])));
  const w = BigInt(await provider.getStorage(core, slot));
  return { kind: w & 3n, expiresAt: (w >> 18n) & M32, stableAt: (w >> 50n) & M32, priceWad: (w >> 82n) & M87, stableWad: w >> 169n };
}

const word = async (f: OracleFx, asset = A) => wordOf(f.ethers.provider, await f.core.getAddress(), asset);

/** A Chainlink feed on agg8 for `asset`, set at `t` (anchored at 3,000 then); returns t. */
async function chainlinkAt(f: OracleFx, asset = A): Promise<bigint> {
  const t = (await now(f)) + 2n;
  await nextTxAt(f, t);
  await setFeed(f, asset, chainlinkCfg(await f.agg8.getAddress()));
  return t;
}

/** Sets agg8's answer (8 decimals) with update time `updatedAt`, in a transaction at `txAt`. */
async function answer(f: OracleFx, usd: bigint, updatedAt: bigint, txAt: bigint): Promise<void> {
  await nextTxAt(f, txAt);
  await (await f.agg8.setRoundData(usd * E8, updatedAt)).wait();
}

/** updateStablePrice (a storing write) in a transaction at `t`; returns the stable price it logged. */
async function storeAt(f: OracleFx, t: bigint, asset = A): Promise<bigint> {
  await nextTxAt(f, t);
  const rc = (await (await f.core.updateStablePrice(asset)).wait())!;
  const log = rc.logs.map((l) => f.core.interface.parseLog(l)).find((l) => l?.name === "StablePriceUpdated");
  return log!.args[1] as bigint;
}

/** `price(asset)` in a transaction at `at`, traced (`tracePrice`). */
async function tracePriceAt(f: OracleFx, asset: string, at: bigint) {
  await nextTxAt(f, at);
  return tracePrice(f, asset);
}

describe("Core prices: stored Chainlink and Pyth reads", () => {
  const fx = useOracleFixture();

  describe("(a) a view in the same block as a write answers what the write used", () => {
    it("updateStablePrice then a feed move in one block: price() in that block is the stored read", async () => {
      const f = fx();
      const t0 = await chainlinkAt(f);
      await answer(f, 3_000n, t0 + 1n, t0 + 1n);
      const t = t0 + 2n;
      const provider = f.connection.provider;
      await provider.request({ method: "evm_setAutomine", params: [false] });
      let store: ContractTransactionResponse, move: ContractTransactionResponse;
      try {
        // the write first (higher tip), then the feed moves 10% in the same block
        store = await f.core.connect(f.anyone).updateStablePrice(A, { gasLimit: 300_000n, maxPriorityFeePerGas: 3n * 10n ** 9n, maxFeePerGas: 10n ** 11n });
        move = await f.agg8.connect(f.outsider).setRoundData(3_300n * E8, t, { gasLimit: 200_000n, maxPriorityFeePerGas: 10n ** 9n, maxFeePerGas: 10n ** 11n });
        await nextTxAt(f, t);
        await f.networkHelpers.mine();
      } finally {
        await provider.request({ method: "evm_setAutomine", params: [true] });
      }
      const [rs, rm] = [(await store.wait())!, (await move.wait())!];
      expect(rs.blockNumber).to.equal(rm.blockNumber);
      expect([rs.index, rm.index]).to.deep.equal([0, 1]);
      const logged = f.core.interface.parseLog(rs.logs[0])!.args[1] as bigint;
      // the aggregator now says 3,300, but the write used 3,000: the view in that block says 3,000
      expect(await f.agg8.answer()).to.equal(3_300n * E8);
      expect(await now(f)).to.equal(t);
      expect(await f.core.price(A)).to.deep.equal([3_000n * WAD, logged]);
      expect(await f.core.tryPrice(A)).to.deep.equal([true, 3_000n * WAD, logged]);
    });

    it("a Pyth read stored by updateStablePrice is what price() answers in that block", async () => {
      const f = fx();
      await setPyth(f, { price: 2_000_00000000n, conf: 0n, expo: -8n, publishTime: await now(f) });
      await setFeed(f, A, pythCfg(await f.pyth.getAddress()));
      const t = (await now(f)) + 5n;
      await setPyth(f, { price: 2_100_00000000n, conf: 0n, expo: -8n, publishTime: t - 1n });
      const logged = await storeAt(f, t);
      const w = await word(f);
      expect([w.priceWad, w.expiresAt, w.stableWad, w.stableAt]).to.deep.equal([2_100n * WAD, t - 1n + STORED_MAX_AGE, logged, t]);
      expect(await f.core.price(A)).to.deep.equal([2_100n * WAD, logged]);
    });
  });

  describe("(b) the stored read is reused for 3 s of the feed's time, then read again", () => {
    it("price() after a storing write keeps the stored price while the aggregator moves, until feed time + 3 s", async () => {
      const f = fx();
      const t0 = await chainlinkAt(f);
      const t = t0 + 10n;
      await answer(f, 3_000n, t, t);
      const stable = await storeAt(f, t + 1n);
      await answer(f, 3_300n, t + 2n, t + 2n); // the feed moves 10%
      expect(await f.core.price(A)).to.deep.equal([3_000n * WAD, stable]);
      await mineAt(f, t + STORED_MAX_AGE); // the last second the stored read is usable
      expect(await f.core.price(A)).to.deep.equal([3_000n * WAD, stable]);
      await mineAt(f, t + STORED_MAX_AGE + 1n);
      const anchor = { wad: stable, at: t + 1n };
      expect(await f.core.price(A)).to.deep.equal([3_300n * WAD, stableModel(3_300n * WAD, 500n, anchor, t + 4n)]);
      // the view stored nothing: the word still holds the write's read
      const w = await word(f);
      expect([w.priceWad, w.expiresAt]).to.deep.equal([3_000n * WAD, t + STORED_MAX_AGE]);
    });

    it("a feed that starts reverting: the stored read still answers for its 3 s, then FeedUnavailable", async () => {
      const f = fx();
      const t0 = await chainlinkAt(f);
      const t = t0 + 10n;
      await answer(f, 3_000n, t, t);
      await storeAt(f, t + 1n);
      await nextTxAt(f, t + 2n);
      await (await f.agg8.setReverting(true)).wait();
      expect((await f.core.price(A))[0]).to.equal(3_000n * WAD);
      await mineAt(f, t + STORED_MAX_AGE + 1n);
      await expect(f.core.price(A)).to.be.revertedWithCustomError(f.core, "FeedUnavailable").withArgs(A, await f.agg8.getAddress());
      expect(await f.core.tryPrice(A)).to.deep.equal([false, 0n, 0n]);
      await expect(f.core.updateStablePrice(A)).to.be.revertedWithCustomError(f.core, "FeedUnavailable");
    });

    it("a feed time older than 3 s is read again on every write and every view", async () => {
      const f = fx();
      const t0 = await chainlinkAt(f);
      const t = t0 + 100n;
      await answer(f, 3_000n, t - 60n, t - 1n); // a minute old: fresh (maxAge an hour), but > 3 s
      await storeAt(f, t);
      // stored for the rest of its own second only (the feed time is already more than 3 s old)
      expect((await word(f)).expiresAt).to.equal(t);
      await answer(f, 2_900n, t - 30n, t + 1n);
      expect((await f.core.price(A))[0]).to.equal(2_900n * WAD); // not the stored 3,000
      await storeAt(f, t + 2n);
      const w = await word(f);
      // the feed time is 32 s old: usable for the rest of the read's own second only
      expect([w.priceWad, w.expiresAt]).to.deep.equal([2_900n * WAD, t + 2n]);
    });
  });

  it("(c) a feed clock ahead of the chain is stored as now, so the stored read still expires", async () => {
    const f = fx();
    const t0 = await chainlinkAt(f);
    const t = t0 + 10n;
    await answer(f, 3_000n, t + 1_000n, t - 1n); // the feed says 1,000 s from now
    await storeAt(f, t);
    expect((await word(f)).expiresAt).to.equal(t + STORED_MAX_AGE);
    await answer(f, 3_200n, t + 1_000n, t + 1n);
    await mineAt(f, t + STORED_MAX_AGE);
    expect((await f.core.price(A))[0]).to.equal(3_000n * WAD);
    await mineAt(f, t + STORED_MAX_AGE + 1n);
    expect((await f.core.price(A))[0]).to.equal(3_200n * WAD);
  });

  it("(d) setFeed drops a stored read, even when it keeps the anchor", async () => {
    const f = fx();
    const t0 = await chainlinkAt(f);
    const t = t0 + 10n;
    await answer(f, 3_000n, t, t);
    await storeAt(f, t + 1n);
    const anchor = await f.core.stableAnchorOf(A);
    await nextTxAt(f, t + 2n);
    await (await f.agg18.setRoundData(2_950n * WAD, t + 2n)).wait();
    await nextTxAt(f, t + 3n); // the old stored read would still answer at t + 3
    await setFeed(f, A, chainlinkCfg(await f.agg18.getAddress())); // same bounds: the anchor survives
    expect(await f.core.stableAnchorOf(A)).to.deep.equal(anchor);
    const w = await word(f);
    expect([w.priceWad, w.expiresAt]).to.deep.equal([0n, 0n]);
    expect((await f.core.price(A))[0]).to.equal(2_950n * WAD); // the new feed's, not the stored 3,000
    // Chainlink → Admin drops it too: an Admin feed never pushed has no price
    await storeAt(f, t + 4n);
    await setFeed(f, A, adminCfg());
    await expect(f.core.price(A)).to.be.revertedWithCustomError(f.core, "StalePrice").withArgs(A, 0n, 3600n);
  });

  describe("(e) the anchor advances only inside reads from the feed, at most the bounded move", () => {
    it("views never move it; updateStablePrice moves it to the bounded stable price", async () => {
      const f = fx();
      const t0 = await chainlinkAt(f);
      const anchor0 = await f.core.stableAnchorOf(A);
      expect(anchor0).to.deep.equal([3_000n * WAD, t0]);
      await answer(f, 6_000n, t0 + 600n, t0 + 600n); // the feed doubles ten minutes later
      for (const dt of [601n, 1_800n, HOUR + 600n]) { // the feed's answer stays fresh (an hour's maxAge)
        await mineAt(f, t0 + dt);
        const expected = stableModel(6_000n * WAD, 500n, { wad: 3_000n * WAD, at: t0 }, t0 + dt);
        expect((await f.core.price(A))[1]).to.equal(expected);
        expect(await f.core.stableAnchorOf(A)).to.deep.equal(anchor0); // a view moved nothing
      }
      await answer(f, 6_000n, t0 + 2n * HOUR + 1n, t0 + 2n * HOUR + 1n);
      const t1 = t0 + 2n * HOUR + 2n;
      const moved = await storeAt(f, t1);
      expect(moved).to.equal(3_150n * WAD); // one hour's 5% at most, not the oracle's 6,000
      expect(await f.core.stableAnchorOf(A)).to.deep.equal([3_150n * WAD, t1]);
    });
  });

  it("(f) a stale feed: updateStablePrice reverts StalePrice on the core and stores nothing", async () => {
    const f = fx();
    const t0 = await chainlinkAt(f);
    const t = t0 + 10n;
    await answer(f, 3_000n, t, t);
    await storeAt(f, t + 1n);
    const before = await word(f);
    await mineAt(f, t + 3_601n); // the feed's time is past maxAge (a failing write is never mined)
    await expect(f.core.updateStablePrice(A)).to.be.revertedWithCustomError(f.core, "StalePrice").withArgs(A, t, 3_600n);
    expect(await word(f)).to.deep.equal(before);
    await expect(f.core.price(A)).to.be.revertedWithCustomError(f.core, "StalePrice").withArgs(A, t, 3_600n);
  });

  describe("(g) a fresh price of any kind is one cold slot", () => {
    it("price() of a fresh stored Chainlink read reads one slot and calls nothing, with an Admin push's gas", async () => {
      const f = fx();
      const [C, D] = [ASSET.wbtc, ASSET.weth]; // one non-zero byte each: the same calldata gas
      await setFeed(f, D, adminCfg());
      await (await f.core.pushPrice(D, 3_000n * WAD)).wait();
      const t0 = await chainlinkAt(f, C);
      const t = t0 + 10n;
      await answer(f, 3_000n, t, t);
      await storeAt(f, t + 1n, C);
      const stored = await tracePriceAt(f, C, t + 2n);
      const admin = await tracePriceAt(f, D, t + 3n);
      expect([stored.status, admin.status]).to.deep.equal([1, 1]);
      expect([stored.slots, stored.calls]).to.deep.equal([1, 0]);
      expect([admin.slots, admin.calls]).to.deep.equal([1, 0]);
      expect(stored.gas).to.equal(admin.gas); // the same path for both kinds
      // once expired the feed is called again: more slots, one call, more gas
      const expired = await tracePriceAt(f, C, t + STORED_MAX_AGE + 1n);
      expect(expired.calls).to.equal(1);
      expect(expired.slots).to.be.greaterThan(1);
      expect(expired.gas).to.be.greaterThan(stored.gas);
    });
  });
});

describe("Core prices: margin checks store and use the read (a write path through the core)", () => {
  const fx = useMarginFixture();

  /** WETH's feed moved to a fresh Chainlink aggregator at 3,000 (the fixture pushes Admin prices). */
  async function chainlinkWeth(f: MFx) {
    const agg = await new MockAggregator__factory(f.admin).deploy(8, 3_000n * E8);
    await mined(f.oracle.setFeed(f.W, chainlinkCfg(await agg.getAddress())));
    return agg;
  }
  const wordW = async (f: MFx) => wordOf(f.ethers.provider, await f.ch.getAddress(), f.W);
  const at = async (f: MFx, t: bigint) => f.networkHelpers.time.setNextBlockTimestamp(t);
  const latest = async (f: MFx) => BigInt(await f.networkHelpers.time.latest());

  it("a borrow stores WETH's read; a second borrow within 3 s reuses it and leaves the anchor alone", async () => {
    const f = fx();
    const agg = await chainlinkWeth(f);
    await deposit(f, f.bob, f.W, 10n * E18);
    const t = (await latest(f)) + 5n;
    await at(f, t);
    await mined(agg.setRoundData(3_100n * E8, t));
    await at(f, t + 1n);
    await mined(f.ch.connect(f.bob).borrow(f.U, 0, 1_000n * E6, f.bob.address));
    const w1 = await wordW(f);
    expect([w1.priceWad, w1.expiresAt, w1.stableAt]).to.deep.equal([3_100n * WAD, t + 3n, t + 1n]);
    const anchor1 = await f.oracle.stableAnchorOf(f.W);
    expect(await f.oracle.price(f.W)).to.deep.equal([3_100n * WAD, anchor1[0]]);
    // the feed moves; a borrow 2 s later is checked on the stored read, which it does not rewrite
    await at(f, t + 2n);
    await mined(agg.setRoundData(3_500n * E8, t + 2n));
    await at(f, t + 3n);
    await mined(f.ch.connect(f.bob).borrow(f.U, 0, 1_000n * E6, f.bob.address));
    expect(await wordW(f)).to.deep.equal(w1);
    expect(await f.oracle.stableAnchorOf(f.W)).to.deep.equal(anchor1);
    // later, the next borrow reads the feed again and advances the anchor (bounded: 5%/h × 3 s)
    await at(f, t + 4n);
    await mined(f.ch.connect(f.bob).borrow(f.U, 0, 1_000n * E6, f.bob.address));
    const w3 = await wordW(f);
    expect([w3.priceWad, w3.expiresAt, w3.stableAt]).to.deep.equal([3_500n * WAD, t + 5n, t + 4n]);
    expect(w3.stableWad).to.equal(stableModel(3_500n * WAD, 500n, { wad: anchor1[0], at: t + 1n }, t + 4n));
    expect(w3.stableWad).to.be.lessThan(3_500n * WAD);
  });

  for (const [label, breakFeed] of [
    ["reverting", async (agg: Awaited<ReturnType<typeof chainlinkWeth>>) => mined(agg.setReverting(true))],
    ["stale", async (agg: Awaited<ReturnType<typeof chainlinkWeth>>) => mined(agg.setRoundData(3_000n * E8, 1n))],
  ] as const) {
    it(`(f) a ${label} feed: a borrow against WETH reverts PriceUnavailable and nothing is stored`, async () => {
      const f = fx();
      const agg = await chainlinkWeth(f);
      await deposit(f, f.bob, f.W, 10n * E18);
      await breakFeed(agg);
      await f.networkHelpers.mine(1, { interval: 5 }); // past any stored read
      const before = await wordW(f);
      await expect(f.ch.connect(f.bob).borrow(f.U, 0, 1_000n * E6, f.bob.address))
        .to.be.revertedWithCustomError(f.ch, "PriceUnavailable")
        .withArgs(f.W);
      expect(await wordW(f)).to.deep.equal(before);
      expect((await f.oracle.tryPrice(f.W))[0]).to.equal(false);
      expect(await f.ch.balanceOf(acctOf(f.bob), f.U)).to.equal(0n);
    });
  }
});
