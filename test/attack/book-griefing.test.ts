// Issue 13, item 7 (bounded work): griefing the spot book's queues from the public entry points.
// 1. Cancelled entries must not make a price level unusable: before the fix, 2 live lots and 254
//    cancelled entries filled a level's 256-entry ring and every further order reverted LevelFull.
// 2. Expired orders at the top must not cost the next taker unbounded gas for no fill: before the
//    fix, 64 expired orders cost the next taker ~0.8M gas (it removed all 64, then stopped).
//    Anyone can clear them from the top of the book in one call, without knowing their ids.
import { expect } from "chai";
import { encodeOrder, OrderKind, Side } from "../../sdk/src/math/order.ts";
import {
  useVenue,
  deposit,
  spotOrder,
  spotEvents,
  spotPlaceCancel,
  spotLevel,
  spotCancel,
  chainNow,
  elapse,
  mined,
  E6,
  E18,
} from "./venue.ts";
import { allOpenOrders } from "../helpers/openOrders.ts";

const X = 300_000n; // $3,000
const LOT = 10n ** 15n; // 0.001 WETH

describe("attack: griefing a price level with cancelled and expired entries", () => {
  const venue = useVenue();

  async function fund() {
    const v = venue();
    for (const w of [v.alice, v.bob, v.carol, v.dave]) await deposit(v, w, "WETH", 10n * E18);
    await deposit(v, v.outsider, "USDC", 1_000_000n * E6);
    return v;
  }

  /** Takers buy one lot at a time (IOC at X) until `lots` are filled; returns the makers filled, in order. */
  async function buyAll(lots: bigint, maxGas: bigint) {
    const v = venue();
    const fills: bigint[] = [];
    for (let i = 0; i < 40 && BigInt(fills.length) < lots; i++) {
      const r = await spotOrder(v, v.outsider, { side: Side.Bid, tick: X, lots: 1n, kind: OrderKind.Ioc });
      expect(r.gasUsed).to.be.lessThan(maxGas);
      for (const [id] of spotEvents(v, r).fills) fills.push(id);
    }
    return fills;
  }

  it("2 live lots and 254 cancelled entries between them: the level still accepts orders, in FIFO order", async () => {
    const v = await fund();
    const [head] = spotEvents(v, await spotOrder(v, v.alice, { side: Side.Ask, tick: X, lots: 1n })).placed;
    await spotPlaceCancel(v, v.bob, Side.Ask, X, 254);
    const [tail] = spotEvents(v, await spotOrder(v, v.carol, { side: Side.Ask, tick: X, lots: 1n })).placed;
    const [total, h, t] = await spotLevel(v, Side.Ask, X);
    expect([total, t - h]).to.deep.equal([2n, 256n]); // the whole ring spanned by two live orders
    const [next] = spotEvents(v, await spotOrder(v, v.dave, { side: Side.Ask, tick: X, lots: 1n })).placed;
    expect(typeof next).to.equal("bigint");
    expect((await spotLevel(v, Side.Ask, X))[0]).to.equal(3n);
    // price-time priority survives the reuse of the cancelled entries' slots
    expect(await buyAll(3n, 400_000n)).to.deep.equal([head, tail, next]);
    expect(await spotLevel(v, Side.Ask, X)).to.deep.equal([0n, 0n, 0n, 1n]);
  });

  it("however many cancelled entries pass through a level pinned by live orders, it keeps accepting", async () => {
    const v = await fund();
    const [a] = spotEvents(v, await spotOrder(v, v.alice, { side: Side.Ask, tick: X, lots: 1n })).placed;
    await spotPlaceCancel(v, v.bob, Side.Ask, X, 300);
    const [c] = spotEvents(v, await spotOrder(v, v.carol, { side: Side.Ask, tick: X, lots: 1n })).placed;
    await spotPlaceCancel(v, v.bob, Side.Ask, X, 600);
    const [d] = spotEvents(v, await spotOrder(v, v.dave, { side: Side.Ask, tick: X, lots: 1n })).placed;
    await spotPlaceCancel(v, v.bob, Side.Ask, X, 300);
    const [d2] = spotEvents(v, await spotOrder(v, v.dave, { side: Side.Ask, tick: X, lots: 2n })).placed;
    expect((await spotLevel(v, Side.Ask, X))[0]).to.equal(5n);
    // every live order is still found by its id in O(1): views and a cancel
    for (const id of [a, c, d, d2]) expect((await v.market.getOrder(id))[1]).to.not.equal(0n);
    expect((await allOpenOrders(v.market, v.dave.address, 0)).map((x) => x)).to.deep.equal([d, d2]);
    await spotCancel(v, v.dave, d2);
    // takers reach every live order in arrival order, each paying bounded gas
    expect(await buyAll(3n, 400_000n)).to.deep.equal([a, c, d]);
    expect(await spotLevel(v, Side.Ask, X)).to.deep.equal([0n, 0n, 0n, 1n]);
    expect((await v.market.pocketOf(v.dave.address, 0))[4]).to.equal(0n);
  });

  it("64 expired orders at the top cost the next taker bounded gas; anyone clears them in one call", async () => {
    const v = await fund();
    const expiry = (await chainNow(v)) + 100n;
    // 64 expiring asks from four accounts (16 each), then one live ask behind them
    for (const w of [v.alice, v.bob, v.carol, v.dave]) {
      const ops = Array.from({ length: 16 }, () => encodeOrder({ side: Side.Ask, tick: X, lots: 1n, expiry }));
      await mined(v.market.connect(w).batch(w.address, 0, ops));
    }
    await deposit(v, v.lender, "WETH", E18);
    const [live] = spotEvents(v, await spotOrder(v, v.lender, { side: Side.Ask, tick: X, lots: 1n })).placed;
    await elapse(v, 200n);

    const first = await spotOrder(v, v.outsider, { side: Side.Bid, tick: X, lots: 1n, kind: OrderKind.Ioc });
    expect(first.gasUsed).to.be.lessThan(250_000n); // was ~826k
    const removed = spotEvents(v, first).expired.length;
    expect(removed).to.be.greaterThan(0);

    // a keeper clears the rest from the top of the book without their ids
    const purge = await mined(v.market.connect(v.outsider).purgeTop(Side.Ask, 64));
    expect(spotEvents(v, purge).expired.length).to.equal(64 - removed);
    expect(await spotLevel(v, Side.Ask, X)).to.satisfy(([total]: bigint[]) => total === 1n);
    for (const w of [v.alice, v.bob, v.carol, v.dave]) {
      const [lockedBase, , unsweptBase, , open] = await v.market.pocketOf(w.address, 0);
      expect([lockedBase, unsweptBase, open]).to.deep.equal([0n, 16n * LOT, 0n]);
    }
    // the next taker fills the live order at once
    const next = await spotOrder(v, v.outsider, { side: Side.Bid, tick: X, lots: 1n, kind: OrderKind.Ioc });
    expect(spotEvents(v, next).fills).to.deep.equal([[live, 1n]]);
  });
});
