// RiskLib: the core values accounts itself, from its own storage (issue #14). Its views (riskOf,
// initialValue, maintenanceValue, liquidationQuote) must agree to the wei with the SDK's TypeScript
// ATLAS (sdk/src/math/atlas.ts, a copy of AtlasMath's arithmetic) run on the entries and books the
// core values from (`riskEntries`), on an account holding every kind of input: idle, lent and owed
// balances, a spot pocket with a resting order, a perp position and a resting perp order. The
// entries themselves must be what the core's public views say the account holds (positions, pools,
// pockets, perp risk, oracle prices), in the order ATLAS gathers them; the what-if lens (AtlasLens,
// over `riskEntries`) must agree with the core; and the margin checks must follow `setRiskParams`.
import { expect } from "chai";
import { getAddress } from "ethers";
import { risk, requirements, value, values, BPS, entryFromCore, bookFromCore, type Book, type Entry } from "../../sdk/src/math/atlas.ts";
import {
  E6, E8, E18, WAD, useVenue, deposit, borrow, allowBorrow, setLending, perpOrder, spotOrder, setPrice, acctOf, type Venue,
} from "../attack/venue.ts";

const ETH = 300_000n; // $3,000 on the WETH books
const ZERO = "0x0000000000000000000000000000000000000000";

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

/** The core's `riskEntries`, as the SDK's `Entry` and `Book` (decimals from the entry's unit). */
async function coreEntries(v: Venue, a: string, extra = ZERO): Promise<[Entry[], Book[]]> {
  const [es, bs] = await v.ch.riskEntries(a, extra);
  // ethers' Result reads fields by name, as the SDK's converters do
  const entries = es.map((x) => entryFromCore(x));
  const books = bs.map((b) => bookFromCore(b));
  return [entries, books];
}

/**
 * The entries and books ATLAS should value `who` from, built from the core's public views alone:
 * held positions (`positionsOf`, amounts from `balanceOf`, pool rates where debt, lent or the
 * what-if token needs them), then market by market in id order a spot pocket (`pocketOf`) on its
 * base and quote or a perp position (`perpRiskOf`) on its underlying and quote, then the core's own
 * prices (`price`: the core holds every feed).
 */
async function expectedEntries(v: Venue, who: { address: string }, extra = ZERO): Promise<[Entry[], Book[]]> {
  const a = acctOf(who);
  const [, interestSeconds] = await v.ch.riskParams();
  const [ps, marketIds] = await v.ch.positionsOf(a, extra);
  const e: Entry[] = [];
  const bare = async (token: string): Promise<Entry> => {
    const p = await v.ch.positionOf(a, token);
    return {
      token: getAddress(token) as `0x${string}`, decimals: p.decimals, shockBps: p.shockBps, slippageBps: p.slippageBps,
      haircutBps: p.lentHaircutBps, idleAtoms: 0n, lentAtoms: 0n, debtAtoms: 0n, pocketAtoms: 0n, borrowRateWad: 0n,
      debtInterestSeconds: BigInt(interestSeconds), priceWad: 0n, stableWad: 0n, hasPerp: false, perpAtoms: 0n,
      perpBidAtoms: 0n, perpAskAtoms: 0n, perpCashAtoms: 0n, perpLiquidityBps: 0n, perpImpactUsd: 0n, basisBps: 0n, floorBps: 0n,
    };
  };
  for (const p of ps) {
    const x = await bare(p.token);
    const atoms = await v.ch.balanceOf(a, p.token);
    const pooled = p.vault !== ZERO && (p.amount < 0n || p.lent || p.token === extra);
    if (atoms <= 0n) {
      x.debtAtoms = -atoms;
      if (pooled) x.borrowRateWad = await v.ch.borrowRatePerSecondWad(p.token);
    } else if (p.lent) x.lentAtoms = atoms;
    else x.idleAtoms = atoms;
    e.push(x);
  }
  const slot = async (token: string) => {
    const i = e.findIndex((x) => x.token === getAddress(token));
    if (i >= 0) return i;
    e.push(await bare(token));
    return e.length - 1;
  };
  const b: Book[] = [];
  for (const id of marketIds) {
    const info = await v.ch.marketInfo(id);
    if (info.perp) {
      const r = await v.ch.perpRiskOf(id, a);
      const u = e[await slot(r.underlying)];
      u.hasPerp = true;
      u.perpAtoms += r.sizeAtoms;
      u.perpBidAtoms += r.bidAtoms;
      u.perpAskAtoms += r.askAtoms;
      if (r.liquidityBps > u.perpLiquidityBps) u.perpLiquidityBps = r.liquidityBps;
      if (u.perpImpactUsd === 0n || (r.impactNotionalUsd !== 0n && r.impactNotionalUsd < u.perpImpactUsd)) u.perpImpactUsd = r.impactNotionalUsd;
      if (r.basisBps > u.basisBps) u.basisBps = r.basisBps;
      if (r.floorBps > u.floorBps) u.floorBps = r.floorBps;
      e[await slot(r.quote)].perpCashAtoms += r.cashAtoms;
    } else {
      const [lb, lq, ub, uq] = await v.ch.pocketOf(id, who.address, 0);
      const bi = await slot(info.base);
      const qi = await slot(info.quote);
      e[bi].pocketAtoms += lb + ub;
      e[qi].pocketAtoms += lq + uq;
      b.push({ baseIndex: bi, quoteIndex: qi, lockedBaseAtoms: lb, lockedQuoteAtoms: lq });
    }
  }
  for (const x of e) [x.priceWad, x.stableWad] = await v.ch.price(x.token); // the core's own feeds
  return [e, b];
}

/** The core's views equal the SDK's ATLAS on the core's entries, to the wei; returns the risk. */
async function expectSame(v: Venue, who: { address: string }) {
  const a = acctOf(who);
  const [scaleBps] = await v.ch.riskParams();
  const scale = BigInt(scaleBps);
  const [e, b] = await coreEntries(v, a);
  // the entries are what the public views say the account holds, in ATLAS's order
  expect(await coreEntries(v, a)).to.deep.equal(await expectedEntries(v, who));
  const [equityWad, maintenanceWad, initialWad] = risk(e, b, scale, 7n);
  const r = await v.ch.riskOf(a);
  expect([r.equityWad, r.maintenanceWad, r.initialWad]).to.deep.equal([equityWad, maintenanceWad, initialWad]);
  expect(await v.ch.initialValue(a)).to.equal(value(e, b, scale, true)).and.to.equal(initialWad);
  expect(await v.ch.maintenanceValue(a)).to.equal(value(e, b, BPS, false)).and.to.equal(maintenanceWad);
  // the lens (over riskEntries) agrees with the core and the SDK
  const assets = await v.lens.assetRisks(a);
  expect(assets.reduce((s, x) => s + x.maintenanceWad, 0n)).to.equal(maintenanceWad);
  expect(assets.reduce((s, x) => s + x.initialWad, 0n)).to.equal(initialWad);
  expect(assets.map((x) => x.maintenanceWad)).to.deep.equal(values(e, b, BPS, false));
  expect(assets.map((x) => x.initialWad)).to.deep.equal(values(e, b, scale, true));
  expect(await v.lens.marginRequirements(a)).to.deep.equal(requirements(e, b, scale));
  // liquidationQuote: the collateral as the what-if token, its terms from those entries
  for (const [debt, coll] of [[v.B, v.W], [v.U, v.W], [v.B, v.L], [ZERO, ZERO]]) {
    const [qe, qb] = await coreEntries(v, a, coll);
    expect(qe).to.deep.equal((await expectedEntries(v, who, coll))[0]);
    const [qEquity, qMaint] = risk(qe, qb, scale, 5n);
    const d = qe.find((x) => x.token === getAddress(debt));
    const c = qe.find((x) => x.token === getAddress(coll));
    const open =
      coll !== ZERO &&
      (qb.some((k) => (k.lockedBaseAtoms | k.lockedQuoteAtoms) !== 0n) || qe.some((x) => x.hasPerp && (x.perpBidAtoms | x.perpAskAtoms) !== 0n));
    expect(await v.ch.liquidationQuote(a, debt, coll)).to.deep.equal([
      qMaint, qEquity, d?.debtAtoms ?? 0n, d?.priceWad ?? 0n, c?.priceWad ?? 0n, open,
    ]);
  }
  return r;
}

describe("RiskLib: the core's own valuation", () => {
  const fx = useVenue();

  it("agrees with the SDK's ATLAS to the wei on an account with every kind of input, before and after a price move", async () => {
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
    await expectSame(v, v.bob); // a short perp and idle USDC
    await expectSame(v, v.dave); // an empty account
  });

  it("riskEntries: every kind of input lands in its entry; the books are the spot pockets' locked funds", async () => {
    const v = fx();
    await everyInput(v);
    const [e, b] = await coreEntries(v, acctOf(v.alice));
    const at = (t: string) => e.find((x) => x.token === getAddress(t))!;
    // held first (asset id order: WETH, USDC, WBTC), then what the markets add (none new here)
    expect(e.map((x) => x.token)).to.deep.equal([v.W, v.U, v.B].map((t) => getAddress(t)));
    expect(at(v.W).lentAtoms).to.be.within(2n * E18 - 1n, 2n * E18); // lent: its value, rounded down
    expect(at(v.W).idleAtoms).to.equal(0n);
    expect(at(v.U).idleAtoms).to.be.lessThan(20_000n * E6); // less what the bid and the perp fee took
    expect(at(v.B).debtAtoms).to.be.greaterThanOrEqual(E8 / 100n);
    expect(at(v.B).borrowRateWad).to.be.greaterThan(0n);
    expect(at(v.U).borrowRateWad).to.equal(0n); // idle: no pool read
    // the resting WETH bid: 100 lots at tick 290,000 lock 290 USDC (no maker fee bound on this book)
    expect(b).to.deep.equal([{ baseIndex: 0, quoteIndex: 1, lockedBaseAtoms: 0n, lockedQuoteAtoms: 100n * 290_000n * 10n }]);
    expect(at(v.U).pocketAtoms).to.equal(290n * E6);
    // long 0.5 ETH-PERP on WETH, its resting 0.2 ETH bid, its cash leg on USDC
    expect([at(v.W).hasPerp, at(v.W).perpAtoms, at(v.W).perpBidAtoms, at(v.W).perpAskAtoms]).to.deep.equal([true, E18 / 2n, E18 / 5n, 0n]);
    expect(at(v.U).perpCashAtoms).to.equal((await v.ethPerp.core.perpRiskOf(v.ethPerp.marketId, acctOf(v.alice))).cashAtoms);
    expect(at(v.U).hasPerp).to.equal(false);
    // a what-if token the account does not hold comes after the held ones, with its pool's rate
    const [withLink] = await coreEntries(v, acctOf(v.alice), v.L);
    expect(withLink.map((x) => x.token)).to.deep.equal([v.W, v.U, v.B, v.L].map((t) => getAddress(t)));
    const [withUsdc] = await coreEntries(v, acctOf(v.alice), v.U);
    expect(withUsdc.length).to.equal(3); // held already: not added twice
    await expect(v.ch.riskEntries(acctOf(v.alice), v.outsider.address))
      .to.be.revertedWithCustomError(v.ch, "AssetNotListed")
      .withArgs(v.outsider.address);
    // a market's token the account holds none of gets a bare entry: carol's only position is a BTC-PERP short
    await deposit(v, v.carol, "USDC", 10_000n * E6);
    await perpOrder(v, v.bob, { side: 0n, tick: 600_000n, lots: 1_000n }, v.btcPerp);
    await perpOrder(v, v.carol, { side: 1n, tick: 600_000n, lots: 1_000n, kind: 2n }, v.btcPerp);
    const [ce, cb] = await coreEntries(v, acctOf(v.carol));
    expect(ce.map((x) => x.token)).to.deep.equal([v.U, v.B].map((t) => getAddress(t)));
    expect([ce[1].idleAtoms, ce[1].perpAtoms, ce[1].hasPerp]).to.deep.equal([0n, -(E8 / 10n), true]);
    expect(cb).to.deep.equal([]);
    await expectSame(v, v.carol);
  });

  it("setRiskParams and the core's feeds: the margin checks follow a new price, initial scale and interest horizon", async () => {
    const v = fx();
    await everyInput(v);
    const a = acctOf(v.alice);
    const before = await v.ch.initialValue(a);
    // the core's own WETH feed now quotes $2,800
    await setPrice(v, "WETH", 2_800n * WAD);
    await expect(v.ch.setRiskParams(20_000n, 0n)).to.emit(v.ch, "RiskParamsSet").withArgs(20_000n, 0n);
    expect(await v.ch.riskParams()).to.deep.equal([20_000n, 0n]);
    const [e, b] = await coreEntries(v, a);
    expect(e.find((x) => x.token === getAddress(v.W))!.priceWad).to.equal(2_800n * WAD);
    expect(e.every((x) => x.debtInterestSeconds === 0n)).to.equal(true);
    const after = await v.ch.initialValue(a);
    expect(after).to.equal(value(e, b, 20_000n, true));
    expect(after).to.not.equal(before); // another price, a 2x scale and no interest add-on value the account differently
    expect(await v.ch.maintenanceValue(a)).to.equal(value(e, b, BPS, false));
    await expectSame(v, v.alice);
  });
});
