import { expect } from "chai";
import { createSpotMarket } from "../../scripts/lib/deploy.ts";
import { DEPOSIT, USDC_TICK, WETH_LOT } from "../helpers/fixture.ts";
import { acct, bidLockPerLot, bookState, MAX_LOTS, MAX_TICK, mined, ord, OrderKind, place, pocket, SelfTrade, Side, useFixture } from "./_helpers.ts";
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

  it("rejects order types 5..7 and self-trade mode 3 with InvalidOrderType", async () => {
    const { market, alice, bob } = fx();
    for (const kind of [5n, 6n, 7n]) {
      await expect(market.connect(alice).placeOrder(ord({ side: Side.Bid, tick: 5n, lots: 1n, kind: kind as typeof OrderKind.Gtc })))
        .to.be.revertedWithCustomError(market, "InvalidOrderType")
        .withArgs(kind);
    }
    // the self-trade mode is read when the order crosses
    await place(market, bob, { side: Side.Ask, tick: 5n, lots: 1n });
    await expect(market.connect(alice).placeOrder(ord({ side: Side.Bid, tick: 5n, lots: 1n, selfTrade: 3n as typeof SelfTrade.CancelBoth })))
      .to.be.revertedWithCustomError(market, "InvalidOrderType")
      .withArgs(3n);
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
