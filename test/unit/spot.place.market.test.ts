import { expect } from "chai";
import { acct, bookState, ord, OrderKind, place, placeOp, pocket, SelfTrade, Side, useFixture } from "./_helpers.ts";
import { BatchStatus, decodeBatchResult, encodeTaker } from "../../sdk/src/math/codec.ts";

describe("SpotMarket.placeOrder: market orders with a worst price", () => {
  const fx = useFixture();

  async function bids() {
    const { market, bob, carol } = fx();
    await place(market, bob, { side: Side.Bid, tick: 200_000n, lots: 2n });
    await place(market, carol, { side: Side.Bid, tick: 199_000n, lots: 2n });
    await place(market, carol, { side: Side.Bid, tick: 198_000n, lots: 2n });
  }

  it("sells down to the worst price and drops the rest, never resting", async () => {
    const { market, alice } = fx();
    await bids();
    const r = await place(market, alice, { side: Side.Ask, tick: 199_000n, lots: 10n, kind: OrderKind.Market });
    expect(r.orderId).to.equal(0n);
    expect(r.trade!.filled).to.equal(4n);
    expect(r.trade!.notional).to.equal(2n * 200_000n + 2n * 199_000n);
    expect(await market.bestBidAsk()).to.deep.equal([198_000n, 0n]);
  });

  it("a market buy stops at its worst price as well", async () => {
    const { market, alice, bob } = fx();
    await place(market, bob, { side: Side.Ask, tick: 10n, lots: 1n });
    await place(market, bob, { side: Side.Ask, tick: 12n, lots: 1n });
    const r = await place(market, alice, { side: Side.Bid, tick: 11n, lots: 5n, kind: OrderKind.Market });
    expect(r.trade!.filled).to.equal(1n);
    expect(await market.bestBidAsk()).to.deep.equal([0n, 12n]);
  });

  it("reverts WorstPriceExceeded when nothing is fillable within the worst price, or the side is empty", async () => {
    const { market, alice } = fx();
    await expect(market.connect(alice).placeOrder(ord({ side: Side.Ask, tick: 1n, lots: 1n, kind: OrderKind.Market })))
      .to.be.revertedWithCustomError(market, "WorstPriceExceeded")
      .withArgs(1n, 0n);
    await bids();
    const before = await bookState(market);
    await expect(market.connect(alice).placeOrder(ord({ side: Side.Ask, tick: 200_001n, lots: 1n, kind: OrderKind.Market })))
      .to.be.revertedWithCustomError(market, "WorstPriceExceeded")
      .withArgs(200_001n, 200_000n);
    expect(await bookState(market)).to.deep.equal(before);
  });

  it("a lone market order whose only crossing liquidity is expired reverts WorstPriceExceeded; in a batch it is dropped (OrderDropped) and the batch goes on", async () => {
    const { market, alice, bob, connection } = fx();
    const expiry = BigInt(await connection.networkHelpers.time.latest()) + 100n;
    await place(market, bob, { side: Side.Bid, tick: 200_000n, lots: 2n, expiry });
    await connection.networkHelpers.time.increaseTo(expiry);
    const word = ord({ side: Side.Ask, tick: 199_000n, lots: 1n, kind: OrderKind.Market });
    await expect(market.connect(alice).placeOrder(word)).to.be.revertedWithCustomError(market, "WorstPriceExceeded").withArgs(199_000n, 0n);
    // in a batch: reported unfilled (no order id, nothing filled), the expired bid removed, the next op still runs
    const ops = [placeOp({ side: Side.Ask, tick: 199_000n, lots: 1n, kind: OrderKind.Market }), placeOp({ side: Side.Ask, tick: 210_000n, lots: 1n })];
    const results = await market.connect(alice).batch.staticCall(alice.address, 0, ops);
    const [dropped, rested] = results.map((r: bigint) => decodeBatchResult(r));
    expect([dropped.status, dropped.orderId, dropped.filledLots]).to.deep.equal([BatchStatus.Unfilled, 0n, 0n]);
    expect(rested.status).to.equal(BatchStatus.Placed);
    expect(rested.orderId).to.not.equal(0n);
    const tx = market.connect(alice).batch(alice.address, 0, ops);
    await expect(tx)
      .to.emit(market, "OrderDropped")
      .withArgs(market.marketId, encodeTaker(acct(alice) as `0x${string}`, Side.Ask, OrderKind.Market), 1n, 1n);
    await expect(tx).to.emit(market, "OrderExpired");
    expect(await market.bestBidAsk()).to.deep.equal([0n, 210_000n]);
    // the expired bid's quote lock went back to bob's pocket, none of it to alice's
    const bobP = await pocket(market, bob);
    expect([bobP.lockedQuote, bobP.unsweptQuote > 0n]).to.deep.equal([0n, true]);
    const aliceP = await pocket(market, alice);
    expect([aliceP.lockedQuote, aliceP.unsweptQuote]).to.deep.equal([0n, 0n]);
  });

  it("a lone market order whose only crossing liquidity is its own (removed by self-trade prevention) reverts and changes nothing", async () => {
    const { market, alice } = fx();
    await place(market, alice, { side: Side.Bid, tick: 200_000n, lots: 2n });
    const before = await bookState(market);
    const word = ord({ side: Side.Ask, tick: 199_000n, lots: 1n, kind: OrderKind.Market, selfTrade: SelfTrade.CancelResting });
    await expect(market.connect(alice).placeOrder(word)).to.be.revertedWithCustomError(market, "WorstPriceExceeded");
    expect(await bookState(market)).to.deep.equal(before);
  });
});
