import { expect } from "chai";
import { ZeroAddress as ZERO, ZeroHash } from "ethers";
import { attachPrices, USDC_TICK, WETH_LOT } from "../helpers/fixture.ts";
import { acct, MAX_TICK, mined, place, Side, useFixture } from "./_helpers.ts";
import { allOpenOrders } from "../helpers/openOrders.ts";

describe("SpotMarket views", () => {
  const fx = useFixture();

  async function book() {
    const { market, alice, bob } = fx();
    const ids: bigint[] = [];
    for (const [s, side, tick, lots] of [
      [alice, Side.Bid, 100n, 1n],
      [bob, Side.Bid, 100n, 2n],
      [alice, Side.Bid, 98n, 3n],
      [bob, Side.Bid, 95n, 4n],
      [alice, Side.Ask, 110n, 5n],
      [bob, Side.Ask, 120n, 6n],
    ] as const) {
      ids.push((await place(market, s, { side, tick, lots })).orderId);
    }
    return ids;
  }

  it("getBook returns up to `depth` levels per side from the top, with total lots", async () => {
    const { market } = fx();
    expect(await market.getBook(5)).to.deep.equal([[], [], [], []]);
    await book();
    expect(await market.getBook(2)).to.deep.equal([
      [100n, 98n],
      [3n, 3n],
      [110n, 120n],
      [5n, 6n],
    ]);
    expect(await market.getBook(10)).to.deep.equal([
      [100n, 98n, 95n],
      [3n, 3n, 4n],
      [110n, 120n],
      [5n, 6n],
    ]);
    expect(await market.getBook(0)).to.deep.equal([[], [], [], []]);
    expect(await market.bestBidAsk()).to.deep.equal([100n, 110n]);
  });

  it("getOrder, openOrders and levelOf describe live orders only", async () => {
    const { market, alice, bob, connection } = fx();
    const ids = await book();
    const expiry = BigInt(await connection.networkHelpers.time.latest()) + 500n;
    const withExpiry = (await place(market, alice, { side: Side.Ask, tick: 130n, lots: 1n, expiry })).orderId;
    expect(await market.getOrder(ids[1])).to.deep.equal([acct(bob), 2n, 0n]);
    expect(await market.getOrder(withExpiry)).to.deep.equal([acct(alice), 1n, expiry]);
    expect([...(await allOpenOrders(market, alice.address, 0))].sort()).to.deep.equal([ids[0], ids[2], ids[4], withExpiry].sort());
    expect(await allOpenOrders(market, alice.address, 1)).to.deep.equal([]);
    expect(await market.levelOf(Side.Bid, 100n)).to.deep.equal([3n, 0n, 2n, 0n]);
    expect(await market.levelOf(Side.Ask, 777n)).to.deep.equal([0n, 0n, 0n, 0n]);
    await mined(market.connect(alice).cancelOrder(ids[0]));
    expect(await market.getOrder(ids[0])).to.deep.equal([ZeroHash, 0n, 0n]);
    expect(await allOpenOrders(market, alice.address, 0)).to.not.include(ids[0]);
  });

  it("pocketOf and riskEntries report the pocket in atoms; the immutables and marketState report the market", async () => {
    const { market, alice, weth, usdc, wbtc } = fx();
    await book();
    const [lockedBase, lockedQuote, unsweptBase, unsweptQuote, open] = await market.pocketOf(alice.address, 0);
    const bidLock = (t: bigint) => t + (t * 2n + 9_999n) / 10_000n;
    expect([lockedBase, lockedQuote, unsweptBase, unsweptQuote, open]).to.deep.equal([
      5n * WETH_LOT,
      (1n * bidLock(100n) + 3n * bidLock(98n)) * USDC_TICK,
      0n,
      0n,
      3n,
    ]);
    const config = [market.INDEX(), market.BASE(), market.QUOTE(), market.LOT_SIZE(), market.TICK_SIZE(), market.MIN_LOTS(),
      market.MAX_MAKER_FEE_BPS()];
    expect(await Promise.all(config)).to.deep.equal([1n, await weth.getAddress(), await usdc.getAddress(), WETH_LOT, USDC_TICK, 1n, 2n]);
    // what ATLAS reads of the pocket (the core's riskEntries, priced by an oracle): the locked funds
    // as one book, and each token's entry carrying the pocket's funds in atoms, as pocketOf gives them
    const [W, U] = [await weth.getAddress(), await usdc.getAddress()];
    const B = await wbtc.getAddress();
    await attachPrices(fx().protocol, [[W, "WETH", 3_000n * 10n ** 18n], [U, "USDC", 10n ** 18n], [B, "WBTC", 60_000n * 10n ** 18n]]);
    const [entries, books] = await fx().ch.riskEntries(acct(alice), ZERO);
    expect(books.map((b) => [b.lockedBaseAtoms, b.lockedQuoteAtoms])).to.deep.equal([[lockedBase, lockedQuote]]);
    const pocketAtoms = (t: string) => entries.find((e) => e.token === t)!.pocketAtoms;
    expect([pocketAtoms(W), pocketAtoms(U), pocketAtoms(B)]).to.deep.equal([lockedBase + unsweptBase, lockedQuote + unsweptQuote, 0n]);
    expect(await market.marketState()).to.deep.equal([1n, 5n, false, 0n]);
    expect([await market.MAX_OPEN_ORDERS(), await market.MAX_FILLS()]).to.deep.equal([64n, 128n]);
  });

  it("getBook is bounded (depth past 256 is capped, no out-of-gas at depth 50,000) and bookPage pages a side from a tick", async () => {
    const { market } = fx();
    await book();
    expect(await market.getBook(50_000)).to.deep.equal(await market.getBook(256));
    expect(await market.getBook(50_000)).to.deep.equal([[100n, 98n, 95n], [3n, 3n, 4n], [110n, 120n], [5n, 6n]]);
    // bids two levels a page: from the best, then from where the page stopped
    expect(await market.bookPage(false, 0n, 2n)).to.deep.equal([[100n, 98n], [3n, 3n], 95n]);
    expect(await market.bookPage(false, 95n, 2n)).to.deep.equal([[95n], [4n], 0n]);
    // a tick with no level starts at the next one away from the best
    expect(await market.bookPage(false, 99n, 0n)).to.deep.equal([[98n, 95n], [3n, 4n], 0n]);
    expect(await market.bookPage(true, 111n, 1n)).to.deep.equal([[120n], [6n], 0n]);
    expect(await market.bookPage(true, 121n, 1n)).to.deep.equal([[], [], 0n]);
    await expect(market.bookPage(true, MAX_TICK + 1n, 1n)).to.be.revertedWithCustomError(market, "TickOutOfRange").withArgs(MAX_TICK + 1n);
  });

  it("marketInfo reports everything a bot needs in one read: sizes, fee bounds, current fees and the pause state", async () => {
    const { ch, market, weth, usdc, admin } = fx();
    const info = await market.marketInfo();
    expect([info.lotSize, info.tickSize, info.minLots, info.maxMakerFeeBps, info.maxTakerFeeBps]).to.deep.equal([WETH_LOT, USDC_TICK, 1n, 2n, 100n]);
    expect([info.base, info.quote]).to.deep.equal([await weth.getAddress(), await usdc.getAddress()]);
    expect([info.makerFeeBps, info.takerFeeBps, info.paused]).to.deep.equal([1n, 5n, false]);
    await mined(ch.connect(admin).setMarketFees(market.marketId, -2, 7));
    await mined(ch.connect(admin).setMarketPaused(market.marketId, true));
    const after = await market.marketInfo();
    expect([after.makerFeeBps, after.takerFeeBps, after.paused]).to.deep.equal([-2n, 7n, true]);
  });
});
