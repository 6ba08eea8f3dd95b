// A WBTC/USDC market (8 and 6 decimals) that pays makers a rebate: the rebate is rounded down,
// the taker fee up, the protocol keeps the difference; governance may move the maker fee up to
// its bound, and a bid placed under the rebate stays fully funded when it fills at the bound.
import { expect } from "chai";
import type { Signer } from "ethers";
import { deployFixture } from "../helpers/fixture.ts";
import { OrderKind, Side } from "../../sdk/src/math/order.ts";
import { addWbtcMarket, balance, ceilBps, expectVaultBalanced, floorBps, place, pocket, type Fx } from "./_flow.ts";
import type { SpotMarket } from "../../scripts/lib/market.ts";

const T = 60_001n; // $60,001 per WBTC
const LOT = 10n ** 4n; // 0.0001 WBTC
const TICK_SIZE = 100n;

describe("integration: a market with a maker rebate", () => {
  let fx: Fx;
  let m: SpotMarket;
  let alice: Signer, bob: Signer, carol: Signer, eve: Signer;
  let fees = 0n; // tick units the market should hold

  before(async () => {
    fx = await deployFixture();
    ({ alice, bob, carol, eve } = fx);
    m = await addWbtcMarket(fx, { maker: -2n, taker: 5n, maxMaker: 3n });
  });

  it("the maker earns a rebate rounded down; the taker pays a fee rounded up; the protocol keeps the rest", async () => {
    const ask = await place(m, bob, { side: Side.Ask, tick: T, lots: 7n });
    const wbtcBefore = await balance(fx, carol, fx.wbtc);
    const usdcBefore = await balance(fx, carol, fx.usdc);
    const r = await place(m, carol, { side: Side.Bid, tick: T, lots: 7n, kind: OrderKind.Fok });
    expect(r.trade!.fills).to.deep.equal([{ makerOrderId: ask.orderId, lots: 7n, tick: T }]);
    const n = 7n * T;
    const takerFee = ceilBps(n, 5n);
    const rebate = floorBps(n, 2n);
    expect(r.trade!.takerFee).to.equal(takerFee);
    expect((await pocket(m, bob)).unsweptTicks).to.equal(n + rebate);
    expect(usdcBefore - (await balance(fx, carol, fx.usdc))).to.equal((n + takerFee) * TICK_SIZE);
    fees += takerFee - rebate;
    expect((await m.marketState())[3]).to.equal(fees * TICK_SIZE);
    // the base arrives in 8-decimal atoms: 7 lots of 0.0001 WBTC
    await (await m.sweep(await carol.getAddress(), 0)).wait();
    expect((await balance(fx, carol, fx.wbtc)) - wbtcBefore).to.equal(7n * LOT);
    await expectVaultBalanced(fx, [fx.market, m], fx.traders);
  });

  it("on a tiny fill the rebate rounds to zero while the taker fee still rounds up to one tick unit", async () => {
    const ask = await place(m, bob, { side: Side.Ask, tick: 1n, lots: 1n });
    const r = await place(m, carol, { side: Side.Bid, tick: 1n, lots: 1n, kind: OrderKind.Ioc });
    expect(r.trade!.fills[0].makerOrderId).to.equal(ask.orderId);
    expect(r.trade!.takerFee).to.equal(1n);
    fees += 1n;
    expect((await m.marketState())[3]).to.equal(fees * TICK_SIZE);
  });

  it("fees stay within their bounds: maker at most maxMakerFeeBps, a rebate at most the taker fee", async () => {
    await expect(fx.ch.connect(fx.admin).setMarketFees(2, 4, 5)).to.be.revertedWithCustomError(m, "FeeOutOfBounds").withArgs(4, 5);
    await expect(fx.ch.connect(fx.admin).setMarketFees(2, -6, 5)).to.be.revertedWithCustomError(m, "FeeOutOfBounds").withArgs(-6, 5);
    await expect(fx.ch.connect(alice).setMarketFees(2, 0, 5)).to.be.revertedWithCustomError(fx.ch, "AccessManagedUnauthorized");
  });

  it("a bid placed under the rebate locks the fee bound, so it stays funded when the maker fee rises", async () => {
    const tick = 60_000n;
    const lockPerLot = tick + ceilBps(tick, 3n);
    const usdcBefore = await balance(fx, alice, fx.usdc);
    const bid = await place(m, alice, { side: Side.Bid, tick, lots: 10n });
    expect(usdcBefore - (await balance(fx, alice, fx.usdc))).to.equal(10n * lockPerLot * TICK_SIZE);

    await expect(fx.ch.connect(fx.admin).setMarketFees(2, 3, 5)).to.emit(m, "FeesSet").withArgs(m.marketId, 3, 5);
    const r = await place(m, eve, { side: Side.Ask, tick, lots: 10n, kind: OrderKind.Market });
    expect(r.trade!.fills).to.deep.equal([{ makerOrderId: bid.orderId, lots: 10n, tick }]);
    const n = 10n * tick;
    const makerFee = ceilBps(n, 3n);
    const takerFee = ceilBps(n, 5n);
    const p = await pocket(m, alice);
    expect(p.unsweptLots).to.equal(10n);
    expect(p.lockedTicks).to.equal(0n);
    expect(p.unsweptTicks).to.equal(10n * lockPerLot - n - makerFee);
    expect((await pocket(m, eve)).unsweptTicks).to.equal(n - takerFee);
    fees += makerFee + takerFee;
    expect((await m.marketState())[3]).to.equal(fees * TICK_SIZE);
  });

  it("collected fees reach the reserve in USDC atoms, to the atom", async () => {
    const usdc = await fx.usdc.getAddress();
    const before = await fx.ch.reserveOf(usdc);
    await expect(m.connect(eve).collectFees()).to.emit(fx.ch, "ReserveCredited").withArgs(usdc, fees * TICK_SIZE);
    expect((await fx.ch.reserveOf(usdc)) - before).to.equal(fees * TICK_SIZE);
    expect((await m.marketState())[3]).to.equal(0n);
    await expectVaultBalanced(fx, [fx.market, m], fx.traders);
  });
});
