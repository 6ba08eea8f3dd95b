import { expect } from "chai";
import type { ContractTransactionReceipt } from "ethers";
import {
  acct,
  amendOp,
  cancelClientIdOp,
  cancelOp,
  mined,
  OrderKind,
  place,
  placeOp,
  pocket,
  Side,
  useFixture,
} from "./_helpers.ts";
import { BATCH_SKIP_MISSING, BatchStatus, decodeBatchResult, encodeBatchResult } from "../../sdk/src/math/codec.ts";
import type { SpotMarket } from "../../scripts/lib/market.ts";

const skip = { skipMissing: true } as const;

/** The `BatchExecuted` event of a receipt: market, account and its result words. */
function batchExecuted(market: SpotMarket, receipt: ContractTransactionReceipt) {
  const evs = receipt.logs
    .filter((l) => l.address.toLowerCase() === (market.target as string).toLowerCase())
    .map((l) => market.interface.parseLog(l))
    .filter((e) => e?.name === "BatchExecuted");
  expect(evs.length).to.equal(1);
  const e = evs[0]!;
  return { marketId: e.args.marketId as bigint, account: e.args.account as string, results: [...(e.args.results as bigint[])] };
}

/** The market's OrderPlaced / OrderCancelled / OrderAmended events of a receipt, in log order. */
function orderEvents(market: SpotMarket, receipt: ContractTransactionReceipt) {
  return receipt.logs
    .filter((l) => l.address.toLowerCase() === (market.target as string).toLowerCase())
    .map((l) => market.interface.parseLog(l))
    .filter((e) => e && ["OrderPlaced", "OrderCancelled", "OrderAmended"].includes(e.name))
    .map((e) => [e!.name, e!.args.orderId as bigint]);
}

describe("SpotMarket.batch: skip-if-missing ops and per-op results", () => {
  const fx = useFixture();

  it("skips a cancel of a quote filled earlier in the same block and places the new quotes", async () => {
    const { connection, market, alice, bob } = fx();
    const provider = connection.ethers.provider;
    const bid = await place(market, alice, { side: Side.Bid, tick: 1000n, lots: 5n });
    const ask = await place(market, alice, { side: Side.Ask, tick: 1100n, lots: 5n });
    const quotes = [
      placeOp({ side: Side.Bid, tick: 999n, lots: 5n }),
      placeOp({ side: Side.Ask, tick: 1101n, lots: 5n }),
    ];
    const ops = [cancelOp(bid.orderId, skip), cancelOp(ask.orderId, skip), ...quotes];
    // without the skip flag the same loop would revert on the stale cancel
    const strict = [cancelOp(bid.orderId), cancelOp(ask.orderId), ...quotes];
    await provider.send("evm_setAutomine", [false]);
    try {
      const gasLimit = 2_000_000n;
      // the taker pays more priority fee, so its fill is mined first in the block
      const take = await market
        .connect(bob)
        .placeOrder(placeOp({ side: Side.Ask, tick: 1000n, lots: 5n, kind: OrderKind.Ioc }), {
          gasLimit,
          maxPriorityFeePerGas: 10n ** 10n,
          maxFeePerGas: 10n ** 11n,
        });
      const quote = await market.connect(alice).batch(alice.address, 0, ops, {
        gasLimit,
        maxPriorityFeePerGas: 10n ** 9n,
        maxFeePerGas: 10n ** 11n,
      });
      await provider.send("evm_mine", []);
      const [rt, rq] = [(await take.wait())!, (await quote.wait())!];
      expect(rq.blockNumber).to.equal(rt.blockNumber);
      expect(rt.index).to.be.lessThan(rq.index);
      expect(rq.status).to.equal(1);
      const ev = batchExecuted(market, rq);
      expect([ev.marketId, ev.account]).to.deep.equal([market.marketId, acct(alice)]);
      const r = ev.results.map(decodeBatchResult);
      expect(r[0]).to.deep.equal({ status: BatchStatus.Skipped, orderId: bid.orderId, filledLots: 0n, lots: 0n });
      expect(r[1]).to.deep.equal({ status: BatchStatus.Cancelled, orderId: ask.orderId, filledLots: 0n, lots: 5n });
      expect([r[2].status, r[2].lots, r[3].status, r[3].lots]).to.deep.equal([BatchStatus.Placed, 5n, BatchStatus.Placed, 5n]);
      // the results match the per-order events: one cancel, two placements with these ids
      expect(orderEvents(market, rq)).to.deep.equal([
        ["OrderCancelled", ask.orderId],
        ["OrderPlaced", r[2].orderId],
        ["OrderPlaced", r[3].orderId],
      ]);
      expect(await market.bestBidAsk()).to.deep.equal([999n, 1101n]);
      expect((await pocket(market, alice)).openOrders).to.equal(2n);
    } finally {
      await provider.send("evm_setAutomine", [true]);
    }
    // the strict form of the same loop, against the same stale id, reverts the whole batch
    await expect(market.connect(alice).batch(alice.address, 0, strict))
      .to.be.revertedWithCustomError(market, "OrderNotFound")
      .withArgs(bid.orderId);
  });

  it("returns one typed result per op (placed, filled, unfilled, cancelled, amended, skipped), the same as BatchExecuted", async () => {
    const { market, alice, bob } = fx();
    const a = await place(market, alice, { side: Side.Bid, tick: 1000n, lots: 5n, clientOrderId: 7n });
    const b = await place(market, alice, { side: Side.Bid, tick: 1001n, lots: 5n });
    await place(market, bob, { side: Side.Ask, tick: 1200n, lots: 3n });
    const ops = [
      amendOp(b.orderId, 2n),
      cancelClientIdOp(7n),
      cancelClientIdOp(8n, skip),
      cancelOp(a.orderId, skip), // already cancelled by its client id
      amendOp(a.orderId, 1n, skip),
      placeOp({ side: Side.Bid, tick: 1200n, lots: 2n, kind: OrderKind.Ioc }),
      placeOp({ side: Side.Bid, tick: 1200n, lots: 4n }),
      placeOp({ side: Side.Bid, tick: 900n, lots: 1n, kind: OrderKind.Ioc }),
    ];
    const returned = await market.connect(alice).batch.staticCall(alice.address, 0, ops);
    const receipt = await mined(market.connect(alice).batch(alice.address, 0, ops));
    const ev = batchExecuted(market, receipt);
    expect(ev.results).to.deep.equal([...returned]);
    const r = ev.results.map(decodeBatchResult);
    const placedId = r[6].orderId;
    expect(r).to.deep.equal([
      { status: BatchStatus.Amended, orderId: b.orderId, filledLots: 0n, lots: 2n },
      { status: BatchStatus.Cancelled, orderId: a.orderId, filledLots: 0n, lots: 5n },
      { status: BatchStatus.Skipped, orderId: 0n, filledLots: 0n, lots: 0n },
      { status: BatchStatus.Skipped, orderId: a.orderId, filledLots: 0n, lots: 0n },
      { status: BatchStatus.Skipped, orderId: a.orderId, filledLots: 0n, lots: 0n },
      { status: BatchStatus.Filled, orderId: 0n, filledLots: 2n, lots: 0n },
      { status: BatchStatus.Placed, orderId: placedId, filledLots: 1n, lots: 3n },
      { status: BatchStatus.Unfilled, orderId: 0n, filledLots: 0n, lots: 0n },
    ]);
    expect(placedId).to.not.equal(0n);
    expect(ev.results.map((w) => encodeBatchResult(decodeBatchResult(w)))).to.deep.equal(ev.results);
    expect(orderEvents(market, receipt)).to.deep.equal([
      ["OrderAmended", b.orderId],
      ["OrderCancelled", a.orderId],
      ["OrderPlaced", placedId],
    ]);
    const [acctOf, lotsOf] = await market.getOrder(placedId);
    expect([acctOf, lotsOf]).to.deep.equal([acct(alice), 3n]);
  });

  it("never skips another account's live order: a skip-mode cancel or amend of it reverts and leaves it whole", async () => {
    const { market, alice, bob } = fx();
    const theirs = await place(market, bob, { side: Side.Ask, tick: 700n, lots: 4n, clientOrderId: 5n });
    const before = await pocket(market, bob);
    await expect(market.connect(alice).batch(alice.address, 0, [placeOp({ side: Side.Bid, tick: 100n, lots: 1n }), cancelOp(theirs.orderId, skip)]))
      .to.be.revertedWithCustomError(market, "NotOrderOwner")
      .withArgs(theirs.orderId, acct(alice));
    await expect(market.connect(alice).batch(alice.address, 0, [amendOp(theirs.orderId, 1n, skip)]))
      .to.be.revertedWithCustomError(market, "NotOrderOwner")
      .withArgs(theirs.orderId, acct(alice));
    // a client id is the account's own: bob's id 5 names no order of alice's, so it is skipped
    const receipt = await mined(market.connect(alice).batch(alice.address, 0, [cancelClientIdOp(5n, skip)]));
    expect(decodeBatchResult(batchExecuted(market, receipt).results[0]).status).to.equal(BatchStatus.Skipped);
    // bob's order and funds are untouched; alice placed nothing
    const [owner, lots] = await market.getOrder(theirs.orderId);
    expect([owner, lots]).to.deep.equal([acct(bob), 4n]);
    expect(await pocket(market, bob)).to.deep.equal(before);
    expect((await pocket(market, alice)).openOrders).to.equal(0n);
    expect(await market.bestBidAsk()).to.deep.equal([0n, 700n]);
  });

  it("a skip flag does not excuse an invalid amend of a live order, nor client id 0", async () => {
    const { market, alice } = fx();
    const mine = await place(market, alice, { side: Side.Bid, tick: 1000n, lots: 5n });
    await expect(market.connect(alice).batch(alice.address, 0, [amendOp(mine.orderId, 6n, skip)]))
      .to.be.revertedWithCustomError(market, "InvalidAmend")
      .withArgs(mine.orderId, 5n, 6n);
    await expect(market.connect(alice).batch(alice.address, 0, [cancelClientIdOp(0n, skip)]))
      .to.be.revertedWithCustomError(market, "ClientOrderNotFound")
      .withArgs(acct(alice), 0n);
  });

  it("rejects a place op whose sub-account is not the batch's, naming the op", async () => {
    const { market, alice } = fx();
    const ops = [placeOp({ side: Side.Bid, tick: 400n, lots: 1n }), placeOp({ side: Side.Bid, tick: 401n, lots: 1n, sub: 9n })];
    await expect(market.connect(alice).batch(alice.address, 0, ops))
      .to.be.revertedWithCustomError(market, "BatchSubMismatch")
      .withArgs(1n, 9n, 0n);
    await expect(market.connect(alice).batch(alice.address, 3, [placeOp({ side: Side.Bid, tick: 400n, lots: 1n })]))
      .to.be.revertedWithCustomError(market, "BatchSubMismatch")
      .withArgs(0n, 0n, 3n);
    // nothing moved; equal sub-accounts pass, and the order is the batch account's
    expect((await pocket(market, alice, 9n)).openOrders).to.equal(0n);
    expect((await pocket(market, alice, 3n)).openOrders).to.equal(0n);
    const receipt = await mined(market.connect(alice).batch(alice.address, 0, ops.slice(0, 1)));
    expect(batchExecuted(market, receipt).account).to.equal(acct(alice, 0n));
    expect((await pocket(market, alice)).openOrders).to.equal(1n);
  });

  it("rejects a cancel / amend / cancel-by-client-id op with a bit set outside its fields, naming the op", async () => {
    const { market, alice } = fx();
    const mine = await place(market, alice, { side: Side.Bid, tick: 1000n, lots: 5n, clientOrderId: 3n });
    const bad = [
      cancelOp(mine.orderId) | (1n << 200n),
      amendOp(mine.orderId, 2n) | (1n << 160n),
      cancelClientIdOp(3n) | 1n,
      cancelClientIdOp(3n) | (1n << 40n),
      cancelOp(mine.orderId, skip) | (1n << 252n),
    ];
    for (const op of bad) {
      await expect(market.connect(alice).batch(alice.address, 0, [placeOp({ side: Side.Bid, tick: 10n, lots: 1n }), op]))
        .to.be.revertedWithCustomError(market, "BatchOpReservedBits")
        .withArgs(1n, op);
    }
    // the flag itself is a field: every op kind but place accepts it
    expect(cancelOp(mine.orderId, skip) & BATCH_SKIP_MISSING).to.equal(BATCH_SKIP_MISSING);
    await mined(market.connect(alice).batch(alice.address, 0, [amendOp(mine.orderId, 2n, skip), cancelClientIdOp(3n, skip)]));
    expect((await pocket(market, alice)).openOrders).to.equal(0n);
  });
});
