// batchOrders with skip-if-missing ops and the decoded per-op results (BatchExecuted), through the
// client decorator against the in-process network.
import { expect } from "chai";
import { BatchStatus, OrderKind, OrderNotFoundError, Side, decodeBatchOp } from "../../sdk/src/index.ts";
import { useWorld } from "./_fixture.ts";

describe("sdk actions: batchOrders skip mode and results", () => {
  const world = useWorld();

  it("a replace whose old quote filled is skipped, the new quote placed, and every op reported", async () => {
    const { alice, bob, markets } = world();
    const marketId = markets.wethUsdc.marketId;
    const first = await alice.batchOrdersSync({
      marketId,
      ops: [
        { type: "place", order: { side: Side.Bid, tick: 299_000n, lots: 40n, clientOrderId: 31n } },
        { type: "place", order: { side: Side.Ask, tick: 301_000n, lots: 40n } },
      ],
    });
    const [bid, ask] = first.placedOrderIds;
    expect(first.results.map((r) => [r.status, r.orderId, r.lots])).to.deep.equal([
      [BatchStatus.Placed, bid, 40n],
      [BatchStatus.Placed, ask, 40n],
    ]);
    // a taker fills the bid before the bot's next loop lands
    await bob.placeOrderSync({ marketId, side: Side.Ask, tick: 299_000n, lots: 40n, kind: OrderKind.Ioc });
    const stale = [
      { type: "replace", orderId: bid, order: { side: Side.Bid, tick: 298_900n, lots: 40n } },
      { type: "replace", orderId: ask, order: { side: Side.Ask, tick: 300_900n, lots: 40n } },
    ] as const;
    const err = await alice.batchOrdersSync({ marketId, ops: stale }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(OrderNotFoundError);
    const loop = await alice.batchOrdersSync({
      marketId,
      ops: [
        { ...stale[0], skipMissing: true },
        { ...stale[1], skipMissing: true },
        { type: "cancelClientId", clientOrderId: 31n, skipMissing: true },
        { type: "amend", orderId: bid, lots: 1n, skipMissing: true },
      ],
    });
    const [newBid, newAsk] = loop.placedOrderIds;
    expect(loop.results).to.deep.equal([
      { status: BatchStatus.Skipped, orderId: bid, filledLots: 0n, lots: 0n },
      { status: BatchStatus.Placed, orderId: newBid, filledLots: 0n, lots: 40n },
      { status: BatchStatus.Cancelled, orderId: ask, filledLots: 0n, lots: 40n },
      { status: BatchStatus.Placed, orderId: newAsk, filledLots: 0n, lots: 40n },
      { status: BatchStatus.Skipped, orderId: 0n, filledLots: 0n, lots: 0n },
      { status: BatchStatus.Skipped, orderId: bid, filledLots: 0n, lots: 0n },
    ]);
    expect(loop.events.cancelled.map((c) => c.orderId)).to.deep.equal([ask]);
    const open = await alice.getOpenOrders({ marketId, owner: alice.account.address });
    expect(open.map((o) => o.orderId).sort()).to.deep.equal([newBid, newAsk].sort());
  });

  it("the op words carry the flag only where asked", async () => {
    const { alice, markets } = world();
    const marketId = markets.wethUsdc.marketId;
    const { placedOrderIds } = await alice.batchOrdersSync({ marketId, ops: [{ type: "place", order: { side: Side.Bid, tick: 290_000n, lots: 5n } }] });
    const { receipt } = await alice.batchOrdersSync({ marketId, ops: [{ type: "cancel", orderId: placedOrderIds[0] }] });
    expect(receipt.status).to.equal("success");
    const { cancelOp } = await import("../../sdk/src/index.ts");
    expect(decodeBatchOp(cancelOp(placedOrderIds[0], { skipMissing: true }))).to.deep.include({ skipMissing: true });
    expect(decodeBatchOp(cancelOp(placedOrderIds[0]))).to.deep.include({ skipMissing: false });
  });
});
