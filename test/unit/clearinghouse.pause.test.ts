import { expect } from "chai";
import { GUARDIAN_ROLE, createSpotMarket } from "../../scripts/lib/deploy.ts";
import { bookState, cancelOp, mined, MARKET_INDEX, ord, parseMarketLogs, place, placeOp, pocket, Side, useFixture } from "./_helpers.ts";

describe("Clearinghouse.pause (guardian) / setMarketPaused / setAllPaused (governance)", () => {
  const fx = useFixture();

  it("a paused market rejects placing (also in a batch) with MarketPaused and leaves the book alone", async () => {
    const { ch, market, admin, alice } = fx();
    await place(market, alice, { side: Side.Bid, tick: 100_000n, lots: 2n });
    await expect(ch.connect(admin).setMarketPaused(MARKET_INDEX, true)).to.emit(market, "PausedSet").withArgs(market.marketId, true);
    const before = await bookState(market);
    await expect(market.connect(alice).placeOrder(ord({ side: Side.Ask, tick: 100_000n, lots: 1n }))).to.be.revertedWithCustomError(
      market,
      "MarketPaused",
    );
    await expect(market.connect(alice).batch(alice.address, 0, [placeOp({ side: Side.Bid, tick: 99_000n, lots: 1n })])).to.be.revertedWithCustomError(
      market,
      "MarketPaused",
    );
    expect(await bookState(market)).to.deep.equal(before);
    await mined(ch.connect(admin).setMarketPaused(MARKET_INDEX, false));
    expect((await market.marketState())[2]).to.equal(false);
    await place(market, alice, { side: Side.Bid, tick: 99_000n, lots: 1n });
  });

  it("while paused, cancels, amends, purges, sweeps, fee collection, deposits and withdrawals still work", async () => {
    const { ch, market, admin, alice, bob, carol, usdc, connection } = fx();
    const a = await place(market, alice, { side: Side.Ask, tick: 100_000n, lots: 5n });
    await place(market, bob, { side: Side.Bid, tick: 100_000n, lots: 2n, kind: 2n });
    const b = await place(market, bob, { side: Side.Bid, tick: 90_000n, lots: 3n });
    const expiry = BigInt(await connection.networkHelpers.time.latest()) + 100n;
    const stale = await place(market, carol, { side: Side.Ask, tick: 200_000n, lots: 1n, expiry });
    await mined(ch.connect(admin).setMarketPaused(MARKET_INDEX, true));
    await mined(market.connect(alice).amendOrder(a.orderId, 1n));
    await mined(market.connect(alice).cancelOrder(a.orderId));
    await mined(market.connect(bob).batch(bob.address, 0, [cancelOp(b.orderId)]));
    await mined(market.sweep(alice.address, 0));
    await mined(market.collectFees());
    await connection.networkHelpers.time.increaseTo(expiry);
    await expect(market.connect(bob).purgeExpired([stale.orderId])).to.emit(market, "OrderExpired").withArgs(market.marketId, stale.orderId, 1n);
    expect((await pocket(market, alice)).unsweptQuote).to.equal(0n);
    expect((await market.getBook(4))[0].length).to.equal(0);
    const token = await usdc.getAddress();
    await mined(ch.connect(alice).deposit(token, 0, 10n));
    await mined(ch.connect(alice).withdraw(token, 0, 10n, alice.address));
  });

  it("setAllPaused pauses and resumes every market", async () => {
    const { ch, admin, alice, wbtc, usdc, protocol, market } = fx();
    const second = await createSpotMarket(protocol, {
      base: await wbtc.getAddress(),
      quote: await usdc.getAddress(),
      lotSize: 1000n,
      tickSize: 1n,
      minLots: 1n,
      makerFeeBps: 0n,
      takerFeeBps: 0n,
      maxMakerFeeBps: 0n,
    });
    await mined(ch.connect(admin).setAllPaused(true));
    for (const m of [market, second]) {
      expect((await m.marketState())[2]).to.equal(true);
      await expect(m.connect(alice).placeOrder(ord({ side: Side.Bid, tick: 5n, lots: 1n }))).to.be.revertedWithCustomError(m, "MarketPaused");
    }
    await mined(ch.connect(admin).setAllPaused(false));
    for (const m of [market, second]) {
      const r = parseMarketLogs(m, await mined(m.connect(alice).placeOrder(ord({ side: Side.Bid, tick: 5n, lots: 1n }))));
      expect(r.orderId).to.not.equal(0n);
    }
  });

  it("a guardian pauses (one market, or every market with 0) but cannot resume; governance resumes; unknown markets revert UnknownMarket", async () => {
    const { ch, protocol, admin, alice, ethers, usdc, market } = fx();
    await expect(ch.connect(alice).pause(MARKET_INDEX))
      .to.be.revertedWithCustomError(ch, "AccessManagedUnauthorized")
      .withArgs(alice.address);
    await expect(ch.connect(alice).setAllPaused(true)).to.be.revertedWithCustomError(ch, "AccessManagedUnauthorized");
    const guardian = (await ethers.getSigners())[8];
    await mined(protocol.manager.connect(admin).grantRole(GUARDIAN_ROLE, guardian.address, 0));
    await expect(ch.connect(guardian).pause(MARKET_INDEX)).to.emit(market, "PausedSet").withArgs(market.marketId, true);
    await expect(ch.connect(guardian).setMarketPaused(MARKET_INDEX, false)).to.be.revertedWithCustomError(ch, "AccessManagedUnauthorized");
    await expect(ch.connect(guardian).setAllPaused(false)).to.be.revertedWithCustomError(ch, "AccessManagedUnauthorized");
    await expect(ch.connect(guardian).unfreeze()).to.be.revertedWithCustomError(ch, "AccessManagedUnauthorized");
    await mined(ch.connect(admin).setAllPaused(false));
    expect((await market.marketState())[2]).to.equal(false);
    await mined(ch.connect(guardian).pause(0n));
    expect((await market.marketState())[2]).to.equal(true);
    await expect(ch.connect(guardian).listAsset(await usdc.getAddress())).to.be.revertedWithCustomError(ch, "AccessManagedUnauthorized");
    await expect(ch.connect(guardian).pause(2n)).to.be.revertedWithCustomError(ch, "UnknownMarket").withArgs(2n);
    await expect(ch.connect(admin).setMarketPaused(0n, true)).to.be.revertedWithCustomError(ch, "UnknownMarket").withArgs(0n);
    await expect(ch.connect(admin).setMarketPaused(2n, true)).to.be.revertedWithCustomError(ch, "UnknownMarket").withArgs(2n);
  });

  it("freeze and unfreeze: guardian freezes, governance lifts; each emits FrozenSet", async () => {
    const { ch, protocol, admin, ethers } = fx();
    const guardian = (await ethers.getSigners())[8];
    await mined(protocol.manager.connect(admin).grantRole(GUARDIAN_ROLE, guardian.address, 0));
    await expect(ch.connect(guardian).freeze()).to.emit(ch, "FrozenSet").withArgs(true);
    expect(await ch.frozen()).to.equal(true);
    await expect(ch.connect(guardian).unfreeze()).to.be.revertedWithCustomError(ch, "AccessManagedUnauthorized");
    await expect(ch.connect(admin).unfreeze()).to.emit(ch, "FrozenSet").withArgs(false);
    expect(await ch.frozen()).to.equal(false);
  });
});
