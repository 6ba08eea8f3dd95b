// The core's setFeed validation: every kind of nonsense reverts InvalidFeedConfig and leaves
// the previous configuration in place; the hard bounds themselves are accepted.
import { expect } from "chai";
import { MockAggregator__factory } from "../../types/ethers-contracts/index.js";
import {
  ASSET,
  ETH_ID,
  MAX_PRICE,
  WAD,
  ZERO_ADDRESS,
  ZERO_ID,
  adminCfg,
  cfgTuple,
  chainlinkCfg,
  pythCfg,
  setFeed,
  useOracleFixture,
  type Cfg,
  type OracleFx,
} from "./oracle._fixture.ts";

const A = ASSET.weth;
const DAY = 86_400n;

describe("Core prices: setFeed validation", () => {
  const fx = useOracleFixture();

  type Case = [string, (f: OracleFx) => Promise<Cfg>];
  const admin = (o: Partial<Cfg>) => async () => adminCfg(o);
  const chainlink = (o: Partial<Cfg>) => async (f: OracleFx) => chainlinkCfg(await f.agg8.getAddress(), o);
  const pyth = (o: Partial<Cfg>) => async (f: OracleFx) => pythCfg(await f.pyth.getAddress(), o);

  const bad: Case[] = [
    ["kind None", admin({ kind: 0n })],
    ["zero maxAge", admin({ maxAgeSeconds: 0n })],
    ["maxAge above 7 days", admin({ maxAgeSeconds: 7n * DAY + 1n })],
    ["zero maxStableMove", admin({ maxStableMoveBpsPerHour: 0n })],
    ["zero minPrice", admin({ minPriceWad: 0n })],
    ["min > max", admin({ minPriceWad: 2n * WAD, maxPriceWad: 2n * WAD - 1n })],
    // The max is 2^87 − 1 for every kind now (was: 2^96 − 1 for Chainlink and Pyth): each feed's
    // price and anchor live in 87 bits of its PriceWord.
    ["Chainlink maxPrice does not fit 87 bits", chainlink({ maxPriceWad: 2n ** 87n })],
    ["Pyth maxPrice does not fit 87 bits", pyth({ maxPriceWad: 2n ** 87n })],
    ["Admin maxPrice does not fit 87 bits", admin({ maxPriceWad: 2n ** 87n })],
    ["Admin with a feed address", admin({ feed: ASSET.usdc })],
    ["Admin with a Pyth id", admin({ pythPriceId: ETH_ID })],
    ["Admin with a confidence bound", admin({ maxConfBps: 1n })],
    ["Chainlink without a feed", chainlink({ feed: ZERO_ADDRESS })],
    ["Chainlink feed without code", async (f) => chainlinkCfg(f.outsider.address)],
    ["Chainlink feed without decimals() (the core itself)", async (f) => chainlinkCfg(await f.core.getAddress())],
    ["Chainlink with a Pyth id", chainlink({ pythPriceId: ETH_ID })],
    ["Chainlink with a confidence bound", chainlink({ maxConfBps: 100n })],
    ["Pyth without a contract", pyth({ feed: ZERO_ADDRESS })],
    ["Pyth contract without code", async (f) => pythCfg(f.outsider.address)],
    ["Pyth without a price id", pyth({ pythPriceId: ZERO_ID })],
    ["Pyth without a confidence bound", pyth({ maxConfBps: 0n })],
    ["Pyth confidence bound above 100%", pyth({ maxConfBps: 10_001n })],
  ];

  for (const [name, make] of bad) {
    it(`rejects ${name} and keeps the previous feed`, async () => {
      const f = fx();
      const good = adminCfg();
      await setFeed(f, A, good);
      await expect(f.core.setFeed(A, await make(f))).to.be.revertedWithCustomError(f.core, "InvalidFeedConfig").withArgs(A);
      expect(await f.core.feedOf(A)).to.deep.equal(cfgTuple(good));
    });
  }

  it("rejects the zero asset", async () => {
    const f = fx();
    await expect(f.core.setFeed(ZERO_ADDRESS, adminCfg()))
      .to.be.revertedWithCustomError(f.core, "InvalidFeedConfig")
      .withArgs(ZERO_ADDRESS);
  });

  it("rejects a Chainlink feed with more than 36 decimals and accepts 36", async () => {
    const f = fx();
    const agg = await new MockAggregator__factory(f.admin).deploy(37, 1n);
    const cfg = chainlinkCfg(await agg.getAddress());
    await expect(f.core.setFeed(A, cfg)).to.be.revertedWithCustomError(f.core, "InvalidFeedConfig").withArgs(A);
    await (await agg.setDecimals(36)).wait();
    await expect(f.core.setFeed(A, cfg)).to.emit(f.core, "FeedSet");
  });

  it("accepts a maxPrice of exactly 2^87 − 1 for every kind", async () => {
    const f = fx();
    for (const cfg of [adminCfg({ maxPriceWad: MAX_PRICE }), chainlinkCfg(await f.agg8.getAddress(), { maxPriceWad: MAX_PRICE }),
      pythCfg(await f.pyth.getAddress(), { maxPriceWad: MAX_PRICE })]) {
      await setFeed(f, A, cfg);
      expect(await f.core.feedOf(A)).to.deep.equal(cfgTuple(cfg));
    }
  });

  it("accepts the hard bounds themselves (maxAge 7 days, confidence 100%, min = max)", async () => {
    const f = fx();
    const cfg = pythCfg(await f.pyth.getAddress(), {
      maxAgeSeconds: 7n * DAY,
      maxConfBps: 10_000n,
      minPriceWad: 5n * WAD,
      maxPriceWad: 5n * WAD,
    });
    await setFeed(f, A, cfg);
    expect(await f.core.feedOf(A)).to.deep.equal(cfgTuple(cfg));
  });

  it("replacing a Pyth feed by another kind clears its price id", async () => {
    const f = fx();
    await setFeed(f, A, pythCfg(await f.pyth.getAddress()));
    const cl = chainlinkCfg(await f.agg8.getAddress());
    await setFeed(f, A, cl);
    expect(await f.core.feedOf(A)).to.deep.equal(cfgTuple(cl));
  });
});
