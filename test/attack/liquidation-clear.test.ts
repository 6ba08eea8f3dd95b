// Issue #14, "work bounded by what is live": a liquidation clears an account's resting orders on all
// its markets in one call (`cancelAllForLiquidation`), with one valuation. Anyone may call it, but
// only for a liquidatable account, and it can only cancel that account's own orders: another
// account's order id, or an id of a market no one created, reverts the whole call.
import { expect } from "chai";
import {
  E6, E18, WAD, useVenue, deposit, borrow, allowBorrow, perpOrder, spotOrder, setPrice, isLiquidatable, balanceOf,
  openOrdersOf, spotPocketOf, pocketOn, perpPositionOf, cancelForLiquidation, cancelAllForLiquidation, liquidateSpot,
  acctOf, type Venue,
} from "./venue.ts";

type Book = Venue["market"];

/** The id of the one order `place` rested for `who` on `m`. */
async function placed(v: Venue, who: { address: string }, place: () => Promise<unknown>, m: Book): Promise<bigint> {
  const before = new Set(await openOrdersOf(v, who, m));
  await place();
  const after = (await openOrdersOf(v, who, m)).filter((id) => !before.has(id));
  expect(after.length).to.equal(1);
  return after[0];
}

/**
 * dave: 1 WETH, two asks resting on the WETH/USDC book and a bid resting on ETH-PERP, 2,400 USDC
 * borrowed; alice (healthy): USDC, a resting WETH/USDC bid and a resting ETH-PERP bid. ETH falls to
 * $2,550: dave is liquidatable, alice is not.
 */
async function daveOnTwoMarkets(v: Venue) {
  await deposit(v, v.alice, "USDC", 100_000n * E6);
  await deposit(v, v.dave, "WETH", E18);
  const aliceSpot = await placed(v, v.alice, () => spotOrder(v, v.alice, { side: 0n, tick: 250_000n, lots: 100n }), v.market);
  const alicePerp = await placed(v, v.alice, () => perpOrder(v, v.alice, { side: 0n, tick: 250_000n, lots: 100n }), v.ethPerp);
  const daveSpot = await placed(v, v.dave, () => spotOrder(v, v.dave, { side: 1n, tick: 500_000n, lots: 100n }), v.market);
  const daveSpot2 = await placed(v, v.dave, () => spotOrder(v, v.dave, { side: 1n, tick: 510_000n, lots: 50n }), v.market);
  const davePerp = await placed(v, v.dave, () => perpOrder(v, v.dave, { side: 0n, tick: 240_000n, lots: 100n }), v.ethPerp);
  await allowBorrow(v, v.dave);
  await borrow(v, v.dave, "USDC", 2_400n * E6);
  await setPrice(v, "WETH", 2_550n * WAD);
  expect(await isLiquidatable(v, v.dave)).to.equal(true);
  expect(await isLiquidatable(v, v.alice)).to.equal(false);
  return { aliceSpot, alicePerp, daveSpot, daveSpot2, davePerp };
}

/** Orders, pockets, positions and balances of `who` on both books: what a refused call must leave as it was. */
async function picture(v: Venue, who: { address: string }[]) {
  const out: unknown[] = [];
  for (const w of who) {
    out.push(await openOrdersOf(v, w, v.market), await openOrdersOf(v, w, v.ethPerp));
    out.push(await pocketOn(v, w, v.market), await pocketOn(v, w, v.ethPerp));
    out.push((await perpPositionOf(v, w, v.ethPerp)).filter((_, i) => i !== 3)); // funding owed accrues with the clock
    for (const sym of ["WETH", "USDC"] as const) out.push(await balanceOf(v, w, sym));
  }
  return out;
}

/** An order id with its market bits (111..96) replaced by `marketId`. */
const onMarket = (orderId: bigint, marketId: bigint) => (orderId & ~(0xffffn << 96n)) | (marketId << 96n);

describe("attack: cancelAllForLiquidation clears a liquidatable account's orders on all its markets", () => {
  const venue = useVenue();

  it("clears dave's spot and perp orders in one call (ids in any order); his locked funds return to his pockets and the liquidation proceeds", async () => {
    const v = venue();
    const { aliceSpot, alicePerp, daveSpot, daveSpot2, davePerp } = await daveOnTwoMarkets(v);
    await deposit(v, v.carol, "USDC", 10_000n * E6);
    const spotBefore = await spotPocketOf(v, v.dave);
    expect(spotBefore.lockedBase).to.be.greaterThan(0n);
    expect(spotBefore.openOrders).to.equal(2n);
    const perpBefore = await pocketOn(v, v.dave, v.ethPerp); // a perp pocket: (ask, bid, |size|, |cash| atoms, open orders)
    expect(perpBefore.lockedQuote).to.be.greaterThan(0n);
    expect(perpBefore.openOrders).to.equal(1n);
    const wethBefore = await balanceOf(v, v.dave, "WETH");
    expect((await perpPositionOf(v, v.dave, v.ethPerp))[4]).to.equal(100n); // open bid lots
    // with orders resting the liquidation waits
    await expect(liquidateSpot(v, v.carol, v.dave, "USDC", 100n * E6, "WETH"))
      .to.be.revertedWithCustomError(v.ch, "OrdersStillOpen");

    // the spot market named, then the perp, then the spot again: every order goes
    const rc = await cancelAllForLiquidation(v, v.carol, v.dave, [daveSpot, davePerp, daveSpot2]);
    const cancelled = rc.logs
      .map((l) => v.ch.interface.parseLog(l))
      .filter((e) => e?.name === "OrderCancelled")
      .map((e) => [e!.args.marketId, e!.args.orderId]);
    expect(cancelled).to.deep.equal([
      [v.market.marketId, daveSpot],
      [v.ethPerp.marketId, davePerp],
      [v.market.marketId, daveSpot2],
    ]);
    expect(await openOrdersOf(v, v.dave, v.market)).to.deep.equal([]);
    expect(await openOrdersOf(v, v.dave, v.ethPerp)).to.deep.equal([]);
    const spot = await spotPocketOf(v, v.dave);
    expect([spot.lockedBase, spot.lockedQuote, spot.openOrders]).to.deep.equal([0n, 0n, 0n]);
    const perp = await pocketOn(v, v.dave, v.ethPerp);
    expect([perp.lockedBase, perp.lockedQuote, perp.openOrders]).to.deep.equal([0n, 0n, 0n]);
    expect((await perpPositionOf(v, v.dave, v.ethPerp))[4]).to.equal(0n);
    // the WETH the asks locked is dave's, unswept in his spot pocket; his balance is as it was; alice's orders stay
    expect(spot.unsweptBase).to.equal(spotBefore.lockedBase);
    expect(await balanceOf(v, v.dave, "WETH")).to.equal(wethBefore);
    expect(await openOrdersOf(v, v.alice, v.market)).to.deep.equal([aliceSpot]);
    expect(await openOrdersOf(v, v.alice, v.ethPerp)).to.deep.equal([alicePerp]);

    // no order rests: the liquidation proceeds, and the caller took nothing of dave's for the cancels
    const debt = await balanceOf(v, v.dave, "USDC");
    await liquidateSpot(v, v.carol, v.dave, "USDC", 100n * E6, "WETH");
    expect(await balanceOf(v, v.dave, "USDC")).to.be.closeTo(debt + 100n * E6, 10n); // interest accrues by the second
  });

  it("a healthy account: AccountNotLiquidatable, and nothing changes", async () => {
    const v = venue();
    const { aliceSpot, alicePerp } = await daveOnTwoMarkets(v);
    const before = await picture(v, [v.alice, v.dave]);
    await expect(cancelAllForLiquidation(v, v.carol, v.alice, [aliceSpot, alicePerp]))
      .to.be.revertedWithCustomError(v.ch, "AccountNotLiquidatable")
      .withArgs(acctOf(v.alice));
    await expect(cancelAllForLiquidation(v, v.carol, v.alice, []))
      .to.be.revertedWithCustomError(v.ch, "AccountNotLiquidatable")
      .withArgs(acctOf(v.alice));
    expect(await picture(v, [v.alice, v.dave])).to.deep.equal(before);
  });

  it("another account's order named under dave's: NotOrderOwner; an id of a market no one created: UnknownMarket; a spot id moved to the perp book: OrderNotFound; each reverts the whole call", async () => {
    const v = venue();
    const { aliceSpot, alicePerp, daveSpot, daveSpot2, davePerp } = await daveOnTwoMarkets(v);
    const before = await picture(v, [v.alice, v.dave]);
    // alice's orders ride along with dave's: the cancels before them are undone too
    await expect(cancelAllForLiquidation(v, v.carol, v.dave, [daveSpot, alicePerp]))
      .to.be.revertedWithCustomError(v.ch, "NotOrderOwner")
      .withArgs(alicePerp, acctOf(v.dave));
    await expect(cancelAllForLiquidation(v, v.carol, v.dave, [davePerp, daveSpot, aliceSpot]))
      .to.be.revertedWithCustomError(v.ch, "NotOrderOwner")
      .withArgs(aliceSpot, acctOf(v.dave));
    // market ids no market has: 63 (ids run 1, 2, …) and 0
    for (const id of [63n, 0n]) {
      await expect(cancelAllForLiquidation(v, v.carol, v.dave, [daveSpot, onMarket(daveSpot2, id)]))
        .to.be.revertedWithCustomError(v.ch, "UnknownMarket")
        .withArgs(id);
    }
    // dave's spot order under the perp book's id is no order there
    const moved = onMarket(daveSpot, v.ethPerp.marketId);
    await expect(cancelAllForLiquidation(v, v.carol, v.dave, [davePerp, moved]))
      .to.be.revertedWithCustomError(v.ch, "OrderNotFound")
      .withArgs(moved);
    expect(await picture(v, [v.alice, v.dave])).to.deep.equal(before);
  });

  it("gas: one call for both markets against one cancelForLiquidation per market", async () => {
    const v = venue();
    const { daveSpot, daveSpot2, davePerp } = await daveOnTwoMarkets(v);
    const snap = await v.networkHelpers.takeSnapshot();
    const single = [
      (await cancelForLiquidation(v, v.carol, v.dave, [daveSpot], v.market)).gasUsed,
      (await cancelForLiquidation(v, v.carol, v.dave, [davePerp], v.ethPerp)).gasUsed,
    ];
    await snap.restore();
    const both = (await cancelAllForLiquidation(v, v.carol, v.dave, [daveSpot, davePerp])).gasUsed;
    console.log(`      liquidation.clearOrders.2markets: ${both} gas in one call; ${single[0]} + ${single[1]} = ${single[0] + single[1]} in two`);
    // one transaction and one valuation fewer
    expect(both).to.be.lessThan(single[0] + single[1]);
    expect(await openOrdersOf(v, v.dave, v.market)).to.deep.equal([daveSpot2]);
    expect(await openOrdersOf(v, v.dave, v.ethPerp)).to.deep.equal([]);
  });
});
