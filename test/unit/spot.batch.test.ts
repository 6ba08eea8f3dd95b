import { expect } from "chai";
import { DEPOSIT, USDC_TICK, WETH_LOT } from "../helpers/fixture.ts";
import {
  acct,
  amendOp,
  bidLockPerLot,
  cancelClientIdOp,
  cancelOp,
  MARKET_INDEX,
  mined,
  OrderKind,
  orderIdOf,
  parseMarketLogs,
  place,
  placeOp,
  pocket,
  Side,
  useFixture,
} from "./_helpers.ts";
import { allOpenOrders } from "../helpers/openOrders.ts";
import { BatchStatus, decodeBatchResult } from "../../sdk/src/math/codec.ts";

const ZERO = "0x0000000000000000000000000000000000000000";

describe("SpotMarket.batch", () => {
  const fx = useFixture();

  it("runs place / cancel / amend / cancel-by-client-id / cancel-replace for one account in one tx", async () => {
    const { ch, market, alice, usdc } = fx();
    const a = await place(market, alice, { side: Side.Bid, tick: 1000n, lots: 5n });
    const b = await place(market, alice, { side: Side.Bid, tick: 1001n, lots: 5n, clientOrderId: 21n });
    const c = await place(market, alice, { side: Side.Bid, tick: 1002n, lots: 5n });
    const ops = [
      cancelOp(a.orderId),
      amendOp(c.orderId, 2n),
      cancelClientIdOp(21n),
      placeOp({ side: Side.Ask, tick: 2000n, lots: 3n }),
      // cancel-replace: drop the amended bid and re-quote it one tick up
      cancelOp(c.orderId),
      placeOp({ side: Side.Bid, tick: 1003n, lots: 2n, clientOrderId: 22n }),
    ];
    const words = await market.connect(alice).batch.staticCall(ZERO, 0, ops);
    const r = parseMarketLogs(market, await mined(market.connect(alice).batch(ZERO, 0, ops)));
    // each result word names the op's order: the cancelled / amended one, or the one placed
    const results = words.map((w) => decodeBatchResult(w).orderId);
    expect(words.map((w) => decodeBatchResult(w).status)).to.deep.equal([
      BatchStatus.Cancelled,
      BatchStatus.Amended,
      BatchStatus.Cancelled,
      BatchStatus.Placed,
      BatchStatus.Cancelled,
      BatchStatus.Placed,
    ]);
    expect(results).to.deep.equal([
      a.orderId,
      c.orderId,
      b.orderId,
      orderIdOf(MARKET_INDEX, Side.Ask, 2000n, 0n, 0n),
      c.orderId,
      orderIdOf(MARKET_INDEX, Side.Bid, 1003n, 0n, 0n),
    ]);
    expect(r.cancelled).to.deep.equal([
      { orderId: a.orderId, lots: 5n },
      { orderId: b.orderId, lots: 5n },
      { orderId: c.orderId, lots: 2n },
    ]);
    const open = [...(await allOpenOrders(market, alice.address, 0))].sort();
    expect(open).to.deep.equal([results[3], results[5]].sort());
    // the net effect on funds is exact: one bid of 2 lots at 1003 and an ask of 3 lots remain locked
    const lock = 2n * bidLockPerLot(1003n, 2n) * USDC_TICK;
    const p = await pocket(market, alice);
    expect([p.lockedQuote, p.lockedBase, p.openOrders]).to.deep.equal([lock, 3n * WETH_LOT, 2n]);
    expect((await ch.balanceOf(acct(alice), await usdc.getAddress())) + p.lockedQuote + p.unsweptQuote).to.equal(DEPOSIT);
    await mined(market.connect(alice).cancelOrderByClientId(alice.address, 0, 22n));
  });

  it("reports no id for a place that rests nothing and acts for the batch's account (a place op's sub must match it)", async () => {
    const { market, alice, bob } = fx();
    await place(market, bob, { side: Side.Ask, tick: 500n, lots: 1n });
    const ops = [placeOp({ side: Side.Bid, tick: 500n, lots: 1n, kind: OrderKind.Ioc }), placeOp({ side: Side.Bid, tick: 400n, lots: 1n })];
    const results = (await market.connect(alice).batch.staticCall(alice.address, 0, ops)).map(decodeBatchResult);
    await mined(market.connect(alice).batch(alice.address, 0, ops));
    expect([results[0].status, results[0].orderId, results[0].filledLots]).to.deep.equal([BatchStatus.Filled, 0n, 1n]);
    expect((await market.getOrder(results[1].orderId))[0]).to.equal(acct(alice, 0n));
    // the word's sub-account field is no longer ignored: a mismatch reverts (spot.batch.skip.test.ts)
    await expect(market.connect(alice).batch(alice.address, 0, [placeOp({ side: Side.Bid, tick: 400n, lots: 1n, sub: 9n })]))
      .to.be.revertedWithCustomError(market, "BatchSubMismatch")
      .withArgs(0n, 9n, 0n);
    expect((await pocket(market, alice, 9n)).openOrders).to.equal(0n);
  });

  it("is all or nothing: one failing op reverts the whole batch", async () => {
    const { market, alice, bob } = fx();
    const theirs = await place(market, bob, { side: Side.Ask, tick: 700n, lots: 1n });
    const ops = [placeOp({ side: Side.Bid, tick: 100n, lots: 1n }), cancelOp(theirs.orderId)];
    await expect(market.connect(alice).batch(alice.address, 0, ops))
      .to.be.revertedWithCustomError(market, "NotOrderOwner")
      .withArgs(theirs.orderId, acct(alice));
    await expect(market.connect(alice).batch(alice.address, 0, [placeOp({ side: Side.Bid, tick: 100n, lots: 1n }), cancelClientIdOp(99n)]))
      .to.be.revertedWithCustomError(market, "ClientOrderNotFound")
      .withArgs(acct(alice), 99n);
    expect((await pocket(market, alice)).openOrders).to.equal(0n);
    expect(await market.bestBidAsk()).to.deep.equal([0n, 700n]);
  });
});
