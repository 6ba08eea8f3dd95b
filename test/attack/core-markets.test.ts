// Issue #14, stage 4: every market lives in one core under its market id, and every book entry point
// takes the id first. An attacker chooses the id: it must never let market A's entry point move funds,
// orders or positions that belong to market B, nor run a perp function on a spot book (or a spot one
// on a perp book), nor reach a market no one created. Each attempt reverts and leaves both markets,
// the victims' balances and the attacker's balance as they were; the honest call on the right market
// still works.
import { expect } from "chai";
import {
  E6, E18, WAD, useVenue, deposit, borrow, allowBorrow, perpOrder, spotOrder, orderOn, setPrice, isLiquidatable, walletOf,
  balanceOf, perpLots, perpPositionOf, openOrdersOf, spotPocketOf, cancelForLiquidation, sweepPocket, settlePerp,
  resolveBankruptcy, liquidatePerp, listPerp, marketById, acctOf, type Venue,
} from "./venue.ts";

const ETH = 300_000n; // $3,000 on the WETH books

/** Every order id and the pocket / position on each market, and each account's balances: what an attack must leave as it was. */
async function picture(v: Venue, who: { address: string }[]) {
  const out: unknown[] = [];
  for (const w of who) {
    out.push(await openOrdersOf(v, w, v.market), await openOrdersOf(v, w, v.ethPerp), await openOrdersOf(v, w, v.btcPerp));
    // each perp position without its funding owed, which accrues with the clock
    const position = async (m: Venue["ethPerp"]) => (await perpPositionOf(v, w, m)).filter((_, i) => i !== 3);
    out.push(await spotPocketOf(v, w), await position(v.ethPerp), await position(v.btcPerp));
    for (const sym of ["WETH", "USDC", "WBTC"] as const) out.push(await balanceOf(v, w, sym));
  }
  return out;
}

/**
 * dave: 1 WETH, an ask resting on the WETH/USDC book, 2,400 USDC borrowed; alice (healthy): USDC, a
 * resting WETH/USDC bid and a resting ETH-PERP bid. ETH falls to $2,550: dave is liquidatable.
 */
async function oneUnhealthyOneHealthy(v: Venue) {
  await deposit(v, v.alice, "USDC", 100_000n * E6);
  await deposit(v, v.dave, "WETH", E18);
  const aliceSpot = await placed(v, () => spotOrder(v, v.alice, { side: 0n, tick: 250_000n, lots: 100n }), v.market);
  const alicePerp = await placed(v, () => perpOrder(v, v.alice, { side: 0n, tick: 250_000n, lots: 100n }), v.ethPerp);
  const daveSpot = await placed(v, () => spotOrder(v, v.dave, { side: 1n, tick: 500_000n, lots: 100n }), v.market);
  await allowBorrow(v, v.dave);
  await borrow(v, v.dave, "USDC", 2_400n * E6);
  await setPrice(v, "WETH", 2_550n * WAD);
  expect(await isLiquidatable(v, v.dave)).to.equal(true);
  expect(await isLiquidatable(v, v.alice)).to.equal(false);
  return { aliceSpot, alicePerp, daveSpot };
}

/** The id of the one order `place` rested on `m`. */
async function placed(v: Venue, place: () => Promise<unknown>, m: Venue["market"]): Promise<bigint> {
  const before = new Set(await openOrdersOf(v, v.alice, m).then(async (a) => [...a, ...(await openOrdersOf(v, v.dave, m))]));
  await place();
  const after = [...(await openOrdersOf(v, v.alice, m)), ...(await openOrdersOf(v, v.dave, m))].filter((id) => !before.has(id));
  expect(after.length).to.equal(1);
  return after[0];
}

describe("attack: one market's id against another market in the same core", () => {
  const venue = useVenue();

  it("cancelForLiquidation: a healthy account's orders on any market stay; a liquidatable account's orders are cancelled only under their own market's id", async () => {
    const v = venue();
    const { aliceSpot, alicePerp, daveSpot } = await oneUnhealthyOneHealthy(v);
    const before = await picture(v, [v.alice, v.dave]);
    const carol = v.carol;
    // alice is healthy: not on the perp book, not on the spot book
    await expect(cancelForLiquidation(v, carol, v.alice, [alicePerp], v.ethPerp))
      .to.be.revertedWithCustomError(v.ch, "AccountNotLiquidatable")
      .withArgs(acctOf(v.alice));
    await expect(cancelForLiquidation(v, carol, v.alice, [aliceSpot], v.market))
      .to.be.revertedWithCustomError(v.ch, "AccountNotLiquidatable")
      .withArgs(acctOf(v.alice));
    // dave is liquidatable, but his spot order is not an order of the perp books: named under their ids it is not found
    for (const m of [v.ethPerp, v.btcPerp]) {
      await expect(cancelForLiquidation(v, carol, v.dave, [daveSpot], m))
        .to.be.revertedWithCustomError(v.ch, "OrderNotFound")
        .withArgs(daveSpot);
    }
    // nor can dave's liquidation reach alice's orders, on her book or through the spot book's id
    await expect(cancelForLiquidation(v, carol, v.dave, [aliceSpot], v.market))
      .to.be.revertedWithCustomError(v.ch, "NotOrderOwner")
      .withArgs(aliceSpot, acctOf(v.dave));
    await expect(cancelForLiquidation(v, carol, v.dave, [alicePerp], v.ethPerp))
      .to.be.revertedWithCustomError(v.ch, "NotOrderOwner")
      .withArgs(alicePerp, acctOf(v.dave));
    await expect(cancelForLiquidation(v, carol, v.dave, [alicePerp], v.market))
      .to.be.revertedWithCustomError(v.ch, "OrderNotFound")
      .withArgs(alicePerp);
    expect(await picture(v, [v.alice, v.dave])).to.deep.equal(before);
    // under its own market's id dave's order goes, and only it
    await cancelForLiquidation(v, carol, v.dave, [daveSpot], v.market);
    expect(await openOrdersOf(v, v.dave, v.market)).to.deep.equal([]);
    expect(await openOrdersOf(v, v.alice, v.market)).to.deep.equal([aliceSpot]);
    expect(await openOrdersOf(v, v.alice, v.ethPerp)).to.deep.equal([alicePerp]);
  });

  it("a perp function on a spot id and a spot function on a perp id revert WrongMarketKind; an id no market has, UnknownMarket", async () => {
    const v = venue();
    // alice long 1 ETH-PERP from bob; alice also sold 1 WETH on the spot book to bob (3,000 USDC unswept)
    await deposit(v, v.alice, "USDC", 10_000n * E6);
    await deposit(v, v.alice, "WETH", E18);
    await deposit(v, v.bob, "USDC", 100_000n * E6);
    await perpOrder(v, v.bob, { side: 1n, tick: ETH, lots: 1_000n });
    await perpOrder(v, v.alice, { side: 0n, tick: ETH, lots: 1_000n, kind: 2n });
    await spotOrder(v, v.alice, { side: 1n, tick: ETH, lots: 1_000n });
    await spotOrder(v, v.bob, { side: 0n, tick: ETH, lots: 1_000n, kind: 2n });
    expect((await spotPocketOf(v, v.alice)).unsweptQuote).to.equal(3_000n * E6);
    const before = await picture(v, [v.alice, v.bob, v.carol]);
    const wallet = await walletOf(v, v.carol, "USDC");
    const carol = v.carol;
    // sweep is the spot book's: under a perp id it moves nothing
    for (const m of [v.ethPerp, v.btcPerp]) {
      await expect(sweepPocket(v, carol, v.alice, m)).to.be.revertedWithCustomError(v.ch, "WrongMarketKind").withArgs(m.marketId);
    }
    // settlePerp, liquidatePerp and resolveBankruptcy are the perp books': under the spot id they move nothing
    await expect(settlePerp(v, carol, v.alice, v.market)).to.be.revertedWithCustomError(v.ch, "WrongMarketKind").withArgs(v.market.marketId);
    await expect(liquidatePerp(v, carol, v.alice, 1n, false, v.market)).to.be.revertedWithCustomError(v.ch, "WrongMarketKind").withArgs(v.market.marketId);
    await expect(resolveBankruptcy(v, carol, v.alice, v.market)).to.be.revertedWithCustomError(v.ch, "WrongMarketKind").withArgs(v.market.marketId);
    // an id no market has: every entry point refuses it
    const nowhere = marketById(v, 64n);
    await expect(sweepPocket(v, carol, v.alice, nowhere)).to.be.revertedWithCustomError(v.ch, "UnknownMarket").withArgs(64n);
    await expect(settlePerp(v, carol, v.alice, nowhere)).to.be.revertedWithCustomError(v.ch, "UnknownMarket").withArgs(64n);
    await expect(liquidatePerp(v, carol, v.alice, 1n, false, nowhere)).to.be.revertedWithCustomError(v.ch, "UnknownMarket").withArgs(64n);
    await expect(orderOn(v, carol, { side: 0n, tick: ETH, lots: 1n }, nowhere)).to.be.revertedWithCustomError(v.ch, "UnknownMarket").withArgs(64n);
    await expect(cancelForLiquidation(v, carol, v.alice, [], nowhere)).to.be.revertedWithCustomError(v.ch, "UnknownMarket").withArgs(64n);
    await expect(marketById(v, 0n).marketInfo()).to.be.revertedWithCustomError(v.ch, "UnknownMarket").withArgs(0n);
    expect(await picture(v, [v.alice, v.bob, v.carol])).to.deep.equal(before);
    expect(await walletOf(v, v.carol, "USDC")).to.equal(wallet);
    // under the right id, the same call pays alice, never the caller
    const usdc = await balanceOf(v, v.alice, "USDC");
    await sweepPocket(v, carol, v.alice, v.market);
    expect(await balanceOf(v, v.alice, "USDC")).to.equal(usdc + 3_000n * E6);
    expect(await balanceOf(v, v.carol, "USDC")).to.equal(0n);
  });

  it("liquidatePerp under another perp market's id cannot take the position: NoPosition; under its own id it can", async () => {
    const v = venue();
    // alice: 1,000 USDC, long 1.8 ETH-PERP from bob; ETH falls 15%: liquidatable
    await deposit(v, v.alice, "USDC", 1_000n * E6);
    await deposit(v, v.bob, "USDC", 100_000n * E6);
    await deposit(v, v.carol, "USDC", 100_000n * E6);
    await perpOrder(v, v.bob, { side: 1n, tick: ETH, lots: 1_800n });
    await perpOrder(v, v.alice, { side: 0n, tick: ETH, lots: 1_800n, kind: 2n });
    await setPrice(v, "WETH", 2_550n * WAD);
    expect(await isLiquidatable(v, v.alice)).to.equal(true);
    const before = await picture(v, [v.alice, v.carol]);
    await expect(liquidatePerp(v, v.carol, v.alice, 100n, false, v.btcPerp))
      .to.be.revertedWithCustomError(v.ch, "NoPosition")
      .withArgs(acctOf(v.alice));
    await expect(liquidatePerp(v, v.carol, v.alice, 100n, true, v.btcPerp))
      .to.be.revertedWithCustomError(v.ch, "NoPosition")
      .withArgs(acctOf(v.alice));
    expect(await picture(v, [v.alice, v.carol])).to.deep.equal(before);
    await liquidatePerp(v, v.carol, v.alice, 100n, false, v.ethPerp);
    expect(await perpLots(v, v.alice)).to.equal(1_700n);
    expect(await perpLots(v, v.carol)).to.equal(100n);
    expect(await perpLots(v, v.carol, v.btcPerp)).to.equal(0n);
  });

  it("resolveBankruptcy under another perp market's id cannot take a bankrupt position: NotBankrupt; under its own id it can", async () => {
    const v = venue();
    const { alice, bob, carol, dave } = v;
    // a bankrupt long on a fresh ETH-PERP without interest: bob ($200) buys 300 lots at $3,000; ETH gaps
    // to $2,000; alice takes 250 lots at the mark; bob is left long 50 lots under water, holding nothing
    const m = await listPerp(v, { interestPpmPerHour: 0n });
    await deposit(v, bob, "USDC", 200n * E6);
    for (const s of [alice, carol, dave]) await deposit(v, s, "USDC", 100_000n * E6);
    await orderOn(v, carol, { side: 1n, tick: ETH, lots: 200n }, m);
    await orderOn(v, dave, { side: 1n, tick: ETH, lots: 100n }, m);
    await orderOn(v, bob, { side: 0n, tick: ETH, lots: 300n, kind: 2n }, m);
    await setPrice(v, "WETH", 2_000n * WAD);
    await liquidatePerp(v, alice, bob, 250n, false, m);
    expect(await perpLots(v, bob, m)).to.equal(50n);
    // ETH-PERP and BTC-PERP hold nothing of bob's: under their ids there is nothing to resolve
    const before = await picture(v, [bob, carol]);
    for (const other of [v.ethPerp, v.btcPerp]) {
      await expect(resolveBankruptcy(v, carol, bob, other)).to.be.revertedWithCustomError(v.ch, "NotBankrupt").withArgs(acctOf(bob));
    }
    await expect(resolveBankruptcy(v, carol, bob, v.market)).to.be.revertedWithCustomError(v.ch, "WrongMarketKind").withArgs(v.market.marketId);
    expect(await picture(v, [bob, carol])).to.deep.equal(before);
    expect(await perpLots(v, bob, m)).to.equal(50n);
    await resolveBankruptcy(v, carol, bob, m);
    expect(await perpLots(v, bob, m)).to.equal(0n);
    expect(await perpLots(v, carol, m)).to.equal(-200n + 50n);
    expect(await perpLots(v, carol, v.ethPerp)).to.equal(0n);
  });
});
