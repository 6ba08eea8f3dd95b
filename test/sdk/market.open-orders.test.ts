// getOpenOrders (the paged `openOrders` view) and rebuildOpenOrders (the book's events alone) agree
// on an account's open orders after placements, partial and full fills, amends, cancels (by id, by
// client id) and expiries, both those removed (purgeTop) and those still resting past their expiry.
import { expect } from "chai";
import { OrderKind, Side, accountId, clearinghouseAbi, openOrdersFromLogs } from "../../sdk/src/index.ts";
import { getLogs, waitForTransactionReceipt } from "viem/actions";
import { useWorld } from "./_fixture.ts";

describe("sdk actions: open orders, paged and rebuilt from events", () => {
  const world = useWorld();

  it("getOpenOrders pages (any page size) and rebuildOpenOrders replays to the same orders", async () => {
    const { alice, bob, carol, publicClient, connection, markets, clearinghouse } = world();
    const marketId = markets.wethUsdc.marketId;
    const other = markets.wbtcUsdc.marketId;
    const owner = alice.account.address;
    const now = BigInt(await connection.networkHelpers.time.latest());
    const place = async (who: typeof alice, side: Side, tick: bigint, lots: bigint, extra: { expiry?: bigint; clientOrderId?: bigint } = {}) =>
      (await who.placeOrderSync({ marketId, side, tick, lots, ...extra })).orderId;

    // alice: bids and asks, some to expire, one with a client id; bob and carol in between
    const bidA = await place(alice, Side.Bid, 299_000n, 5n);
    await place(bob, Side.Bid, 299_000n, 2n);
    const bidB = await place(alice, Side.Bid, 298_500n, 7n, { clientOrderId: 42n });
    const bidExpiring = await place(alice, Side.Bid, 298_000n, 3n, { expiry: now + 100n });
    const askA = await place(alice, Side.Ask, 301_000n, 4n);
    await place(carol, Side.Ask, 301_000n, 6n);
    const askB = await place(alice, Side.Ask, 301_500n, 8n);
    const askTop = await place(alice, Side.Ask, 300_500n, 2n, { expiry: now + 100n });
    const askAmended = await place(alice, Side.Ask, 302_000n, 10n);
    const askCancelled = await place(alice, Side.Ask, 302_500n, 1n);
    // the same core emits every market's events: alice's order on the other market stays out of this one's
    const elsewhere = (await alice.placeOrderSync({ marketId: other, side: Side.Bid, tick: 5_000_000n, lots: 3n })).orderId;

    // bob buys 2 at 300,500 (alice's askTop, filled whole) and 3 at 301,000 (alice's askA, partly)
    await bob.placeOrderSync({ marketId, side: Side.Bid, tick: 301_000n, lots: 5n, kind: OrderKind.Ioc });
    // carol sells 6 at 299,000: alice's bidA whole (5), then 1 of bob's
    await carol.placeOrderSync({ marketId, side: Side.Ask, tick: 299_000n, lots: 6n, kind: OrderKind.Ioc });
    await alice.batchOrdersSync({ marketId, ops: [{ type: "amend", orderId: askAmended, lots: 4n }, { type: "cancel", orderId: askCancelled }] });
    await alice.batchOrdersSync({ marketId, ops: [{ type: "cancelClientId", clientOrderId: 42n }] });
    // a new alice ask rests past its expiry: nothing removes it, so both views still list it
    const askStale = await place(alice, Side.Ask, 303_000n, 1n, { expiry: now + 150n });
    await connection.networkHelpers.time.increase(200n);
    // purgeTop stops at bob's live bid on top; the expired bid below goes by its id: OrderExpired
    const { expired } = await bob.purgeTopSync({ marketId, side: Side.Bid });
    expect(expired).to.deep.equal([]);
    await waitForTransactionReceipt(publicClient, {
      hash: await bob.writeContract({ address: clearinghouse, abi: clearinghouseAbi, functionName: "purgeExpired", args: [marketId, [bidExpiring]] }),
    });

    const viewed = await alice.getOpenOrders({ marketId, owner });
    expect(viewed.map((o) => o.orderId)).to.deep.equal([askA, askB, askAmended, askStale]);
    expect(viewed.map((o) => o.lots)).to.deep.equal([1n, 8n, 4n, 1n]);
    for (const pageLimit of [1n, 2n, 3n, 5n]) {
      expect((await alice.getOpenOrders({ marketId, owner, pageLimit })).map((o) => o.orderId), `pageLimit ${pageLimit}`).to.deep.equal(
        viewed.map((o) => o.orderId),
      );
    }
    void bidB;
    void askTop;

    const rebuilt = await alice.rebuildOpenOrders({ marketId, owner });
    expect(rebuilt.map((o) => [o.orderId, o.side, o.tick, o.lots])).to.deep.equal(viewed.map((o) => [o.orderId, o.side, o.tick, o.lots]));
    // and an indexer's own logs give the same through the pure replay
    const logs = await getLogs(publicClient, { address: clearinghouse, fromBlock: "earliest", toBlock: "latest" });
    expect(openOrdersFromLogs(logs, { clearinghouse, marketId }, accountId(owner, 0n)).map((o) => o.orderId)).to.deep.equal(
      viewed.map((o) => o.orderId),
    );
    // the other market, from the same logs and from its own topic filter
    expect(openOrdersFromLogs(logs, { clearinghouse, marketId: other }, accountId(owner, 0n)).map((o) => o.orderId)).to.deep.equal([elsewhere]);
    expect((await alice.rebuildOpenOrders({ marketId: other, owner })).map((o) => [o.orderId, o.marketId, o.lots])).to.deep.equal([
      [elsewhere, other, 3n],
    ]);
    expect((await alice.getOpenOrders({ marketId: other, owner })).map((o) => o.orderId)).to.deep.equal([elsewhere]);
    // the other accounts agree too
    for (const who of [bob, carol]) {
      const v = await alice.getOpenOrders({ marketId, owner: who.account.address, pageLimit: 2n });
      const r = await alice.rebuildOpenOrders({ marketId, owner: who.account.address });
      expect(r.map((o) => [o.orderId, o.lots])).to.deep.equal(v.map((o) => [o.orderId, o.lots]));
    }
  });

  it("cancelAll takes its ids from every page", async () => {
    const { alice, markets } = world();
    const marketId = markets.wethUsdc.marketId;
    const owner = alice.account.address;
    for (let i = 0n; i < 5n; i++) await alice.placeOrderSync({ marketId, side: Side.Bid, tick: 290_000n - i, lots: 1n });
    const { orderIds, events } = await alice.cancelAllSync({ marketId });
    expect(orderIds).to.have.length(5);
    expect(events.cancelled.map((c) => c.orderId)).to.deep.equal(orderIds);
    expect(await alice.getOpenOrders({ marketId, owner })).to.deep.equal([]);
    expect(await alice.rebuildOpenOrders({ marketId, owner })).to.deep.equal([]);
  });
});
