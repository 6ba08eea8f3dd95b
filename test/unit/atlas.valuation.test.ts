// Atlas values against the independent bigint model in margin._helpers.ts and, for the simple
// cases, against numbers worked out by hand from docs/RISK.md.
import { expect } from "chai";
import { OrderKind, Side, encodeOrder } from "../../sdk/src/math/order.ts";
import {
  DAY, DEBT_SECONDS, E18, E6, E8, INITIAL_SCALE_BPS, WAD, acctOf, deposit, divUp, entry, floorDiv, mAdjusted, mEquity,
  mInitial, mMaintenance, mValues, mined, setPrice, storedAmount, useMarginFixture, type MB, type ME, type MFx,
} from "./margin._helpers.ts";

const BPS = 10_000n;

async function expectRisk(f: MFx, who: { address: string }, es: ME[], books: MB[] = []) {
  const r = await f.atlas.riskOf(acctOf(who));
  expect([r.equityWad, r.maintenanceWad, r.initialWad]).to.deep.equal([mEquity(es), mMaintenance(es, books), mInitial(es, books)]);
  expect(await f.atlas.maintenanceValue(acctOf(who))).to.equal(r.maintenanceWad);
  expect(await f.atlas.initialValue(acctOf(who))).to.equal(r.initialWad);
  // `atlas` is the core: the views its margin checks run (RiskLib) are these very ones
  expect(await f.ch.riskOf(acctOf(who))).to.deep.equal([r.equityWad, r.maintenanceWad, r.initialWad]);
  expect(await f.ch.maintenanceValue(acctOf(who))).to.equal(r.maintenanceWad);
  expect(await f.ch.initialValue(acctOf(who))).to.equal(r.initialWad);
  const per = await f.lens.assetRisks(acctOf(who));
  const m = mValues(es, books, BPS, false);
  const i = mValues(es, books, INITIAL_SCALE_BPS, true);
  expect(per.map((a) => [a.adjustedAtoms, a.priceWad, a.maintenanceWad, a.initialWad])).to.deep.equal(
    es.map((e, k) => [mAdjusted(e), e.price, m[k], i[k]]),
  );
  return per;
}

/** Debt (atoms, with interest to now) and the pool's borrow rate, as Atlas reads them. */
async function debtOf(f: MFx, who: { address: string }, token: string, pool: "USDC" | "WETH" | "WBTC") {
  return { debt: -(await f.ch.balanceOf(acctOf(who), token)), rateWad: await f.ch.borrowRatePerSecondWad(token) };
}

describe("Atlas valuation", () => {
  const fx = useMarginFixture();

  it("an empty account is worth nothing and needs no price", async () => {
    const f = fx();
    await f.networkHelpers.time.increase(7_200n);
    expect(await f.atlas.riskOf(acctOf(f.dave))).to.deep.equal([0n, 0n, 0n]);
    expect(await f.lens.assetRisks(acctOf(f.dave))).to.deep.equal([]);
  });

  it("a single long asset: worse of the two shocks, slippage against the holder (worked by hand)", async () => {
    const f = fx();
    const { alice, W, U, B } = f;
    await deposit(f, alice, W, 2n * E18);
    // $6,000: maintenance 6000·(1 − 0.10 − 0.005); initial 6000·(1 − 0.15 − 0.0075)
    const r = await f.atlas.riskOf(acctOf(alice));
    expect([r.equityWad, r.maintenanceWad, r.initialWad]).to.deep.equal([6_000n * WAD, 5_370n * WAD, 5_055n * WAD]);
    const [a] = await expectRisk(f, alice, [entry("WETH", { idle: 2n * E18 })]);
    expect(a.token).to.equal(W);
    // 8 and 6 decimals: 0.5 WBTC = $30,000 (h 15 %, s 1 %); 1,000 USDC (h 1 %, s 0.1 %)
    await deposit(f, f.bob, B, E8 / 2n);
    await deposit(f, f.bob, U, 1_000n * E6);
    const rb = await f.atlas.riskOf(acctOf(f.bob));
    expect([rb.equityWad, rb.maintenanceWad, rb.initialWad]).to.deep.equal([
      31_000n * WAD, 25_200n * WAD + 989n * WAD, 22_800n * WAD + 9_835n * 10n ** 17n,
    ]);
  });

  it("a debt is valued up, with 10 days of interest at the current borrow rate added", async () => {
    const f = fx();
    const { ch, bob, W, U } = f;
    await deposit(f, bob, W, 10n * E18);
    await mined(ch.connect(bob).borrow(U, 0, 5_000n * E6, bob.address));
    const { debt, rateWad } = await debtOf(f, bob, U, "USDC");
    expect(rateWad).to.be.greaterThan(0n);
    const x = -divUp(debt * (WAD + rateWad * 10n * DAY), WAD);
    expect(x).to.be.lessThan(-debt);
    const per = await expectRisk(f, bob, [entry("WETH", { idle: 10n * E18 }), entry("USDC", { debt, rateWad })]);
    expect(per[1].adjustedAtoms).to.equal(x);
    // a short is worst when the price rises: −|x|·$1·(1 + 0.01 + 0.001), rounded toward −∞
    expect(per[1].maintenanceWad).to.equal(floorDiv(-(-x * 10n ** 12n) * 10_110n, BPS));
  });

  it("the interest add-on follows the rate: a pool above its kink charges much more", async () => {
    const f = fx();
    const { ch, bob, dave, W, U, B } = f;
    await deposit(f, dave, B, 30n * E8);
    await mined(ch.connect(dave).borrow(U, 0, 900_000n * E6, dave.address));
    await deposit(f, bob, W, 10n * E18);
    await mined(ch.connect(bob).borrow(U, 0, 5_000n * E6, bob.address));
    const { debt, rateWad } = await debtOf(f, bob, U, "USDC");
    const per = await expectRisk(f, bob, [entry("WETH", { idle: 10n * E18 }), entry("USDC", { debt, rateWad })]);
    // above 90 % utilisation the rate is over 40 % a year: 10 days add more than 1 %
    expect(-per[1].adjustedAtoms - debt).to.be.greaterThan(debt / 100n);
  });

  it("a lent balance counts at its pool value times the haircut", async () => {
    const f = fx();
    const { ch, alice, U } = f;
    await deposit(f, alice, U, 1_000n * E6);
    await mined(ch.connect(alice).setLending(U, 0, true));
    const lent = await f.pools.USDC.convertToAssets(await storedAmount(f, acctOf(alice), U));
    const per = await expectRisk(f, alice, [entry("USDC", { lent })]);
    expect(per[0].adjustedAtoms).to.equal((lent * 9_800n) / BPS);
  });

  it("resting orders count at their worst case: a bid when the base falls, an ask when it rises", async () => {
    const f = fx();
    const { market, alice, carol, W, U } = f;
    await deposit(f, alice, W, 2n * E18);
    await deposit(f, alice, U, 10_000n * E6);
    await mined(market.connect(alice).placeOrder(encodeOrder({ side: Side.Bid, tick: 290_000n, lots: 1_000n })));
    await mined(market.connect(alice).placeOrder(encodeOrder({ side: Side.Ask, tick: 310_000n, lots: 500n })));
    const es = [entry("WETH", { idle: 3n * E18 / 2n, pocket: E18 / 2n }), entry("USDC", { idle: 7_100n * E6, pocket: 2_900n * E6 })];
    const book = { base: 0, quote: 1, lockedBase: E18 / 2n, lockedQuote: 2_900n * E6 };
    const per = await expectRisk(f, alice, es, [book]);
    // by hand: down 6000·0.895 − 2900·0.105 (bid charge) vs up 6000·1.095 − 1500·0.105 (ask charge)
    expect(per[0].maintenanceWad).to.equal(5_370n * WAD - 3_045n * 10n ** 17n);
    // a bid alone: nothing is held (the emptied USDC balance is no position), yet the book's
    // base and quote both get entries and the base carries the charge
    await deposit(f, carol, U, 3_000n * E6);
    await mined(market.connect(carol).placeOrder(encodeOrder({ side: Side.Bid, tick: 300_000n, lots: 1_000n, kind: OrderKind.PostOnly })));
    const carolPer = await expectRisk(f, carol, [entry("WETH"), entry("USDC", { pocket: 3_000n * E6 })], [
      { base: 0, quote: 1, lockedBase: 0n, lockedQuote: 3_000n * E6 },
    ]);
    expect(carolPer.map((a) => a.token)).to.deep.equal([W, U]);
    expect(carolPer[0].maintenanceWad).to.equal(-315n * WAD);
  });

  it("initial margin scales shocks 1.5x and uses the stable price, which lags a 2x pump", async () => {
    const f = fx();
    const { alice, W } = f;
    await deposit(f, alice, W, 2n * E18);
    await setPrice(f, W, 6_000n * WAD);
    expect(await f.oracle.tryPrice(W)).to.deep.equal([true, 6_000n * WAD, 3_000n * WAD]);
    let r = await f.atlas.riskOf(acctOf(alice));
    // maintenance at the oracle: 12000·0.895; initial at the stable price: 6000·0.8425
    expect([r.equityWad, r.maintenanceWad, r.initialWad]).to.deep.equal([12_000n * WAD, 10_740n * WAD, 5_055n * WAD]);
    await f.networkHelpers.time.increase(3_600n); // the stable price may move 5 % of its anchor an hour
    expect(await f.oracle.tryPrice(W)).to.deep.equal([true, 6_000n * WAD, 3_150n * WAD]);
    r = await f.atlas.riskOf(acctOf(alice));
    expect(r.initialWad).to.equal((6_300n * WAD * 8_425n) / BPS);
    await expectRisk(f, alice, [entry("WETH", { idle: 2n * E18, price: 6_000n * WAD, stable: 3_150n * WAD })]);
  });

  it("for what the account owes, initial margin takes the higher of oracle and stable price", async () => {
    const f = fx();
    const { ch, carol, W, U } = f;
    await deposit(f, carol, U, 10_000n * E6);
    await mined(ch.connect(carol).borrow(W, 0, E18, carol.address));
    await setPrice(f, W, 1_500n * WAD);
    const [, , stable] = await f.oracle.tryPrice(W);
    expect(stable).to.equal(3_000n * WAD);
    const { debt, rateWad } = await debtOf(f, carol, W, "WETH");
    const es = [entry("WETH", { debt, rateWad, price: 1_500n * WAD, stable }), entry("USDC", { idle: 10_000n * E6 })];
    await expectRisk(f, carol, es);
    const iv = mValues(es, [], INITIAL_SCALE_BPS, true)[0];
    expect(iv).to.equal(floorDiv(-divUp(-mAdjusted(es[0]) * 3_000n * WAD, E18) * (BPS + 1_500n + 75n), BPS));
  });

  it("reverts PriceUnavailable for a held asset, or a book's base, without a usable price", async () => {
    const f = fx();
    const { atlas, lens, market, alice, carol, W, U } = f;
    await deposit(f, alice, W, 2n * E18);
    await deposit(f, carol, U, 3_000n * E6);
    await mined(market.connect(carol).placeOrder(encodeOrder({ side: Side.Bid, tick: 300_000n, lots: 1_000n })));
    await f.networkHelpers.time.increase(3_601n);
    await mined(f.oracle.pushPrice(U, WAD)); // USDC fresh again, WETH stale
    const a = acctOf(alice);
    for (const call of [
      atlas.riskOf(a), lens.assetRisks(a), atlas.initialValue(a), atlas.maintenanceValue(a),
      lens.maxWithdraw(a, W, false), lens.maxBorrow(a, U), lens.liquidationPrice(a, W), atlas.riskOf(acctOf(carol)),
    ]) {
      await expect(call).to.be.revertedWithCustomError(atlas, "PriceUnavailable").withArgs(W);
    }
  });

  it("setRiskParams enforces the bounds Atlas's constructor had and riskParams reports them", async () => {
    const f = fx();
    const { ch } = f;
    expect(await ch.riskParams()).to.deep.equal([INITIAL_SCALE_BPS, DEBT_SECONDS]);
    for (const [scale, secs] of [[9_999n, 0n], [20_001n, 0n], [15_000n, 365n * DAY + 1n]]) {
      await expect(ch.setRiskParams(scale, secs)).to.be.revertedWithCustomError(ch, "InvalidRiskParams");
    }
    expect(await ch.riskParams()).to.deep.equal([INITIAL_SCALE_BPS, DEBT_SECONDS]);
    for (const [scale, secs] of [[10_000n, 365n * DAY], [20_000n, 0n]]) {
      await expect(ch.setRiskParams(scale, secs)).to.emit(ch, "RiskParamsSet").withArgs(scale, secs);
      expect(await ch.riskParams()).to.deep.equal([scale, secs]);
    }
    await expect(ch.connect(f.outsider).setRiskParams(INITIAL_SCALE_BPS, DEBT_SECONDS))
      .to.be.revertedWithCustomError(ch, "AccessManagedUnauthorized")
      .withArgs(f.outsider.address);
    expect(await f.lens.CLEARINGHOUSE()).to.equal(await ch.getAddress());
  });
});
