// RiskLib: the Clearinghouse values accounts itself, from its own storage (issue #14, stage 3). Its
// views (riskOf, initialValue, maintenanceValue, liquidationQuote) must agree to the wei with Atlas's,
// which gather the same inputs through `riskInputsOf`, on an account holding every kind of input:
// idle, lent and owed balances, a spot pocket with a resting order, a perp position and a resting
// perp order; and the parameters the Clearinghouse copies from the risk engine must follow it.
import { expect } from "chai";
import { Atlas__factory } from "../../types/ethers-contracts/index.js";
import {
  E6, E8, E18, WAD, useVenue, deposit, borrow, allowBorrow, setLending, perpOrder, spotOrder, setPrice, acctOf, type Venue,
} from "../attack/venue.ts";

const ETH = 300_000n; // $3,000 on the WETH books

/** alice: USDC idle, WETH lent, WBTC owed, a resting WETH bid, long ETH-PERP and a resting perp bid. */
async function everyInput(v: Venue) {
  await deposit(v, v.bob, "USDC", 100_000n * E6);
  await deposit(v, v.alice, "USDC", 20_000n * E6);
  await deposit(v, v.alice, "WETH", 2n * E18);
  await setLending(v, v.alice, "WETH", true);
  await allowBorrow(v, v.alice);
  await borrow(v, v.alice, "WBTC", E8 / 100n);
  await spotOrder(v, v.alice, { side: 0n, tick: 290_000n, lots: 100n });
  await perpOrder(v, v.bob, { side: 1n, tick: ETH, lots: 500n });
  await perpOrder(v, v.alice, { side: 0n, tick: ETH, lots: 500n, kind: 2n });
  await perpOrder(v, v.alice, { side: 0n, tick: 280_000n, lots: 200n });
}

async function expectSame(v: Venue, who: { address: string }) {
  const a = acctOf(who);
  const r = await v.atlas.riskOf(a);
  expect(await v.ch.riskOf(a)).to.deep.equal([r.equityWad, r.maintenanceWad, r.initialWad]);
  expect(await v.ch.initialValue(a)).to.equal(await v.atlas.initialValue(a));
  expect(await v.ch.maintenanceValue(a)).to.equal(await v.atlas.maintenanceValue(a));
  const ZERO = "0x0000000000000000000000000000000000000000";
  for (const [debt, coll] of [[v.B, v.W], [v.U, v.W], [v.B, v.L], [ZERO, ZERO]]) {
    expect(await v.ch.liquidationQuote(a, debt, coll)).to.deep.equal(await v.atlas.liquidationQuote(a, debt, coll));
  }
  return r;
}

describe("RiskLib: the Clearinghouse's own valuation", () => {
  const fx = useVenue();

  it("agrees with Atlas to the wei on an account with every kind of input, before and after a price move", async () => {
    const v = fx();
    await everyInput(v);
    const r = await expectSame(v, v.alice);
    expect(r.initialWad).to.be.greaterThan(0n);
    const q = await v.ch.liquidationQuote(acctOf(v.alice), v.B, v.W);
    expect(q.debtAtoms).to.be.greaterThanOrEqual(E8 / 100n); // the debt as the pool books it, rounded up
    expect(q.ordersOpen).to.equal(true);
    await setPrice(v, "WETH", 2_500n * WAD);
    const r2 = await expectSame(v, v.alice);
    expect(r2.maintenanceWad).to.be.lessThan(r.maintenanceWad);
    await expectSame(v, v.dave); // an empty account
  });

  it("setRiskEngine copies the engine's oracle and parameters: the margin checks follow a new engine", async () => {
    const v = fx();
    await everyInput(v);
    const before = await v.ch.initialValue(acctOf(v.alice));
    const next = await new Atlas__factory(v.admin).deploy(await v.ch.getAddress(), await v.oracle.getAddress(), 20_000n, 0n);
    await expect(v.ch.setRiskEngine(await next.getAddress())).to.emit(v.ch, "RiskEngineSet");
    const after = await v.ch.initialValue(acctOf(v.alice));
    expect(after).to.equal(await next.initialValue(acctOf(v.alice)));
    expect(after).to.not.equal(before); // a 2x scale and no interest add-on value the account differently
    expect(await v.ch.maintenanceValue(acctOf(v.alice))).to.equal(await next.maintenanceValue(acctOf(v.alice)));
  });
});
