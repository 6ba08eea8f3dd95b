// PerpLiquidator: every guard of liquidate and resolveBankruptcy, the Dutch price of a takeover,
// and a bankruptcy closed pro rata against the opposite side at the bankruptcy price.
import { expect } from "chai";
import { OrderKind, Side } from "../../sdk/src/math/order.ts";
import { PerpMarket__factory } from "../../types/ethers-contracts/index.js";
import { perpParams } from "../../scripts/lib/deploy-perp.ts";
import { E6, ETH_PERP, bankruptLong, place, usePerpFixture, type PFx } from "./perp._helpers.ts";
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

describe("PerpLiquidator.liquidate", () => {
  const fx = usePerpFixture();

  it("NotPerpMarket for a spot market, an account without code and an unlisted perp market", async () => {
    const f = fx();
    const { liquidator: l, alice, bob } = f;
    const b = acctOf(bob);
    const spot = await f.market.getAddress();
    await expect(l.connect(alice).liquidate(spot, b, 1n, 0, false)).to.be.revertedWithCustomError(l, "NotPerpMarket").withArgs(spot);
    await expect(l.connect(alice).liquidate(alice.address, b, 1n, 0, false)).to.be.revertedWithCustomError(l, "NotPerpMarket").withArgs(alice.address);
    const p = perpParams({ underlying: f.W, quote: f.U, ...ETH_PERP });
    const unlisted = await new PerpMarket__factory(f.admin).deploy(4n, await f.ch.getAddress(), p, await f.oracle.getAddress(), await l.getAddress());
    const u = await unlisted.getAddress();
    await expect(l.connect(alice).liquidate(u, b, 1n, 0, false)).to.be.revertedWithCustomError(l, "NotPerpMarket").withArgs(u);
    await expect(l.connect(alice).resolveBankruptcy(spot, b, [])).to.be.revertedWithCustomError(l, "NotPerpMarket").withArgs(spot);
  });

  it("SelfLiquidation, then NotLiquidatable with the maintenance value of a healthy account", async () => {
    const f = fx();
    await directional(f, 3_000n * WAD);
    const { liquidator: l, ethPerp, bob, alice } = f;
    const m = await ethPerp.getAddress();
    await expect(l.connect(bob).liquidate(m, acctOf(bob), 1n, 0, false)).to.be.revertedWithCustomError(f.ch, "SelfLiquidation");
    await sameTime(f);
    const mv = await f.atlas.maintenanceValue(acctOf(bob));
    expect(mv).to.be.greaterThan(0n);
    await expect(l.connect(alice).liquidate(m, acctOf(bob), 1n, 0, false))
      .to.be.revertedWithCustomError(f.ch, "NotLiquidatable").withArgs(acctOf(bob), mv);
  });

  it("OrdersStillOpen, NoPosition and InvalidLiquidation on a liquidatable account", async () => {
    const f = fx();
    const { liquidator: l, ethPerp, btcPerp, bob, alice } = f;
    await deposit(f, bob, f.U, 200n * E6);
    for (const s of [alice, f.carol]) await deposit(f, s, f.U, 100_000n * E6);
    await place(ethPerp, f.carol, { side: Side.Ask, tick: 300_000n, lots: 300n });
    await place(ethPerp, bob, { side: Side.Bid, tick: 300_000n, lots: 300n, kind: OrderKind.Ioc });
    await place(ethPerp, bob, { side: Side.Ask, tick: 320_000n, lots: 7n, reduceOnly: true });
    await setPrice(f, f.W, 2_500n * WAD);
    const m = await ethPerp.getAddress();
    const B = acctOf(bob);
    expect(await f.ch.isLiquidatable(B)).to.equal(true);
    await expect(l.connect(alice).liquidate(m, B, 1n, 0, false)).to.be.revertedWithCustomError(f.ch, "OrdersStillOpen").withArgs(m, 7n);
    // ATLAS sees the lots the reduce-only ask holds: a spot liquidation is sent to cancel it first, too
    expect((await f.atlas.liquidationQuote(B, f.U, f.U))[5]).to.equal(true);
    await expect(f.ch.connect(alice).liquidate(B, f.U, 1n, f.U, 0)).to.be.revertedWithCustomError(f.ch, "OrdersStillOpen").withArgs(m, 1n);
    // anyone cancels them once the account is liquidatable
    await mined(ethPerp.connect(alice).cancelForLiquidation(bob.address, 0, [...(await allOpenOrders(ethPerp, bob.address, 0))]));
    expect((await ethPerp.positionOf(B)).askLots).to.equal(0n);
    expect((await f.atlas.liquidationQuote(B, f.U, f.U))[5]).to.equal(false);
    await expect(l.connect(alice).liquidate(await btcPerp.getAddress(), B, 1n, 0, false)).to.be.revertedWithCustomError(l, "NoPosition").withArgs(B);
    await expect(l.connect(alice).liquidate(m, B, 0n, 0, false)).to.be.revertedWithCustomError(l, "InvalidLiquidation").withArgs(300n, 0n);
    await expect(l.connect(alice).liquidate(m, B, 301n, 0, false)).to.be.revertedWithCustomError(l, "InvalidLiquidation").withArgs(300n, 301n);
    // a long perp is hedged by a spot debt: bob owes no WETH
    await expect(l.connect(alice).liquidate(m, B, 10n, 0, true)).to.be.revertedWithCustomError(l, "InvalidLiquidation").withArgs(0n, 10n * 10n ** 15n);
  });

  it("takes over at the mark less a Dutch discount that grows from 0 to its cap; never more than needed", async () => {
    const f = fx();
    await directional(f);
    const { liquidator: l, ethPerp, bob, alice } = f;
    const m = await ethPerp.getAddress();
    const B = acctOf(bob);
    const A = acctOf(alice);
    // all of it would overshoot the buffer
    await expect(l.connect(alice).liquidate(m, B, 300n, 0, false)).to.be.revertedWithCustomError(f.ch, "LiquidationTooLarge");
    const markPer = async () => (await ethPerp.markPrice())[1];
    let mv = await f.atlas.maintenanceValue(B);
    // first call: found liquidatable now, discount 0, price = the mark
    await sameTime(f);
    const mark0 = await markPer();
    expect(mark0).to.equal(2_500_000n * WAD);
    const r0 = await mined(l.connect(alice).liquidate(m, B, 40n, 0, false));
    const tFlag = BigInt((await f.ethers.provider.getBlock(r0.blockNumber))!.timestamp);
    const [size0, entry0] = await ethPerp.positionOf(A);
    expect([size0, entry0]).to.deep.equal([40n, 40n * 2_500_000n]);
    let mv1 = await f.atlas.maintenanceValue(B);
    expect(mv1).to.be.greaterThan(mv);
    for (const [dt, lots] of [[150n, 30n], [RAMP, 30n], [2n * RAMP, 20n]] as const) {
      mv = mv1;
      const d = dt >= RAMP ? CAP_BPS : (CAP_BPS * dt) / RAMP;
      await f.networkHelpers.time.setNextBlockTimestamp(tFlag + dt);
      await f.networkHelpers.mine();
      await mined(f.oracle.pushPrice(f.W, 2_500n * WAD)); // same block time as the views below
      await f.networkHelpers.time.setNextBlockTimestamp(tFlag + dt);
      expect(await f.ch.liquidationDiscountBps(B, f.W)).to.equal(d);
      const price = ((await markPer()) * (BPS - d)) / (BPS * WAD);
      const bal = await f.ch.balanceOf(B, f.U);
      const before = await ethPerp.positionOf(B);
      await expect(l.connect(alice).liquidate(m, B, lots, 0, false))
        .to.emit(l, "PositionLiquidated").withArgs(m, B, A, lots, price, 0n, d);
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

describe("PerpLiquidator.resolveBankruptcy", () => {
  const fx = usePerpFixture();

  it("NotBankrupt while the account holds assets or has no position; counterparties must be the whole opposite side, ascending", async () => {
    const f = fx();
    const { liquidator: l, carol, dave, alice, bob } = f;
    const m = await bankruptLong(f);
    const ma = await m.getAddress();
    const B = acctOf(bob);
    const [C, D, A] = [acctOf(carol), acctOf(dave), acctOf(alice)];
    const asc = [C, D].sort((x, y) => (BigInt(x) < BigInt(y) ? -1 : 1));
    expect(await f.ch.holdsNoAssets(B)).to.equal(true);
    await expect(l.resolveBankruptcy(ma, B, [C])).to.be.revertedWithCustomError(l, "IncompleteCounterparties").withArgs(200n, 300n);
    await expect(l.resolveBankruptcy(ma, B, [asc[1], asc[0]])).to.be.revertedWithCustomError(l, "NotCounterparty").withArgs(asc[0]);
    await expect(l.resolveBankruptcy(ma, B, [...asc, A].sort((x, y) => (BigInt(x) < BigInt(y) ? -1 : 1))))
      .to.be.revertedWithCustomError(l, "NotCounterparty").withArgs(A);
    await expect(l.resolveBankruptcy(ma, B, [asc[0], asc[0]])).to.be.revertedWithCustomError(l, "NotCounterparty").withArgs(asc[0]);
    // alice holds USDC (and a position): refused for her assets; an empty account for its lack of a position
    await expect(l.resolveBankruptcy(ma, A, asc)).to.be.revertedWithCustomError(l, "NotBankrupt").withArgs(A);
    await expect(l.resolveBankruptcy(ma, acctOf(f.outsider), asc)).to.be.revertedWithCustomError(l, "NotBankrupt").withArgs(acctOf(f.outsider));
    // bob's position is under water at the mark only while ETH stays low: at $3,500 it is not
    await setPrice(f, f.W, 3_500n * WAD);
    await expect(l.resolveBankruptcy(ma, B, asc)).to.be.revertedWithCustomError(l, "NotBankrupt").withArgs(B);
  });

  it("closes the position pro rata against the opposite side at the bankruptcy price, after the market's fees", async () => {
    const f = fx();
    const { liquidator: l, carol, dave, bob } = f;
    const m = await bankruptLong(f);
    const ma = await m.getAddress();
    const [B, C, D] = [acctOf(bob), acctOf(carol), acctOf(dave)];
    const asc = [C, D].sort((x, y) => (BigInt(x) < BigInt(y) ? -1 : 1));
    const pos = await m.positionOf(B);
    expect([pos.sizeLots, pos.entryAtoms, pos.cashAtoms, pos.fundingOwedAtoms]).to.deep.equal([50n, 150_000_000n, 0n, 0n]);
    // bob: $200 − fee $0.45 − loss 250 × $1 realised = −$50.45
    const fee = 300n * 300_000n * 5n / BPS * 10n;
    expect(fee).to.equal(450_000n);
    expect(await f.ch.balanceOf(B, f.U)).to.equal(200n * E6 - fee - 250n * E6);
    const shortfall = 150_000_000n - 50n * 2_000_000n; // entry − size × mark
    const covered = fee; // the market's fees: bob's taker fee
    const step = (shortfall - covered + 49n) / 50n;
    const price = 2_000_000n + step;
    // 50 × 200/300 = 33 and 50 × 100/300 = 16 (floors); the lot left goes to the first given
    const held = new Map([[C, 200n], [D, 100n]]);
    const share = new Map(asc.map((a) => [a, (50n * held.get(a)!) / 300n]));
    share.set(asc[0], share.get(asc[0])! + 1n);
    const [sC, sD] = [share.get(C)!, share.get(D)!];
    expect(sC + sD).to.equal(50n);
    const balC = await f.ch.balanceOf(C, f.U);
    const balD = await f.ch.balanceOf(D, f.U);
    const debt = await f.ch.balanceOf(B, f.U);
    await sameTime(f); // bob's debt accrues interest each second: resolve at the time it was read
    await expect(l.resolveBankruptcy(ma, B, asc))
      .to.emit(l, "BankruptcyResolved").withArgs(ma, B, 50n, price, covered, shortfall - covered);
    expect((await m.positionOf(B)).sizeLots).to.equal(0n);
    // carol (short 200, entry −$600) buys her share back at the bankruptcy price
    const pnlC = (600_000_000n * sC) / 200n - sC * price;
    const pnlD = (300_000_000n * sD) / 100n - sD * price;
    expect(await f.ch.balanceOf(C, f.U)).to.equal(balC + pnlC);
    expect(await f.ch.balanceOf(D, f.U)).to.equal(balD + pnlD);
    expect((await m.positionOf(C)).sizeLots).to.equal(-200n + sC);
    expect((await m.positionOf(D)).sizeLots).to.equal(-100n + sD);
    // what they gave up against the mark is the shortfall the fees did not cover
    expect(sC * step + sD * step).to.equal(shortfall - covered);
    // bob's cash nets to zero: his remaining debt is the pool's to write off
    expect(await f.ch.balanceOf(B, f.U)).to.equal(debt);
    expect((await m.openInterest()).longLots).to.equal(250n);
    // the fees were spent
    await expect(m.collectFees()).to.emit(m, "FeesCollected").withArgs(0n);
    void now;
  });
});
