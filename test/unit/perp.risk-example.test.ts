// The worked example of docs/RISK.md ("Worked example: a basis trade"), built on chain with the
// perp fixture's parameters. Every figure the page prints is asserted here to the wei: the
// intermediate scenario values through a bigint model of AtlasMath, the totals straight from
// the core's ATLAS views, so the page cannot drift from the contract.
import { expect } from "chai";
import { OrderKind, Side, encodeOrder } from "../../sdk/src/math/order.ts";
import { createPerpMarket } from "../../scripts/lib/deploy-perp.ts";
import type { PerpMarket } from "../../scripts/lib/market.ts";
import { DEBT_SECONDS, E18, E6, WAD, acctOf, deposit, divUp, floorDiv, mined } from "./margin._helpers.ts";
import { ETH_PERP, type PFx, place, usePerpFixture } from "./perp._helpers.ts";

const TICK_3000 = 300_000n; // × 10 USDC atoms per lot of 0.001 WETH = $3,000 per WETH
const LOTS = 10_000n; // 10 WETH
const USD = (dollars: bigint, cents = 0n) => dollars * WAD + cents * 10n ** 16n;

/** Alice: 6,000 USDC; sells 10 ETH-PERP at $3,000 (taker); buys 10 WETH at $3,000 on borrowed USDC. */
async function basisTrade(f: PFx, perp: PerpMarket, collateralUsdc = 6_000n, withSpot = true) {
  const { ch, market, alice, bob, carol, W, U } = f;
  // every transaction and every view at one timestamp: no interest or funding accrues in between
  const t = BigInt((await f.ethers.provider.getBlock("latest"))!.timestamp) + 1n;
  const at = () => f.networkHelpers.time.setNextBlockTimestamp(t);
  await at();
  await deposit(f, bob, W, 10n * E18);
  await at();
  await mined(market.connect(bob).placeOrder(encodeOrder({ side: Side.Ask, tick: TICK_3000, lots: LOTS })));
  await at();
  await deposit(f, carol, U, 100_000n * E6);
  await at();
  await place(perp, carol, { side: Side.Bid, tick: TICK_3000, lots: LOTS });
  await at();
  await deposit(f, alice, U, collateralUsdc * E6);
  await at();
  await mined(ch.connect(alice).setBorrowPolicy(0, true, false));
  await at();
  await place(perp, alice, { side: Side.Ask, tick: TICK_3000, lots: LOTS, kind: OrderKind.Ioc });
  if (!withSpot) return acctOf(alice);
  await at();
  await mined(market.connect(alice).placeOrder(encodeOrder({ side: Side.Bid, tick: TICK_3000, lots: LOTS, kind: OrderKind.Ioc })));
  await at();
  await mined(market.sweep(alice.address, 0)); // the bought WETH from the spot pocket into the balance
  return acctOf(alice);
}

/**
 * AtlasMath for one underlying: x WETH spot, y WETH of perp, no orders, P = S = $3,000 (netted:
 * (x + y) shocked together, slippage and liquidity only on the unhedged parts).
 */
function ethLeg(scaleBps: bigint, liquidityBps: bigint, impactUsd: bigint, xEth = 10n, yEth = -10n) {
  const sc = (b: bigint) => divUp(b * scaleBps, 10_000n);
  const [h, s, l, basis, floor] = [sc(1_000n), sc(50n), sc(liquidityBps), sc(115n), sc(20n)];
  const abs = (v: bigint) => (v < 0n ? -v : v);
  const ux = USD(3_000n) * xEth;
  const uy = USD(3_000n) * yEth;
  const hedged = xEth !== 0n && yEth !== 0n && xEth > 0n !== yEth > 0n ? (abs(ux) < abs(uy) ? abs(ux) : abs(uy)) : 0n;
  const [xn, yn] = [abs(ux) - hedged, abs(uy) - hedged];
  const liq = divUp(yn * l, 10_000n) + (impactUsd === 0n ? 0n : divUp(yn * yn * scaleBps, impactUsd * WAD * 10_000n));
  const cost = divUp(xn * s, 10_000n) + liq;
  const up = floorDiv((ux + uy) * (10_000n + h), 10_000n) - cost;
  const down = floorDiv((ux + uy) * (10_000n - h), 10_000n) - cost;
  const basisCharge = divUp(hedged * basis, 10_000n);
  const floorCap = ux + uy - divUp((abs(ux) + abs(uy)) * floor, 10_000n);
  const afterBasis = (up < down ? up : down) - basisCharge;
  const value = afterBasis < floorCap ? afterBasis : floorCap;
  // plain cross margin: each leg alone
  const spotUp = floorDiv(ux * (10_000n + h - s), 10_000n);
  const spotDown = floorDiv(ux * (10_000n - h - s), 10_000n);
  const perpLiq = divUp(abs(uy) * l, 10_000n) + (impactUsd === 0n ? 0n : divUp(uy * uy * scaleBps, impactUsd * WAD * 10_000n));
  const perpUp = floorDiv(uy * (10_000n + h), 10_000n) - perpLiq;
  const perpDown = floorDiv(uy * (10_000n - h), 10_000n) - perpLiq;
  const perpReq = uy - (perpUp < perpDown ? perpUp : perpDown);
  const perpFloor = divUp(abs(uy) * floor, 10_000n);
  const cross = ux - (spotUp < spotDown ? spotUp : spotDown) + (perpReq > perpFloor ? perpReq : perpFloor);
  return { liq, up, down, basisCharge, floorCap, value, portfolio: ux + uy - value, cross };
}

describe("docs/RISK.md worked example: long 10 WETH spot on borrowed USDC, short 10 ETH-PERP", () => {
  const fx = usePerpFixture();

  it("positions, USDC leg and totals match the page to the wei", async () => {
    const f = fx();
    const { ch, atlas, lens, ethPerp, W, U } = f;
    const a = await basisTrade(f, ethPerp);

    // balances and the perp position
    expect(await ch.balanceOf(a, W)).to.equal(10n * E18);
    expect(await ch.balanceOf(a, U)).to.equal(-24_015n * E6); // 6,000 − 15 fee − 30,000
    const pos = await ethPerp.positionOf(a);
    expect([pos.sizeLots, pos.entryAtoms, pos.cashAtoms, pos.fundingOwedAtoms]).to.deep.equal([-LOTS, -30_000n * E6, 0n, 0n]);
    const risk = await ethPerp.riskOf(a);
    expect(risk.sizeAtoms).to.equal(-10n * E18);
    expect(risk.cashAtoms).to.equal(30_000n * E6); // cash − entry − owed + size × (mark − index)
    expect(await ethPerp.markPrice()).to.deep.equal([3_000_000n * WAD, 3_000_000n * WAD]); // $3 a lot: 3,000,000 atoms × 1e18
    expect((await ethPerp.funding()).premiumPpm).to.equal(0n); // Carol's bid is gone: one side empty

    // USDC: x = 30,000 cash leg − 24,015 × (1 + r·T)
    const rate = await f.ch.borrowRatePerSecondWad(f.U);
    expect(rate).to.equal(38_075_533n);
    const minus = divUp(24_015n * E6 * (WAD + rate * DEBT_SECONDS), WAD);
    expect(minus).to.equal(24_015_790_028n);
    const x = 30_000n * E6 - minus;
    expect(x).to.equal(5_984_209_972n);
    const ux = x * 10n ** 12n;
    expect(floorDiv(ux * (10_000n - 100n - 10n), 10_000n)).to.equal(5_918_383_662_308n * 10n ** 9n);
    expect(floorDiv(ux * (10_000n - 150n - 15n), 10_000n)).to.equal(5_885_470_507_462n * 10n ** 9n);

    // per asset, then the account
    const rs = await lens.assetRisks(a);
    const [usdc, weth] = [rs.find((e) => e.token === U)!, rs.find((e) => e.token === W)!];
    expect([usdc.token, usdc.adjustedAtoms, usdc.maintenanceWad, usdc.initialWad]).to.deep.equal([
      U, 5_984_209_972n, 5_918_383_662_308n * 10n ** 9n, 5_885_470_507_462n * 10n ** 9n,
    ]);
    expect([weth.token, weth.adjustedAtoms, weth.perpAtoms, weth.maintenanceWad, weth.initialWad]).to.deep.equal([
      W, 10n * E18, -10n * E18, -USD(345n), -USD(519n),
    ]);
    const r = await atlas.riskOf(a);
    expect(r.equityWad).to.equal(USD(5_985n));
    expect(r.maintenanceWad).to.equal(5_573_383_662_308n * 10n ** 9n);
    expect(r.initialWad).to.equal(5_366_470_507_462n * 10n ** 9n);
    const [portfolio, cross] = await lens.marginRequirements(a);
    expect(portfolio).to.equal(617_739_464_538n * 10n ** 9n);
    expect(cross).to.equal(9_458_739_464_538n * 10n ** 9n);
  });

  it("the WETH leg's scenarios, add-ons and requirements, step by step", async () => {
    const m = ethLeg(10_000n, 30n, 0n);
    expect([m.liq, m.up, m.down, m.basisCharge, m.floorCap, m.value]).to.deep.equal([
      0n, 0n, 0n, USD(345n), -USD(120n), -USD(345n),
    ]);
    const i = ethLeg(15_000n, 30n, 0n);
    expect([i.liq, i.up, i.down, i.basisCharge, i.floorCap, i.value]).to.deep.equal([
      0n, 0n, 0n, USD(519n), -USD(180n), -USD(519n),
    ]);
    expect([i.portfolio, i.cross]).to.deep.equal([USD(519n), USD(4_725n + 4_635n)]);

    // and the contract agrees on the leg (the USDC leg adds 98.739464538 to both requirements)
    const f = fx();
    const a = await basisTrade(f, f.ethPerp);
    const weth = (await f.lens.assetRisks(a)).find((e) => e.token === f.W)!;
    expect([weth.maintenanceWad, weth.initialWad]).to.deep.equal([m.value, i.value]);
    const [portfolio, cross] = await f.lens.marginRequirements(a);
    expect(portfolio - i.portfolio).to.equal(cross - i.cross);
    expect(portfolio - i.portfolio).to.equal(98_739_464_538n * 10n ** 9n);
  });

  it("on an unhedged perp with a size-scaled liquidity term (impact notional $1,000,000) the charge grows by n²/impact", async () => {
    const f = fx();
    const perp = await createPerpMarket(f.protocol, {
      underlying: f.W, quote: f.U, ...ETH_PERP, impactNotionalUsd: 1_000_000n,
    });
    const a = await basisTrade(f, perp, 8_000n, false); // the perp alone: nothing hedges it
    const m = ethLeg(10_000n, 30n, 1_000_000n, 0n);
    const i = ethLeg(15_000n, 30n, 1_000_000n, 0n);
    expect([m.liq, m.up, m.value]).to.deep.equal([USD(990n), -USD(33_990n), -USD(33_990n)]);
    expect([i.liq, i.up, i.value]).to.deep.equal([USD(1_485n), -USD(35_985n), -USD(35_985n)]);
    const weth = (await f.lens.assetRisks(a)).find((e) => e.token === f.W)!;
    expect([weth.maintenanceWad, weth.initialWad]).to.deep.equal([m.value, i.value]);
  });
});
