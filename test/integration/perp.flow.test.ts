// Perps with the rest of the venue: a basis trade margined as one portfolio, a directional perp
// liquidated after a price shock, a hedged spot + perp pair unwound together, and a bankruptcy whose
// loss stays with that market's opposite side before the pool writes off what debt remains.
import { expect } from "chai";
import { OrderKind, Side } from "../../sdk/src/math/order.ts";
import { E6, bankruptLong, place, usePerpFixture } from "../unit/perp._helpers.ts";
import { E18, WAD, acctOf, deposit, mined, sameTime, setPrice, warp } from "../unit/margin._helpers.ts";

const BPS = 10_000n;

describe("perps: portfolio flows", () => {
  const fx = usePerpFixture();

  it("basis trade: borrow USDC, buy 1 spot ETH, short 1 ETH-PERP; ATLAS needs under a third of cross margin", async () => {
    const f = fx();
    const { ch, atlas, lens, market, ethPerp, bob, carol, dave, U, W } = f;
    const B = acctOf(bob);
    await deposit(f, bob, U, 1_000n * E6);
    for (const s of [carol, dave]) await deposit(f, s, U, 100_000n * E6);
    await deposit(f, carol, W, 10n * E18);
    await mined(ch.connect(bob).setBorrowPolicy(0, true, false));
    await place(ethPerp, dave, { side: Side.Bid, tick: 300_000n, lots: 1_000n });
    await place(ethPerp, bob, { side: Side.Ask, tick: 300_000n, lots: 1_000n, kind: OrderKind.Ioc });
    await mined(market.connect(carol).placeOrder((await import("../../sdk/src/math/order.ts")).encodeOrder({ side: Side.Ask, tick: 300_000n, lots: 1_000n })));
    await mined(market.connect(bob).placeOrder((await import("../../sdk/src/math/order.ts")).encodeOrder({ side: Side.Bid, tick: 300_000n, lots: 1_000n, kind: OrderKind.Ioc })));
    await mined(market.sweep(bob.address, 0));
    expect(await ch.balanceOf(B, W)).to.equal(E18);
    // $1,000 − $3,000 − perp taker fee $1.50: a USDC debt
    expect(await ch.balanceOf(B, U)).to.be.lessThan(-(2_000n * E6 - 1n));
    expect((await ethPerp.positionOf(B)).sizeLots).to.equal(-1_000n);
    const [portfolio, cross] = await lens.marginRequirements(B);
    expect(portfolio).to.be.greaterThan(0n);
    expect(portfolio * 3n).to.be.lessThan(cross);
    expect(await atlas.initialValue(B)).to.be.greaterThanOrEqual(0n);
    // the hedge holds through a 10% move either way
    for (const p of [3_300n, 2_700n]) {
      await setPrice(f, W, p * WAD);
      expect(await atlas.maintenanceValue(B)).to.be.greaterThan(0n);
    }
  });

  it("a price shock liquidates a directional long: successive takeovers at a growing discount raise maintenance", async () => {
    const f = fx();
    const { ch, atlas, lens, ethPerp, bob, carol, alice, U, W } = f;
    const B = acctOf(bob);
    await deposit(f, bob, U, 300n * E6);
    for (const s of [alice, carol]) await deposit(f, s, U, 100_000n * E6);
    await place(ethPerp, carol, { side: Side.Ask, tick: 300_000n, lots: 500n });
    await place(ethPerp, bob, { side: Side.Bid, tick: 300_000n, lots: 500n, kind: OrderKind.Ioc });
    expect(await ch.isLiquidatable(B)).to.equal(false);
    await setPrice(f, W, 2_550n * WAD); // −15%
    expect(await ch.isLiquidatable(B)).to.equal(true);
    const m = ethPerp.marketId;
    const prices: bigint[] = [];
    const discounts: bigint[] = [];
    let mv = await atlas.maintenanceValue(B);
    for (const wait of [0n, 200n, 400n]) {
      if (wait) await warp(f, wait);
      if (!(await ch.isLiquidatable(B))) break;
      await sameTime(f);
      const d = await ch.liquidationDiscountBps(B, W);
      const [, markLot] = await ethPerp.markPrice();
      await sameTime(f);
      const r = await mined(ch.connect(alice).liquidatePerp(m, B, 60n, 0, false));
      const ev = r.logs.map((x) => ch.interface.parseLog(x)).find((e) => e?.name === "PositionLiquidated")!;
      expect(ev.args.priceAtoms).to.equal((markLot * (BPS - (wait ? d : 0n))) / (BPS * WAD));
      prices.push(ev.args.priceAtoms);
      discounts.push(ev.args.discountBps);
      const mv1 = await atlas.maintenanceValue(B);
      expect(mv1).to.be.greaterThan(mv);
      mv = mv1;
    }
    expect(discounts[0]).to.equal(0n);
    expect(discounts.length).to.be.greaterThan(1);
    for (let i = 1; i < discounts.length; i++) expect(discounts[i]).to.be.greaterThan(discounts[i - 1]);
    expect((await ethPerp.positionOf(acctOf(alice))).sizeLots).to.equal(60n * BigInt(prices.length));
    expect((await ethPerp.positionOf(B)).sizeLots).to.equal(500n - 60n * BigInt(prices.length));
  });

  it("a hedged pair (1 spot ETH, short 1 ETH-PERP) drained by funding unwinds together: spot at the index less half the basis at most, perp at the mark", async () => {
    const f = fx();
    const { ch, atlas, lens, ethPerp, bob, carol, dave, alice, U, W } = f;
    const B = acctOf(bob);
    const A = acctOf(alice);
    await deposit(f, bob, W, E18);
    await deposit(f, bob, U, 150n * E6);
    for (const s of [alice, carol, dave]) await deposit(f, s, U, 100_000n * E6);
    await place(ethPerp, dave, { side: Side.Bid, tick: 300_000n, lots: 1_000n });
    await place(ethPerp, bob, { side: Side.Ask, tick: 300_000n, lots: 1_000n, kind: OrderKind.Ioc });
    // the book's impact ask 1% under the index ($10,002 resting there), bounded at −0.75%: once the
    // mark's premium has moved there (two half-lives) and a call re-samples, shorts pay 0.70% an hour
    await place(ethPerp, carol, { side: Side.Bid, tick: 290_000n, lots: 1n });
    await place(ethPerp, carol, { side: Side.Ask, tick: 297_000n, lots: 3_334n });
    await warp(f, 121n);
    await place(ethPerp, carol, { side: Side.Bid, tick: 289_000n, lots: 1n });
    expect((await ethPerp.funding()).ratePpmPerHour).to.equal(-7_000n);
    // bob levers the pair: he borrows out all the USDC his initial margin allows
    await mined(ch.connect(bob).setBorrowPolicy(0, false, true));
    await sameTime(f);
    const room = await lens.maxWithdraw(B, U, true);
    await sameTime(f);
    await mined(ch.connect(bob).withdraw(U, 0, room, bob.address));
    expect(await ch.balanceOf(B, U)).to.be.lessThan(0n);
    expect(await ch.isLiquidatable(B)).to.equal(false);
    await warp(f, 10n * 3_600n);
    expect(await ch.isLiquidatable(B)).to.equal(true);
    const m = ethPerp.marketId;
    const lots = 200n;
    const mv = await atlas.maintenanceValue(B);
    const wBob = await ch.balanceOf(B, W);
    const uAlice = await ch.balanceOf(A, U);
    await sameTime(f);
    const [indexLot, markLot] = await ethPerp.markPrice();
    await sameTime(f);
    // first call: discount 0, the spot leg moves at the index exactly
    await expect(ch.connect(alice).liquidatePerp(m, B, lots, 0, true))
      .to.emit(ch, "PositionLiquidated").withArgs(m, B, A, -lots, (markLot + WAD - 1n) / WAD, lots * 10n ** 15n, 0n); // a short moves at ⌈mark⌉
    expect(await ch.balanceOf(B, W)).to.equal(wBob - lots * 10n ** 15n);
    expect(await ch.balanceOf(A, W)).to.equal(lots * 10n ** 15n);
    const spotPaid = (indexLot * lots) / WAD;
    expect(await ch.balanceOf(A, U)).to.equal(uAlice - spotPaid); // the perp leg settles nothing yet: opened at the mark
    expect((await ethPerp.positionOf(A)).sizeLots).to.equal(-lots);
    expect((await ethPerp.positionOf(B)).sizeLots).to.equal(-1_000n + lots);
    expect(await atlas.maintenanceValue(B)).to.be.greaterThan(mv);
    // ten minutes on, the discount has reached its cap but the pair's is held to half the basis charge
    // (the cap's share, 50 %, of 115 bps: 57), so the unwind still raises maintenance value
    await warp(f, 600n);
    expect(await ch.isLiquidatable(B)).to.equal(true);
    {
      await sameTime(f);
      expect(await ch.liquidationDiscountBps(B, W)).to.equal(525n);
      const [idx2] = await ethPerp.markPrice();
      const u0 = await ch.balanceOf(A, U);
      await sameTime(f);
      const r = await mined(ch.connect(alice).liquidatePerp(m, B, 50n, 0, true));
      const ev = r.logs.map((x) => ch.interface.parseLog(x)).find((e) => e?.name === "PositionLiquidated")!;
      expect(ev.args.discountBps).to.equal(57n);
      expect(await ch.balanceOf(A, U)).to.be.lessThanOrEqual(u0 - (idx2 * 50n * (BPS - 57n)) / (BPS * WAD) + 1n);
    }
  });

  it("bankruptcy: the loss reaches only that market's opposite side pro rata, through its loss index; a BTC-PERP holder and the lenders lose nothing; the pool writes off the rest", async () => {
    const f = fx();
    const { ch, btcPerp, bob, carol, dave, outsider, lender, U, pools } = f;
    // outsider long BTC-PERP against lender's... a BTC position held through it all
    await deposit(f, outsider, U, 10_000n * E6);
    await deposit(f, lender, U, 10_000n * E6);
    await place(btcPerp, lender, { side: Side.Ask, tick: 600_000n, lots: 50n });
    await place(btcPerp, outsider, { side: Side.Bid, tick: 600_000n, lots: 50n, kind: OrderKind.Ioc });
    const O = acctOf(outsider);
    const btcBefore = await btcPerp.positionOf(O);
    const oBal = await ch.balanceOf(O, U);
    const m = await bankruptLong(f);
    const [B, C, D] = [acctOf(bob), acctOf(carol), acctOf(dave)];
    const cBal = await ch.balanceOf(C, U);
    const dBal = await ch.balanceOf(D, U);
    const share = 10n ** 6n;
    const usdcValue = await pools.USDC.convertToAssets(share * 10n ** 6n);
    const wethValue = await pools.WETH.convertToAssets(10n ** 18n);
    // carol (short 200) takes bob's long over at the mark; the loss goes to every short lot
    await mined(ch.connect(carol).resolveBankruptcy(m.marketId, B, 0));
    await mined(m.settle(dave.address, 0));
    // counterparties lost against the mark: carol about twice what dave lost (pro rata 200 : 100)
    const lossC = 50n * (3_000_000n - 2_000_000n) - ((await ch.balanceOf(C, U)) - cBal);
    const lossD = -((await ch.balanceOf(D, U)) - dBal);
    expect(lossC).to.be.greaterThan(0n);
    expect(lossC - 2n * lossD).to.be.within(-2n, 2n);
    expect((await m.positionOf(C)).sizeLots + (await m.positionOf(D)).sizeLots).to.equal(-250n);
    // nobody outside ETH-PERP lost a wei
    const btcAfter = await btcPerp.positionOf(O);
    expect([btcAfter.sizeLots, btcAfter.entryAtoms, btcAfter.cashAtoms]).to.deep.equal([btcBefore.sizeLots, btcBefore.entryAtoms, btcBefore.cashAtoms]);
    expect(await ch.balanceOf(O, U)).to.equal(oBal);
    expect(await pools.USDC.convertToAssets(share * 10n ** 6n)).to.be.greaterThanOrEqual(usdcValue);
    expect(await pools.WETH.convertToAssets(10n ** 18n)).to.be.greaterThanOrEqual(wethValue);
    // bob: flat, owes only the USDC his liquidation realised; the USDC pool writes it off
    expect((await m.positionOf(B)).sizeLots).to.equal(0n);
    const debt = -(await ch.balanceOf(B, U));
    expect(debt).to.be.greaterThanOrEqual(50_450_000n);
    const assets0 = await ch.supplyAssets(U);
    expect((await ch.accountState(B)) >> 194n & 1n).to.equal(1n); // perp exposure: a liability
    await expect(ch.settleBadDebt(B, U)).to.emit(ch, "BadDebtSettled");
    expect(await ch.balanceOf(B, U)).to.equal(0n);
    // written off with every pocket empty: no market bit and no perp-exposure flag are left
    const st = await ch.accountState(B);
    expect([(st >> 128n) & ((1n << 64n) - 1n), (st >> 194n) & 1n]).to.deep.equal([0n, 0n]);
    const lost = assets0 - (await ch.supplyAssets(U));
    expect(lost).to.be.lessThanOrEqual(debt + 1n);
    expect(await pools.WETH.convertToAssets(10n ** 18n)).to.be.greaterThanOrEqual(wethValue);
    void setPrice;
  });
});
