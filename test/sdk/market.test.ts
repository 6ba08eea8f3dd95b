// Market actions through the client decorator, against the in-process network: every read
// and write, their …Sync forms and the decoded events, checked against the contract's views.
import { expect } from "chai";
import { toFunctionSelector } from "viem";
import { getBlockNumber, getTransaction, waitForTransactionReceipt } from "viem/actions";
import {
  NotAuthorizedError,
  OrderKind,
  SelfTrade,
  Side,
  decodeMarketEvents,
  decodeOrderId,
  DropReason,
  lotsToSize,
  priceToTick,
  clearinghouseAbi,
} from "../../sdk/src/index.ts";
import { WETH_LOT, WETH_TICK, useWorld } from "./_fixture.ts";

const ceilDiv = (a: bigint, b: bigint) => (a + b - 1n) / b;
/** Quote ticks a bid locks per lot: its price plus the maker fee bound (2 bps), rounded up. */
const bidLockPerLot = (tick: bigint) => tick + ceilDiv(tick * 2n, 10_000n);

async function thrown(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  return undefined;
}

describe("sdk actions: market", () => {
  const world = useWorld();

  it("getMarket reads the grid, fees and token decimals", async () => {
    const { alice, markets, tokens } = world();
    const m = await alice.getMarket({ marketId: markets.wethUsdc.marketId });
    expect(m.marketId).to.equal(1n);
    expect(m.perp).to.equal(false);
    expect(m.base).to.equal(tokens.weth);
    expect(m.quote).to.equal(tokens.usdc);
    expect(m.lotSize).to.equal(WETH_LOT);
    expect(m.tickSize).to.equal(WETH_TICK);
    expect([m.baseDecimals, m.quoteDecimals]).to.deep.equal([18, 6]);
    expect([m.makerFeeBps, m.takerFeeBps, m.maxMakerFeeBps, m.maxTakerFeeBps, m.minLots]).to.deep.equal([1n, 5n, 2n, 100n, 1n]);
    expect(m.paused).to.equal(false);
    const btc = await alice.getMarket({ marketId: markets.wbtcUsdc.marketId });
    expect([btc.marketId, btc.baseDecimals]).to.deep.equal([2n, 8]);
  });

  it("placeOrder sends and returns the hash; the order rests where its id says", async () => {
    const { alice, publicClient, markets, clearinghouse } = world();
    const marketId = markets.wethUsdc.marketId;
    const hash = await alice.placeOrder({ marketId, side: Side.Bid, tick: 299_000n, lots: 40n });
    const receipt = await waitForTransactionReceipt(publicClient, { hash });
    const [placed] = decodeMarketEvents(receipt.logs, clearinghouse, marketId).placed;
    expect(placed.marketId).to.equal(marketId);
    expect(placed.owner).to.equal(alice.account.address);
    expect(placed.lots).to.equal(40n);
    const order = await alice.getOrder({ marketId, orderId: placed.orderId });
    expect(order.live).to.equal(true);
    expect([order.side, order.tick, order.lots, order.expiry]).to.deep.equal([Side.Bid, 299_000n, 40n, 0n]);
    expect(order.account.owner).to.equal(alice.account.address);
  });

  it("decodeMarketEvents keeps one market's events: the core emits every market's, each with its id", async () => {
    const { alice, bob, markets, clearinghouse } = world();
    const eth = markets.wethUsdc.marketId;
    const btc = markets.wbtcUsdc.marketId;
    const a = await alice.placeOrderSync({ marketId: eth, side: Side.Ask, tick: 300_000n, lots: 4n });
    const b = await alice.placeOrderSync({ marketId: btc, side: Side.Ask, tick: 6_000_000n, lots: 2n });
    // the …Sync results already hold only their market's events
    expect(a.events.placed.map((e) => e.marketId)).to.deep.equal([eth]);
    expect(b.events.placed.map((e) => e.marketId)).to.deep.equal([btc]);
    const take = await bob.placeOrderSync({ marketId: btc, side: Side.Bid, tick: 6_000_000n, lots: 2n, kind: OrderKind.Ioc });
    const logs = [...a.receipt.logs, ...b.receipt.logs, ...take.receipt.logs];
    // both receipts' logs come from one address
    expect(new Set(logs.map((l) => l.address.toLowerCase())).size).to.equal(1);
    const onEth = decodeMarketEvents(logs, clearinghouse, eth);
    expect(onEth.placed.map((e) => e.orderId)).to.deep.equal([a.orderId]);
    expect(onEth.trades).to.deep.equal([]);
    const onBtc = decodeMarketEvents(logs, clearinghouse, btc);
    expect(onBtc.placed.map((e) => e.orderId)).to.deep.equal([b.orderId]);
    expect(onBtc.trades.map((t) => [t.marketId, t.filledLots])).to.deep.equal([[btc, 2n]]);
    // no id: every market's, in log order
    expect(decodeMarketEvents(logs, clearinghouse).placed.map((e) => e.marketId)).to.deep.equal([eth, btc]);
    // another address's logs are ignored
    expect(decodeMarketEvents(logs, alice.account.address, eth).placed).to.deep.equal([]);
  });

  it("placeOrderSync takes decimal price and size and returns the resting id", async () => {
    const { alice, markets } = world();
    const marketId = markets.wethUsdc.marketId;
    const r = await alice.placeOrderSync({ marketId, side: Side.Ask, price: "3000.01", size: "1.5", clientOrderId: 7n });
    expect(r.receipt.status).to.equal("success");
    expect(r.filledLots).to.equal(0n);
    const id = decodeOrderId(r.orderId);
    expect([id.side, id.tick, id.marketId]).to.deep.equal([Side.Ask, 300_001n, 1n]);
    expect(r.events.placed[0]).to.include({ lots: 1_500n, clientOrderId: 7n });
    const pocket = await alice.getBalances({ owner: alice.account.address, tokens: [], marketIds: [marketId] });
    expect(pocket.pockets[0].lockedBase).to.equal(1_500n * WETH_LOT);
  });

  it("a taker sweeping two levels gets its fills, fee and filled size decoded", async () => {
    const { alice, bob, carol, markets } = world();
    const marketId = markets.wethUsdc.marketId;
    const a = await alice.placeOrderSync({ marketId, side: Side.Ask, tick: 300_000n, lots: 100n });
    const c = await carol.placeOrderSync({ marketId, side: Side.Ask, tick: 300_050n, lots: 100n });
    const take = await bob.placeOrderSync({ marketId, side: Side.Bid, tick: 300_050n, lots: 150n, kind: OrderKind.Ioc });
    expect(take.orderId).to.equal(0n);
    expect(take.filledLots).to.equal(150n);
    const [trade] = take.events.trades;
    expect(trade.taker.owner).to.equal(bob.account.address);
    expect([trade.taker.side, trade.taker.kind]).to.deep.equal([Side.Bid, OrderKind.Ioc]);
    expect(trade.fills).to.deep.equal([
      { makerOrderId: a.orderId, lots: 100n, tick: 300_000n },
      { makerOrderId: c.orderId, lots: 50n, tick: 300_050n },
    ]);
    const notional = 100n * 300_000n + 50n * 300_050n;
    expect(trade.notionalTicks).to.equal(notional);
    expect(trade.takerFeeTicks).to.equal(ceilDiv(notional * 5n, 10_000n));
    // carol's order keeps its id with 50 lots left
    expect((await carol.getOrder({ marketId, orderId: c.orderId })).lots).to.equal(50n);
    expect((await alice.getOrder({ marketId, orderId: a.orderId })).live).to.equal(false);
  });

  it("an operator places for the owner through placeOrderFor, and only once approved", async () => {
    const { carol, dave, markets } = world();
    const marketId = markets.wethUsdc.marketId;
    const refused = await thrown(dave.placeOrderSync({ marketId, owner: carol.account.address, side: Side.Bid, tick: 290_000n, lots: 5n }));
    expect(refused).to.be.instanceOf(NotAuthorizedError);
    expect((refused as NotAuthorizedError).args.caller).to.equal(dave.account.address);
    await carol.setOperatorSync({ operator: dave.account.address });
    const r = await dave.placeOrderSync({ marketId, owner: carol.account.address, side: Side.Bid, tick: 290_000n, lots: 5n });
    const order = await dave.getOrder({ marketId, orderId: r.orderId });
    expect(order.account.owner).to.equal(carol.account.address);
    const tx = await getTransaction(dave, { hash: r.receipt.transactionHash });
    expect(tx.input.slice(0, 10)).to.equal(toFunctionSelector("placeOrderFor(uint256,address,uint256)"));
  });

  it("cancelOrder returns the lock to the pocket; the …Sync form reports the lots cancelled", async () => {
    const { alice, publicClient, markets } = world();
    const marketId = markets.wethUsdc.marketId;
    const r1 = await alice.placeOrderSync({ marketId, side: Side.Bid, tick: 299_000n, lots: 30n });
    const r2 = await alice.placeOrderSync({ marketId, side: Side.Bid, tick: 298_000n, lots: 20n });
    const hash = await alice.cancelOrder({ marketId, orderId: r1.orderId });
    expect((await waitForTransactionReceipt(publicClient, { hash })).status).to.equal("success");
    const { events } = await alice.cancelOrderSync({ marketId, orderId: r2.orderId });
    expect(events.cancelled).to.have.length(1);
    expect(events.cancelled[0]).to.include({ orderId: r2.orderId, lots: 20n });
    const { pockets } = await alice.getBalances({ owner: alice.account.address, tokens: [], marketIds: [marketId] });
    expect(pockets[0].lockedQuote).to.equal(0n);
    expect(pockets[0].unsweptQuote).to.equal((30n * bidLockPerLot(299_000n) + 20n * bidLockPerLot(298_000n)) * WETH_TICK);
    expect((await alice.getOrder({ marketId, orderId: r2.orderId })).live).to.equal(false);
  });

  it("cancelAll fetches the open orders and cancels them in one transaction", async () => {
    const { alice, markets } = world();
    const marketId = markets.wethUsdc.marketId;
    const ids: bigint[] = [];
    for (const [side, tick] of [
      [Side.Bid, 299_000n],
      [Side.Bid, 299_100n],
      [Side.Ask, 301_000n],
    ] as const) {
      ids.push((await alice.placeOrderSync({ marketId, side, tick, lots: 10n })).orderId);
    }
    const r = await alice.cancelAllSync({ marketId });
    expect([...r.orderIds].sort()).to.deep.equal([...ids].sort());
    expect(r.events.cancelled.map((c) => c.orderId).sort()).to.deep.equal([...ids].sort());
    expect(await alice.getOpenOrders({ marketId, owner: alice.account.address })).to.deep.equal([]);
  });

  it("cancelAll with nothing open sends no transaction", async () => {
    const { alice, publicClient, markets } = world();
    const before = await getBlockNumber(publicClient);
    const r = await alice.cancelAll({ marketId: markets.wethUsdc.marketId });
    expect(r).to.deep.equal({ hash: undefined, orderIds: [] });
    const s = await alice.cancelAllSync({ marketId: markets.wethUsdc.marketId });
    expect(s.receipt).to.equal(undefined);
    expect(await getBlockNumber(publicClient)).to.equal(before);
  });

  it("cancelAll by an operator clears the owner's sub-account", async () => {
    const { carol, dave, markets, publicClient } = world();
    const marketId = markets.wethUsdc.marketId;
    await carol.setOperatorSync({ operator: dave.account.address, sub: 3n });
    await carol.depositSync({ token: markets.wethUsdc.quote, amount: 10n ** 9n, sub: 3n });
    await dave.placeOrderSync({ marketId, owner: carol.account.address, sub: 3n, side: Side.Bid, tick: 100_000n, lots: 5n });
    await dave.placeOrderSync({ marketId, owner: carol.account.address, sub: 3n, side: Side.Bid, tick: 100_001n, lots: 5n });
    const { hash, orderIds } = await dave.cancelAll({ marketId, owner: carol.account.address, sub: 3n });
    expect(orderIds).to.have.length(2);
    await waitForTransactionReceipt(publicClient, { hash: hash! });
    expect(await dave.getOpenOrders({ marketId, owner: carol.account.address, sub: 3n })).to.deep.equal([]);
  });

  it("batchOrders places, amends, cancels by client id and cancel-replaces in one transaction", async () => {
    const { alice, markets } = world();
    const marketId = markets.wethUsdc.marketId;
    const first = await alice.batchOrdersSync({
      marketId,
      ops: [
        { type: "place", order: { side: Side.Bid, price: "2990", size: "0.05", clientOrderId: 11n } },
        { type: "place", order: { side: Side.Bid, tick: 298_000n, lots: 60n } },
        { type: "place", order: { side: Side.Ask, tick: 310_000n, lots: 70n, clientOrderId: 12n } },
      ],
    });
    const [bid1, bid2, ask] = first.placedOrderIds;
    expect(first.placedOrderIds).to.have.length(3);
    expect(decodeOrderId(bid1).tick).to.equal(299_000n);

    const second = await alice.batchOrdersSync({
      marketId,
      ops: [
        { type: "amend", orderId: bid2, lots: 25n },
        { type: "cancelClientId", clientOrderId: 12n },
        { type: "replace", orderId: bid1, order: { side: Side.Bid, tick: 299_500n, lots: 80n } },
      ],
    });
    expect(second.events.amended).to.deep.equal([{ marketId, orderId: bid2, newLots: 25n }]);
    expect(second.events.cancelled.map((c) => c.orderId)).to.deep.equal([ask, bid1]);
    expect(second.placedOrderIds).to.have.length(1);
    const open = await alice.getOpenOrders({ marketId, owner: alice.account.address });
    expect(open.map((o) => [o.tick, o.lots])).to.deep.equal([
      [299_500n, 80n],
      [298_000n, 25n],
    ]);
    // the amended order kept its id (and so its queue place)
    expect(open[1].orderId).to.equal(bid2);
  });

  it("batchOrders without …Sync returns a hash", async () => {
    const { bob, publicClient, markets, clearinghouse } = world();
    const hash = await bob.batchOrders({
      marketId: markets.wbtcUsdc.marketId,
      ops: [{ type: "place", order: { side: Side.Ask, price: "61000", size: "0.5" } }],
    });
    const receipt = await waitForTransactionReceipt(publicClient, { hash });
    const [placed] = decodeMarketEvents(receipt.logs, clearinghouse, markets.wbtcUsdc.marketId).placed;
    expect(placed.lots).to.equal(5_000n);
    expect(placed.id.tick).to.equal(priceToTick("61000", markets.wbtcUsdc));
  });

  it("getOrderBook aggregates levels best first and limits depth", async () => {
    const { alice, bob, carol, markets } = world();
    const marketId = markets.wethUsdc.marketId;
    await alice.placeOrderSync({ marketId, side: Side.Bid, tick: 299_000n, lots: 10n });
    await bob.placeOrderSync({ marketId, side: Side.Bid, tick: 299_000n, lots: 15n });
    await carol.placeOrderSync({ marketId, side: Side.Bid, tick: 299_500n, lots: 5n });
    await alice.placeOrderSync({ marketId, side: Side.Bid, tick: 298_000n, lots: 1n });
    await bob.placeOrderSync({ marketId, side: Side.Ask, tick: 300_100n, lots: 7n });
    await carol.placeOrderSync({ marketId, side: Side.Ask, tick: 300_000n, lots: 3n });
    const book = await alice.getOrderBook({ marketId, depth: 2 });
    expect(book.bids).to.deep.equal([
      { tick: 299_500n, lots: 5n },
      { tick: 299_000n, lots: 25n },
    ]);
    expect(book.asks).to.deep.equal([
      { tick: 300_000n, lots: 3n },
      { tick: 300_100n, lots: 7n },
    ]);
    const priced = await alice.getOrderBook({ marketId, depth: 10, withPrices: true });
    expect(priced.bids.map((l) => [l.price, l.size])).to.deep.equal([
      ["2995", "0.005"],
      ["2990", "0.025"],
      ["2980", "0.001"],
    ]);
    expect(priced.asks[0]).to.deep.equal({ tick: 300_000n, lots: 3n, price: "3000", size: "0.003" });
    // a grid passed in gives the same answer without reading the market
    expect(await alice.getOrderBook({ marketId, depth: 10, withPrices: true, grid: markets.wethUsdc })).to.deep.equal(priced);
  });

  it("getOrderBook leaves expired orders out, pages past 256 levels with bookPage, and decodes OrderPlaced.expiry", async () => {
    const { alice, bob, markets, connection } = world();
    const marketId = markets.wethUsdc.marketId;
    const expiry = BigInt(await connection.networkHelpers.time.latest()) + 60n;
    const stale = await alice.placeOrderSync({ marketId, side: Side.Ask, tick: 301_000n, lots: 2n, expiry });
    expect(stale.events.placed[0]!.expiry).to.equal(expiry);
    await bob.placeOrderSync({ marketId, side: Side.Ask, tick: 301_001n, lots: 3n });
    await bob.placeOrderSync({ marketId, side: Side.Bid, tick: 290_000n, lots: 1n });
    await connection.networkHelpers.time.increase(120n);
    const one = await alice.getOrderBook({ marketId, depth: 10 });
    expect(one.asks).to.deep.equal([{ tick: 301_001n, lots: 3n }]);
    // past 256 levels the SDK pages with bookPage; the answer is the same book
    expect(await alice.getOrderBook({ marketId, depth: 1000 })).to.deep.equal(one);
  });

  it("decodeMarketEvents reports a GTC stopped by self-trade prevention (cancel incoming) as OrderDropped", async () => {
    const { alice, markets } = world();
    const marketId = markets.wethUsdc.marketId;
    await alice.placeOrderSync({ marketId, side: Side.Ask, tick: 300_000n, lots: 5n });
    const r = await alice.placeOrderSync({ marketId, side: Side.Bid, tick: 300_000n, lots: 4n, selfTrade: SelfTrade.CancelIncoming });
    expect(r.orderId).to.equal(0n);
    expect(r.events.dropped.map((d) => [d.taker.owner, d.taker.side, d.taker.kind, d.lots, d.reason])).to.deep.equal([
      [alice.account.address, Side.Bid, OrderKind.Gtc, 4n, DropReason.SelfTrade],
    ]);
  });

  it("getOrderBook of an empty market is empty", async () => {
    const { alice, markets } = world();
    expect(await alice.getOrderBook({ marketId: markets.wbtcUsdc.marketId })).to.deep.equal({ bids: [], asks: [] });
  });

  it("getOpenOrders lists bids then asks, best first, with lots and expiry", async () => {
    const { alice, bob, markets, connection } = world();
    const marketId = markets.wethUsdc.marketId;
    const expiry = BigInt(await connection.networkHelpers.time.latest()) + 3_600n;
    await alice.placeOrderSync({ marketId, side: Side.Ask, tick: 301_000n, lots: 4n, expiry });
    await alice.placeOrderSync({ marketId, side: Side.Bid, tick: 298_000n, lots: 2n });
    await bob.placeOrderSync({ marketId, side: Side.Bid, tick: 299_000n, lots: 9n });
    await alice.placeOrderSync({ marketId, side: Side.Bid, tick: 299_000n, lots: 3n });
    const open = await alice.getOpenOrders({ marketId, owner: alice.account.address });
    expect(open.map((o) => [o.side, o.tick, o.lots, o.expiry])).to.deep.equal([
      [Side.Bid, 299_000n, 3n, 0n],
      [Side.Bid, 298_000n, 2n, 0n],
      [Side.Ask, 301_000n, 4n, expiry],
    ]);
    expect(open[0].position).to.equal(1n); // behind bob's order at that tick
    expect(await alice.getOpenOrders({ marketId, owner: alice.account.address, sub: 1n })).to.deep.equal([]);
  });

  it("sweep moves a maker's proceeds into its free balance", async () => {
    const { alice, bob, markets, tokens } = world();
    const marketId = markets.wethUsdc.marketId;
    await alice.placeOrderSync({ marketId, side: Side.Ask, tick: 300_000n, lots: 20n });
    await bob.placeOrderSync({ marketId, side: Side.Bid, tick: 300_000n, lots: 20n, kind: OrderKind.Ioc });
    const before = await alice.getBalances({ owner: alice.account.address, tokens: [tokens.usdc], marketIds: [marketId] });
    const proceeds = before.pockets[0].unsweptQuote;
    const notional = 20n * 300_000n;
    expect(proceeds).to.equal((notional - ceilDiv(notional * 1n, 10_000n)) * WETH_TICK); // minus the 1 bp maker fee
    const { swept } = await alice.sweepSync({ marketId });
    expect(swept.quoteAtoms).to.equal(proceeds);
    expect(swept.owner).to.equal(alice.account.address);
    const after = await alice.getBalances({ owner: alice.account.address, tokens: [tokens.usdc], marketIds: [marketId] });
    expect(after.free[tokens.usdc] - before.free[tokens.usdc]).to.equal(proceeds);
    expect(after.pockets[0].unsweptQuote).to.equal(0n);
    expect(after.total[tokens.usdc]).to.equal(before.total[tokens.usdc]);
  });

  it("sweep may be sent for another account and returns a hash", async () => {
    const { alice, bob, publicClient, markets, clearinghouse } = world();
    const marketId = markets.wethUsdc.marketId;
    await alice.placeOrderSync({ marketId, side: Side.Bid, tick: 300_000n, lots: 2n });
    await bob.placeOrderSync({ marketId, side: Side.Ask, tick: 300_000n, lots: 2n, kind: OrderKind.Ioc });
    const hash = await bob.sweep({ marketId, owner: alice.account.address });
    const receipt = await waitForTransactionReceipt(publicClient, { hash });
    const [swept] = decodeMarketEvents(receipt.logs, clearinghouse, marketId).swept;
    expect(swept.owner).to.equal(alice.account.address);
    expect(swept.baseAtoms).to.equal(2n * WETH_LOT);
  });

  it("purgeTop clears expired orders from the top of a side without ids; anyone may send it", async () => {
    const { alice, bob, markets, connection } = world();
    const marketId = markets.wethUsdc.marketId;
    const expiry = BigInt(await connection.networkHelpers.time.latest()) + 60n;
    const a = await alice.placeOrderSync({ marketId, side: Side.Ask, tick: 302_000n, lots: 2n, expiry });
    const b = await alice.placeOrderSync({ marketId, side: Side.Ask, tick: 302_001n, lots: 3n, expiry });
    const live = await alice.placeOrderSync({ marketId, side: Side.Ask, tick: 302_002n, lots: 1n });
    await connection.networkHelpers.time.increase(120n);
    const { expired } = await bob.purgeTopSync({ marketId, side: Side.Ask });
    expect(expired.map((e) => [e.orderId, e.lots])).to.deep.equal([
      [a.orderId, 2n],
      [b.orderId, 3n],
    ]);
    expect((await alice.getOrder({ marketId, orderId: live.orderId })).live).to.equal(true);
    const { expired: none } = await bob.purgeTopSync({ marketId, side: Side.Bid, maxOrders: 8n });
    expect(none).to.deep.equal([]);
  });

  it("self-trade prevention is the taker's choice", async () => {
    const { alice, markets } = world();
    const marketId = markets.wethUsdc.marketId;
    const resting = await alice.placeOrderSync({ marketId, side: Side.Ask, tick: 300_000n, lots: 5n });
    const r = await alice.placeOrderSync({
      marketId,
      side: Side.Bid,
      tick: 300_000n,
      lots: 5n,
      selfTrade: SelfTrade.CancelResting,
    });
    expect(r.filledLots).to.equal(0n);
    expect(r.events.cancelled.map((c) => c.orderId)).to.deep.equal([resting.orderId]);
    expect(r.orderId).to.not.equal(0n); // the GTC bid rests once its own ask is gone
  });

  it("size helpers agree with what the contract locked", async () => {
    const { bob, markets } = world();
    const marketId = markets.wbtcUsdc.marketId;
    const r = await bob.placeOrderSync({ marketId, side: Side.Ask, price: "60000.01", size: "0.0003" });
    const order = await bob.getOrder({ marketId, orderId: r.orderId });
    expect(lotsToSize(order.lots, markets.wbtcUsdc)).to.equal("0.0003");
    const { pockets } = await bob.getBalances({ owner: bob.account.address, tokens: [], marketIds: [marketId] });
    expect(pockets[0].lockedBase).to.equal(30_000n); // 0.0003 WBTC in 8-decimal atoms
    expect(clearinghouseAbi.some((i) => i.type === "function" && i.name === "getBook")).to.equal(true);
  });
});
