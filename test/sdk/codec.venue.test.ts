// The SDK's decoders for the perp, price and Clearinghouse words (sdk/src/math/codec.venue.ts,
// re-exported by sdk/src/math/codec.ts) against the contracts' type libraries (VenueCodecMock):
// (1) words the libraries build from edge field values decode in TypeScript to those values, and
// (2) raw words with every field at its edges (all ones, all zeros, alternating bits, each field's
// top bit alone) decode the same on chain and in TypeScript, bits a getter ignores included.
import { expect } from "chai";
import { network } from "hardhat";
import { getAddress, zeroAddress } from "viem";
import {
  FeedKind,
  decodeAccountState,
  decodeAssetWord,
  decodeFeedWord,
  decodeFundingWord,
  decodeLossWord,
  decodePerpPocket,
  decodePerpStats,
  decodePosition,
  decodePremiumWord,
  decodePriceWord,
  maskIndexes,
} from "../../sdk/src/index.ts";

const ONES = (1n << 256n) - 1n;
const mask = (bits: bigint) => (1n << bits) - 1n;
const TOKEN = getAddress("0xffffffffffffffffffffffffffffffffffffffff");
const TOKEN2 = getAddress("0x8000000000000000000000000000000000000001");
const minInt = (bits: bigint) => -(1n << (bits - 1n));
const maxInt = (bits: bigint) => (1n << (bits - 1n)) - 1n;

/** Raw edge words: zeros, ones, alternating bits, and each given bit alone and with all below it. */
function edgeWords(topBits: bigint[]): bigint[] {
  const words = [0n, ONES, ONES / 3n, (ONES / 3n) << 1n];
  for (const b of topBits) words.push(1n << b, mask(b + 1n), ONES ^ (1n << b));
  return words;
}

/** Chain outputs as bigints (viem returns numbers for uint8..uint48). */
const norm = (xs: readonly unknown[]) => xs.map((x) => (typeof x === "number" ? BigInt(x) : x));

describe("sdk codec: perp, price and Clearinghouse words vs the type libraries", () => {
  let mock: Awaited<ReturnType<typeof deploy>>;
  async function deploy() {
    const { viem } = await network.create();
    return viem.deployContract("VenueCodecMock");
  }
  before(async () => {
    mock = await deploy();
  });

  it("AccountState: a state the library builds decodes to its masks, flags and clock", async () => {
    const cases = [
      { ids: [1n, 64n, 5n], amounts: [1n, -1n, -(1n << 200n)], markets: [1n, 64n], bo: true, bw: false, perp: true, since: mask(48n) },
      { ids: [], amounts: [], markets: [], bo: false, bw: true, perp: false, since: 0n },
      { ids: [2n, 2n], amounts: [-5n, 0n], markets: [33n], bo: true, bw: true, perp: false, since: 1n },
    ];
    for (const c of cases) {
      const w = (await mock.read.buildAccountState([c.ids, c.amounts, c.markets, c.bo, c.bw, c.perp, c.since])) as bigint;
      const d = decodeAccountState(w);
      const live = c.ids.filter((_, i) => c.amounts[i] !== 0n && !c.ids.slice(i + 1).includes(c.ids[i]));
      const owes = c.ids.filter((_, i) => c.amounts[i] < 0n && !c.ids.slice(i + 1).includes(c.ids[i]));
      expect(maskIndexes(d.heldMask)).to.deep.equal([...live].sort((a, b) => Number(a - b)));
      expect(maskIndexes(d.owedMask)).to.deep.equal([...owes].sort((a, b) => Number(a - b)));
      expect(maskIndexes(d.marketMask)).to.deep.equal([...c.markets].sort((a, b) => Number(a - b)));
      expect([d.borrowsForOrders, d.borrowsForWithdrawals, d.hasPerp, d.liquidatableSince]).to.deep.equal([c.bo, c.bw, c.perp, c.since]);
    }
  });

  it("AccountState: raw edge words decode the same on chain", async () => {
    for (const w of edgeWords([63n, 127n, 191n, 192n, 193n, 194n, 207n, 255n])) {
      const d = decodeAccountState(w);
      expect(await mock.read.decodeAccountState([w])).to.deep.equal([
        d.heldMask, d.owedMask, d.marketMask, d.borrowsForOrders, d.borrowsForWithdrawals, d.hasPerp, d.liquidatableSince,
      ]);
    }
    expect(maskIndexes(0n)).to.deep.equal([]);
    expect(maskIndexes(ONES)).to.have.length(64);
  });

  it("AssetWord: built and raw words decode the same as the library reads them", async () => {
    for (const [token, decimals, shock, slip, cut, lent] of [
      [TOKEN, 255, 65_535, 65_535, 65_535, true],
      [zeroAddress, 0, 0, 0, 0, false],
      [TOKEN2, 18, 1, 10_000, 32_768, true],
    ] as const) {
      const w = (await mock.read.assetWordFrom([token, decimals, shock, slip, cut, lent])) as bigint;
      expect(decodeAssetWord(w)).to.deep.equal({
        token, decimals: BigInt(decimals), shockBps: BigInt(shock), slippageBps: BigInt(slip), lentHaircutBps: BigInt(cut), lent,
      });
    }
    for (const w of edgeWords([159n, 167n, 183n, 199n, 215n, 254n, 255n])) {
      const d = decodeAssetWord(w);
      expect(norm((await mock.read.decodeAssetWord([w])) as readonly unknown[])).to.deep.equal([d.token, d.decimals, d.shockBps, d.slippageBps, d.lentHaircutBps, d.lent]);
    }
  });

  it("PriceWord: an asset's hot price slot, every feed kind", async () => {
    const max87 = mask(87n);
    for (const [kind, move, expires, at, last, stable] of [
      [FeedKind.Pyth, 65_535n, mask(32n), mask(32n), max87, max87],
      [FeedKind.None, 0n, 0n, 0n, 0n, 0n],
      [FeedKind.Admin, 1n, 1n, 1n, 1n, 1n],
      [FeedKind.Chainlink, 500n, 1_700_000_003n, 1_700_000_000n, 3_000n * 10n ** 18n, max87],
    ] as const) {
      const w = (await mock.read.encodePriceWord([Number(kind), move, expires, at, last, stable])) as bigint;
      expect(w & 3n).to.equal(kind);
      expect(decodePriceWord(w)).to.deep.equal({
        kind, maxStableMoveBpsPerHour: move, expiresAt: expires, stableAt: at, lastPriceWad: last, stableWad: stable,
      });
    }
    for (const w of edgeWords([1n, 17n, 49n, 81n, 168n, 255n])) {
      const d = decodePriceWord(w);
      expect(norm((await mock.read.decodePriceWord([w])) as readonly unknown[])).to.deep.equal([
        d.kind, d.maxStableMoveBpsPerHour, d.expiresAt, d.stableAt, d.lastPriceWad, d.stableWad,
      ]);
    }
  });

  it("FeedWord: a feed's configuration slot", async () => {
    for (const [kind, age, conf, move, dec, feed] of [
      [FeedKind.Chainlink, Number(mask(32n)), 65_535, 65_535, 255, TOKEN],
      [FeedKind.Pyth, 1, 0, 1, 0, TOKEN2],
      [FeedKind.Chainlink, 3_600, 0, 500, 8, TOKEN2],
      [FeedKind.None, 0, 0, 0, 0, zeroAddress],
    ] as const) {
      const w = (await mock.read.feedWordFrom([Number(kind), age, conf, move, dec, feed])) as bigint;
      expect(decodeFeedWord(w)).to.deep.equal({
        kind, maxAgeSeconds: BigInt(age), maxConfBps: BigInt(conf), maxStableMoveBpsPerHour: BigInt(move), feedDecimals: BigInt(dec), feed,
      });
    }
    // raw words: the kind byte must name a kind (the library's enum conversion checks it)
    for (const raw of edgeWords([7n, 39n, 55n, 71n, 79n, 239n, 255n])) {
      for (const kind of Object.values(FeedKind)) {
        const w = (raw & ~0xffn) | kind;
        const d = decodeFeedWord(w);
        expect(norm((await mock.read.decodeFeedWord([w])) as readonly unknown[])).to.deep.equal([
          d.kind, d.maxAgeSeconds, d.maxConfBps, d.maxStableMoveBpsPerHour, d.feedDecimals, d.feed,
        ]);
      }
    }
  });

  it("Position and PerpPocket: signed fields at their extremes", async () => {
    for (const [size, entry, snap] of [
      [minInt(64n), minInt(96n), minInt(96n)],
      [maxInt(64n), maxInt(96n), maxInt(96n)],
      [-1n, -1n, -1n],
      [0n, 0n, 0n],
    ]) {
      const w = (await mock.read.packPosition([size, entry, snap])) as bigint;
      expect(decodePosition(w)).to.deep.equal({ sizeLots: size, entryQuoteAtoms: entry, chargeIndexSnapshot: snap });
    }
    for (const w of edgeWords([63n, 159n, 255n])) {
      const d = decodePosition(w);
      expect(await mock.read.decodePosition([w])).to.deep.equal([d.sizeLots, d.entryQuoteAtoms, d.chargeIndexSnapshot]);
    }

    for (const [bids, asks, orders, cash] of [
      [mask(48n), mask(48n), 65_535n, minInt(128n)],
      [0n, 1n, 0n, maxInt(128n)],
      [1n, 0n, 1n, -1n],
    ]) {
      const w = (await mock.read.packPerpPocket([bids, asks, orders, cash])) as bigint;
      expect(decodePerpPocket(w)).to.deep.equal({ bidLots: bids, askLots: asks, openOrders: orders, cashQuoteAtoms: cash });
    }
    for (const w of edgeWords([47n, 95n, 111n, 127n, 255n])) {
      const d = decodePerpPocket(w);
      expect(await mock.read.decodePerpPocket([w])).to.deep.equal([d.bidLots, d.askLots, d.openOrders, d.cashQuoteAtoms]);
    }
  });

  it("FundingWord and PremiumWord: the market's funding and premium sampler", async () => {
    for (const [index, perSec, premium, time, loss] of [
      [minInt(96n), minInt(88n), minInt(32n), mask(32n), true],
      [maxInt(96n), maxInt(88n), maxInt(32n), 1n, false],
      [-1n, -1n, -1n, 0n, true],
    ] as const) {
      const w = (await mock.read.fundingWordOf([index, perSec, premium, time, loss])) as bigint;
      expect(decodeFundingWord(w)).to.deep.equal({ index, perSecond: perSec, hasLoss: loss, premium, lastUpdate: time });
    }
    for (const w of edgeWords([95n, 183n, 184n, 191n, 223n, 255n])) {
      const d = decodeFundingWord(w);
      expect(await mock.read.decodeFundingWord([w])).to.deep.equal([d.index, d.perSecond, d.hasLoss, d.premium, d.lastUpdate]);
    }

    for (const [halfLife, impact, indexLot, target, tick, side] of [
      [65_535n, mask(31n), mask(152n), minInt(32n), mask(24n), 1n],
      [0n, 0n, 0n, maxInt(32n), 0n, 0n],
      [3_600n, 100_000_000n, 1n, -1n, 1n, 1n],
    ]) {
      const w = (await mock.read.premiumWordOf([halfLife, impact, indexLot, target, tick, side])) as bigint;
      expect(decodePremiumWord(w)).to.deep.equal({
        indexLot, target, halfLifeSeconds: halfLife, countedTick: tick, countedSide: side, impactNotionalUsd: impact,
      });
    }
    for (const w of edgeWords([151n, 183n, 199n, 223n, 224n, 255n])) {
      const d = decodePremiumWord(w);
      expect(await mock.read.decodePremiumWord([w])).to.deep.equal([
        d.indexLot, d.target, d.halfLifeSeconds, d.countedTick, d.countedSide, d.impactNotionalUsd,
      ]);
    }
  });

  it("PerpStats and LossWord: open interest, funding totals and the loss index", async () => {
    const max80 = mask(80n);
    for (const [lots, paid, received, want] of [
      [mask(64n), max80, max80, [mask(64n), max80, max80]],
      [0n, max80 + 1n, 1n, [0n, max80, 1n]], // the totals saturate
      [1n, 0n, 0n, [1n, 0n, 0n]],
    ] as const) {
      const w = (await mock.read.perpStatsOf([lots, paid, received])) as bigint;
      const d = decodePerpStats(w);
      expect([d.longLots, d.fundingPaidQuoteAtoms, d.fundingReceivedQuoteAtoms]).to.deep.equal(want);
    }
    for (const w of edgeWords([63n, 143n, 223n, 255n])) {
      const d = decodePerpStats(w);
      expect(await mock.read.decodePerpStats([w])).to.deep.equal([d.longLots, d.fundingPaidQuoteAtoms, d.fundingReceivedQuoteAtoms]);
    }

    for (const [long, short] of [[mask(128n), mask(128n)], [0n, 1n], [1n, 0n]]) {
      const w = (await mock.read.lossWordOf([long, short])) as bigint;
      expect(decodeLossWord(w)).to.deep.equal({ perLongLot: long, perShortLot: short });
    }
    for (const w of edgeWords([127n, 255n])) {
      const d = decodeLossWord(w);
      expect(await mock.read.decodeLossWord([w])).to.deep.equal([d.perLongLot, d.perShortLot]);
    }
  });
});
