// One trading session end to end on WETH/USDC (maker 1 bp, taker 5 bp, bids lock a 2 bp fee
// bound): two market makers quote ladders, takers sweep several levels each way, a maker
// cancel-replaces in one batch, everyone sweeps and withdraws, and the fees travel to the
// reserve and on to the treasury. The steps share one chain and run in order.
import { expect } from "chai";
import type { Signer } from "ethers";
import { deployFixture } from "../helpers/fixture.ts";
import { cancelOp, OrderKind, placeOp, Side, type DecodedFill } from "../../sdk/src/math/order.ts";
import { balance, ceilBps, expectVaultBalanced, outcome, place, pocket, type Fx } from "./_flow.ts";
import { allOpenOrders } from "../helpers/openOrders.ts";

const T = 300_000n; // $3,000.00 per WETH
const TICK_SIZE = 10n;
const LOT = 10n ** 15n;
const bidLockPerLot = (tick: bigint) => tick + ceilBps(tick, 2n);

describe("integration: market makers, takers, cancel-replace, sweep, fees to the treasury", () => {
  let fx: Fx;
  let alice: Signer, bob: Signer, carol: Signer, dave: Signer, eve: Signer, treasury: Signer;
  const ids: Record<string, bigint> = {};
  const makerProceeds = new Map<Signer, bigint>(); // unswept quote, tick units
  let protocolFees = 0n;

  before(async () => {
    fx = await deployFixture();
    ({ alice, bob, carol, dave, eve } = fx);
    treasury = (await fx.ethers.getSigners())[7];
  });

  it("two makers quote ladders; the book aggregates them level by level", async () => {
    const m = fx.market;
    const quote = async (who: Signer, name: string, side: Side, tick: bigint, lots: bigint) => {
      ids[name] = (await place(m, who, { side, tick, lots })).orderId;
    };
    await quote(alice, "aA1", Side.Ask, T + 1n, 10n);
    await quote(bob, "bA1", Side.Ask, T + 1n, 5n);
    await quote(alice, "aA2", Side.Ask, T + 2n, 10n);
    await quote(bob, "bA2", Side.Ask, T + 2n, 8n);
    await quote(alice, "aA3", Side.Ask, T + 3n, 10n);
    await quote(bob, "bA4", Side.Ask, T + 4n, 12n);
    await quote(alice, "aB1", Side.Bid, T - 1n, 10n);
    await quote(bob, "bB1", Side.Bid, T - 1n, 6n);
    await quote(alice, "aB2", Side.Bid, T - 2n, 10n);
    await quote(bob, "bB3", Side.Bid, T - 3n, 9n);

    const [bidTicks, bidLots, askTicks, askLots] = await m.getBook(10);
    expect(askTicks).to.deep.equal([T + 1n, T + 2n, T + 3n, T + 4n]);
    expect(askLots).to.deep.equal([15n, 18n, 10n, 12n]);
    expect(bidTicks).to.deep.equal([T - 1n, T - 2n, T - 3n]);
    expect(bidLots).to.deep.equal([16n, 10n, 9n]);
    const p = await pocket(m, alice);
    expect(p.lockedLots).to.equal(30n);
    expect(p.lockedTicks).to.equal(10n * bidLockPerLot(T - 1n) + 10n * bidLockPerLot(T - 2n));
    expect(p.openOrders).to.equal(5n);
    await expectVaultBalanced(fx, [m], fx.traders);
  });

  it("a taker buys through three ask levels in price-time order and pays notional plus the taker fee", async () => {
    const m = fx.market;
    const usdcBefore = await balance(fx, carol, fx.usdc);
    const r = await place(m, carol, { side: Side.Bid, tick: T + 3n, lots: 40n, kind: OrderKind.Ioc });
    const expected: [string, Signer, bigint, bigint][] = [
      ["aA1", alice, 10n, T + 1n],
      ["bA1", bob, 5n, T + 1n],
      ["aA2", alice, 10n, T + 2n],
      ["bA2", bob, 8n, T + 2n],
      ["aA3", alice, 7n, T + 3n],
    ];
    expect(r.trade!.fills).to.deep.equal(expected.map(([id, , lots, tick]): DecodedFill => ({ makerOrderId: ids[id], lots, tick })));
    let notional = 0n;
    let feesOfMakers = 0n;
    for (const [, maker, lots, tick] of expected) {
      const n = lots * tick;
      const fee = ceilBps(n, 1n);
      notional += n;
      feesOfMakers += fee;
      makerProceeds.set(maker, (makerProceeds.get(maker) ?? 0n) + n - fee);
    }
    const takerFee = ceilBps(notional, 5n);
    expect(r.trade!.filled).to.equal(40n);
    expect(r.trade!.notional).to.equal(notional);
    expect(r.trade!.takerFee).to.equal(takerFee);
    protocolFees += takerFee + feesOfMakers;

    // the taker's cost leaves its balance; the base it bought waits in its pocket
    expect(usdcBefore - (await balance(fx, carol, fx.usdc))).to.equal((notional + takerFee) * TICK_SIZE);
    expect((await pocket(m, carol)).unsweptLots).to.equal(40n);
    for (const maker of [alice, bob]) {
      expect((await pocket(m, maker)).unsweptTicks).to.equal(makerProceeds.get(maker));
    }
    expect((await pocket(m, alice)).lockedLots).to.equal(3n); // what is left of aA3
    expect((await m.marketState())[3]).to.equal(protocolFees * TICK_SIZE);
    const [, , askTicks, askLots] = await m.getBook(10);
    expect(askTicks).to.deep.equal([T + 3n, T + 4n]);
    expect(askLots).to.deep.equal([3n, 12n]);
    await expectVaultBalanced(fx, [m], fx.traders);
  });

  it("a market sell sweeps the bids; bid makers get the base and the unused part of their fee lock", async () => {
    const m = fx.market;
    const aliceBefore = await pocket(m, alice);
    const wethBefore = await balance(fx, dave, fx.weth);
    const r = await place(m, dave, { side: Side.Ask, tick: T - 3n, lots: 20n, kind: OrderKind.Market });
    const expected: [string, Signer, bigint, bigint][] = [
      ["aB1", alice, 10n, T - 1n],
      ["bB1", bob, 6n, T - 1n],
      ["aB2", alice, 4n, T - 2n],
    ];
    expect(r.trade!.fills).to.deep.equal(expected.map(([id, , lots, tick]) => ({ makerOrderId: ids[id], lots, tick })));
    let notional = 0n;
    let aliceQuoteIn = 0n;
    for (const [, maker, lots, tick] of expected) {
      const n = lots * tick;
      const fee = ceilBps(n, 1n);
      notional += n;
      protocolFees += fee;
      const refund = lots * bidLockPerLot(tick) - n - fee; // the lock covered cost and the 2 bp bound
      makerProceeds.set(maker, makerProceeds.get(maker)! + refund);
      if (maker === alice) aliceQuoteIn += refund;
    }
    const takerFee = ceilBps(notional, 5n);
    protocolFees += takerFee;
    expect(wethBefore - (await balance(fx, dave, fx.weth))).to.equal(20n * LOT);
    expect((await pocket(m, dave)).unsweptTicks).to.equal(notional - takerFee);
    const aliceAfter = await pocket(m, alice);
    expect(aliceAfter.unsweptLots - aliceBefore.unsweptLots).to.equal(14n);
    expect(aliceAfter.unsweptTicks - aliceBefore.unsweptTicks).to.equal(aliceQuoteIn);
    expect(aliceBefore.lockedTicks - aliceAfter.lockedTicks).to.equal(10n * bidLockPerLot(T - 1n) + 4n * bidLockPerLot(T - 2n));
    expect((await m.marketState())[3]).to.equal(protocolFees * TICK_SIZE);
    await expectVaultBalanced(fx, [m], fx.traders);
  });

  it("cancel-replace in one batch: the cancelled lock funds the new order before the balance does", async () => {
    const m = fx.market;
    const before = await pocket(m, alice);
    const wethBefore = await balance(fx, alice, fx.weth);
    // alice's unswept base (14 lots from her bids) plus aA3's 3 lots fund a 20-lot ask
    const r = await outcome(
      m,
      m.connect(alice).batch(await alice.getAddress(), 0, [cancelOp(ids.aA3), placeOp({ side: Side.Ask, tick: T + 2n, lots: 20n })]),
    );
    expect(r.cancelled).to.deep.equal([ids.aA3]);
    expect(r.placed).to.have.length(1);
    ids.aA2new = r.orderId;
    const after = await pocket(m, alice);
    expect(after.lockedLots).to.equal(before.lockedLots - 3n + 20n);
    expect(after.unsweptLots).to.equal(0n);
    expect(wethBefore - (await balance(fx, alice, fx.weth))).to.equal((20n - 3n - before.unsweptLots) * LOT);
    expect(after.unsweptTicks).to.equal(before.unsweptTicks); // quote proceeds are untouched
    const [, , askTicks, askLots] = await m.getBook(10);
    expect(askTicks).to.deep.equal([T + 2n, T + 4n]);
    expect(askLots).to.deep.equal([20n, 12n]);
    expect((await m.getOrder(ids.aA3))[1]).to.equal(0n);
    await expectVaultBalanced(fx, [m], fx.traders);
  });

  it("everyone sweeps proceeds into the balance and withdraws them to their wallet", async () => {
    const m = fx.market;
    for (const who of [bob, carol, dave]) {
      const p = await pocket(m, who);
      const wethBefore = await balance(fx, who, fx.weth);
      const usdcBefore = await balance(fx, who, fx.usdc);
      await (await m.connect(eve).sweep(await who.getAddress(), 0)).wait(); // anyone may sweep
      expect((await balance(fx, who, fx.weth)) - wethBefore).to.equal(p.unsweptLots * LOT);
      expect((await balance(fx, who, fx.usdc)) - usdcBefore).to.equal(p.unsweptTicks * TICK_SIZE);
      const p2 = await pocket(m, who);
      expect([p2.unsweptLots, p2.unsweptTicks, p2.lockedLots, p2.lockedTicks]).to.deep.equal([0n, 0n, p.lockedLots, p.lockedTicks]);
      for (const [token, amount] of [
        [fx.weth, p.unsweptLots * LOT],
        [fx.usdc, p.unsweptTicks * TICK_SIZE],
      ] as const) {
        if (amount === 0n) continue;
        const wallet = await token.balanceOf(await who.getAddress());
        await (await fx.ch.connect(who).withdraw(await token.getAddress(), 0, amount, await who.getAddress())).wait();
        expect((await token.balanceOf(await who.getAddress())) - wallet).to.equal(amount);
      }
      expect(await balance(fx, who, fx.weth)).to.equal(wethBefore);
      expect(await balance(fx, who, fx.usdc)).to.equal(usdcBefore);
    }
    await expectVaultBalanced(fx, [m], fx.traders);
  });

  it("fees go to the reserve, and from there only to the treasury", async () => {
    const m = fx.market;
    const usdc = await fx.usdc.getAddress();
    const collected = protocolFees * TICK_SIZE;
    await expect(m.connect(eve).collectFees()).to.emit(m, "FeesCollected").withArgs(m.marketId, collected);
    expect((await m.marketState())[3]).to.equal(0n);
    expect(await fx.ch.reserveOf(usdc)).to.equal(collected);

    await expect(fx.ch.connect(carol).withdrawReserve(usdc, 1n)).to.be.revertedWithCustomError(fx.ch, "AccessManagedUnauthorized");
    await (await fx.ch.connect(fx.admin).setTreasury(await treasury.getAddress())).wait();
    await expect(fx.ch.connect(fx.admin).withdrawReserve(usdc, collected + 1n))
      .to.be.revertedWithCustomError(fx.ch, "InsufficientReserve")
      .withArgs(usdc, collected + 1n, collected);
    const before = await fx.usdc.balanceOf(await treasury.getAddress());
    await expect(fx.ch.connect(fx.admin).withdrawReserve(usdc, collected))
      .to.emit(fx.ch, "ReserveWithdrawn")
      .withArgs(usdc, collected, await treasury.getAddress());
    expect((await fx.usdc.balanceOf(await treasury.getAddress())) - before).to.equal(collected);
    expect(await fx.ch.reserveOf(usdc)).to.equal(0n);
    await expectVaultBalanced(fx, [m], fx.traders);
  });

  it("the books are left consistent: each level's total is the sum of the live orders on it", async () => {
    const m = fx.market;
    const [bidTicks, bidLots, askTicks, askLots] = await m.getBook(10);
    const live = new Map<string, bigint>();
    for (const who of fx.traders) {
      for (const id of await allOpenOrders(m, await who.getAddress(), 0)) {
        const key = `${(id >> 88n) & 1n}:${(id >> 64n) & 0xffffffn}`;
        live.set(key, (live.get(key) ?? 0n) + (await m.getOrder(id))[1]);
      }
    }
    bidTicks.forEach((t, i) => expect(live.get(`0:${t}`)).to.equal(bidLots[i]));
    askTicks.forEach((t, i) => expect(live.get(`1:${t}`)).to.equal(askLots[i]));
    expect(live.size).to.equal(bidTicks.length + askTicks.length);
  });
});
