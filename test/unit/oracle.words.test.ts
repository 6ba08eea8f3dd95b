// The oracle's packed words are types with named fields (contracts/types/FeedWord.sol,
// StableWord.sol, PriceWord.sol) and the Clearinghouse's asset and account words too (AssetWord.sol,
// AccountState.sol): each
// constructor round-trips through its getters at the edges of every field; an Admin head is told
// apart from a feed head by its two low bits; a field that does not fit reverts
// SafeCastOverflowedUintDowncast; and the words the router really stores decode, through the
// types, to what setFeed / pushPrice / updateStablePrice were given. StaticCallLib answers as its
// plain-Solidity equivalent does, for reverting, codeless, short and long answers.
import { expect } from "chai";
import { AbiCoder, keccak256, type Signer } from "ethers";
import {
  ShapedAnswer__factory,
  WordsMock__factory,
  type ShapedAnswer,
  type WordsMock,
} from "../../types/ethers-contracts/index.js";
import { ASSET, Kind, WAD, adminCfg, chainlinkCfg, nextTxAt, now, setFeed, useOracleFixture } from "./oracle._fixture.ts";

const M = (bits: bigint) => 2n ** bits - 1n;
const ADDR_MAX = "0x" + "ff".repeat(20);

describe("Packed words: FeedWord, AdminPriceWord, StableWord, PriceWord, AssetWord, AccountState", () => {
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
      expect(r.isAdmin).to.equal(false);
      expect([r.k, r.a, r.c, r.m, r.d, r.f.toLowerCase()]).to.deep.equal([kind, M(32n), M(16n), M(16n), 255n, ADDR_MAX]);
      // kind 8 | maxAge 32 | maxConf 16 | maxMove 16 | decimals 8 | feed 160, from bit 0 up
      expect(r.word).to.equal(kind | (M(32n) << 8n) | (M(16n) << 40n) | (M(16n) << 56n) | (255n << 72n) | (M(160n) << 80n));
    }
    const r = await w.feedWord(Kind.Chainlink, 3600n, 0n, 500n, 8n, ASSET.weth);
    expect([r.k, r.a, r.c, r.m, r.d, r.f]).to.deep.equal([Kind.Chainlink, 3600n, 0n, 500n, 8n, ASSET.weth]);
  });

  it("AdminPriceWord round-trips every field at its maximum and is an Admin head", async () => {
    const r = await w.adminWord(M(16n), M(32n), M(32n), M(87n), M(87n));
    expect(r.isAdmin).to.equal(true);
    expect(r.fields).to.deep.equal([M(16n), M(32n), M(32n), M(87n), M(87n)]);
    expect(r.word).to.equal(1n | (M(16n) << 2n) | (M(32n) << 18n) | (M(32n) << 50n) | (M(87n) << 82n) | (M(87n) << 169n));
    const z = await w.adminWord(0n, 0n, 0n, 0n, 0n);
    expect(z.word).to.equal(1n); // the tag alone
    expect(z.isAdmin).to.equal(true);
  });

  it("AdminPriceWord refuses a field that does not fit (SafeCastOverflowedUintDowncast)", async () => {
    await expect(w.adminWord(2n ** 16n, 0n, 0n, 0n, 0n)).to.be.revertedWithCustomError(w, "SafeCastOverflowedUintDowncast").withArgs(16, 2n ** 16n);
    await expect(w.adminWord(0n, 2n ** 32n, 0n, 0n, 0n)).to.be.revertedWithCustomError(w, "SafeCastOverflowedUintDowncast").withArgs(32, 2n ** 32n);
    await expect(w.adminWord(0n, 0n, 2n ** 32n, 0n, 0n)).to.be.revertedWithCustomError(w, "SafeCastOverflowedUintDowncast").withArgs(32, 2n ** 32n);
    await expect(w.adminWord(0n, 0n, 0n, 2n ** 87n, 0n)).to.be.revertedWithCustomError(w, "SafeCastOverflowedUintDowncast").withArgs(87, 2n ** 87n);
    await expect(w.adminWord(0n, 0n, 0n, 0n, 2n ** 87n)).to.be.revertedWithCustomError(w, "SafeCastOverflowedUintDowncast").withArgs(87, 2n ** 87n);
  });

  it("AdminPriceWord.withStable / withPrice change only their fields", async () => {
    const base = (await w.adminWord(500n, 1000n, 900n, 3000n * WAD, 2990n * WAD)).word;
    const [ws, wp] = await w.adminWith(base, 2995n * WAD, 950n, 3100n * WAD, 2000n);
    expect(ws).to.equal((await w.adminWord(500n, 1000n, 950n, 3000n * WAD, 2995n * WAD)).word);
    expect(wp).to.equal((await w.adminWord(500n, 2000n, 900n, 3100n * WAD, 2990n * WAD)).word);
  });

  it("StableWord round-trips, is the old (uint96 stableWad, uint32 stableAt) slot, and checks widths", async () => {
    const r = await w.stableWord(M(96n), M(32n));
    expect([r[1], r[2], r[3]]).to.deep.equal([M(96n), M(32n), true]); // (wad, at, anchored): `at` is a Result method
    expect(r.word).to.equal(M(96n) | (M(32n) << 96n));
    expect((await w.stableWord(5n, 0n)).anchored).to.equal(false);
    await expect(w.stableWord(2n ** 96n, 1n)).to.be.revertedWithCustomError(w, "SafeCastOverflowedUintDowncast").withArgs(96, 2n ** 96n);
    await expect(w.stableWord(1n, 2n ** 32n)).to.be.revertedWithCustomError(w, "SafeCastOverflowedUintDowncast").withArgs(32, 2n ** 32n);
  });

  it("PriceWord is tryPrices' word: price | stable << 128 | ok << 255", async () => {
    const r = await w.priceWord(M(96n), M(96n) - 1n);
    expect(r.word).to.equal(M(96n) | ((M(96n) - 1n) << 128n) | (1n << 255n));
    expect([r.ok, r.p, r.s]).to.deep.equal([true, M(96n), M(96n) - 1n]);
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

  describe("the router's stored words decode through the types", () => {
    // AccessManaged keeps its authority (and a flag) in slot 0; `_entries` is the next slot
    const entrySlot = (asset: string, field: bigint) =>
      BigInt(keccak256(AbiCoder.defaultAbiCoder().encode(["address", "uint256"], [asset, 1n]))) + field;
    const read = async (asset: string, field: bigint) =>
      BigInt(await fx().ethers.provider.getStorage(await fx().router.getAddress(), entrySlot(asset, field)));

    it("an Admin head after setFeed, a push and a keeper update", async () => {
      const f = fx();
      const A = ASSET.weth;
      await setFeed(f, A, adminCfg({ maxAgeSeconds: 600n, maxStableMoveBpsPerHour: 250n }));
      let d = await w.decodeHead(await read(A, 0n));
      expect(d.isAdmin).to.equal(true);
      expect(d.admin).to.deep.equal([250n, 600n, 0n, 0n, 0n]); // never pushed: expiresAt = 0 + maxAge, no anchor
      const t = (await now(f)) + 10n;
      await nextTxAt(f, t);
      await (await f.router.pushPrice(A, 3000n * WAD)).wait();
      d = await w.decodeHead(await read(A, 0n));
      expect(d.admin).to.deep.equal([250n, t + 600n, t, 3000n * WAD, 3000n * WAD]); // first push anchors
      await nextTxAt(f, t + 100n);
      await (await f.router.updateStablePrice(A)).wait();
      const [, at] = await f.router.stableAnchorOf(A);
      expect(at).to.equal(t + 100n);
      d = await w.decodeHead(await read(A, 0n));
      expect(d.admin[2]).to.equal(t + 100n);
    });

    it("a Chainlink head and its StableWord anchor", async () => {
      const f = fx();
      const A = ASSET.wbtc;
      const feed = await f.agg8.getAddress();
      await setFeed(f, A, chainlinkCfg(feed));
      const d = await w.decodeHead(await read(A, 0n));
      expect([d.isAdmin, d.kind, d.feed]).to.deep.equal([false, Kind.Chainlink, feed]);
      const [wad, at] = await w.decodeStable(await read(A, 2n));
      expect([wad, at]).to.deep.equal(await f.router.stableAnchorOf(A));
      expect(wad).to.equal(3000n * WAD);
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
