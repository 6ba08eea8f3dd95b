// The griefing bound on lazy cancels: cancelling in the middle of a queue leaves a dead entry
// that matching steps over later. One taker order steps over at most MAX_SKIPS (64) of them,
// stops there, and never rests a remainder that would still cross; the next taker goes on from
// where it stopped.
import { expect } from "chai";
import type { Signer } from "ethers";
import { deployFixture } from "../helpers/fixture.ts";
import { OrderKind, Side } from "../../sdk/src/math/order.ts";
import { expectVaultBalanced, outcome, place, pocket, type Fx } from "./_flow.ts";
import { allOpenOrders } from "../helpers/openOrders.ts";

const X = 300_000n;

describe("integration: a taker steps over at most 64 cancelled queue entries", () => {
  let fx: Fx;
  let alice: Signer, bob: Signer, carol: Signer, dave: Signer, eve: Signer;
  let head: bigint, tail: bigint;

  before(async () => {
    fx = await deployFixture();
    ({ alice, bob, carol, dave, eve } = fx);
  });

  it("70 orders cancelled between a head and a tail order leave a level of two live lots", async () => {
    const m = fx.market;
    head = (await place(m, alice, { side: Side.Ask, tick: X, lots: 1n })).orderId;
    for (const who of [bob, carol]) {
      for (let i = 0; i < 35; i++) await place(m, who, { side: Side.Ask, tick: X, lots: 1n });
      const ids = await allOpenOrders(m, await who.getAddress(), 0);
      const r = await outcome(m, m.connect(who).cancelAll(await who.getAddress(), 0, [...ids]));
      expect(r.cancelled).to.have.length(35);
    }
    tail = (await place(m, dave, { side: Side.Ask, tick: X, lots: 1n })).orderId;
    expect(await m.levelOf(1, X)).to.deep.equal([2n, 0n, 72n, 0n]);
  });

  it("a GTC buy fills the head, stops after 64 skips, and drops the remainder that would still cross", async () => {
    const m = fx.market;
    const r = await place(m, eve, { side: Side.Bid, tick: X, lots: 2n });
    expect(r.trade!.fills).to.deep.equal([{ makerOrderId: head, lots: 1n, tick: X }]);
    expect(r.placed).to.deep.equal([]);
    expect((await pocket(m, eve)).openOrders).to.equal(0n);
    expect(await m.levelOf(1, X)).to.deep.equal([1n, 1n + 64n, 72n, 0n]);
    expect(await m.bestBidAsk()).to.deep.equal([0n, X]);
  });

  it("the next taker steps over the last six and fills the tail; the emptied level starts a new epoch", async () => {
    const m = fx.market;
    const r = await place(m, eve, { side: Side.Bid, tick: X, lots: 1n, kind: OrderKind.Ioc });
    expect(r.trade!.fills).to.deep.equal([{ makerOrderId: tail, lots: 1n, tick: X }]);
    expect(await m.levelOf(1, X)).to.deep.equal([0n, 0n, 0n, 1n]);
    expect(await m.bestBidAsk()).to.deep.equal([0n, 0n]);
    await expectVaultBalanced(fx, [m], fx.traders);
  });
});
