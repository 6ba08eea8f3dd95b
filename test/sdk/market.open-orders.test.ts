// getOpenOrders (the paged `openOrders` view) and rebuildOpenOrders (the book's events alone) agree
// on an account's open orders after placements, partial and full fills, amends, cancels (by id, by
// client id) and expiries, both those removed (purgeTop) and those still resting past their expiry.
import { expect } from "chai";
import { OrderKind, Side, accountId, openOrdersFromLogs, spotMarketAbi } from "../../sdk/src/index.ts";
import { getLogs, waitForTransactionReceipt } from "viem/actions";
import { useWorld } from "./_fixture.ts";

describe("sdk actions: open orders, paged and rebuilt from events", () => {
  const world = useWorld();

  it("getOpenOrders pages (any page size) and rebuildOpenOrders replays to the same orders", async () => {
    const { alice, bob, carol, publicClient, connection, markets } = world();
    const market = markets.wethUsdc.address;
    const owner = alice.account.address;
    const now = BigInt(await connection.networkHelpers.time.latest());
    const place = async (who: typeof alice, side: Side, tick: bigint, lots: bigint, extra: { expiry?: bigint; clientOrderId?: bigint } = {}) =>
      (await who.placeOrderSync({ market, side, tick, lots, ...extra })).orderId;

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

    // bob buys 2 at 300,500 (alice's askTop, filled whole) and 3 at 301,000 (alice's askA, partly)
    await bob.placeOrderSync({ market, side: Side.Bid, tick: 301_000n, lots: 5n, kind: OrderKind.Ioc });
    // carol sells 6 at 299,000: alice's bidA whole (5), then 1 of bob's
    await carol.placeOrderSync({ market, side: Side.Ask, tick: 299_000n, lots: 6n, kind: OrderKind.Ioc });
    await alice.batchOrdersSync({ market, ops: [{ type: "amend", orderId: askAmended, lots: 4n }, { type: "cancel", orderId: askCancelled }] });
    await alice.batchOrdersSync({ market, ops: [{ type: "cancelClientId", clientOrderId: 42n }] });
    // a new alice ask rests past its expiry: nothing removes it, so both views still list it
    const askStale = await place(alice, Side.Ask, 303_000n, 1n, { expiry: now + 150n });
    await connection.networkHelpers.time.increase(200n);
    // purgeTop stops at bob's live bid on top; the expired bid below goes by its id: OrderExpired
    const { expired } = await bob.purgeTopSync({ market, side: Side.Bid });
    expect(expired).to.deep.equal([]);
    await waitForTransactionReceipt(publicClient, {
      hash: await bob.writeContract({ address: market, abi: spotMarketAbi, functionName: "purgeExpired", args: [[bidExpiring]] }),
    });

    const viewed = await alice.getOpenOrders({ market, owner });
    expect(viewed.map((o) => o.orderId)).to.deep.equal([askA, askB, askAmended, askStale]);
    expect(viewed.map((o) => o.lots)).to.deep.equal([1n, 8n, 4n, 1n]);
    for (const pageLimit of [1n, 2n, 3n, 5n]) {
      expect((await alice.getOpenOrders({ market, owner, pageLimit })).map((o) => o.orderId), `pageLimit ${pageLimit}`).to.deep.equal(
        viewed.map((o) => o.orderId),
      );
    }
    void bidB;
    void askTop;

    const rebuilt = await alice.rebuildOpenOrders({ market, owner });
    expect(rebuilt.map((o) => [o.orderId, o.side, o.tick, o.lots])).to.deep.equal(viewed.map((o) => [o.orderId, o.side, o.tick, o.lots]));
    // and an indexer's own logs give the same through the pure replay
    const logs = await getLogs(publicClient, { address: market, fromBlock: "earliest", toBlock: "latest" });
    expect(openOrdersFromLogs(logs, market, accountId(owner, 0n)).map((o) => o.orderId)).to.deep.equal(viewed.map((o) => o.orderId));
    // the other accounts agree too
    for (const who of [bob, carol]) {
      const v = await alice.getOpenOrders({ market, owner: who.account.address, pageLimit: 2n });
      const r = await alice.rebuildOpenOrders({ market, owner: who.account.address });
      expect(r.map((o) => [o.orderId, o.lots])).to.deep.equal(v.map((o) => [o.orderId, o.lots]));
    }
  });

  it("cancelAll takes its ids from every page", async () => {
    const { alice, markets } = world();
    const market = markets.wethUsdc.address;
    const owner = alice.account.address;
    for (let i = 0n; i < 5n; i++) await alice.placeOrderSync({ market, side: Side.Bid, tick: 290_000n - i, lots: 1n });
    const { orderIds, events } = await alice.cancelAllSync({ market });
    expect(orderIds).to.have.length(5);
    expect(events.cancelled.map((c) => c.orderId)).to.deep.equal(orderIds);
    expect(await alice.getOpenOrders({ market, owner })).to.deep.equal([]);
    expect(await alice.rebuildOpenOrders({ market, owner })).to.deep.equal([]);
  });
});
