// PerpMarket trading: positions open, grow, shrink and flip with realised PnL settled into the
// USDC balance (the taker at once, a maker when it acts or anyone calls settle), fees, open
// interest, and Σ sizes = 0. The market used has no interest part and a one-sided book, so
// funding stays 0 and every figure below is exact.
import { expect } from "chai";
import { OrderKind, Side } from "../../sdk/src/math/order.ts";
import type { PerpMarket } from "../../scripts/lib/market.ts";
import { E6, extraPerp, notionalAtoms, place, takerFeeAtoms, usePerpFixture, type PFx } from "./perp._helpers.ts";
import { acctOf, deposit, mined } from "./margin._helpers.ts";

const FUNDS = 100_000n * E6;

async function setup(f: PFx): Promise<PerpMarket> {
  const m = await extraPerp(f, { interestPpmPerHour: 0n });
  for (const s of [f.alice, f.bob, f.carol, f.dave]) await deposit(f, s, f.U, FUNDS);
  return m;
}

async function sumSizes(m: PerpMarket, f: PFx): Promise<bigint> {
  let s = 0n;
  for (const a of [f.alice, f.bob, f.carol, f.dave]) s += (await m.positionOf(acctOf(a))).sizeLots;
  return s;
}

describe("PerpMarket: positions and PnL", () => {
  const fx = usePerpFixture();

  it("opens, part-closes at a profit and fully closes at a loss; the taker settles at once, the maker on settle", async () => {
    const f = fx();
    const { alice, bob, carol, ch, U } = f;
    const m = await setup(f);
    const A = acctOf(alice);
    const Bo = acctOf(bob);
    // bob rests an ask, alice lifts it: alice +10 at $3,000, bob −10
    await place(m, bob, { side: Side.Ask, tick: 300_000n, lots: 10n });
    await place(m, alice, { side: Side.Bid, tick: 300_000n, lots: 10n, kind: OrderKind.Ioc });
    const n1 = notionalAtoms(10n, 300_000n); // 30,000,000 atoms = $30
    const fee1 = takerFeeAtoms(10n, 300_000n); // 1,500 ticks = 15,000 atoms
    expect(fee1).to.equal(15_000n);
    let pa = await m.positionOf(A);
    expect([pa.sizeLots, pa.entryAtoms, pa.cashAtoms]).to.deep.equal([10n, n1, 0n]);
    const pb = await m.positionOf(Bo);
    expect([pb.sizeLots, pb.entryAtoms, pb.cashAtoms]).to.deep.equal([-10n, -n1, 0n]);
    expect(await ch.balanceOf(A, U)).to.equal(FUNDS - fee1);
    expect(await ch.balanceOf(Bo, U)).to.equal(FUNDS); // maker fee 0
    expect((await m.openInterest()).longLots).to.equal(10n);
    expect(await sumSizes(m, f)).to.equal(0n);

    // bob bids 4 at $3,100, alice sells into it: alice realises 4 × $0.10 = +$0.40, bob −$0.40 (unsettled)
    await place(m, bob, { side: Side.Bid, tick: 310_000n, lots: 4n });
    await place(m, alice, { side: Side.Ask, tick: 310_000n, lots: 4n, kind: OrderKind.Ioc });
    const n2 = notionalAtoms(4n, 310_000n);
    const released = (n1 * 4n + 9n) / 10n; // a long's entry released rounded up
    const pnl2 = n2 - released;
    expect(pnl2).to.equal(400_000n);
    const fee2 = takerFeeAtoms(4n, 310_000n);
    expect(await ch.balanceOf(A, U)).to.equal(FUNDS - fee1 + pnl2 - fee2);
    pa = await m.positionOf(A);
    expect([pa.sizeLots, pa.entryAtoms, pa.cashAtoms]).to.deep.equal([6n, n1 - released, 0n]);
    // the maker's loss waits in its pocket
    const pb2 = await m.positionOf(Bo);
    expect([pb2.sizeLots, pb2.entryAtoms, pb2.cashAtoms]).to.deep.equal([-6n, -n1 + n1 * 4n / 10n, -pnl2]);
    expect(await ch.balanceOf(Bo, U)).to.equal(FUNDS);
    // anyone settles it
    await expect(m.connect(carol).settle(bob.address, 0)).to.emit(m, "CashSettled").withArgs(m.marketId, Bo, -pnl2);
    expect(await ch.balanceOf(Bo, U)).to.equal(FUNDS - pnl2);
    expect((await m.positionOf(Bo)).cashAtoms).to.equal(0n);
    expect((await m.openInterest()).longLots).to.equal(6n);

    // carol bids 6 at $2,900; alice closes the rest at a loss of 6 × $0.10
    await place(m, carol, { side: Side.Bid, tick: 290_000n, lots: 6n });
    await place(m, alice, { side: Side.Ask, tick: 290_000n, lots: 6n, kind: OrderKind.Ioc });
    const pnl3 = notionalAtoms(6n, 290_000n) - (n1 - released);
    expect(pnl3).to.equal(-600_000n);
    const fee3 = takerFeeAtoms(6n, 290_000n);
    expect(await ch.balanceOf(A, U)).to.equal(FUNDS - fee1 + pnl2 - fee2 + pnl3 - fee3);
    pa = await m.positionOf(A);
    expect([pa.sizeLots, pa.entryAtoms, pa.cashAtoms]).to.deep.equal([0n, 0n, 0n]);
    expect((await m.positionOf(acctOf(carol))).sizeLots).to.equal(6n);
    expect((await m.openInterest()).longLots).to.equal(6n); // carol long 6, bob short 6
    expect(await sumSizes(m, f)).to.equal(0n);
    // fees accrued in the book reach the reserve on collectFees
    const reserve0 = await ch.reserveOf(U);
    await expect(m.collectFees()).to.emit(m, "FeesCollected").withArgs(m.marketId, fee1 + fee2 + fee3);
    expect(await ch.reserveOf(U)).to.equal(reserve0 + fee1 + fee2 + fee3);
  });

  it("a trade larger than the position flips it: the rest opens at its share of the notional", async () => {
    const f = fx();
    const { alice, bob, carol, ch, U } = f;
    const m = await setup(f);
    await place(m, bob, { side: Side.Ask, tick: 300_000n, lots: 10n });
    await place(m, alice, { side: Side.Bid, tick: 300_000n, lots: 10n, kind: OrderKind.Ioc });
    // alice sells 15 at $3,050: closes 10 (+$0.50), opens short 5
    await place(m, carol, { side: Side.Bid, tick: 305_000n, lots: 15n });
    const bal = await ch.balanceOf(acctOf(alice), U);
    await place(m, alice, { side: Side.Ask, tick: 305_000n, lots: 15n, kind: OrderKind.Ioc });
    const n = notionalAtoms(15n, 305_000n);
    const closing = (n * 10n) / 15n; // proceeds of the sale that closes, rounded down
    const pnl = closing - notionalAtoms(10n, 300_000n);
    expect(pnl).to.equal(500_000n);
    const p = await m.positionOf(acctOf(alice));
    expect([p.sizeLots, p.entryAtoms]).to.deep.equal([-5n, -(n - closing)]);
    expect(await ch.balanceOf(acctOf(alice), U)).to.equal(bal + pnl - takerFeeAtoms(15n, 305_000n));
    expect((await m.openInterest()).longLots).to.equal(15n); // carol 15 long; bob −10, alice −5
    expect(await sumSizes(m, f)).to.equal(0n);
  });

  it("a taker order sweeping three makers: one position at the total notional, each maker its own", async () => {
    const f = fx();
    const { alice, bob, carol, dave } = f;
    const m = await setup(f);
    await place(m, bob, { side: Side.Ask, tick: 300_000n, lots: 3n });
    await place(m, carol, { side: Side.Ask, tick: 300_100n, lots: 4n });
    await place(m, dave, { side: Side.Ask, tick: 300_200n, lots: 5n });
    await place(m, alice, { side: Side.Bid, tick: 300_200n, lots: 10n, kind: OrderKind.Ioc });
    const total = notionalAtoms(3n, 300_000n) + notionalAtoms(4n, 300_100n) + notionalAtoms(3n, 300_200n);
    const p = await m.positionOf(acctOf(alice));
    expect([p.sizeLots, p.entryAtoms]).to.deep.equal([10n, total]);
    expect((await m.positionOf(acctOf(bob))).entryAtoms).to.equal(-notionalAtoms(3n, 300_000n));
    expect((await m.positionOf(acctOf(carol))).entryAtoms).to.equal(-notionalAtoms(4n, 300_100n));
    const d = await m.positionOf(acctOf(dave));
    expect([d.sizeLots, d.entryAtoms, d.askLots]).to.deep.equal([-3n, -notionalAtoms(3n, 300_200n), 2n]);
    expect(await sumSizes(m, f)).to.equal(0n);
    expect((await m.openInterest()).longLots).to.equal(10n);
  });

  it("maker fee and rebate: rebate to the maker's cash, the rest of the taker fee to the book", async () => {
    const f = fx();
    const { alice, bob, carol, ch, U } = f;
    const m = await setup(f);
    const idx = await m.INDEX();
    await mined(ch.setMarketFees(idx, -2, 5));
    await place(m, bob, { side: Side.Ask, tick: 300_000n, lots: 10n });
    await place(m, alice, { side: Side.Bid, tick: 300_000n, lots: 10n, kind: OrderKind.Ioc });
    const ticks = 10n * 300_000n;
    const rebate = (ticks * 2n) / 10_000n; // rounded down
    const takerFee = takerFeeAtoms(10n, 300_000n);
    expect((await m.positionOf(acctOf(bob))).cashAtoms).to.equal(rebate * 10n);
    await expect(m.collectFees()).to.emit(m, "FeesCollected").withArgs(m.marketId, takerFee - rebate * 10n);
    // a positive maker fee is charged, rounded up
    await mined(ch.setMarketFees(idx, 3, 5));
    await place(m, carol, { side: Side.Ask, tick: 300_001n, lots: 7n });
    await place(m, alice, { side: Side.Bid, tick: 300_001n, lots: 7n, kind: OrderKind.Ioc });
    const makerFee = ((7n * 300_001n * 3n + 9_999n) / 10_000n) * 10n;
    expect((await m.positionOf(acctOf(carol))).cashAtoms).to.equal(-makerFee);
    await expect(m.collectFees()).to.emit(m, "FeesCollected").withArgs(m.marketId, takerFeeAtoms(7n, 300_001n) + makerFee);
  });

  it("a trade that would leave initial value below zero reverts InsufficientMargin", async () => {
    const f = fx();
    const { alice, bob, ch, U } = f;
    const m = await extraPerp(f, { interestPpmPerHour: 0n });
    await deposit(f, bob, U, FUNDS);
    await deposit(f, alice, U, 10n * E6); // $10 cannot carry 1 ETH ($3,000) of exposure
    await place(m, bob, { side: Side.Ask, tick: 300_000n, lots: 1_000n });
    await expect(place(m, alice, { side: Side.Bid, tick: 300_000n, lots: 1_000n, kind: OrderKind.Ioc }))
      .to.be.revertedWithCustomError(ch, "InsufficientMargin");
    // nor may it rest as an order of that size
    await expect(place(m, alice, { side: Side.Bid, tick: 290_000n, lots: 1_000n }))
      .to.be.revertedWithCustomError(ch, "InsufficientMargin");
    // a small one is fine
    await place(m, alice, { side: Side.Bid, tick: 300_000n, lots: 10n, kind: OrderKind.Ioc });
    expect((await m.positionOf(acctOf(alice))).sizeLots).to.equal(10n);
  });
});
