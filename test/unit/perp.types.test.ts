// The perp words' typed fields as the core's views decode them: perpPositionOf (Position and
// PerpPocket words: signed size and entry, cash, funding owed, open lots per side) and perpRiskOf
// (what ATLAS reads: the same fields in atoms, plus the market's ATLAS parameters), for a long, a
// short and a flat account, on a market whose parameters are all distinct.
import { expect } from "chai";
import { OrderKind, Side } from "../../sdk/src/math/order.ts";
import { E6, extraPerp, place, usePerpFixture } from "./perp._helpers.ts";
import { acctOf, deposit } from "./margin._helpers.ts";

const LOT = 10n ** 15n;

describe("perp words through the core's views", () => {
  const fx = usePerpFixture();

  it("perpPositionOf and perpRiskOf decode every field: signed, zero, per side, and the market's parameters", async () => {
    const f = fx();
    const { alice, bob, outsider, U, W } = f;
    const m = await extraPerp(f, { interestPpmPerHour: 0n, liquidityBps: 31n, impactNotionalUsd: 123_456n, basisBps: 200n, floorBps: 33n });
    for (const s of [alice, bob]) await deposit(f, s, U, 100_000n * E6);
    // alice long 10 from bob at $3,000; she rests a bid of 7 below the index, he an ask of 4 above it
    // (the impact premium stays 0: mark = index, and no interest: nothing owed)
    await place(m, bob, { side: Side.Ask, tick: 300_000n, lots: 10n });
    await place(m, alice, { side: Side.Bid, tick: 300_000n, lots: 10n, kind: OrderKind.Ioc });
    await place(m, alice, { side: Side.Bid, tick: 290_000n, lots: 7n });
    await place(m, bob, { side: Side.Ask, tick: 310_000n, lots: 4n });
    const [indexLot, markLot] = await m.markPrice();
    expect(markLot).to.equal(indexLot);
    const ENTRY = 10n * 300_000n * 10n;
    const want = {
      [acctOf(alice)]: { size: 10n, entry: ENTRY, bids: 7n, asks: 0n },
      [acctOf(bob)]: { size: -10n, entry: -ENTRY, bids: 0n, asks: 4n },
      [acctOf(outsider)]: { size: 0n, entry: 0n, bids: 0n, asks: 0n },
    };
    for (const [a, w] of Object.entries(want)) {
      const p = await m.positionOf(a);
      expect([p.sizeLots, p.entryAtoms, p.cashAtoms, p.fundingOwedAtoms, p.bidLots, p.askLots]).to.deep.equal([w.size, w.entry, 0n, 0n, w.bids, w.asks]);
      const r = await m.riskOf(a);
      expect([r.underlying, r.quote]).to.deep.equal([W, U]);
      expect([r.sizeAtoms, r.bidAtoms, r.askAtoms, r.cashAtoms]).to.deep.equal([w.size * LOT, w.bids * LOT, w.asks * LOT, -w.entry]);
      expect([r.liquidityBps, r.impactNotionalUsd, r.basisBps, r.floorBps]).to.deep.equal([31n, 123_456n, 200n, 33n]);
    }
    // the market's own words: open interest and the loss index
    expect((await m.openInterest()).longLots).to.equal(10n);
    expect(await m.lossPerLot()).to.deep.equal([0n, 0n]);
  });
});
