// A bot trades for an account on an agent key: everything it does settles in the owner's
// account, it can place, amend, batch, cancel and cancel-all there, and it can never move the
// owner's money out, nor trade on a sub-account it was not approved for, nor act once revoked.
import { expect } from "chai";
import type { Signer } from "ethers";
import { attachPrices, deployFixture } from "../helpers/fixture.ts";
import { accountId, amendOp, encodeOrder, OrderKind, placeOp, Side } from "../../sdk/src/math/order.ts";
import { balance, ceilBps, expectVaultBalanced, outcome, place, pocket, type Fx } from "./_flow.ts";
import { allOpenOrders } from "../helpers/openOrders.ts";

const T = 300_000n;
/** A bid locks its cost plus the market's 2 bp maker-fee bound, per lot, in tick units. */
const bidLockPerLot = (tick: bigint) => tick + ceilBps(tick, 2n);

describe("integration: an operator (agent key) trades for an account but cannot withdraw", () => {
  let fx: Fx;
  let alice: Signer, bob: Signer, agent: Signer, stranger: Signer;
  let aliceAddr: string;

  before(async () => {
    fx = await deployFixture();
    ({ alice, bob } = fx);
    // the oracle index an operator's orders keep to (WETH $3,000: tick 300_000, band ±2%)
    await attachPrices(fx.protocol, [
      [await fx.weth.getAddress(), "WETH", 3_000n * 10n ** 18n],
      [await fx.usdc.getAddress(), "USDC", 10n ** 18n],
    ]);
    [agent, stranger] = (await fx.ethers.getSigners()).slice(6, 8);
    aliceAddr = await alice.getAddress();
    await expect(fx.ch.connect(alice).setOperator(0, await agent.getAddress(), true))
      .to.emit(fx.ch, "OperatorSet")
      .withArgs(accountId(aliceAddr as `0x${string}`, 0n), await agent.getAddress(), true);
  });

  it("orders the agent places rest for the owner's account and lock the owner's funds", async () => {
    const m = fx.market;
    const usdcBefore = await balance(fx, alice, fx.usdc);
    const r = await outcome(m, m.connect(agent).placeOrderFor(aliceAddr, encodeOrder({ side: Side.Bid, tick: T - 10n, lots: 5n })));
    const [account, lots] = await m.getOrder(r.orderId);
    expect(account).to.equal(accountId(aliceAddr as `0x${string}`, 0n));
    expect(lots).to.equal(5n);
    expect((await pocket(m, alice)).openOrders).to.equal(1n);
    expect((await pocket(m, agent)).openOrders).to.equal(0n);
    expect(usdcBefore - (await balance(fx, alice, fx.usdc))).to.equal(5n * bidLockPerLot(T - 10n) * 10n);
    expect(await allOpenOrders(m, aliceAddr, 0)).to.deep.equal([r.orderId]);
  });

  it("the agent amends and batches for the owner; fills credit the owner's pocket", async () => {
    const m = fx.market;
    const [bid] = await allOpenOrders(m, aliceAddr, 0);
    const r = await outcome(
      m,
      m.connect(agent).batch(aliceAddr, 0, [amendOp(bid, 3n), placeOp({ side: Side.Ask, tick: T + 10n, lots: 4n })]),
    );
    expect(r.placed).to.have.length(1);
    expect((await m.getOrder(bid))[1]).to.equal(3n);
    const ask = r.orderId;
    // bob lifts the agent's ask: the proceeds belong to alice
    const take = await place(m, bob, { side: Side.Bid, tick: T + 10n, lots: 4n, kind: OrderKind.Ioc });
    expect(take.trade!.fills.map((f) => f.makerOrderId)).to.deep.equal([ask]);
    // the 2 lots amended away returned their lock to alice's pocket; the fill adds its proceeds
    const n = 4n * (T + 10n);
    expect((await pocket(m, alice)).unsweptTicks).to.equal(2n * bidLockPerLot(T - 10n) + n - ceilBps(n, 1n));
    expect((await pocket(m, agent)).unsweptTicks).to.equal(0n);
  });

  it("the agent cannot withdraw or transfer the owner's funds: it only reaches its own empty account", async () => {
    const usdc = await fx.usdc.getAddress();
    const aliceBalance = await balance(fx, alice, fx.usdc);
    await expect(fx.ch.connect(agent).withdraw(usdc, 0, 1n, await agent.getAddress()))
      .to.be.revertedWithCustomError(fx.ch, "InsufficientBalance")
      .withArgs(usdc, 1n, 0n);
    await expect(fx.ch.connect(agent).transfer(usdc, 0, 1, 1n)).to.be.revertedWithCustomError(fx.ch, "InsufficientBalance");
    expect(await balance(fx, alice, fx.usdc)).to.equal(aliceBalance);
    // sweeping is open to anyone and pays the owner, never the caller
    const proceeds = (await pocket(fx.market, alice)).unsweptTicks * 10n;
    await (await fx.market.connect(agent).sweep(aliceAddr, 0)).wait();
    expect((await balance(fx, alice, fx.usdc)) - aliceBalance).to.equal(proceeds);
    expect(await balance(fx, agent, fx.usdc)).to.equal(0n);
  });

  it("approval is per sub-account: the agent may not trade alice's sub-account 1", async () => {
    const m = fx.market;
    await expect(m.connect(agent).placeOrderFor(aliceAddr, encodeOrder({ side: Side.Bid, tick: T - 20n, lots: 1n, sub: 1n })))
      .to.be.revertedWithCustomError(m, "NotAuthorized")
      .withArgs(await agent.getAddress(), accountId(aliceAddr as `0x${string}`, 1n));
    await expect(m.connect(agent).batch(aliceAddr, 1, [placeOp({ side: Side.Bid, tick: T - 20n, lots: 1n })])).to.be.revertedWithCustomError(
      m,
      "NotAuthorized",
    );
  });

  it("a stranger can neither place for alice nor cancel her orders", async () => {
    const m = fx.market;
    const [bid] = await allOpenOrders(m, aliceAddr, 0);
    await expect(m.connect(stranger).cancelOrder(bid)).to.be.revertedWithCustomError(m, "NotAuthorized");
    await expect(m.connect(stranger).placeOrderFor(aliceAddr, encodeOrder({ side: Side.Bid, tick: T - 20n, lots: 1n }))).to.be.revertedWithCustomError(
      m,
      "NotAuthorized",
    );
    await expect(m.connect(stranger).cancelAll(aliceAddr, 0, [bid])).to.be.revertedWithCustomError(m, "NotAuthorized");
  });

  it("the agent cancels everything for alice; her locks return to her pocket", async () => {
    const m = fx.market;
    await (await m.connect(agent).placeOrderFor(aliceAddr, encodeOrder({ side: Side.Ask, tick: T + 30n, lots: 2n, clientOrderId: 7n }))).wait();
    await (await m.connect(agent).cancelOrderByClientId(aliceAddr, 0, 7n)).wait();
    const ids = await allOpenOrders(m, aliceAddr, 0);
    expect(ids).to.have.length(1);
    const before = await pocket(m, alice);
    await (await m.connect(agent).cancelAll(aliceAddr, 0, [...ids])).wait();
    const after = await pocket(m, alice);
    expect(after.openOrders).to.equal(0n);
    expect([after.lockedLots, after.lockedTicks]).to.deep.equal([0n, 0n]);
    expect(after.unsweptTicks - before.unsweptTicks).to.equal(before.lockedTicks);
    await expectVaultBalanced(fx, [m], [...fx.traders, agent]);
  });

  it("once revoked the agent can do nothing for alice", async () => {
    const m = fx.market;
    const r = await place(m, alice, { side: Side.Bid, tick: T - 40n, lots: 1n });
    await (await fx.ch.connect(alice).setOperator(0, await agent.getAddress(), false)).wait();
    expect(await fx.ch.isOperator(accountId(aliceAddr as `0x${string}`, 0n), await agent.getAddress())).to.equal(false);
    await expect(m.connect(agent).cancelOrder(r.orderId)).to.be.revertedWithCustomError(m, "NotAuthorized");
    await expect(m.connect(agent).amendOrder(r.orderId, 1n)).to.be.revertedWithCustomError(m, "NotAuthorized");
    await expect(m.connect(agent).placeOrderFor(aliceAddr, encodeOrder({ side: Side.Bid, tick: T - 40n, lots: 1n }))).to.be.revertedWithCustomError(
      m,
      "NotAuthorized",
    );
    expect((await m.getOrder(r.orderId))[1]).to.equal(1n);
  });
});
