import { expect } from "chai";
import type { Signer } from "ethers";
import { acct, mined, ord, place, placeOp, pocket, Side, useFixture } from "./_helpers.ts";
import type { SpotMarket } from "../../scripts/lib/market.ts";
import { allOpenOrders } from "../helpers/openOrders.ts";

/** Rests `n` one-lot asks of `signer`'s sub-account 0 at `tick` in one batch. */
async function fill(market: SpotMarket, signer: Signer, tick: bigint, n: number) {
  const ops = Array.from({ length: n }, () => placeOp({ side: Side.Ask, tick, lots: 1n }));
  await mined(market.connect(signer).batch(await signer.getAddress(), 0, ops));
}

describe("SpotMarket: open-order and level capacity", () => {
  const fx = useFixture();

  it("an account holds at most 64 open orders per market: the 65th reverts TooManyOpenOrders", async () => {
    const { ch, market, alice, weth } = fx();
    await fill(market, alice, 500_000n, 64);
    expect((await pocket(market, alice)).openOrders).to.equal(64n);
    expect((await allOpenOrders(market, alice.address, 0)).length).to.equal(64);
    await expect(market.connect(alice).placeOrder(ord({ side: Side.Bid, tick: 1n, lots: 1n })))
      .to.be.revertedWithCustomError(market, "TooManyOpenOrders")
      .withArgs(64n);
    // a taker order that rests nothing is still fine, and another sub-account has its own cap
    await place(market, alice, { side: Side.Bid, tick: 1n, lots: 1n, kind: 2n });
    await mined(ch.connect(alice).transfer(await weth.getAddress(), 0, 1, 10n ** 18n));
    await place(market, alice, { side: Side.Ask, tick: 600_000n, lots: 1n, sub: 1n });
    // cancelling one frees a place
    const [first] = await allOpenOrders(market, alice.address, 0);
    await mined(market.connect(alice).cancelOrder(first));
    await place(market, alice, { side: Side.Ask, tick: 500_000n, lots: 1n });
  });

  it("a level queues at most 256 live orders: the 257th reverts LevelFull; a cancelled entry's ring slot is reused", async () => {
    const { market, alice, bob, carol, dave, eve } = fx();
    const tick = 400_000n;
    for (const s of [alice, bob, carol, dave]) await fill(market, s, tick, 64);
    expect(await market.levelOf(Side.Ask, tick)).to.deep.equal([256n, 0n, 256n, 0n]);
    await expect(market.connect(eve).placeOrder(ord({ side: Side.Ask, tick, lots: 1n })))
      .to.be.revertedWithCustomError(market, "LevelFull")
      .withArgs(tick);
    // a cancel in the middle of the queue frees its ring slot: the next order takes the first
    // position after the tail whose slot is free (256..319 are alice's slots, still live), and
    // queues last
    const bobs = await allOpenOrders(market, bob.address, 0);
    expect(bobs[0] & 0xffffffffn).to.equal(64n);
    await mined(market.connect(bob).cancelOrder(bobs[0]));
    const r = await place(market, eve, { side: Side.Ask, tick, lots: 1n });
    expect(r.orderId & 0xffffffffn).to.equal(320n);
    expect(await market.levelOf(Side.Ask, tick)).to.deep.equal([256n, 0n, 321n, 0n]);
    expect(await market.getOrder(r.orderId)).to.deep.equal([acct(eve), 1n, 0n]);
    expect((await market.getOrder(bobs[0]))[1]).to.equal(0n);
    // 256 live orders again: full
    await expect(market.connect(eve).placeOrder(ord({ side: Side.Ask, tick, lots: 1n }))).to.be.revertedWithCustomError(market, "LevelFull");
    // another tick is unaffected
    await place(market, eve, { side: Side.Ask, tick: tick + 1n, lots: 1n });
    // filling the head frees its slot; the next order lands on it a lap later
    const [head] = await allOpenOrders(market, alice.address, 0);
    const taken = await place(market, eve, { side: Side.Bid, tick, lots: 1n, kind: 2n });
    expect(taken.trade!.fills.map((f) => f & ((1n << 112n) - 1n))).to.deep.equal([head]);
    const r2 = await place(market, eve, { side: Side.Ask, tick, lots: 1n });
    expect(r2.orderId & 0xffffffffn).to.equal(512n);
    expect(head & 0xffffffffn).to.equal(0n);
    // position 512 reuses position 0's ring slot: only the new id names a live order
    expect((await market.getOrder(head))[1]).to.equal(0n);
    expect(await market.getOrder(r2.orderId)).to.deep.equal([acct(eve), 1n, 0n]);
    await expect(market.connect(alice).cancelOrder(head)).to.be.revertedWithCustomError(market, "OrderNotFound");
    // a lapped order (bob's at position 65) is still cancelled by its id
    await mined(market.connect(bob).cancelOrder(bobs[1]));
    expect((await market.levelOf(Side.Ask, tick))[0]).to.equal(255n);
    expect((await allOpenOrders(market, eve.address, 0)).slice(0, 2)).to.deep.equal([r.orderId, r2.orderId]);
  });
});
