// ATLAS stress (issue #13 item 6, docs/RISK.md "Parameter bounds" and "Stress account"): the stress
// account — 10 ETH spot long bought with borrowed USDC, 10 ETH-PERP short, at $2,000, its own funds
// exactly the initial requirement (borrowed out until initial value = 0) — survives one oracle step of
// ETH −30%, 0 and +30% with the mark premium at +clamp (adverse to the short): equity stays ≥ 0, and a
// liquidator taking the pair at its full discount (q·β) restores it with no bad debt. A gradual path
// (1% steps, premium rising to the clamp, a liquidator acting each step) ends with no bad debt.
// Driven through test/attack/venue.ts only.
import { expect } from "chai";
import {
  E6, E18, WAD, useVenue, deposit, allowBorrow, spotOrder, perpOrder, setPrice, withdraw, maxWithdraw, initialValue,
  maintenanceValue, equityOf, perpLots, pushPremium, perpMark, requirements, isLiquidatable, flagLiquidatable, warp,
  liquidationDiscount, liquidatePerpLargest, balanceOf, mined, type Venue,
} from "../attack/venue.ts";

const LOTS = 10_000n; // 10 ETH (lot 0.001 WETH)
const TICK_2000 = 200_000n; // $2,000 per ETH
const USD = (d: bigint) => d * WAD;
const fmt = (wad: bigint) => (Number(wad / 10n ** 12n) / 1e6).toFixed(2);

/** The stress account (bob) at $2,000; carol and dave make markets, alice liquidates. */
async function stressAccount(v: Venue) {
  const { bob, carol, dave, alice } = v;
  await setPrice(v, "WETH", USD(2_000n));
  // let the stable price follow (at most 5% an hour), so $2,000 is also the conservative price
  for (let h = 0; h < 12; h++) await warp(v, 3_600n);
  await deposit(v, carol, "WETH", 20n * E18);
  for (const s of [carol, dave, alice]) await deposit(v, s, "USDC", 200_000n * E6);
  await spotOrder(v, carol, { side: 1n, tick: TICK_2000, lots: LOTS });
  await perpOrder(v, carol, { side: 0n, tick: TICK_2000, lots: LOTS });
  await deposit(v, bob, "USDC", 4_000n * E6); // one leg alone needs ~$3,100
  await allowBorrow(v, bob);
  await perpOrder(v, bob, { side: 1n, tick: TICK_2000, lots: LOTS, kind: 2n }); // IOC short 10 ETH-PERP
  await spotOrder(v, bob, { side: 0n, tick: TICK_2000, lots: LOTS, kind: 2n }); // IOC buy 10 WETH, borrowing
  await mined(v.market.sweep(bob.address, 0));
  const out = await maxWithdraw(v, bob, "USDC");
  await withdraw(v, bob, "USDC", out);
  const own = 4_000n * E6 - out; // own funds left in: the initial requirement
  expect(await balanceOf(v, bob, "WETH")).to.equal(10n * E18);
  expect(await perpLots(v, bob)).to.equal(-LOTS);
  const iv = await initialValue(v, bob);
  expect(iv >= 0n && iv < USD(1n) / 100n, `initial value ${iv}`).to.equal(true);
  return own;
}

/** The pair discount a liquidator gets at the end of the ramp: q·β. */
async function pairCapBps(v: Venue) {
  const [, capShareBps] = await v.ch.liquidationParams();
  return ((await v.ethPerp.perpParams()).basisBps * capShareBps) / 10_000n;
}

/** Liquidates bob's pair at the full discount until healthy; returns the lots taken. */
async function liquidateAtFullDiscount(v: Venue) {
  const { alice, bob } = v;
  await flagLiquidatable(v, alice, bob);
  await warp(v, 600n); // the Dutch ramp (600 s) to its cap
  expect(await liquidationDiscount(v, bob, "WETH")).to.be.greaterThanOrEqual(await pairCapBps(v));
  let taken = 0n;
  while (await isLiquidatable(v, bob)) {
    const lots = await liquidatePerpLargest(v, alice, bob, true);
    expect(lots, "a liquidator can take part of the pair").to.be.greaterThan(0n);
    taken += lots;
  }
  return taken;
}

describe("ATLAS stress: a hedged basis trade at the initial requirement", () => {
  const fx = useVenue();

  it("own funds are the initial requirement; initial share of plain cross margin ≤ 6%", async () => {
    const v = fx();
    const own = await stressAccount(v);
    const { portfolio, cross } = await requirements(v, v.bob);
    const share = (portfolio * 10_000n) / cross; // bps
    console.log(`      own funds ${fmt(own * 10n ** 12n)} USDC; initial requirement ${fmt(portfolio)} of cross ${fmt(cross)} = ${Number(share) / 100}%`);
    expect(share).to.be.lessThanOrEqual(600n);
    // maintenance: the portfolio's requirement (value at the price − maintenance value) against each
    // leg margined alone at the maintenance parameters (WETH h 10%, s 0.5%; ETH-PERP l 0.3%; USDC h + s 1.1%)
    const mv = await maintenanceValue(v, v.bob);
    const rs = await v.lens.assetRisks((await import("../unit/margin._helpers.ts")).acctOf(v.bob));
    const usdc = rs.find((r) => r.token === v.U)!;
    const usdcWad = usdc.adjustedAtoms * 10n ** 12n; // $1
    const maintPortfolio = usdcWad - mv; // WETH: x + y = 0 at the price
    const n = USD(20_000n);
    const maintCross = (n * 1_050n) / 10_000n + (n * (1_000n + 30n)) / 10_000n + (usdcWad * 110n) / 10_000n;
    const mShare = (maintPortfolio * 10_000n) / maintCross;
    console.log(`      maintenance requirement ${fmt(maintPortfolio)} of cross ${fmt(maintCross)} = ${Number(mShare) / 100}%`);
    expect(mShare).to.be.lessThanOrEqual(600n);
  });

  for (const movePct of [-30n, 0n, 30n]) {
    it(`one oracle step of ${movePct}% with the premium at +clamp: equity ≥ 0; a pair liquidation at q·β restores it, no bad debt`, async () => {
      const v = fx();
      await stressAccount(v);
      await setPrice(v, "WETH", (USD(2_000n) * (100n + movePct)) / 100n);
      await pushPremium(v, v.dave, 500n); // far above: the market clamps it
      const clampPpm = (await v.ethPerp.perpParams()).maxPremiumBps * 100n;
      expect((await perpMark(v)).premiumPpm).to.equal(clampPpm);
      const eq = await equityOf(v, v.bob);
      console.log(`      equity ${fmt(eq)}, maintenance ${fmt(await maintenanceValue(v, v.bob))}`);
      expect(eq).to.be.greaterThanOrEqual(0n);
      if (await isLiquidatable(v, v.bob)) {
        const taken = await liquidateAtFullDiscount(v);
        console.log(`      liquidated ${taken} lots; maintenance ${fmt(await maintenanceValue(v, v.bob))}, equity ${fmt(await equityOf(v, v.bob))}`);
      }
      expect(await maintenanceValue(v, v.bob)).to.be.greaterThanOrEqual(0n);
      expect(await equityOf(v, v.bob)).to.be.greaterThanOrEqual(0n);
    });
  }

  for (const dir of [1n, -1n]) {
    it(`gradual path ${dir > 0n ? "up" : "down"} 30 × 1%, premium rising to +clamp, a liquidator each step: no bad debt`, async () => {
      const v = fx();
      await stressAccount(v);
      const clampBps = (await v.ethPerp.perpParams()).maxPremiumBps;
      let price = USD(2_000n);
      let liquidated = 0n;
      for (let i = 1n; i <= 30n; i++) {
        price = (price * (100n + dir)) / 100n;
        await setPrice(v, "WETH", price);
        await pushPremium(v, v.dave, (clampBps * i) / 30n);
        await warp(v, 60n);
        expect(await equityOf(v, v.bob), `step ${i}`).to.be.greaterThanOrEqual(0n);
        if (await isLiquidatable(v, v.bob)) {
          liquidated += await liquidatePerpLargest(v, v.alice, v.bob, true);
        }
      }
      const eq = await equityOf(v, v.bob);
      console.log(`      liquidated ${liquidated} lots along the path; equity ${fmt(eq)}, maintenance ${fmt(await maintenanceValue(v, v.bob))}`);
      expect(eq).to.be.greaterThanOrEqual(0n);
    });
  }
});
