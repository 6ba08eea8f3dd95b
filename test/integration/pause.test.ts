// The guardian pauses a market with orders resting and proceeds unswept: placing and taking
// stop, by every entry point, while cancels, amends, purges, sweeps, deposits, withdrawals and
// transfers of free funds go on; pausing every market at once does the same on both books.
import { expect } from "chai";
import type { Signer } from "ethers";
import { deployFixture } from "../helpers/fixture.ts";
import { cancelOp, encodeOrder, OrderKind, placeOp, Side } from "../../sdk/src/math/order.ts";
import { addWbtcMarket, balance, expectVaultBalanced, outcome, place, pocket, type Fx } from "./_flow.ts";
import type { SpotMarket } from "../../scripts/lib/market.ts";

const T = 300_000n;

describe("integration: pause stops placing and taking, never cancels or withdrawals", () => {
  let fx: Fx;
  let wbtcMarket: SpotMarket;
  let alice: Signer, bob: Signer, carol: Signer;
  const ids: Record<string, bigint> = {};

  before(async () => {
    fx = await deployFixture();
    ({ alice, bob, carol } = fx);
    wbtcMarket = await addWbtcMarket(fx, { maker: 0n, taker: 5n, maxMaker: 0n });
    const m = fx.market;
    const now = BigInt((await fx.ethers.provider.getBlock("latest"))!.timestamp);
    ids.bid = (await place(m, alice, { side: Side.Bid, tick: T - 1n, lots: 10n })).orderId;
    ids.ask = (await place(m, alice, { side: Side.Ask, tick: T + 1n, lots: 10n, clientOrderId: 42n })).orderId;
    ids.short = (await place(m, alice, { side: Side.Ask, tick: T + 2n, lots: 5n, expiry: now + 60n })).orderId;
    ids.other = (await place(m, carol, { side: Side.Ask, tick: T + 3n, lots: 5n })).orderId;
    await place(m, bob, { side: Side.Bid, tick: T + 1n, lots: 4n, kind: OrderKind.Ioc }); // alice now has proceeds
    await place(wbtcMarket, bob, { side: Side.Ask, tick: 60_000n, lots: 3n });
  });

  it("the guardian pauses one market; any placement or take there reverts MarketPaused", async () => {
    const m = fx.market;
    await expect(fx.ch.connect(carol).setMarketPaused(1, true)).to.be.revertedWithCustomError(fx.ch, "AccessManagedUnauthorized");
    await expect(fx.ch.connect(fx.admin).setMarketPaused(1, true)).to.emit(m, "PausedSet").withArgs(m.marketId, true);
    expect((await m.marketState())[2]).to.equal(true);
    const passive = encodeOrder({ side: Side.Bid, tick: T - 5n, lots: 1n });
    const take = encodeOrder({ side: Side.Bid, tick: T + 1n, lots: 1n, kind: OrderKind.Ioc });
    await expect(m.connect(bob).placeOrder(passive)).to.be.revertedWithCustomError(m, "MarketPaused");
    await expect(m.connect(bob).placeOrder(take)).to.be.revertedWithCustomError(m, "MarketPaused");
    await expect(m.connect(bob).placeOrderFor(await bob.getAddress(), take)).to.be.revertedWithCustomError(m, "MarketPaused");
    await expect(m.connect(bob).batch(await bob.getAddress(), 0, [placeOp({ side: Side.Ask, tick: T + 9n, lots: 1n })])).to.be.revertedWithCustomError(
      m,
      "MarketPaused",
    );
    // the other market trades on
    const r = await place(wbtcMarket, carol, { side: Side.Bid, tick: 60_000n, lots: 1n, kind: OrderKind.Ioc });
    expect(r.trade!.filled).to.equal(1n);
  });

  it("while paused, owners still amend, cancel (by id, client id, in a batch, all) and anyone purges", async () => {
    const m = fx.market;
    await (await m.connect(alice).amendOrder(ids.bid, 6n)).wait();
    expect((await m.getOrder(ids.bid))[1]).to.equal(6n);
    await (await m.connect(alice).cancelOrderByClientId(await alice.getAddress(), 0, 42n)).wait();
    expect((await m.getOrder(ids.ask))[1]).to.equal(0n);
    const r = await outcome(m, m.connect(carol).batch(await carol.getAddress(), 0, [cancelOp(ids.other)]));
    expect(r.cancelled).to.deep.equal([ids.other]);
    await fx.connection.networkHelpers.time.increase(120);
    await expect(m.connect(bob).purgeExpired([ids.short])).to.emit(m, "OrderExpired").withArgs(m.marketId, ids.short, 5n);
    await (await m.connect(alice).cancelAll(await alice.getAddress(), 0, [ids.bid])).wait();
    expect((await pocket(m, alice)).openOrders).to.equal(0n);
    expect((await m.getBook(5))[0]).to.deep.equal([]);
  });

  it("while paused, proceeds are swept and free funds deposited, moved between sub-accounts and withdrawn", async () => {
    const m = fx.market;
    const usdc = await fx.usdc.getAddress();
    const p = await pocket(m, alice);
    expect(p.unsweptTicks).to.be.greaterThan(0n);
    const before = await balance(fx, alice, fx.usdc);
    await (await m.connect(alice).sweep(await alice.getAddress(), 0)).wait();
    const proceeds = p.unsweptTicks * 10n;
    expect((await balance(fx, alice, fx.usdc)) - before).to.equal(proceeds);
    await (await fx.ch.connect(alice).deposit(usdc, 0, 1_000n)).wait();
    await (await fx.ch.connect(alice).transfer(usdc, 0, 1, 500n)).wait();
    expect(await balance(fx, alice, fx.usdc, 1n)).to.equal(500n);
    const wallet = await fx.usdc.balanceOf(await alice.getAddress());
    await (await fx.ch.connect(alice).withdraw(usdc, 0, proceeds, await alice.getAddress())).wait();
    expect((await fx.usdc.balanceOf(await alice.getAddress())) - wallet).to.equal(proceeds);
    expect(await balance(fx, alice, fx.usdc)).to.equal(before + 500n);
    await expectVaultBalanced(fx, [m, wbtcMarket], fx.traders);
  });

  it("pausing all markets stops both books; unpausing lets trading resume", async () => {
    const m = fx.market;
    await (await fx.ch.connect(fx.admin).setMarketPaused(1, false)).wait();
    await (await fx.ch.connect(fx.admin).setAllPaused(true)).wait();
    for (const market of [m, wbtcMarket]) {
      expect((await market.marketState())[2]).to.equal(true);
      await expect(market.connect(bob).placeOrder(encodeOrder({ side: Side.Bid, tick: 100n, lots: 1n }))).to.be.revertedWithCustomError(
        market,
        "MarketPaused",
      );
    }
    // collecting fees is not trading: it still runs
    await expect(wbtcMarket.connect(carol).collectFees()).to.emit(wbtcMarket, "FeesCollected");
    await (await fx.ch.connect(fx.admin).setAllPaused(false)).wait();
    const r = await place(m, bob, { side: Side.Bid, tick: T - 5n, lots: 1n });
    expect((await m.getOrder(r.orderId))[1]).to.equal(1n);
    const t = await place(wbtcMarket, carol, { side: Side.Bid, tick: 60_000n, lots: 2n, kind: OrderKind.Fok });
    expect(t.trade!.filled).to.equal(2n);
    await expectVaultBalanced(fx, [m, wbtcMarket], fx.traders);
  });
});
