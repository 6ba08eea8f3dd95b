import { expect } from "chai";
import { DEPOSIT, USDC_TICK, WETH_LOT } from "../helpers/fixture.ts";
import { acct, bidLockPerLot, bookState, MARKET_INDEX, ord, orderIdOf, OrderKind, place, pocket, SelfTrade, Side, useFixture } from "./_helpers.ts";
import { decodePlacedInfo, encodeTaker } from "../../sdk/src/math/codec.ts";

const MAX_MAKER = 2n;

describe("SpotMarket.placeOrder: GTC and post-only", () => {
  const fx = useFixture();

  it("a GTC bid rests: id encodes where it lives, funds move from the balance into the pocket lock", async () => {
    const { ch, market, alice, usdc } = fx();
    const tick = 250_001n;
    const word = ord({ side: Side.Bid, tick, lots: 7n, clientOrderId: 42n });
    const expectedId = orderIdOf(MARKET_INDEX, Side.Bid, tick, 0n, 0n);
    const info = BigInt(acct(alice)) | (7n << 8n) | (42n << 56n);
    await expect(market.connect(alice).placeOrder(word)).to.emit(market, "OrderPlaced").withArgs(market.marketId, expectedId, info, 0n);
    const lock = 7n * bidLockPerLot(tick, MAX_MAKER) * USDC_TICK;
    expect(await ch.balanceOf(acct(alice), await usdc.getAddress())).to.equal(DEPOSIT - lock);
    expect(await pocket(market, alice)).to.deep.equal({ lockedBase: 0n, lockedQuote: lock, unsweptBase: 0n, unsweptQuote: 0n, openOrders: 1n });
    expect(await market.getOrder(expectedId)).to.deep.equal([acct(alice), 7n, 0n]);
    expect(await market.bestBidAsk()).to.deep.equal([tick, 0n]);
    // the next order at that tick queues behind it
    const second = await place(market, alice, { side: Side.Bid, tick, lots: 1n });
    expect(second.orderId).to.equal(orderIdOf(MARKET_INDEX, Side.Bid, tick, 0n, 1n));
    expect(await market.levelOf(Side.Bid, tick)).to.deep.equal([8n, 0n, 2n, 0n]);
  });

  it("a GTC ask rests and locks base lots", async () => {
    const { ch, market, bob, weth } = fx();
    const r = await place(market, bob, { side: Side.Ask, tick: 260_000n, lots: 3n });
    expect(r.orderId).to.equal(orderIdOf(MARKET_INDEX, Side.Ask, 260_000n, 0n, 0n));
    expect(r.trade).to.equal(undefined);
    expect(await ch.balanceOf(acct(bob), await weth.getAddress())).to.equal(DEPOSIT - 3n * WETH_LOT);
    expect((await pocket(market, bob)).lockedBase).to.equal(3n * WETH_LOT);
    expect(await market.bestBidAsk()).to.deep.equal([0n, 260_000n]);
  });

  it("a crossing GTC fills what it can and rests the remainder at its limit", async () => {
    const { market, alice, bob } = fx();
    await place(market, bob, { side: Side.Ask, tick: 100_000n, lots: 2n });
    const r = await place(market, alice, { side: Side.Bid, tick: 100_500n, lots: 5n });
    expect(r.trade!.filled).to.equal(2n);
    expect(r.trade!.notional).to.equal(2n * 100_000n);
    expect(r.orderId).to.equal(orderIdOf(MARKET_INDEX, Side.Bid, 100_500n, 0n, 0n));
    expect((await market.getOrder(r.orderId))[1]).to.equal(3n);
    expect(await market.bestBidAsk()).to.deep.equal([100_500n, 0n]);
    const p = await pocket(market, alice);
    expect(p.lockedQuote).to.equal(3n * bidLockPerLot(100_500n, MAX_MAKER) * USDC_TICK);
    expect(p.unsweptBase).to.equal(2n * WETH_LOT);
  });

  it("placing spends the pocket's unswept proceeds before the balance", async () => {
    const { ch, market, alice, bob, weth } = fx();
    // alice buys 4 lots: they land in her pocket, unswept
    await place(market, bob, { side: Side.Ask, tick: 100_000n, lots: 4n });
    await place(market, alice, { side: Side.Bid, tick: 100_000n, lots: 4n, kind: OrderKind.Ioc });
    const balance = await ch.balanceOf(acct(alice), await weth.getAddress());
    expect((await pocket(market, alice)).unsweptBase).to.equal(4n * WETH_LOT);
    await place(market, alice, { side: Side.Ask, tick: 120_000n, lots: 3n });
    expect(await ch.balanceOf(acct(alice), await weth.getAddress())).to.equal(balance);
    let p = await pocket(market, alice);
    expect([p.lockedBase, p.unsweptBase]).to.deep.equal([3n * WETH_LOT, 1n * WETH_LOT]);
    // 1 lot unswept is used up, 2 more come from the balance
    await place(market, alice, { side: Side.Ask, tick: 120_000n, lots: 3n });
    expect(await ch.balanceOf(acct(alice), await weth.getAddress())).to.equal(balance - 2n * WETH_LOT);
    p = await pocket(market, alice);
    expect([p.lockedBase, p.unsweptBase]).to.deep.equal([6n * WETH_LOT, 0n]);
  });

  it("post-only rests when it does not cross", async () => {
    const { market, alice, bob } = fx();
    await place(market, bob, { side: Side.Ask, tick: 100_000n, lots: 2n });
    const r = await place(market, alice, { side: Side.Bid, tick: 99_999n, lots: 2n, kind: OrderKind.PostOnly });
    expect(r.orderId).to.not.equal(0n);
    expect(await market.bestBidAsk()).to.deep.equal([99_999n, 100_000n]);
  });

  it("post-only that would cross reverts PostOnlyWouldCross and changes nothing", async () => {
    const { market, alice, bob } = fx();
    await place(market, bob, { side: Side.Ask, tick: 100_000n, lots: 2n });
    await place(market, alice, { side: Side.Bid, tick: 90_000n, lots: 2n });
    const before = await bookState(market);
    const pBefore = await pocket(market, alice);
    await expect(market.connect(alice).placeOrder(ord({ side: Side.Bid, tick: 100_000n, lots: 1n, kind: OrderKind.PostOnly })))
      .to.be.revertedWithCustomError(market, "PostOnlyWouldCross")
      .withArgs(100_000n, 100_000n);
    await expect(market.connect(bob).placeOrder(ord({ side: Side.Ask, tick: 80_000n, lots: 1n, kind: OrderKind.PostOnly })))
      .to.be.revertedWithCustomError(market, "PostOnlyWouldCross")
      .withArgs(80_000n, 90_000n);
    expect(await bookState(market)).to.deep.equal(before);
    expect(await pocket(market, alice)).to.deep.equal(pBefore);
  });

  it("OrderPlaced carries the order's expiry, so an indexer knows when it stops being live", async () => {
    const { market, alice, connection } = fx();
    const expiry = BigInt(await connection.networkHelpers.time.latest()) + 500n;
    const r = await place(market, alice, { side: Side.Ask, tick: 300n, lots: 2n, expiry, clientOrderId: 7n });
    const ev = r.receipt.logs.map((l) => market.interface.parseLog(l)).find((e) => e?.name === "OrderPlaced")!;
    expect(ev.args.expiry).to.equal(expiry);
    expect(decodePlacedInfo(ev.args.info)).to.include({ lots: 2n, clientOrderId: 7n });
  });

  it("a GTC stopped by self-trade prevention (cancel incoming) emits OrderDropped with what it dropped", async () => {
    const { market, alice, bob } = fx();
    await place(market, bob, { side: Side.Ask, tick: 500n, lots: 1n });
    await place(market, alice, { side: Side.Ask, tick: 501n, lots: 1n });
    const tx = market.connect(alice).placeOrder(ord({ side: Side.Bid, tick: 501n, lots: 3n, selfTrade: SelfTrade.CancelIncoming }));
    // fills bob's lot at 500, meets its own ask at 501 and stops: 2 lots neither filled nor resting
    await expect(tx)
      .to.emit(market, "OrderDropped")
      .withArgs(market.marketId, encodeTaker(acct(alice) as `0x${string}`, Side.Bid, OrderKind.Gtc), 2n, 2n);
    expect(await market.bestBidAsk()).to.deep.equal([0n, 501n]);
  });

  it("post-only ignores expired orders: it removes the expired ones it crosses (their locks back to their owners) and rests", async () => {
    const { market, alice, bob, carol, connection } = fx();
    const expiry = BigInt(await connection.networkHelpers.time.latest()) + 100n;
    const stale = await place(market, bob, { side: Side.Ask, tick: 1_000n, lots: 3n, expiry });
    await place(market, carol, { side: Side.Ask, tick: 1_002n, lots: 1n });
    await connection.networkHelpers.time.increaseTo(expiry);
    const aliceBefore = await pocket(market, alice);
    const r = await place(market, alice, { side: Side.Bid, tick: 1_001n, lots: 2n, kind: OrderKind.PostOnly });
    expect(r.expired).to.deep.equal([{ orderId: stale.orderId, lots: 3n }]);
    expect(r.orderId).to.not.equal(0n);
    expect(await market.bestBidAsk()).to.deep.equal([1_001n, 1_002n]);
    // bob's base goes back to bob's pocket; alice gets nothing of it, only her own bid's lock
    expect((await pocket(market, bob)).unsweptBase).to.equal(3n * WETH_LOT);
    const aliceAfter = await pocket(market, alice);
    expect(aliceAfter.unsweptBase).to.equal(aliceBefore.unsweptBase);
    expect(aliceAfter.lockedBase).to.equal(aliceBefore.lockedBase);
    // a live order behind the expired ones still makes it revert
    await expect(market.connect(alice).placeOrder(ord({ side: Side.Bid, tick: 1_002n, lots: 1n, kind: OrderKind.PostOnly })))
      .to.be.revertedWithCustomError(market, "PostOnlyWouldCross")
      .withArgs(1_002n, 1_002n);
  });
});
