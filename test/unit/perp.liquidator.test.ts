// The core's perp liquidations (formerly PerpLiquidator): every guard of liquidatePerp and
// resolveBankruptcy, the Dutch price of a takeover, and a bankruptcy closed at the mark whose loss
// reaches the opposite side through its loss index.
import { expect } from "chai";
import { OrderKind, Side } from "../../sdk/src/math/order.ts";
import { E6, bankruptLong, extraPerp, place, usePerpFixture, type PFx } from "./perp._helpers.ts";
import { WAD, acctOf, deposit, mined, now, sameTime, setPrice } from "./margin._helpers.ts";
import { allOpenOrders } from "../helpers/openOrders.ts";

const BPS = 10_000n;
const CAP_BPS = ((1_000n + 50n) * 5_000n) / BPS; // WETH (shock + slippage) × capShare = 525
const RAMP = 600n;

/** bob ($200) long 300 lots (0.3 ETH) from carol at $3,000 on ETH-PERP; then ETH at `price`. */
async function directional(f: PFx, price = 2_500n * WAD) {
  await deposit(f, f.bob, f.U, 200n * E6);
  for (const s of [f.alice, f.carol]) await deposit(f, s, f.U, 100_000n * E6);
  await place(f.ethPerp, f.carol, { side: Side.Ask, tick: 300_000n, lots: 300n });
  await place(f.ethPerp, f.bob, { side: Side.Bid, tick: 300_000n, lots: 300n, kind: OrderKind.Ioc });
  await setPrice(f, f.W, price);
}

describe("Clearinghouse.liquidatePerp", () => {
  const fx = usePerpFixture();

  it("WrongMarketKind for the spot market, UnknownMarket for an id no market has (0, the next, past the cap)", async () => {
    const f = fx();
    await directional(f);
    const { ch, alice, bob } = f;
    const b = acctOf(bob);
    expect(await ch.isLiquidatable(b)).to.equal(true);
    const spot = f.market.marketId;
    await expect(ch.connect(alice).liquidatePerp(spot, b, 1n, 0, false)).to.be.revertedWithCustomError(ch, "WrongMarketKind").withArgs(spot);
    await expect(ch.connect(alice).liquidatePerp(spot, b, 1n, 0, true)).to.be.revertedWithCustomError(ch, "WrongMarketKind").withArgs(spot);
    for (const id of [0n, 4n, 65n]) {
      await expect(ch.connect(alice).liquidatePerp(id, b, 1n, 0, false)).to.be.revertedWithCustomError(ch, "UnknownMarket").withArgs(id);
    }
    await expect(ch.connect(alice).resolveBankruptcy(spot, b, 0)).to.be.revertedWithCustomError(ch, "WrongMarketKind").withArgs(spot);
    await expect(ch.connect(alice).resolveBankruptcy(4n, b, 0)).to.be.revertedWithCustomError(ch, "UnknownMarket").withArgs(4n);
    // bob's position is untouched
    expect((await f.ethPerp.positionOf(b)).sizeLots).to.equal(300n);
  });

  it("SelfLiquidation, then NotLiquidatable with the maintenance value of a healthy account", async () => {
    const f = fx();
    await directional(f, 3_000n * WAD);
    const { ch, ethPerp, bob, alice } = f;
    const m = ethPerp.marketId;
    await expect(ch.connect(bob).liquidatePerp(m, acctOf(bob), 1n, 0, false)).to.be.revertedWithCustomError(f.ch, "SelfLiquidation");
    await sameTime(f);
    const mv = await f.atlas.maintenanceValue(acctOf(bob));
    expect(mv).to.be.greaterThan(0n);
    await expect(ch.connect(alice).liquidatePerp(m, acctOf(bob), 1n, 0, false))
      .to.be.revertedWithCustomError(f.ch, "NotLiquidatable").withArgs(acctOf(bob), mv);
  });

  it("OrdersStillOpen, NoPosition and InvalidLiquidation on a liquidatable account", async () => {
    const f = fx();
    const { ch, ethPerp, btcPerp, bob, alice } = f;
    await deposit(f, bob, f.U, 200n * E6);
    for (const s of [alice, f.carol]) await deposit(f, s, f.U, 100_000n * E6);
    await place(ethPerp, f.carol, { side: Side.Ask, tick: 300_000n, lots: 300n });
    await place(ethPerp, bob, { side: Side.Bid, tick: 300_000n, lots: 300n, kind: OrderKind.Ioc });
    await place(ethPerp, bob, { side: Side.Ask, tick: 320_000n, lots: 7n, reduceOnly: true });
    await setPrice(f, f.W, 2_500n * WAD);
    const m = ethPerp.marketId;
    const B = acctOf(bob);
    expect(await f.ch.isLiquidatable(B)).to.equal(true);
    await expect(ch.connect(alice).liquidatePerp(m, B, 1n, 0, false)).to.be.revertedWithCustomError(f.ch, "OrdersStillOpen").withArgs(m, 7n);
    // ATLAS sees the lots the reduce-only ask holds: a spot liquidation is sent to cancel it first, too
    expect((await f.atlas.liquidationQuote(B, f.U, f.U))[5]).to.equal(true);
    await expect(f.ch.connect(alice).liquidate(B, f.U, 1n, f.U, 0)).to.be.revertedWithCustomError(f.ch, "OrdersStillOpen").withArgs(m, 1n);
    // anyone cancels them once the account is liquidatable
    await mined(ethPerp.connect(alice).cancelForLiquidation(bob.address, 0, [...(await allOpenOrders(ethPerp, bob.address, 0))]));
    expect((await ethPerp.positionOf(B)).askLots).to.equal(0n);
    expect((await f.atlas.liquidationQuote(B, f.U, f.U))[5]).to.equal(false);
    await expect(ch.connect(alice).liquidatePerp(btcPerp.marketId, B, 1n, 0, false)).to.be.revertedWithCustomError(ch, "NoPosition").withArgs(B);
    await expect(ch.connect(alice).liquidatePerp(m, B, 0n, 0, false)).to.be.revertedWithCustomError(ch, "InvalidLiquidation").withArgs(300n, 0n);
    await expect(ch.connect(alice).liquidatePerp(m, B, 301n, 0, false)).to.be.revertedWithCustomError(ch, "InvalidLiquidation").withArgs(300n, 301n);
    // a long perp is hedged by a spot debt: bob owes no WETH
    await expect(ch.connect(alice).liquidatePerp(m, B, 10n, 0, true)).to.be.revertedWithCustomError(ch, "InvalidLiquidation").withArgs(0n, 10n * 10n ** 15n);
  });

  it("takes over at the mark less a Dutch discount that grows from 0 to its cap; never more than needed", async () => {
    const f = fx();
    await directional(f);
    const { ch, ethPerp, bob, alice } = f;
    const m = ethPerp.marketId;
    const B = acctOf(bob);
    const A = acctOf(alice);
    // all of it would overshoot the buffer
    await expect(ch.connect(alice).liquidatePerp(m, B, 300n, 0, false)).to.be.revertedWithCustomError(f.ch, "LiquidationTooLarge");
    const markPer = async () => (await ethPerp.markPrice())[1];
    let mv = await f.atlas.maintenanceValue(B);
    // first call: found liquidatable now, discount 0, price = the mark
    await sameTime(f);
    const mark0 = await markPer();
    expect(mark0).to.equal(2_500_000n * WAD);
    const r0 = await mined(ch.connect(alice).liquidatePerp(m, B, 40n, 0, false));
    const tFlag = BigInt((await f.ethers.provider.getBlock(r0.blockNumber))!.timestamp);
    const [size0, entry0] = await ethPerp.positionOf(A);
    expect([size0, entry0]).to.deep.equal([40n, 40n * 2_500_000n]);
    let mv1 = await f.atlas.maintenanceValue(B);
    expect(mv1).to.be.greaterThan(mv);
    for (const [dt, lots] of [[150n, 30n], [RAMP, 30n], [2n * RAMP, 20n]] as const) {
      mv = mv1;
      const d = dt >= RAMP ? CAP_BPS : (CAP_BPS * dt) / RAMP;
      // the push is mined at exactly tFlag + dt, and so are the views and the liquidation below (a
      // block may repeat its predecessor's time); an empty block first could leave the push a
      // second later on a loaded machine, and the next timestamp then below it
      await f.networkHelpers.time.setNextBlockTimestamp(tFlag + dt);
      await mined(f.oracle.pushPrice(f.W, 2_500n * WAD)); // same block time as the views below
      await f.networkHelpers.time.setNextBlockTimestamp(tFlag + dt);
      expect(await f.ch.liquidationDiscountBps(B, f.W)).to.equal(d);
      const price = ((await markPer()) * (BPS - d)) / (BPS * WAD);
      const bal = await f.ch.balanceOf(B, f.U);
      const before = await ethPerp.positionOf(B);
      await expect(ch.connect(alice).liquidatePerp(m, B, lots, 0, false))
        .to.emit(ch, "PositionLiquidated").withArgs(m, B, A, lots, price, 0n, d);
      const after = await ethPerp.positionOf(B);
      expect(after.sizeLots).to.equal(before.sizeLots - lots);
      // bob sold `lots` at `price`: his entry releases pro rata (rounded up) and the loss is realised
      const released = (before.entryAtoms * lots + before.sizeLots - 1n) / before.sizeLots;
      expect(after.entryAtoms).to.equal(before.entryAtoms - released);
      expect(await f.ch.balanceOf(B, f.U)).to.equal(bal + lots * price - released - before.fundingOwedAtoms);
      mv1 = await f.atlas.maintenanceValue(B);
      expect(mv1).to.be.greaterThan(mv);
    }
    expect(CAP_BPS).to.equal(525n);
  });
});

describe("Clearinghouse.resolveBankruptcy", () => {
  const fx = usePerpFixture();
  const FS = 10n ** 9n;
  const divUp = (a: bigint, b: bigint) => (a === 0n ? 0n : (a - 1n) / b + 1n);
  // bankruptLong's figures: bob long 50 (entry $150) at a $2,000 mark, the market's fees his $0.45 taker fee
  const SHORTFALL = 150_000_000n - 50n * 2_000_000n;
  const FEE = 450_000n;
  const REST = SHORTFALL - FEE;
  const PER_LOT = divUp(REST * FS, 300n); // shorts: carol 200, dave 100

  it("NotBankrupt while the account holds assets or has no loss at the mark; SelfLiquidation; WrongMarketKind", async () => {
    const f = fx();
    const { ch, carol, alice, bob } = f;
    const m = await bankruptLong(f);
    const ma = m.marketId;
    const [A, B] = [acctOf(alice), acctOf(bob)];
    expect(await f.ch.holdsNoAssets(B)).to.equal(true);
    await expect(ch.connect(bob).resolveBankruptcy(ma, B, 0)).to.be.revertedWithCustomError(f.ch, "SelfLiquidation");
    await expect(ch.connect(carol).resolveBankruptcy(f.market.marketId, B, 0))
      .to.be.revertedWithCustomError(ch, "WrongMarketKind").withArgs(f.market.marketId);
    // alice holds USDC (and a position): refused for her assets; an empty account for its lack of a position
    await expect(ch.connect(carol).resolveBankruptcy(ma, A, 0)).to.be.revertedWithCustomError(ch, "NotBankrupt").withArgs(A);
    const O = acctOf(f.outsider);
    await expect(ch.connect(carol).resolveBankruptcy(ma, O, 0)).to.be.revertedWithCustomError(ch, "NotBankrupt").withArgs(O);
    // bob's position is under water at the mark only while ETH stays low: at $3,500 it is not
    await setPrice(f, f.W, 3_500n * WAD);
    await expect(ch.connect(carol).resolveBankruptcy(ma, B, 0)).to.be.revertedWithCustomError(ch, "NotBankrupt").withArgs(B);
  });

  it("an attacker cannot take a solvent account's position through it, nor a bankrupt one without the margin to carry it", async () => {
    const f = fx();
    const { ch, outsider, carol, dave } = f;
    const m = await bankruptLong(f);
    const ma = m.marketId;
    // dave is solvent (a short in profit): nobody may close him at the mark, nor charge his loss to others
    const D = acctOf(dave);
    await expect(ch.connect(outsider).resolveBankruptcy(ma, D, 0)).to.be.revertedWithCustomError(ch, "NotBankrupt").withArgs(D);
    // the outsider holds nothing: taking bob's 50 lots on would leave it below initial value
    await expect(ch.connect(outsider).resolveBankruptcy(ma, acctOf(f.bob), 0)).to.be.revertedWithCustomError(f.ch, "InsufficientMargin");
    expect((await m.lossPerLot()).shortLossPerLot).to.equal(0n);
    expect((await m.positionOf(acctOf(carol))).fundingOwedAtoms).to.equal(0n);
  });

  it("closes at the mark into the resolver, fees first, then charges every short lot the same through the loss index", async () => {
    const f = fx();
    const { ch, carol, dave, bob, alice } = f;
    const m = await bankruptLong(f);
    const ma = m.marketId;
    const [A, B, C, D] = [acctOf(alice), acctOf(bob), acctOf(carol), acctOf(dave)];
    const pos = await m.positionOf(B);
    expect([pos.sizeLots, pos.entryAtoms, pos.cashAtoms, pos.fundingOwedAtoms]).to.deep.equal([50n, 150_000_000n, 0n, 0n]);
    expect(await f.ch.balanceOf(B, f.U)).to.equal(200n * E6 - FEE - 250n * E6);
    const debt = await f.ch.balanceOf(B, f.U);
    const balC = await f.ch.balanceOf(C, f.U);
    const balD = await f.ch.balanceOf(D, f.U);
    const posA = await m.positionOf(A);
    const posD = await m.positionOf(D);
    await sameTime(f); // bob's debt accrues interest each second: resolve at the time it was read
    // carol (short 200) resolves: she buys bob's 50 lots back at the mark, closing part of her short
    await expect(ch.connect(carol).resolveBankruptcy(ma, B, 0))
      .to.emit(ch, "BankruptcyResolved").withArgs(ma, B, C, 50n, 2_000_000n, FEE, REST)
      .and.to.emit(m, "LossSocialized").withArgs(ma, B, 1n, REST, PER_LOT);
    expect((await m.positionOf(B)).sizeLots).to.equal(0n);
    expect((await m.positionOf(B)).cashAtoms).to.equal(0n);
    // bob's cash nets to zero: his remaining debt is the pool's to write off
    expect(await f.ch.balanceOf(B, f.U)).to.equal(debt);
    // open interest shrinks by the lots carol closed
    expect((await m.openInterest()).longLots).to.equal(250n);
    expect(await m.lossPerLot()).to.deep.equal([0n, PER_LOT]);
    // carol settled in the takeover: her share of 200 lots, and her close at the mark (entry −$600 on 200)
    const chargeC = divUp(200n * PER_LOT, FS);
    expect((await m.positionOf(C)).sizeLots).to.equal(-150n);
    expect(await f.ch.balanceOf(C, f.U)).to.equal(balC + (150_000_000n - 50n * 2_000_000n) - chargeC);
    // dave's share waits in his position, untouched, and every valuation counts it
    const chargeD = divUp(100n * PER_LOT, FS);
    const d1 = await m.positionOf(D);
    expect([d1.sizeLots, d1.entryAtoms, d1.cashAtoms]).to.deep.equal([posD.sizeLots, posD.entryAtoms, posD.cashAtoms]);
    expect(d1.fundingOwedAtoms).to.equal(chargeD);
    expect((await m.riskOf(D)).cashAtoms).to.equal(300_000_000n - chargeD);
    expect(await f.ch.balanceOf(D, f.U)).to.equal(balD);
    // the same side (alice, long 250) pays nothing
    expect(await m.positionOf(A)).to.deep.equal(posA);
    expect((await m.positionOf(A)).fundingOwedAtoms).to.equal(0n);
    // the loss is fully charged, to within a dust atom per payer
    expect(chargeC + chargeD).to.be.greaterThanOrEqual(REST);
    expect(chargeC + chargeD).to.be.lessThanOrEqual(REST + 2n);
    // the fees were spent
    await expect(m.collectFees()).to.emit(m, "FeesCollected").withArgs(ma, 0n);
    // dave closes his short before anyone settles him: the close settles the charge first
    await place(m, alice, { side: Side.Ask, tick: 200_000n, lots: 100n });
    await place(m, dave, { side: Side.Bid, tick: 200_000n, lots: 100n, kind: OrderKind.Ioc });
    const feeD = ((100n * 200_000n * 5n + 9_999n) / BPS) * 10n;
    expect((await m.positionOf(D)).sizeLots).to.equal(0n);
    expect(await f.ch.balanceOf(D, f.U)).to.equal(balD + (300_000_000n - 100n * 2_000_000n) - feeD - chargeD);
    // charged (paid) and credited (received) agree but for the payers' dust
    const oi = await m.openInterest();
    expect(oi.fundingPaid - oi.fundingReceived).to.equal(chargeC + chargeD - REST);
  });

  it("a position opened after the bankruptcy pays none of it; the longs' index stays at 0", async () => {
    const f = fx();
    const { ch, carol, lender, alice, dave } = f;
    const m = await bankruptLong(f);
    const ma = m.marketId;
    await mined(ch.connect(carol).resolveBankruptcy(ma, acctOf(f.bob), 0));
    // lender opens a short after it: its snapshot already holds the loss
    await deposit(f, lender, f.U, 10_000n * E6);
    await place(m, alice, { side: Side.Bid, tick: 200_000n, lots: 10n });
    await place(m, lender, { side: Side.Ask, tick: 200_000n, lots: 10n, kind: OrderKind.Ioc });
    const L = acctOf(lender);
    expect((await m.positionOf(L)).sizeLots).to.equal(-10n);
    expect((await m.positionOf(L)).fundingOwedAtoms).to.equal(0n);
    await mined(m.settle(lender.address, 0));
    expect((await m.positionOf(L)).fundingOwedAtoms).to.equal(0n);
    // dave's share did not grow from the lender's arrival
    expect((await m.positionOf(acctOf(dave))).fundingOwedAtoms).to.equal(divUp(100n * PER_LOT, FS));
    expect((await m.lossPerLot()).longLossPerLot).to.equal(0n);
  });

  it("a bankrupt short: the loss goes to the longs' index; the shorts (the same side) owe nothing", async () => {
    const f = fx();
    const { ch, alice, bob, carol, dave, U, W } = f;
    const m = await extraPerp(f, { interestPpmPerHour: 0n });
    const ma = m.marketId;
    await deposit(f, bob, U, 200n * E6);
    for (const s of [alice, carol, dave]) await deposit(f, s, U, 100_000n * E6);
    await place(m, carol, { side: Side.Bid, tick: 300_000n, lots: 200n });
    await place(m, dave, { side: Side.Bid, tick: 300_000n, lots: 100n });
    await place(m, bob, { side: Side.Ask, tick: 300_000n, lots: 300n, kind: OrderKind.Ioc });
    await setPrice(f, W, 4_000n * WAD);
    const B = acctOf(bob);
    await mined(ch.connect(alice).liquidatePerp(ma, B, 250n, 0, false));
    expect(await f.ch.holdsNoAssets(B)).to.equal(true);
    const pos = await m.positionOf(B);
    expect([pos.sizeLots, pos.entryAtoms]).to.deep.equal([-50n, -150_000_000n]);
    // a short closes at ⌈mark⌉: 4,000,000 atoms a lot; bob's taker fee covers the first $0.45
    const rest = 50n * 4_000_000n - 150_000_000n - FEE;
    const perLot = divUp(rest * FS, 300n);
    // carol (long 200) resolves: she sells bob's 50 lots back, closing part of her long
    await expect(ch.connect(carol).resolveBankruptcy(ma, B, 0))
      .to.emit(ch, "BankruptcyResolved").withArgs(ma, B, acctOf(carol), -50n, 4_000_000n, FEE, rest)
      .and.to.emit(m, "LossSocialized").withArgs(ma, B, 0n, rest, perLot);
    expect(await m.lossPerLot()).to.deep.equal([perLot, 0n]);
    expect((await m.positionOf(B)).sizeLots).to.equal(0n);
    expect((await m.positionOf(acctOf(carol))).sizeLots).to.equal(150n);
    expect((await m.openInterest()).longLots).to.equal(250n);
    expect((await m.positionOf(acctOf(dave))).fundingOwedAtoms).to.equal(divUp(100n * perLot, FS));
    // alice took 250 lots of bob's short over: the same side as the bankrupt, she owes nothing
    expect((await m.positionOf(acctOf(alice))).sizeLots).to.equal(-250n);
    expect((await m.positionOf(acctOf(alice))).fundingOwedAtoms).to.equal(0n);
  });

  it("costs the same whatever the number of counterparties: only the bankrupt and the resolver are written", async () => {
    const f = fx();
    const { ch, carol, bob, alice, U, W } = f;
    const m = await extraPerp(f, { interestPpmPerHour: 0n });
    const ma = m.marketId;
    await deposit(f, bob, U, 200n * E6);
    await deposit(f, alice, U, 100_000n * E6);
    // eight shorts on carol's sub-accounts 1..8, 40 lots each, against bob's 320-lot long
    const subs = [1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n];
    for (const sub of subs) {
      await deposit(f, carol, U, 10_000n * E6, sub);
      await place(m, carol, { side: Side.Ask, tick: 300_000n, lots: 40n, sub });
    }
    await place(m, bob, { side: Side.Bid, tick: 300_000n, lots: 320n, kind: OrderKind.Ioc });
    await setPrice(f, W, 2_000n * WAD);
    await mined(ch.connect(alice).liquidatePerp(ma, acctOf(bob), 270n, 0, false));
    const cps = subs.map((sub) => acctOf(carol, sub));
    const before = await Promise.all(cps.map((x) => m.positionOf(x)));
    const bals = await Promise.all(cps.map((x) => f.ch.balanceOf(x, U)));
    const pb = await m.positionOf(acctOf(bob));
    // alice (long 270, the same side) resolves: her long grows by bob's 50 lots, open interest stays
    const r = await mined(ch.connect(alice).resolveBankruptcy(ma, acctOf(bob), 0));
    const shortfall = pb.entryAtoms - 50n * 2_000_000n;
    const fee = ((320n * 300_000n * 5n + 9_999n) / BPS) * 10n;
    const perLot = divUp((shortfall - fee) * FS, 320n);
    expect(await m.lossPerLot()).to.deep.equal([0n, perLot]);
    expect((await m.positionOf(acctOf(alice))).sizeLots).to.equal(320n);
    expect((await m.openInterest()).longLots).to.equal(320n);
    // no counterparty's slot or balance was written, and each owes its 40 lots' share
    for (const [i, x] of cps.entries()) {
      const p = await m.positionOf(x);
      expect([p.sizeLots, p.entryAtoms, p.cashAtoms]).to.deep.equal([before[i].sizeLots, before[i].entryAtoms, before[i].cashAtoms]);
      expect(p.fundingOwedAtoms).to.equal(divUp(40n * perLot, FS));
      expect(await f.ch.balanceOf(x, U)).to.equal(bals[i]);
    }
    // the market's logs (the core's, with this market's id first): the loss, and the two
    // settlements (bob, alice): none per counterparty
    const mine = r.logs
      .map((x) => m.interface.parseLog(x))
      .filter((e) => e !== null && e.fragment.inputs[0]?.name === "marketId" && e.args[0] === ma)
      .map((e) => e!.name);
    expect(mine.filter((n) => n === "LossSocialized")).to.have.length(1);
    expect(mine.filter((n) => n === "CashSettled").length).to.be.at.most(2);
    // every share settles when touched: the total covers the loss
    for (const sub of subs) await mined(m.settle(carol.address, Number(sub)));
    const oi = await m.openInterest();
    expect(oi.fundingPaid - oi.fundingReceived).to.be.within(0n, 8n);
    for (const x of cps) expect((await m.positionOf(x)).fundingOwedAtoms).to.equal(0n);
  });
});
