// The packed words are types with named fields (contracts/types/FeedWord.sol, PriceWord.sol) and
// the Clearinghouse's asset and account words too (AssetWord.sol, AccountState.sol): each
// constructor round-trips through its getters at the edges of every field; a field that does not
// fit reverts SafeCastOverflowedUintDowncast; and the words the core really stores for a feed
// (PriceLib.Feed: slot 0 PriceWord, slot 1 FeedWord, slot 2 Bounds, slot 3 pythPriceId) decode,
// through the types, to what setFeed / pushPrice / updateStablePrice were given. StaticCallLib
// answers as its plain-Solidity equivalent does, for reverting, codeless, short and long answers.
// (StableWord, AdminPriceWord and the batch PriceWord of tryPrices are gone: every kind's price,
// expiry and anchor are one PriceWord now.)
import { expect } from "chai";
import { AbiCoder, keccak256, type Signer } from "ethers";
import {
  ShapedAnswer__factory,
  WordsMock__factory,
  type ShapedAnswer,
  type WordsMock,
} from "../../types/ethers-contracts/index.js";
import {
  ASSET,
  ETH_ID,
  Kind,
  STORED_MAX_AGE,
  WAD,
  adminCfg,
  chainlinkCfg,
  nextTxAt,
  now,
  pythCfg,
  setFeed,
  setPyth,
  useOracleFixture,
} from "./oracle._fixture.ts";

const M = (bits: bigint) => 2n ** bits - 1n;
const ADDR_MAX = "0x" + "ff".repeat(20);

describe("Packed words: FeedWord, PriceWord, AssetWord, AccountState", () => {
  const fx = useOracleFixture();
  let w: WordsMock;
  let shaped: ShapedAnswer;
  // deployed after the fixture restores its snapshot (a deployment in `before` would be rolled back)
  beforeEach(async () => {
    const f = fx();
    w = await new WordsMock__factory(f.admin as unknown as Signer).deploy();
    shaped = await new ShapedAnswer__factory(f.admin as unknown as Signer).deploy();
  });

  it("FeedWord round-trips every field at its maximum, in the drawn layout", async () => {
    for (const kind of [Kind.None, Kind.Chainlink, Kind.Pyth]) {
      const r = await w.feedWord(kind, M(32n), M(16n), M(16n), 255n, ADDR_MAX);
      expect([r.k, r.a, r.c, r.m, r.d, r.f.toLowerCase()]).to.deep.equal([kind, M(32n), M(16n), M(16n), 255n, ADDR_MAX]);
      // kind 8 | maxAge 32 | maxConf 16 | maxMove 16 | decimals 8 | feed 160, from bit 0 up
      expect(r.word).to.equal(kind | (M(32n) << 8n) | (M(16n) << 40n) | (M(16n) << 56n) | (255n << 72n) | (M(160n) << 80n));
    }
    const r = await w.feedWord(Kind.Chainlink, 3600n, 0n, 500n, 8n, ASSET.weth);
    expect([r.k, r.a, r.c, r.m, r.d, r.f]).to.deep.equal([Kind.Chainlink, 3600n, 0n, 500n, 8n, ASSET.weth]);
  });

  it("PriceWord round-trips every field at its maximum, for every kind, in the drawn layout", async () => {
    for (const kind of [Kind.None, Kind.Admin, Kind.Chainlink, Kind.Pyth]) {
      const r = await w.priceWord(kind, M(16n), M(32n), M(32n), M(87n), M(87n));
      expect(r.k).to.equal(kind);
      expect(r.anchored).to.equal(true);
      expect(r.fields).to.deep.equal([M(16n), M(32n), M(32n), M(87n), M(87n)]);
      // kind 2 | maxStableMove 16 | expiresAt 32 | stableAt 32 | lastPriceWad 87 | stableWad 87, from bit 0 up
      expect(r.word).to.equal(kind | (M(16n) << 2n) | (M(32n) << 18n) | (M(32n) << 50n) | (M(87n) << 82n) | (M(87n) << 169n));
      expect(await w.priceWordOf(r.word)).to.deep.equal([kind, r.fields, true]);
    }
    const z = await w.priceWord(Kind.Admin, 0n, 0n, 0n, 0n, 0n);
    expect(z.word).to.equal(1n); // the kind alone
    expect(z.anchored).to.equal(false); // stableAt = 0: no anchor, whatever stableWad says
    expect((await w.priceWord(Kind.Chainlink, 0n, 0n, 0n, 0n, 5n)).anchored).to.equal(false);
    expect((await w.priceWord(Kind.Chainlink, 0n, 0n, 1n, 0n, 0n)).anchored).to.equal(true);
  });

  it("PriceWord refuses a field that does not fit (SafeCastOverflowedUintDowncast)", async () => {
    const C = Kind.Chainlink;
    await expect(w.priceWord(C, 2n ** 16n, 0n, 0n, 0n, 0n)).to.be.revertedWithCustomError(w, "SafeCastOverflowedUintDowncast").withArgs(16, 2n ** 16n);
    await expect(w.priceWord(C, 0n, 2n ** 32n, 0n, 0n, 0n)).to.be.revertedWithCustomError(w, "SafeCastOverflowedUintDowncast").withArgs(32, 2n ** 32n);
    await expect(w.priceWord(C, 0n, 0n, 2n ** 32n, 0n, 0n)).to.be.revertedWithCustomError(w, "SafeCastOverflowedUintDowncast").withArgs(32, 2n ** 32n);
    await expect(w.priceWord(C, 0n, 0n, 0n, 2n ** 87n, 0n)).to.be.revertedWithCustomError(w, "SafeCastOverflowedUintDowncast").withArgs(87, 2n ** 87n);
    await expect(w.priceWord(C, 0n, 0n, 0n, 0n, 2n ** 87n)).to.be.revertedWithCustomError(w, "SafeCastOverflowedUintDowncast").withArgs(87, 2n ** 87n);
  });

  it("PriceWord.withStable / withPrice change only their fields", async () => {
    for (const kind of [Kind.Admin, Kind.Pyth]) {
      const base = (await w.priceWord(kind, 500n, 1000n, 900n, 3000n * WAD, 2990n * WAD)).word;
      const [ws, wp] = await w.priceWordWith(base, 2995n * WAD, 950n, 3100n * WAD, 2000n);
      expect(ws).to.equal((await w.priceWord(kind, 500n, 1000n, 950n, 3000n * WAD, 2995n * WAD)).word);
      expect(wp).to.equal((await w.priceWord(kind, 500n, 2000n, 900n, 3100n * WAD, 2990n * WAD)).word);
    }
    await expect(w.priceWordWith(1n, 2n ** 87n, 1n, 0n, 0n)).to.be.revertedWithCustomError(w, "SafeCastOverflowedUintDowncast");
  });

  it("AssetWord round-trips and is the word assetWordOf answers (token 160 | decimals 8 | shock | slippage | haircut)", async () => {
    const r = await w.assetWord(ADDR_MAX, 255n, M(16n), M(16n), M(16n));
    expect(r.word).to.equal(M(160n) | (255n << 160n) | (M(16n) << 168n) | (M(16n) << 184n) | (M(16n) << 200n));
    expect(r.lentWord).to.equal(r.word | (1n << 255n));
    expect([r.t.toLowerCase(), r.d, r.s, r.sl, r.h, r.lent, r.lentSet]).to.deep.equal([ADDR_MAX, 255n, M(16n), M(16n), M(16n), false, true]);
  });

  describe("AccountState (the Clearinghouse's per-account word)", () => {
    const M64 = M(64n);
    const view = async (word: bigint) => {
      const r = await w.accountStateView(word);
      return { held: r[0], owed: r[1], markets: r[2], orders: r[3], withdrawals: r[4], perp: r[5], liable: r[6], since: r[7] };
    };
    const TRACK = 0n, MARKET = 1n, UNMARKET = 2n, POLICY = 3n, PERP = 4n, UNPERP = 5n, SINCE = 6n, UNSINCE = 7n;

    it("reads each field from its drawn place", async () => {
      const word = 0x11n | (0x22n << 64n) | (0x33n << 128n) | (1n << 192n) | (1n << 194n) | (1_700_000_000n << 208n);
      expect(await view(word)).to.deep.equal({
        held: 0x11n, owed: 0x22n, markets: 0x33n, orders: true, withdrawals: false, perp: true, liable: true, since: 1_700_000_000n,
      });
      const full = await view(M(256n));
      expect([full.held, full.owed, full.markets, full.since]).to.deep.equal([M64, M64, M64, M(48n)]);
      expect((await view(0n)).liable).to.equal(false);
      expect((await view(1n << 64n)).liable).to.equal(true); // debt alone
      expect((await view(1n << 194n)).liable).to.equal(true); // perp exposure alone
    });

    it("track keeps the held and owed bits of an asset in step with its balance's sign", async () => {
      let s = await w.accountStateOp(0n, TRACK, 64n, -5n); // asset id 64: the top bit of each mask
      expect(s).to.equal((1n << 63n) | (1n << 127n));
      s = await w.accountStateOp(s, TRACK, 64n, 7n);
      expect(s).to.equal(1n << 63n);
      s = await w.accountStateOp(s, TRACK, 1n, -1n);
      expect(s).to.equal((1n << 63n) | 1n | (1n << 64n));
      s = await w.accountStateOp(s, TRACK, 64n, 0n);
      expect(s).to.equal(1n | (1n << 64n));
      await expect(w.accountStateOp(0n, TRACK, 0n, 1n)).to.be.revertedWithPanic(0x11); // id 0 is never an asset
    });

    it("market, policy, perp and auction setters change only their fields", async () => {
      const base = 0xabn | (0xcdn << 64n) | (1_000n << 208n);
      expect(await w.accountStateOp(base, MARKET, 1n, 0n)).to.equal(base | (1n << 128n));
      expect(await w.accountStateOp(base, MARKET, 64n, 0n)).to.equal(base | (1n << 191n));
      const withMarkets = base | (0b1011n << 128n);
      expect(await w.accountStateOp(withMarkets, UNMARKET, 0b0011n, 0n)).to.equal(base | (0b1000n << 128n));
      expect(await w.accountStateOp(withMarkets, UNMARKET, M(256n), 0n)).to.equal(base); // only the 64 market bits
      expect(await w.accountStateOp(base, POLICY, 3n, 0n)).to.equal(base | (3n << 192n));
      expect(await w.accountStateOp(base | (3n << 192n), POLICY, 2n, 0n)).to.equal(base | (1n << 193n));
      expect(await w.accountStateOp(base, PERP, 0n, 0n)).to.equal(base | (1n << 194n));
      expect(await w.accountStateOp(base | (1n << 194n), UNPERP, 0n, 0n)).to.equal(base);
      expect(await w.accountStateOp(base, SINCE, 2_000n, 0n)).to.equal((base & M(208n)) | (2_000n << 208n));
      expect(await w.accountStateOp(base, UNSINCE, 0n, 0n)).to.equal(base & M(208n));
    });
  });

  describe("the core's stored feed words decode through the types", () => {
    // `PriceLib.State _prices` is the core's slot 1: AccessManaged keeps its authority (and a flag)
    // in slot 0, and ClearinghousePrices, the first layer with storage, declares `_prices` next.
    // Found with solc's storageLayout output (compile the build-info input of Clearinghouse.sol
    // with outputSelection `storageLayout`: `_prices@1`); the first test checks it by probing.
    // The State's one member, the `feeds` mapping, is at that slot, so asset's Feed starts at
    // keccak256(asset . 1): slot 0 PriceWord, 1 FeedWord, 2 Bounds, 3 pythPriceId.
    const PRICES_SLOT = 1n;
    const feedSlot = (asset: string, base: bigint, field: bigint) =>
      BigInt(keccak256(AbiCoder.defaultAbiCoder().encode(["address", "uint256"], [asset, base]))) + field;
    const readAt = async (asset: string, base: bigint, field: bigint) =>
      BigInt(await fx().ethers.provider.getStorage(await fx().core.getAddress(), feedSlot(asset, base, field)));
    const read = (asset: string, field: bigint) => readAt(asset, PRICES_SLOT, field);
    const bounds = (min: bigint, max: bigint, maxAge: bigint) => min | (max << 96n) | (maxAge << 192n);

    it("the feeds mapping is the core's slot 1 (probed: no other base slot up to 40 holds the feed)", async () => {
      const f = fx();
      await setFeed(f, ASSET.weth, adminCfg());
      const found: bigint[] = [];
      for (let base = 0n; base <= 40n; base++) if ((await readAt(ASSET.weth, base, 0n)) !== 0n) found.push(base);
      expect(found).to.deep.equal([PRICES_SLOT]);
    });

    it("an Admin feed: PriceWord after setFeed, a push and a keeper update; no FeedWord; its Bounds", async () => {
      const f = fx();
      const A = ASSET.weth;
      await setFeed(f, A, adminCfg({ maxAgeSeconds: 600n, maxStableMoveBpsPerHour: 250n }));
      let d = await w.priceWordOf(await read(A, 0n));
      expect(d.k).to.equal(Kind.Admin);
      expect(d.fields).to.deep.equal([250n, 600n, 0n, 0n, 0n]); // never pushed: expiresAt = 0 + maxAge, no anchor
      expect(await read(A, 1n)).to.equal(0n); // an Admin feed has no FeedWord
      expect(await read(A, 2n)).to.equal(bounds(WAD, 100_000n * WAD, 600n));
      const t = (await now(f)) + 10n;
      await nextTxAt(f, t);
      await (await f.core.pushPrice(A, 3000n * WAD)).wait();
      d = await w.priceWordOf(await read(A, 0n));
      expect(d.fields).to.deep.equal([250n, t + 600n, t, 3000n * WAD, 3000n * WAD]); // first push anchors
      await nextTxAt(f, t + 100n);
      await (await f.core.updateStablePrice(A)).wait();
      const [, at] = await f.core.stableAnchorOf(A);
      expect(at).to.equal(t + 100n);
      d = await w.priceWordOf(await read(A, 0n));
      expect(d.fields[2]).to.equal(t + 100n);
    });

    it("a Chainlink feed: its anchor and (after a read) stored price in the PriceWord, its FeedWord, its Bounds", async () => {
      const f = fx();
      const A = ASSET.wbtc;
      const feed = await f.agg8.getAddress();
      const t = (await now(f)) + 2n;
      await nextTxAt(f, t);
      await setFeed(f, A, chainlinkCfg(feed));
      let d = await w.priceWordOf(await read(A, 0n));
      expect(d.k).to.equal(Kind.Chainlink);
      expect(d.fields).to.deep.equal([500n, 0n, t, 0n, 3000n * WAD]); // anchored, nothing stored
      expect([d.fields[4], d.fields[2]]).to.deep.equal([...(await f.core.stableAnchorOf(A))]);
      expect(await read(A, 1n)).to.equal((await w.feedWord(Kind.Chainlink, 3600n, 0n, 500n, 8n, feed)).word);
      expect(await read(A, 2n)).to.equal(bounds(WAD, 100_000n * WAD, 3600n));
      expect(await read(A, 3n)).to.equal(0n);
      // updateStablePrice reads the feed and stores it: price usable until the feed's time + 3 s
      await nextTxAt(f, t + 1n);
      await (await f.agg8.setAnswer(3_010n * 10n ** 8n)).wait();
      await (await f.core.updateStablePrice(A)).wait();
      const at = BigInt(await f.networkHelpers.time.latest());
      d = await w.priceWordOf(await read(A, 0n));
      const stable = (await f.core.stableAnchorOf(A))[0];
      expect(d.fields).to.deep.equal([500n, t + 1n + STORED_MAX_AGE, at, 3_010n * WAD, stable]);
    });

    it("a Pyth feed: its price id in slot 3 and its FeedWord (no decimals)", async () => {
      const f = fx();
      const A = ASSET.usdc;
      const pyth = await f.pyth.getAddress();
      await setPyth(f, { price: 1_00000000n, conf: 0n, expo: -8n, publishTime: await now(f) });
      await setFeed(f, A, pythCfg(pyth, { maxAgeSeconds: 60n, maxConfBps: 250n }));
      expect(await read(A, 1n)).to.equal((await w.feedWord(Kind.Pyth, 60n, 250n, 500n, 0n, pyth)).word);
      expect(await read(A, 3n)).to.equal(BigInt(ETH_ID));
      expect((await w.priceWordOf(await read(A, 0n))).fields[4]).to.equal(WAD); // anchored at setFeed
    });
  });

  describe("StaticCallLib.tryStaticCall", () => {
    const ask = async (minWords: bigint) => {
      const r = await w.tryStaticCall(await shaped.getAddress(), "0x12345678", minWords);
      expect(r.ok).to.equal(r.okPlain);
      expect(r.out).to.deep.equal(r.outPlain);
      return r;
    };

    it("agrees with the plain staticcall for short, exact, long and partial answers", async () => {
      for (const size of [0n, 31n, 32n, 64n, 100n, 160n, 161n, 1000n]) {
        await (await shaped.set(size, false)).wait();
        for (const min of [0n, 1n, 4n, 5n]) {
          const r = await ask(min);
          expect(r.ok).to.equal(size >= 32n * min);
        }
      }
    });

    it("is not ok when the target reverts or has no code", async () => {
      await (await shaped.set(160n, true)).wait();
      expect((await ask(0n)).ok).to.equal(false);
      const r = await w.tryStaticCall(ASSET.none, "0x12345678", 1n);
      expect(r.ok).to.equal(false);
      expect(r.out).to.deep.equal([0n, 0n, 0n, 0n, 0n]);
      // a codeless target succeeds with an empty answer: ok only if no word was required
      expect((await w.tryStaticCall(ASSET.none, "0x", 0n)).ok).to.equal(true);
    });

    it("reads a Chainlink aggregator's five words", async () => {
      const f = fx();
      const r = await w.tryStaticCall(await f.agg8.getAddress(), f.agg8.interface.encodeFunctionData("latestRoundData"), 5n);
      const [roundId, answer, startedAt, updatedAt, answeredInRound] = await f.agg8.latestRoundData();
      expect(r.ok).to.equal(true);
      expect(r.out).to.deep.equal([roundId, answer, startedAt, updatedAt, answeredInRound]);
    });
  });
});
