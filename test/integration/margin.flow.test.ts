// The margin story end to end: a margin buy of ETH with borrowed USDC on the spot book,
// interest over time, a price drop, a partial liquidation, and a bankruptcy whose loss lowers
// only the USDC pool's share price.
import { expect } from "chai";
import { OrderKind, Side, encodeOrder } from "../../sdk/src/math/order.ts";
import {
  DAY, E18, E6, WAD, acctOf, deposit, divUp, entry, mEquity, mInitial, mMaintenance, mSeized, mined, now, sameTime, setPrice,
  storedAmount, useMarginFixture, warp, type MFx,
} from "../unit/margin._helpers.ts";

/** Largest repayment of `account`'s USDC debt that a liquidation accepts now (static calls). */
async function largestRepay(f: MFx, account: string, collateral: string): Promise<bigint> {
  let lo = 1n;
  let hi = -(await f.ch.balanceOf(account, f.U));
  while (lo < hi) {
    const mid = hi - (hi - lo) / 2n;
    const ok = await f.ch.connect(f.carol).liquidate.staticCall(account, f.U, mid, collateral, 0).then(() => true, () => false);
    if (ok) lo = mid;
    else hi = mid - 1n;
  }
  return lo;
}

/** Share price of a pool: assets per 10^18 shares (the pools' virtual offset is 10^6). */
const sharePrice = async (f: MFx, sym: "USDC" | "WETH" | "WBTC") => f.pools[sym].convertToAssets(E18);

describe("Margin flow: margin buy, interest, price drop, partial liquidation, bankruptcy", () => {
  const fx = useMarginFixture();

  it("a margin buy of ETH with borrowed USDC accrues interest and is partially liquidated after a drop", async () => {
    const f = fx();
    const { ch, atlas, lens, market, alice, bob, carol, W, U } = f;
    const B = acctOf(bob);
    // 1. alice sells WETH at $3,000; bob buys 3 WETH with 3,000 USDC of his own and 6,000 borrowed
    await deposit(f, alice, W, 10n * E18);
    await mined(market.connect(alice).placeOrder(encodeOrder({ side: Side.Ask, tick: 300_000n, lots: 5_000n })));
    await deposit(f, bob, U, 3_000n * E6);
    await mined(ch.connect(bob).setBorrowPolicy(0, true, false));
    await mined(market.connect(bob).placeOrder(encodeOrder({ side: Side.Bid, tick: 300_000n, lots: 3_000n, kind: OrderKind.Ioc })));
    await mined(market.sweep(bob.address, 0));
    expect(await ch.balanceOf(B, W)).to.equal(3n * E18);
    expect(await ch.balanceOf(B, U)).to.equal(-6_000n * E6);
    let rate = await f.ch.borrowRatePerSecondWad(f.U);
    let es = [entry("WETH", { idle: 3n * E18 }), entry("USDC", { debt: 6_000n * E6, rateWad: rate })];
    expect(await atlas.riskOf(B)).to.deep.equal([mEquity(es), mMaintenance(es), mInitial(es)]);

    // 2. a month of interest: the debt grows exactly as the pool's borrow index
    const shares = -(await storedAmount(f, B, U));
    await warp(f, 30n * DAY);
    await sameTime(f);
    const index = await f.ch.borrowIndexWad(f.U);
    const debt = -(await ch.balanceOf(B, U));
    expect(debt).to.equal(divUp(shares * index, WAD));
    expect(debt).to.be.greaterThan(6_000n * E6);

    // 3. WETH falls to $2,100: maintenance below zero; the liquidation price lies between
    await setPrice(f, W, 2_100n * WAD);
    expect(await ch.isLiquidatable(B)).to.equal(true);
    const pLiq = await lens.liquidationPrice(B, W);
    expect(pLiq).to.be.within(2_100n * WAD, 3_000n * WAD);

    // 4. carol liquidates as much as the buffer allows: maintenance rises to [0, 1 % of equity]
    await deposit(f, carol, U, 20_000n * E6);
    const repay = await largestRepay(f, B, W);
    await expect(ch.connect(carol).liquidate.staticCall(B, U, repay + 1n, W, 0)).to.be.revertedWithCustomError(ch, "LiquidationTooLarge");
    await sameTime(f);
    const before = await atlas.maintenanceValue(B);
    await sameTime(f);
    const seized = mSeized(repay, WAD, 6n, 2_100n * WAD, 18n, 0n); // first call: no discount yet
    const shares0 = await storedAmount(f, B, U);
    const tx = await ch.connect(carol).liquidate(B, U, repay, W, 0);
    const burnt = (await storedAmount(f, B, U)) - shares0;
    expect(burnt).to.be.greaterThan(0n);
    await expect(tx).to.emit(ch, "Liquidated").withArgs(B, acctOf(carol), U, repay, burnt, W, seized, 0n);
    const r = await atlas.riskOf(B);
    expect(r.maintenanceWad).to.be.greaterThan(before);
    expect(r.maintenanceWad).to.be.within(0n, r.equityWad / 100n);
    expect(await ch.balanceOf(B, W)).to.equal(3n * E18 - seized);
    expect(await ch.balanceOf(acctOf(carol), W)).to.equal(seized);
    expect((await ch.accountState(B)) >> 208n).to.equal(0n);
    // the values agree with the model at the new balances
    rate = await f.ch.borrowRatePerSecondWad(f.U);
    es = [
      entry("WETH", { idle: 3n * E18 - seized, price: 2_100n * WAD, stable: (await f.oracle.tryPrice(W))[2] }),
      entry("USDC", { debt: -(await ch.balanceOf(B, U)), rateWad: rate }),
    ];
    expect(r).to.deep.equal([mEquity(es), mMaintenance(es), mInitial(es)]);
  });

  it("a bankruptcy's loss lowers only the USDC pool's share price", async () => {
    const f = fx();
    const { ch, bob, carol, dave, W, U, B } = f;
    // other pools have borrowers too, so their share prices move with interest, not with the loss
    await deposit(f, carol, U, 500_000n * E6);
    await mined(ch.connect(carol).borrow(W, 0, 20n * E18, carol.address));
    await mined(ch.connect(carol).borrow(B, 0, E18 / 10n ** 10n, carol.address));
    await deposit(f, dave, W, E18);
    await mined(ch.connect(dave).borrow(U, 0, 2_400n * E6, dave.address));
    await warp(f, 10n * DAY);
    await setPrice(f, W, 100n * WAD);
    await deposit(f, bob, U, 1_000n * E6);
    await mined(ch.connect(bob).liquidate(acctOf(dave), U, 100n * E6, W, 0)); // seizes the whole 1 WETH
    expect(await ch.balanceOf(acctOf(dave), W)).to.equal(0n);
    await sameTime(f);
    const [u0, w0, b0] = [await sharePrice(f, "USDC"), await sharePrice(f, "WETH"), await sharePrice(f, "WBTC")];
    const t = await now(f);
    await f.networkHelpers.time.setNextBlockTimestamp(t);
    await expect(ch.settleBadDebt(acctOf(dave), U)).to.emit(ch, "BadDebtSettled");
    expect(await now(f)).to.equal(t);
    expect(await sharePrice(f, "USDC")).to.be.lessThan(u0);
    expect([await sharePrice(f, "WETH"), await sharePrice(f, "WBTC")]).to.deep.equal([w0, b0]);
    expect(await ch.balanceOf(acctOf(dave), U)).to.equal(0n);
  });
});
