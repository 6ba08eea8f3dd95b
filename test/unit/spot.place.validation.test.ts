import { expect } from "chai";
import { createSpotMarket } from "../../scripts/lib/deploy.ts";
import { DEPOSIT, USDC_TICK, WETH_LOT } from "../helpers/fixture.ts";
import { acct, bidLockPerLot, bookState, decodeOrderId, MAX_LOTS, MAX_TICK, mined, ord, OrderKind, parseMarketLogs, place, placeOp, pocket, SelfTrade, Side, useFixture } from "./_helpers.ts";
import { encodeOrder } from "../../sdk/src/math/order.ts";
import { ValueOutOfRangeError } from "../../sdk/src/errors/index.ts";
import type { SpotMarket } from "../../scripts/lib/market.ts";
import type { ContractTransactionReceipt } from "ethers";

type OrderFieldsArg = {
  lots: bigint;
  tick: bigint;
  side: bigint;
  kind: bigint;
  selfTrade: bigint;
  maxFills: bigint;
  sub: bigint;
  expiry: bigint;
  clientOrderId: bigint;
  reduceOnly: boolean;
};

/** The id of the order a placement left resting. */
const parseMarketLogsOf = (market: SpotMarket, rc: ContractTransactionReceipt): bigint => parseMarketLogs(market, rc).orderId;
import { allOpenOrders } from "../helpers/openOrders.ts";

describe("SpotMarket.placeOrder: input validation", () => {
  const fx = useFixture();

  it("rejects zero size with ZeroSize", async () => {
    const { market, alice } = fx();
    await expect(market.connect(alice).placeOrder(ord({ side: Side.Bid, tick: 5n, lots: 0n }))).to.be.revertedWithCustomError(
      market,
      "ZeroSize",
    );
  });

  it("rejects a size under the market minimum with BelowMinSize", async () => {
    const { protocol, alice, wbtc, usdc } = fx();
    const m = await createSpotMarket(protocol, {
      base: await wbtc.getAddress(),
      quote: await usdc.getAddress(),
      lotSize: 1000n,
      tickSize: 1n,
      minLots: 5n,
      makerFeeBps: 0n,
      takerFeeBps: 0n,
      maxMakerFeeBps: 0n,
    });
    await expect(m.connect(alice).placeOrder(ord({ side: Side.Ask, tick: 5n, lots: 4n })))
      .to.be.revertedWithCustomError(m, "BelowMinSize")
      .withArgs(4n, 5n);
    expect((await place(m, alice, { side: Side.Ask, tick: 5n, lots: 5n })).orderId).to.not.equal(0n);
  });

  it("rejects tick 0 and ticks past the last one with TickOutOfRange; the last tick is fine", async () => {
    const { market, alice } = fx();
    for (const tick of [0n, MAX_TICK + 1n, (1n << 24n) - 1n]) {
      await expect(market.connect(alice).placeOrder(ord({ side: Side.Ask, tick, lots: 1n })))
        .to.be.revertedWithCustomError(market, "TickOutOfRange")
        .withArgs(tick);
    }
    await place(market, alice, { side: Side.Ask, tick: MAX_TICK, lots: 1n });
    await place(market, alice, { side: Side.Bid, tick: 1n, lots: 1n });
    expect(await market.bestBidAsk()).to.deep.equal([1n, MAX_TICK]);
  });

  it("rejects order kinds 5..7 with InvalidOrderKind and self-trade mode 3 with InvalidSelfTradeMode", async () => {
    const { market, alice, bob } = fx();
    for (const kind of [5n, 6n, 7n]) {
      await expect(market.connect(alice).placeOrder(ord({ side: Side.Bid, tick: 5n, lots: 1n, kind: kind as typeof OrderKind.Gtc })))
        .to.be.revertedWithCustomError(market, "InvalidOrderKind")
        .withArgs(kind);
    }
    // the self-trade mode is read when the order crosses
    await place(market, bob, { side: Side.Ask, tick: 5n, lots: 1n });
    await expect(market.connect(alice).placeOrder(ord({ side: Side.Bid, tick: 5n, lots: 1n, selfTrade: 3n as typeof SelfTrade.CancelBoth })))
      .to.be.revertedWithCustomError(market, "InvalidSelfTradeMode")
      .withArgs(3n);
  });

  it("rejects a reduce-only order on a spot market with ReduceOnlyOnSpot, through placeOrder and a batch", async () => {
    const { market, alice } = fx();
    const before = await bookState(market);
    await expect(market.connect(alice).placeOrder(ord({ side: Side.Ask, tick: 5n, lots: 1n, reduceOnly: true }))).to.be.revertedWithCustomError(
      market,
      "ReduceOnlyOnSpot",
    );
    await expect(
      market.connect(alice).batch(alice.address, 0, [placeOp({ side: Side.Ask, tick: 5n, lots: 1n, reduceOnly: true })]),
    ).to.be.revertedWithCustomError(market, "ReduceOnlyOnSpot");
    expect(await bookState(market)).to.deep.equal(before);
  });

  it("rejects a word with any bit above its fields set (OrderWordUnusedBits) through placeOrder, placeOrderFor and a batch", async () => {
    const { ch, market, alice, bob } = fx();
    const valid = ord({ side: Side.Bid, tick: 5n, lots: 1n });
    const before = await bookState(market);
    for (const bit of [159n, 160n, 200n, 253n]) {
      const word = valid | (1n << bit);
      await expect(market.connect(alice).placeOrder(word)).to.be.revertedWithCustomError(market, "OrderWordUnusedBits").withArgs(word);
      await expect(market.connect(alice).placeOrderFor(alice.address, word)).to.be.revertedWithCustomError(market, "OrderWordUnusedBits");
      await expect(market.connect(alice).batch(alice.address, 0, [word])).to.be.revertedWithCustomError(market, "OrderWordUnusedBits");
    }
    // a client id of 2^33 packed by hand spills into bit 159: refused, not placed under another id
    const spilled = valid | ((1n << 33n) << 126n);
    await expect(market.connect(alice).placeOrder(spilled)).to.be.revertedWithCustomError(ch, "OrderWordUnusedBits");
    expect(await bookState(market)).to.deep.equal(before);
    // the top bits set on a packed word also cannot reach another account's pocket
    await expect(market.connect(bob).placeOrderFor(alice.address, valid | (1n << 255n))).to.be.revertedWithCustomError(
      market,
      "NotAuthorized",
    );
    await place(market, alice, { side: Side.Bid, tick: 5n, lots: 1n });
  });

  describe("placeOrderFields: typed fields, each range-checked by name", () => {
    const f = (o: Partial<Record<keyof OrderFieldsArg, bigint | boolean>>): OrderFieldsArg => ({
      lots: 1n,
      tick: 5n,
      side: Side.Bid,
      kind: OrderKind.Gtc,
      selfTrade: SelfTrade.CancelResting,
      maxFills: 0n,
      sub: 0n,
      expiry: 0n,
      clientOrderId: 0n,
      reduceOnly: false,
      ...(o as Partial<OrderFieldsArg>),
    });

    it("the finding on the core: a hand-packed bid at tick 2^24 + t is an ask at tick t; by fields it reverts TickOutOfRange", async () => {
      const { market, alice } = fx();
      const t = 300_000n;
      // packing by hand with no range check: the tick's bit 24 lands on the side bit
      const handPacked = 1n | ((t + (1n << 24n)) << 48n) | (Side.Bid << 72n);
      const r = parseMarketLogsOf(market, await mined(market.connect(alice).placeOrder(handPacked)));
      expect(decodeOrderId(r).side).to.equal(Side.Ask);
      expect(decodeOrderId(r).tick).to.equal(t);
      // lots of 2^48 + 5 by hand: 5 lots one tick higher
      const lotsPacked = ((1n << 48n) + 5n) | (t << 48n) | (Side.Ask << 72n);
      const r2 = parseMarketLogsOf(market, await mined(market.connect(alice).placeOrder(lotsPacked)));
      expect(decodeOrderId(r2).tick).to.equal(t + 1n);
      expect((await market.getOrder(r2))[1]).to.equal(5n);
      // the same intent through the typed entry point (and the SDK encoder) is refused by name
      await expect(market.connect(alice).placeOrderFields(alice.address, f({ tick: t + (1n << 24n) })))
        .to.be.revertedWithCustomError(market, "TickOutOfRange")
        .withArgs(t + (1n << 24n));
      await expect(market.connect(alice).placeOrderFields(alice.address, f({ tick: t, lots: (1n << 48n) + 5n })))
        .to.be.revertedWithCustomError(market, "LotsAboveMax")
        .withArgs((1n << 48n) + 5n, MAX_LOTS);
      expect(() => encodeOrder({ side: Side.Bid, tick: t + (1n << 24n), lots: 1n })).to.throw(ValueOutOfRangeError);
      expect(() => encodeOrder({ side: Side.Ask, tick: t, lots: (1n << 48n) + 5n })).to.throw(ValueOutOfRangeError);
    });

    it("each field past its bound reverts with the error naming it; at its bound it packs", async () => {
      const { market, alice } = fx();
      const M32 = (1n << 32n) - 1n;
      const before = await bookState(market);
      const byFields = (o: Partial<OrderFieldsArg>) => market.connect(alice).placeOrderFields(alice.address, f(o));
      await expect(byFields({ lots: MAX_LOTS + 1n })).to.be.revertedWithCustomError(market, "LotsAboveMax").withArgs(MAX_LOTS + 1n, MAX_LOTS);
      await expect(byFields({ tick: MAX_TICK + 1n })).to.be.revertedWithCustomError(market, "TickOutOfRange").withArgs(MAX_TICK + 1n);
      await expect(byFields({ tick: 0n })).to.be.revertedWithCustomError(market, "TickOutOfRange").withArgs(0n);
      await expect(byFields({ side: 2n })).to.be.revertedWithCustomError(market, "InvalidSide").withArgs(2n);
      await expect(byFields({ kind: 5n })).to.be.revertedWithCustomError(market, "InvalidOrderKind").withArgs(5n);
      await expect(byFields({ kind: 8n })).to.be.revertedWithCustomError(market, "InvalidOrderKind").withArgs(8n);
      await expect(byFields({ selfTrade: 3n })).to.be.revertedWithCustomError(market, "InvalidSelfTradeMode").withArgs(3n);
      await expect(byFields({ maxFills: 129n })).to.be.revertedWithCustomError(market, "TooManyFills").withArgs(129n, 128n);
      await expect(byFields({ maxFills: 256n })).to.be.revertedWithCustomError(market, "TooManyFills").withArgs(256n, 128n);
      await expect(byFields({ sub: 256n })).to.be.revertedWithCustomError(market, "SubAccountOutOfRange").withArgs(256n);
      await expect(byFields({ expiry: M32 + 1n })).to.be.revertedWithCustomError(market, "ExpiryOutOfRange").withArgs(M32 + 1n);
      await expect(byFields({ clientOrderId: M32 + 1n }))
        .to.be.revertedWithCustomError(market, "ClientOrderIdOutOfRange")
        .withArgs(M32 + 1n);
      await expect(byFields({ lots: 0n })).to.be.revertedWithCustomError(market, "ZeroSize");
      await expect(byFields({ reduceOnly: true })).to.be.revertedWithCustomError(market, "ReduceOnlyOnSpot");
      expect(await bookState(market)).to.deep.equal(before);
      // every field at its bound: it rests as the same order the packed word places
      const edge = f({ tick: MAX_TICK, side: Side.Ask, kind: OrderKind.PostOnly, selfTrade: SelfTrade.CancelBoth, maxFills: 128n, expiry: M32, clientOrderId: M32 });
      const r = parseMarketLogsOf(market, await mined(market.connect(alice).placeOrderFields(alice.address, edge)));
      const [, lots, expiry] = await market.getOrder(r);
      expect([decodeOrderId(r).tick, decodeOrderId(r).side, lots, expiry]).to.deep.equal([MAX_TICK, Side.Ask, 1n, M32]);
    });

    it("places exactly what placeOrder places for the same fields", async () => {
      const { market, alice, connection } = fx();
      const o = { side: Side.Bid, tick: 1234n, lots: 7n, kind: OrderKind.Gtc, clientOrderId: 99n, sub: 0n } as const;
      const snap = await connection.networkHelpers.takeSnapshot();
      const a = parseMarketLogsOf(market, await mined(market.connect(alice).placeOrder(ord(o))));
      const pa = await pocket(market, alice);
      await snap.restore();
      const b = parseMarketLogsOf(market, await mined(market.connect(alice).placeOrderFields(alice.address, f(o))));
      expect(b).to.equal(a);
      expect(await pocket(market, alice)).to.deep.equal(pa);
    });

    it("an outsider cannot place for another account by fields (NotAuthorized), changing nothing", async () => {
      const { market, alice, bob } = fx();
      const before = await bookState(market);
      await expect(market.connect(bob).placeOrderFields(alice.address, f({})))
        .to.be.revertedWithCustomError(market, "NotAuthorized");
      expect(await bookState(market)).to.deep.equal(before);
    });
  });

  it("marketInfo reports the quotable price range and the largest order", async () => {
    const { ch, market } = fx();
    const i = await ch.marketInfo(market.marketId);
    expect(i.minPricePerLot).to.equal(USDC_TICK);
    expect(i.maxPricePerLot).to.equal(USDC_TICK * MAX_TICK);
    expect(i.maxOrderLots).to.equal(MAX_LOTS);
  });

  it("rejects an expiry at or before the block time with Expired", async () => {
    const { market, alice, connection } = fx();
    const { time } = connection.networkHelpers;
    const now = BigInt(await time.latest());
    await time.setNextBlockTimestamp(now + 10n);
    await expect(market.connect(alice).placeOrder(ord({ side: Side.Bid, tick: 5n, lots: 1n, expiry: now + 10n })))
      .to.be.revertedWithCustomError(market, "Expired")
      .withArgs(now + 10n);
    await expect(market.connect(alice).placeOrder(ord({ side: Side.Bid, tick: 5n, lots: 1n, expiry: 1n })))
      .to.be.revertedWithCustomError(market, "Expired")
      .withArgs(1n);
    const later = BigInt(await time.latest()) + 100n;
    const r = await place(market, alice, { side: Side.Bid, tick: 5n, lots: 1n, expiry: later });
    expect((await market.getOrder(r.orderId))[2]).to.equal(later);
  });

  it("reverts InsufficientBalance when the free balance cannot fund the order, changing nothing", async () => {
    const { ch, market, alice, usdc, weth } = fx();
    // sub-account 1 is empty
    await expect(market.connect(alice).placeOrder(ord({ side: Side.Bid, tick: 5n, lots: 1n, sub: 1n })))
      .to.be.revertedWithCustomError(ch, "InsufficientBalance")
      .withArgs(await usdc.getAddress(), bidLockPerLot(5n, 2n) * USDC_TICK, 0n);
    // more base than deposited
    const lots = DEPOSIT / WETH_LOT + 1n;
    await expect(market.connect(alice).placeOrder(ord({ side: Side.Ask, tick: 5n, lots })))
      .to.be.revertedWithCustomError(ch, "InsufficientBalance")
      .withArgs(await weth.getAddress(), lots * WETH_LOT, DEPOSIT);
    expect(await bookState(market)).to.deep.equal({ bestBid: 0n, bestAsk: 0n, bidTicks: [], bidLots: [], askTicks: [], askLots: [] });
    expect((await pocket(market, alice)).openOrders).to.equal(0n);
    expect(await ch.balanceOf(acct(alice), await weth.getAddress())).to.equal(DEPOSIT);
  });

  it("a taker buy that cannot pay its notional plus fee reverts InsufficientBalance", async () => {
    const { ch, market, alice, bob, usdc } = fx();
    const token = await usdc.getAddress();
    await place(market, bob, { side: Side.Ask, tick: 100_000n, lots: 1n });
    await mined(ch.connect(alice).transfer(token, 0, 1, 100_000n * USDC_TICK)); // cost without the fee
    await expect(market.connect(alice).placeOrder(ord({ side: Side.Bid, tick: 100_000n, lots: 1n, kind: OrderKind.Ioc, sub: 1n })))
      .to.be.revertedWithCustomError(ch, "InsufficientBalance")
      .withArgs(token, (100_000n + 50n) * USDC_TICK, 100_000n * USDC_TICK);
    expect((await market.getOrder((await allOpenOrders(market, bob.address, 0))[0]))[1]).to.equal(1n);
  });

  it("reverts AmountOverflow when a pocket field would overflow (two max-size asks)", async () => {
    const { ch, market, weth, alice } = fx();
    // 2 * MAX_LOTS lots exceed the pocket's 48-bit locked-base field
    const need = 2n * MAX_LOTS * WETH_LOT;
    await mined(weth.mint(alice.address, need));
    await mined(ch.connect(alice).deposit(await weth.getAddress(), 2, need));
    await place(market, alice, { side: Side.Ask, tick: 1000n, lots: MAX_LOTS, sub: 2n });
    await expect(market.connect(alice).placeOrder(ord({ side: Side.Ask, tick: 1001n, lots: MAX_LOTS, sub: 2n }))).to.be.revertedWithCustomError(
      market,
      "AmountOverflow",
    );
    expect((await pocket(market, alice, 2n)).lockedBase).to.equal(MAX_LOTS * WETH_LOT);
  });
});
