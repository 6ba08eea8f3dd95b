// When funding is settled and when it is re-sampled (docs/PERPS.md, "Mark price and funding"):
// funding owed settles only when the position is rewritten (a fill, a takeover, `settle`), so a
// placement, amend or cancel leaves it accruing; the premium and rate are re-sampled after every
// call that moved the best bid or ask, and after other placements and takes only once the index is
// a minute old (INDEX_REFRESH_SECONDS); a removal of counted lots re-samples too
// (test/unit/perp.premium.test.ts). Timestamps are pinned, expected figures computed here.
import { expect } from "chai";
import { OrderKind, Side } from "../../sdk/src/math/order.ts";
import { impactPremium, markLotWad, smoothPremium } from "../../sdk/src/math/perp.ts";
import { E6, at, place, usePerpFixture } from "./perp._helpers.ts";
import { WAD, acctOf, deposit, mined, now, setPrice } from "./margin._helpers.ts";

const INDEX_LOT = 3_000_000n * WAD; // $3 per 0.001 WETH lot in USDC atoms, × 1e18
const MAX_PREMIUM = 7_500n; // the default premium bound (75 bps)

describe("PerpMarket: funding settlement and re-sampling", () => {
  const fx = usePerpFixture();

  it("placing, amending and cancelling leave funding accruing; settle and a fill settle it", async () => {
    const f = fx();
    const m = f.ethPerp;
    const A = acctOf(f.alice);
    for (const s of [f.alice, f.bob, f.carol]) await deposit(f, s, f.U, 100_000n * E6);
    await place(m, f.bob, { side: Side.Ask, tick: 300_000n, lots: 20n });
    await place(m, f.alice, { side: Side.Bid, tick: 300_000n, lots: 10n, kind: OrderKind.Ioc });
    await f.networkHelpers.time.increase(3_600);
    await setPrice(f, f.W, 3_000n * WAD);
    await setPrice(f, f.U, WAD);
    const bal = await f.ch.balanceOf(A, f.U);
    const paid = (await m.openInterest()).fundingPaid;
    // a resting bid, amended, cancelled: the position and its funding snapshot are untouched
    const rc = await place(m, f.alice, { side: Side.Bid, tick: 299_000n, lots: 5n });
    const id = m.interface.parseLog(rc.logs.find((l) => m.interface.parseLog(l)?.name === "OrderPlaced")!)!.args.orderId;
    await mined(m.connect(f.alice).amendOrder(id, 3n));
    await mined(m.connect(f.alice).cancelOrder(id));
    const owed = (await m.positionOf(A)).fundingOwedAtoms;
    expect(owed).to.be.greaterThan(0n); // an hour of the interest part: the long pays
    expect(await f.ch.balanceOf(A, f.U)).to.equal(bal);
    expect((await m.openInterest()).fundingPaid).to.equal(paid);
    // settle moves it into the balance and restarts the snapshot
    const t = (await now(f)) + 1n;
    await at(f, t);
    const rs = await mined(m.settle(f.alice.address, 0));
    const settled = m.interface.parseLog(rs.logs.find((l) => m.interface.parseLog(l)?.name === "CashSettled")!)!.args.quoteAtoms;
    expect(settled).to.be.lessThan(-owed + 1n); // a second more of funding at most
    expect(await f.ch.balanceOf(A, f.U)).to.equal(bal + settled);
    expect((await m.openInterest()).fundingPaid).to.equal(paid - settled);
    expect((await m.positionOf(A)).fundingOwedAtoms).to.equal(0n);
    // a fill settles it too: bob's snapshot moves when his short grows
    await f.networkHelpers.time.increase(600);
    expect((await m.positionOf(acctOf(f.bob))).fundingOwedAtoms).to.be.lessThan(0n);
    await place(m, f.carol, { side: Side.Bid, tick: 300_000n, lots: 10n, kind: OrderKind.Ioc });
    expect((await m.positionOf(acctOf(f.bob))).fundingOwedAtoms).to.equal(0n);
  });

  it("the premium is re-sampled after every move of the best price; otherwise the index refreshes after a minute", async () => {
    const f = fx();
    const m = f.ethPerp;
    for (const s of [f.alice, f.bob, f.carol, f.dave]) await deposit(f, s, f.U, 100_000n * E6);
    // the target the book would give now at `indexLot` (the SDK's copy of the impact walk)
    const targetOf = async (indexLot: bigint) => {
      const b = await m.getBook(20n);
      return impactPremium({
        bids: { ticks: b.bidTicks, lots: b.bidLots },
        asks: { ticks: b.askTicks, lots: b.askLots },
        indexLotWad: indexLot,
        quotePriceWad: WAD,
        quoteDecimals: 6n,
        tickSize: 10n,
        maxPremiumPpm: MAX_PREMIUM,
        impactNotionalUsd: 10_000n,
      }).target;
    };
    const t0 = (await now(f)) + 10n;
    await at(f, t0);
    await place(m, f.carol, { side: Side.Bid, tick: 301_000n, lots: 1_000n });
    await at(f, t0);
    await place(m, f.dave, { side: Side.Ask, tick: 302_000n, lots: 1n });
    const p0 = await targetOf(INDEX_LOT);
    expect(p0).to.equal(10_000_000n); // 1,000 lots $10 a lot... × 0.001 over the index, of $10,000: 0.1%
    let st = await m.premiumState();
    expect([st.lastUpdate, st.target]).to.deep.equal([t0, p0]);

    // ETH +2%; a placement that joins the best ask within the minute leaves the funding state alone
    await at(f, t0 + 5n);
    await setPrice(f, f.W, 3_060n * WAD);
    await at(f, t0 + 59n);
    await place(m, f.bob, { side: Side.Ask, tick: 302_000n, lots: 1n });
    st = await m.premiumState();
    expect([st.lastUpdate, st.target]).to.deep.equal([t0, p0]);
    // the mark's index is always the oracle's now; its premium the smoothed one now
    const [indexLot, markLot] = await m.markPrice();
    const index1 = (INDEX_LOT * 102n) / 100n;
    expect(indexLot).to.equal(index1);
    expect(st.premiumNow).to.equal(smoothPremium(st.premiumAtUpdate, p0, 59n, MAX_PREMIUM, 60n));
    expect(markLot).to.equal(markLotWad(index1, st.premiumNow));

    // a minute after the sample the same kind of placement refreshes index, target and rate: the
    // asks are now 1.3% under the index (counted at the clamp), carol's bid no longer over it
    await at(f, t0 + 60n);
    await place(m, f.alice, { side: Side.Ask, tick: 302_000n, lots: 1n });
    const p1 = await targetOf(index1);
    expect(p1).to.equal(-68_850n); // 3 lots × 0.75% (the clamp) of $3.06, of $10,000
    st = await m.premiumState();
    expect([st.lastUpdate, st.target]).to.deep.equal([t0 + 60n, p1]);

    // a new best bid re-samples at once, within the minute
    await at(f, t0 + 61n);
    const rc = await place(m, f.alice, { side: Side.Bid, tick: 301_500n, lots: 1n });
    st = await m.premiumState();
    expect([st.lastUpdate, st.target]).to.deep.equal([t0 + 61n, await targetOf(index1)]);
    // and so does the cancel that empties that level
    const id = m.interface.parseLog(rc.logs.find((l) => m.interface.parseLog(l)?.name === "OrderPlaced")!)!.args.orderId;
    await at(f, t0 + 62n);
    await mined(m.connect(f.alice).cancelOrder(id));
    st = await m.premiumState();
    expect([st.lastUpdate, st.target]).to.deep.equal([t0 + 62n, p1]);
  });
});
