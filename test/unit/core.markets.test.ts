// Markets inside the one core (what SpotMarketDeployer's CREATE2 addresses were): createSpotMarket's
// checks and the ids it hands out (1, 2, … shared with perp markets, at most 64), marketInfo's
// fields, UnknownMarket for an id no market has and WrongMarketKind for a function of the other
// kind, and that two markets keep separate books and pockets, also against an operator or an
// order id replayed under another market's id.
import { expect } from "chai";
import { attachPrices, DEPOSIT, USDC_TICK, WETH_LOT } from "../helpers/fixture.ts";
import { createSpotMarket } from "../../scripts/lib/deploy.ts";
import { createPerpMarket, perpParams } from "../../scripts/lib/deploy-perp.ts";
import { marketHandle, type SpotMarket } from "../../scripts/lib/market.ts";
import { MockERC20__factory } from "../../types/ethers-contracts/index.js";
import { acct, cancelOp, mined, ord, pocket, place, Side, useFixture, type Fx } from "./_helpers.ts";

const E18 = 10n ** 18n;

describe("Markets in the core: creation, ids, kinds", () => {
  const fx = useFixture();

  /** WBTC/USDC spot parameters (market ids 2, 3, …), with overrides. */
  async function spotParams(f: Fx, overrides: Record<string, unknown> = {}) {
    return {
      base: await f.wbtc.getAddress(),
      quote: await f.usdc.getAddress(),
      lotSize: 10n ** 4n,
      tickSize: 100n,
      minLots: 2n,
      makerFeeBps: 0n,
      takerFeeBps: 4n,
      maxMakerFeeBps: 3n,
      ...overrides,
    };
  }

  /** Sets the core's risk parameters (WETH $3,000, USDC $1, WBTC $60,000) so perp markets can be created. */
  async function withRisk(f: Fx) {
    return attachPrices(f.protocol, [
      [await f.weth.getAddress(), "WETH", 3_000n * E18],
      [await f.usdc.getAddress(), "USDC", E18],
      [await f.wbtc.getAddress(), "WBTC", 60_000n * E18],
    ]);
  }

  /** An ETH perp on USDC (lot 0.001 WETH, tick 10 USDC atoms: tick 300_000 = $3,000). */
  async function ethPerp(f: Fx) {
    return createPerpMarket(f.protocol, {
      underlying: await f.weth.getAddress(),
      quote: await f.usdc.getAddress(),
      lotSize: WETH_LOT,
      tickSize: USDC_TICK,
    });
  }

  describe("createSpotMarket", () => {
    it("hands out ids in creation order, shared with perp markets, and marketInfo reads each back", async () => {
      const f = fx();
      const { ch, admin } = f;
      await withRisk(f);
      const p2 = await spotParams(f);
      expect(await ch.connect(admin).createSpotMarket.staticCall(p2)).to.equal(2n);
      await expect(ch.connect(admin).createSpotMarket(p2)).to.emit(ch, "SpotMarketCreated").withArgs(2n, Object.values(p2));
      const perp = await ethPerp(f);
      expect(perp.marketId).to.equal(3n);
      const p4 = await spotParams(f, { lotSize: (1n << 96n) - 1n, tickSize: (1n << 128n) - 1n, minLots: (1n << 48n) - 1n, maxMakerFeeBps: 100n });
      expect(await ch.connect(admin).createSpotMarket.staticCall(p4)).to.equal(4n);
      await mined(ch.connect(admin).createSpotMarket(p4));
      expect(await ch.marketCount()).to.equal(4n);

      const info = async (id: bigint) => {
        const i = await ch.marketInfo(id);
        return [i.perp, i.base, i.quote, i.lotSize, i.tickSize, i.minLots, i.maxMakerFeeBps];
      };
      const [weth, usdc] = [await f.weth.getAddress(), await f.usdc.getAddress()];
      expect(await info(1n)).to.deep.equal([false, weth, usdc, WETH_LOT, USDC_TICK, 1n, 2n]);
      expect(await info(2n)).to.deep.equal([false, p2.base, p2.quote, p2.lotSize, p2.tickSize, p2.minLots, p2.maxMakerFeeBps]);
      const pp = perpParams({ underlying: weth, quote: usdc, lotSize: WETH_LOT, tickSize: USDC_TICK });
      expect(await info(3n)).to.deep.equal([true, weth, usdc, WETH_LOT, USDC_TICK, pp.minLots, pp.maxMakerFeeBps]);
      // each field at the widest value the checks allow
      expect(await info(4n)).to.deep.equal([false, p4.base, p4.quote, p4.lotSize, p4.tickSize, p4.minLots, 100n]);
      expect(await ch.perpMarketMask()).to.equal(1n << 2n); // market 3's bit only
    });

    it("rejects a lot size of 2^96 or more, and the other out-of-range parameters, with InvalidMarketParams", async () => {
      const f = fx();
      const { ch, admin } = f;
      for (const o of [
        { lotSize: 1n << 96n },
        { lotSize: (1n << 128n) - 1n },
        { lotSize: 0n },
        { tickSize: 0n },
        { minLots: 0n },
        { minLots: 1n << 48n },
        { maxMakerFeeBps: 101n },
        { base: await f.usdc.getAddress() },
      ]) {
        await expect(ch.connect(admin).createSpotMarket(await spotParams(f, o)), JSON.stringify(o, (_, v) => String(v))).to.be.revertedWithCustomError(
          ch,
          "InvalidMarketParams",
        );
      }
      expect(await ch.marketCount()).to.equal(1n);
      // one below the bound is a valid lot size
      await mined(ch.connect(admin).createSpotMarket(await spotParams(f, { lotSize: (1n << 96n) - 1n })));
      expect((await ch.marketInfo(2n)).lotSize).to.equal((1n << 96n) - 1n);
    });

    it("rejects an unlisted base or quote with AssetNotListed, spot and perp alike", async () => {
      const f = fx();
      const { ch, admin } = f;
      await withRisk(f);
      const dai = await (await new MockERC20__factory(admin).deploy("Dai", "DAI", 18)).getAddress();
      for (const o of [{ base: dai }, { quote: dai }]) {
        await expect(ch.connect(admin).createSpotMarket(await spotParams(f, o)))
          .to.be.revertedWithCustomError(ch, "AssetNotListed")
          .withArgs(dai);
      }
      const usdc = await f.usdc.getAddress();
      const weth = await f.weth.getAddress();
      for (const [underlying, quote] of [[dai, usdc], [weth, dai]]) {
        await expect(ch.connect(admin).createPerpMarket(perpParams({ underlying, quote, lotSize: WETH_LOT, tickSize: USDC_TICK })))
          .to.be.revertedWithCustomError(ch, "AssetNotListed")
          .withArgs(dai);
      }
      expect(await ch.marketCount()).to.equal(1n);
    });

    it("stops at 64 markets of both kinds with CapacityReached, for spot and perp", async () => {
      const f = fx();
      const { ch, admin } = f;
      await withRisk(f);
      const spot = await spotParams(f);
      const perp = perpParams({ underlying: await f.weth.getAddress(), quote: await f.usdc.getAddress(), lotSize: WETH_LOT, tickSize: USDC_TICK });
      // market 1 is the fixture's; 2..64 alternate perp (even ids) and spot (odd ids)
      for (let id = 2n; id <= 64n; id++) {
        await mined(id % 2n === 0n ? ch.connect(admin).createPerpMarket(perp) : ch.connect(admin).createSpotMarket(spot));
      }
      expect(await ch.marketCount()).to.equal(64n);
      await expect(ch.connect(admin).createSpotMarket(spot)).to.be.revertedWithCustomError(ch, "CapacityReached");
      await expect(ch.connect(admin).createPerpMarket(perp)).to.be.revertedWithCustomError(ch, "CapacityReached");
      expect(await ch.marketCount()).to.equal(64n);
      expect((await ch.marketInfo(64n)).perp).to.equal(true);
      expect((await ch.marketInfo(63n)).perp).to.equal(false);
      await expect(ch.marketInfo(65n)).to.be.revertedWithCustomError(ch, "UnknownMarket").withArgs(65n);
      // the last spot market trades like the first
      const last = await place(marketHandle(ch, 63n), f.alice, { side: Side.Bid, tick: 290_000n, lots: 2n });
      expect(last.orderId >> 96n).to.equal(63n);
    });
  });

  describe("UnknownMarket and WrongMarketKind", () => {
    it("an id no market has reverts UnknownMarket on book entry points, views and marketInfo", async () => {
      const { ch, alice } = fx();
      const word = ord({ side: Side.Bid, tick: 290_000n, lots: 1n });
      for (const id of [0n, 2n, 2n ** 64n]) {
        await expect(ch.connect(alice).placeOrder(id, word)).to.be.revertedWithCustomError(ch, "UnknownMarket").withArgs(id);
        await expect(ch.connect(alice).cancelOrder(id, 1n)).to.be.revertedWithCustomError(ch, "UnknownMarket").withArgs(id);
        await expect(ch.connect(alice).sweep(id, alice.address, 0)).to.be.revertedWithCustomError(ch, "UnknownMarket").withArgs(id);
        await expect(ch.getBook(id, 4)).to.be.revertedWithCustomError(ch, "UnknownMarket").withArgs(id);
        await expect(ch.pocketOf(id, alice.address, 0)).to.be.revertedWithCustomError(ch, "UnknownMarket").withArgs(id);
        await expect(ch.marketInfo(id)).to.be.revertedWithCustomError(ch, "UnknownMarket").withArgs(id);
        await expect(ch.perpPositionOf(id, acct(alice))).to.be.revertedWithCustomError(ch, "UnknownMarket").withArgs(id);
      }
      // nothing was placed, on the one market there is
      expect((await ch.pocketOf(1n, alice.address, 0))[4]).to.equal(0n);
    });

    it("sweep on a perp id and a perp function on a spot id revert WrongMarketKind", async () => {
      const f = fx();
      const { ch, alice, admin } = f;
      await withRisk(f);
      const perp = await ethPerp(f);
      await expect(ch.connect(alice).sweep(perp.marketId, alice.address, 0))
        .to.be.revertedWithCustomError(ch, "WrongMarketKind")
        .withArgs(perp.marketId);
      for (const call of [
        ch.perpPositionOf(1n, acct(alice)),
        ch.perpRiskOf(1n, acct(alice)),
        ch.funding(1n),
        ch.markPrice(1n),
        ch.perpParams(1n),
        ch.connect(alice).settlePerp(1n, alice.address, 0),
        ch.connect(admin).setPremiumParams(1n, 10_000n, 60n),
      ]) {
        await expect(call).to.be.revertedWithCustomError(ch, "WrongMarketKind").withArgs(1n);
      }
      // the right kind answers
      await mined(ch.connect(alice).sweep(1n, alice.address, 0));
      expect((await perp.positionOf(acct(alice)))[0]).to.equal(0n);
    });
  });

  describe("two markets in one core", () => {
    /** A second WETH/USDC spot market (id 2): same pair, its own book, tick 20 atoms. */
    async function second(f: Fx): Promise<SpotMarket> {
      return createSpotMarket(f.protocol, {
        base: await f.weth.getAddress(),
        quote: await f.usdc.getAddress(),
        lotSize: WETH_LOT,
        tickSize: 2n * USDC_TICK,
        minLots: 1n,
        makerFeeBps: 0n,
        takerFeeBps: 0n,
        maxMakerFeeBps: 0n,
      });
    }

    it("keep separate books and pockets; market 1's order id is not found on market 2", async () => {
      const f = fx();
      const { market, alice, bob } = f;
      const m2 = await second(f);
      expect(m2.marketId).to.equal(2n);
      const bid = await place(market, alice, { side: Side.Bid, tick: 290_000n, lots: 4n });
      expect(bid.orderId >> 96n).to.equal(1n);
      // market 2's book and alice's pocket there are untouched
      expect(await m2.bestBidAsk()).to.deep.equal([0n, 0n]);
      expect(await pocket(m2, alice)).to.deep.equal({ lockedBase: 0n, lockedQuote: 0n, unsweptBase: 0n, unsweptQuote: 0n, openOrders: 0n });
      expect((await pocket(market, alice)).openOrders).to.equal(1n);
      expect((await m2.getOrder(bid.orderId))[1]).to.equal(0n);
      // an ask at the same tick on market 2 does not cross market 1's bid: it rests
      const ask = await place(m2, bob, { side: Side.Ask, tick: 290_000n, lots: 4n });
      expect(ask.trade).to.equal(undefined);
      expect(ask.orderId >> 96n).to.equal(2n);
      expect(await m2.bestBidAsk()).to.deep.equal([0n, 290_000n]);
      expect(await market.bestBidAsk()).to.deep.equal([290_000n, 0n]);
      expect((await pocket(market, bob)).openOrders).to.equal(0n);
      expect((await pocket(m2, bob)).lockedBase).to.equal(4n * WETH_LOT);
      // market 1's id under market 2 (and the reverse): OrderNotFound, both orders stay
      await expect(m2.connect(alice).cancelOrder(bid.orderId)).to.be.revertedWithCustomError(m2, "OrderNotFound").withArgs(bid.orderId);
      await expect(market.connect(bob).cancelOrder(ask.orderId)).to.be.revertedWithCustomError(market, "OrderNotFound").withArgs(ask.orderId);
      await expect(m2.connect(alice).amendOrder(bid.orderId, 1n)).to.be.revertedWithCustomError(m2, "OrderNotFound").withArgs(bid.orderId);
      expect((await market.getOrder(bid.orderId))[1]).to.equal(4n);
      expect((await m2.getOrder(ask.orderId))[1]).to.equal(4n);
      // each cancels under its own id and releases its own pocket
      await mined(market.connect(alice).cancelOrder(bid.orderId));
      await mined(m2.connect(bob).cancelOrder(ask.orderId));
      expect((await pocket(market, alice)).openOrders).to.equal(0n);
      expect((await pocket(m2, bob)).lockedBase).to.equal(0n);
    });

    it("attack: an operator of one account cannot touch another account's orders on another market id", async () => {
      const f = fx();
      const { ch, market, alice, bob, ethers } = f;
      const op = (await ethers.getSigners())[7];
      const m2 = await second(f);
      await mined(ch.connect(alice).setOperator(0, op.address, true));
      // bob's orders on market 2, and alice's on market 1 (which `op` may manage)
      const bobs = await place(m2, bob, { side: Side.Ask, tick: 310_000n, lots: 3n, clientOrderId: 5n });
      const alices = await place(market, alice, { side: Side.Bid, tick: 290_000n, lots: 2n });
      const bobsPocket = await pocket(m2, bob);
      for (const tx of [
        m2.connect(op).cancelOrder(bobs.orderId),
        m2.connect(op).amendOrder(bobs.orderId, 1n),
        m2.connect(op).cancelOrderByClientId(bob.address, 0, 5n),
        m2.connect(op).cancelAll(bob.address, 0, [bobs.orderId]),
        m2.connect(op).batch(bob.address, 0, [cancelOp(bobs.orderId)]),
        m2.connect(op).placeOrderFor(bob.address, ord({ side: Side.Bid, tick: 310_000n, lots: 3n })),
      ]) {
        await expect(tx).to.be.revertedWithCustomError(ch, "NotAuthorized").withArgs(op.address, acct(bob));
      }
      // replaying bob's id under market 1, where op does manage an account: not found there
      await expect(market.connect(op).cancelOrder(bobs.orderId)).to.be.revertedWithCustomError(ch, "OrderNotFound").withArgs(bobs.orderId);
      // nor can alice's own id, sent to market 2, reach bob's order or hers
      await expect(m2.connect(op).cancelOrder(alices.orderId)).to.be.revertedWithCustomError(ch, "OrderNotFound").withArgs(alices.orderId);
      expect(await pocket(m2, bob)).to.deep.equal(bobsPocket);
      expect((await m2.getOrder(bobs.orderId))[1]).to.equal(3n);
      // bob's funds stayed bob's: only what his order locks left his balance
      expect(await ch.balanceOf(acct(bob), await f.weth.getAddress())).to.equal(DEPOSIT - 3n * WETH_LOT);
      // the operator may still cancel alice's order on the market it sits on
      await mined(market.connect(op).cancelOrder(alices.orderId));
      expect((await pocket(market, alice)).openOrders).to.equal(0n);
    });
  });
});
