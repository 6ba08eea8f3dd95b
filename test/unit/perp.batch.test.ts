// The same `batch` entry on a perp book: a skip-mode cancel of a quote a taker filled is skipped
// and the new quote rests; another account's live order still reverts; results match the events.
import { expect } from "chai";
import { OrderKind, Side, cancelOp, placeOp } from "../../sdk/src/math/order.ts";
import { BatchStatus, decodeBatchResult } from "../../sdk/src/math/codec.ts";
import { E6, extraPerp, place, usePerpFixture } from "./perp._helpers.ts";
import { acctOf, deposit, mined } from "./margin._helpers.ts";

describe("PerpMarket.batch: skip-if-missing ops and per-op results", () => {
  const fx = usePerpFixture();

  it("skips the filled quote's cancel, places the new quote, and never skips another account's order", async () => {
    const f = fx();
    const m = await extraPerp(f, { interestPpmPerHour: 0n });
    for (const s of [f.alice, f.bob]) await deposit(f, s, f.U, 100_000n * E6);
    const { alice, bob } = f;
    const r0 = await place(m, alice, { side: Side.Ask, tick: 300_100n, lots: 10n });
    const quote = m.interface.parseLog(r0.logs.find((l) => m.interface.parseLog(l)?.name === "OrderPlaced")!)!.args.orderId as bigint;
    const rb = await place(m, bob, { side: Side.Ask, tick: 300_200n, lots: 3n });
    const theirs = m.interface.parseLog(rb.logs.find((l) => m.interface.parseLog(l)?.name === "OrderPlaced")!)!.args.orderId as bigint;
    await place(m, bob, { side: Side.Bid, tick: 300_100n, lots: 10n, kind: OrderKind.Ioc });
    const ops = [cancelOp(quote, { skipMissing: true }), placeOp({ side: Side.Ask, tick: 300_110n, lots: 10n })];
    await expect(m.connect(alice).batch(alice.address, 0, [cancelOp(quote)]))
      .to.be.revertedWithCustomError(m, "OrderNotFound")
      .withArgs(quote);
    await expect(m.connect(alice).batch(alice.address, 0, [...ops, cancelOp(theirs, { skipMissing: true })]))
      .to.be.revertedWithCustomError(m, "NotOrderOwner")
      .withArgs(theirs, acctOf(alice));
    const returned = await m.connect(alice).batch.staticCall(alice.address, 0, ops);
    const receipt = await mined(m.connect(alice).batch(alice.address, 0, ops));
    const ev = receipt.logs.map((l) => m.interface.parseLog(l)).find((e) => e?.name === "BatchExecuted")!;
    expect([...(ev.args.results as bigint[])]).to.deep.equal([...returned]);
    const r = returned.map(decodeBatchResult);
    expect(r[0]).to.deep.equal({ status: BatchStatus.Skipped, orderId: quote, filledLots: 0n, lots: 0n });
    expect([r[1].status, r[1].lots]).to.deep.equal([BatchStatus.Placed, 10n]);
    const [owner, lots] = await m.getOrder(r[1].orderId);
    expect([owner, lots]).to.deep.equal([acctOf(alice), 10n]);
    expect((await m.getOrder(theirs))[1]).to.equal(3n);
  });
});
