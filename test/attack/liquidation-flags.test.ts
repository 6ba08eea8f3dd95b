// Liquidation flags, dust and market bits (issue #13 item 6): a liquidation does not start at the capped
// discount from a flag left over from an earlier episode (a restored account ends its auction), a dust
// perp position can always be liquidated, and a market where the account holds nothing stops counting.
import { expect } from "chai";
import {
  E6, WAD, useVenue, deposit, perpOrder, setPrice, warp, isLiquidatable, flagLiquidatable, flaggedSince, liquidatePerpAt,
  liquidatePerpLargest, maintenanceValue, initialValue, liquidationPrice, marketMask, pruneMarkets, perpLots, sameTime,
  type Venue,
} from "./venue.ts";

/** Bob: 300 USDC, long 0.5 ETH-PERP at $3,000 from Carol. */
async function leveredLong(v: Venue) {
  await deposit(v, v.bob, "USDC", 300n * E6);
  for (const s of [v.alice, v.carol]) await deposit(v, s, "USDC", 100_000n * E6);
  await perpOrder(v, v.carol, { side: 1n, tick: 300_000n, lots: 500n });
  await perpOrder(v, v.bob, { side: 0n, tick: 300_000n, lots: 500n, kind: 2n });
}

describe("attack: stale liquidation flags, dust positions, market bits", () => {
  const fx = useVenue();

  it("a deposit that restores a flagged account ends its auction: the next fall starts from a zero discount", async () => {
    const v = fx();
    await leveredLong(v);
    await setPrice(v, "WETH", 2_550n * WAD);
    await flagLiquidatable(v, v.alice, v.bob);
    expect(await flaggedSince(v, v.bob)).to.be.greaterThan(0n);
    await deposit(v, v.bob, "USDC", 1_000n * E6); // restored
    expect(await isLiquidatable(v, v.bob)).to.equal(false);
    expect(await flaggedSince(v, v.bob)).to.equal(0n);
    await warp(v, 3_600n);
    await setPrice(v, "WETH", 400n * WAD); // liquidatable again, an hour later
    expect(await isLiquidatable(v, v.bob)).to.equal(true);
    expect(await liquidatePerpAt(v, v.alice, v.bob, 10n, false)).to.equal(0n); // not the 525 bps cap
  });

  it("a perp liquidation that restores the account ends its auction", async () => {
    const v = fx();
    await leveredLong(v);
    await setPrice(v, "WETH", 2_550n * WAD);
    await flagLiquidatable(v, v.alice, v.bob);
    await warp(v, 600n);
    expect(await liquidatePerpLargest(v, v.alice, v.bob, false)).to.be.greaterThan(0n);
    expect(await maintenanceValue(v, v.bob)).to.be.greaterThanOrEqual(0n);
    expect(await flaggedSince(v, v.bob)).to.equal(0n);
    await warp(v, 3_600n);
    await setPrice(v, "WETH", 2_000n * WAD);
    expect(await isLiquidatable(v, v.bob)).to.equal(true);
    expect(await liquidatePerpAt(v, v.alice, v.bob, 1n, false)).to.equal(0n);
  });

  it("a one-lot position whose smallest take overshoots the buffer can still be liquidated", async () => {
    const v = fx();
    await deposit(v, v.bob, "USDC", 600_000n); // $0.60
    await deposit(v, v.carol, "USDC", 100_000n * E6);
    await deposit(v, v.alice, "USDC", 100_000n * E6);
    await perpOrder(v, v.carol, { side: 1n, tick: 300_000n, lots: 1n });
    await perpOrder(v, v.bob, { side: 0n, tick: 300_000n, lots: 1n, kind: 2n }); // $3 of ETH
    expect(await initialValue(v, v.bob)).to.be.greaterThanOrEqual(0n);
    const lp = await liquidationPrice(v, v.bob, "WETH");
    await setPrice(v, "WETH", lp - 5n * WAD);
    expect(await isLiquidatable(v, v.bob)).to.equal(true);
    // taking the one lot lifts maintenance value by its whole charge, far past 1% of the equity
    await liquidatePerpAt(v, v.alice, v.bob, 1n, false);
    expect(await perpLots(v, v.bob)).to.equal(0n);
    expect(await maintenanceValue(v, v.bob)).to.be.greaterThanOrEqual(0n);
  });

  it("a closed perp market's bit is pruned (anyone may): its parameters stop counting; the next order sets it again", async () => {
    const v = fx();
    await deposit(v, v.bob, "USDC", 10_000n * E6);
    await deposit(v, v.carol, "USDC", 100_000n * E6);
    await perpOrder(v, v.carol, { side: 1n, tick: 300_000n, lots: 1_000n });
    await perpOrder(v, v.bob, { side: 0n, tick: 300_000n, lots: 1_000n, kind: 2n });
    await perpOrder(v, v.carol, { side: 0n, tick: 300_000n, lots: 1_000n });
    await perpOrder(v, v.bob, { side: 1n, tick: 300_000n, lots: 1_000n, kind: 2n }); // closed, cash settled
    const bit = 1n << (BigInt(await v.ethPerp.INDEX()) - 1n);
    expect((await marketMask(v, v.bob)) & bit).to.equal(bit);
    const mv = await maintenanceValue(v, v.bob);
    await expect(v.ch.connect(v.outsider).pruneMarkets((await import("../unit/margin._helpers.ts")).acctOf(v.bob)))
      .to.emit(v.ch, "MarketsPruned");
    expect((await marketMask(v, v.bob)) & bit).to.equal(0n);
    expect(await maintenanceValue(v, v.bob)).to.equal(mv);
    // no perp market holds anything of bob's: the perp-exposure flag (state bit 194) goes too, so his
    // exits are no longer margin-checked for a liability he does not have
    const PERP_FLAG = 1n << 194n;
    expect((await v.ch.accountState((await import("../unit/margin._helpers.ts")).acctOf(v.bob))) & PERP_FLAG).to.equal(0n);
    // pruning again finds nothing; carol (orders resting? none) keeps hers only while she holds something
    await pruneMarkets(v, v.alice, v.bob);
    await perpOrder(v, v.bob, { side: 0n, tick: 290_000n, lots: 100n }); // resting bid: exposure again
    expect((await marketMask(v, v.bob)) & bit).to.equal(bit);
    expect((await v.ch.accountState((await import("../unit/margin._helpers.ts")).acctOf(v.bob))) & PERP_FLAG).to.equal(PERP_FLAG);
    expect(await initialValue(v, v.bob)).to.be.lessThan(mv);
  });

  it("a stranger's pruneMarkets clears nothing an account still holds: a position, a resting order, perp exposure", async () => {
    const v = fx();
    await leveredLong(v); // bob long 0.5 ETH-PERP
    await deposit(v, v.dave, "USDC", 10_000n * E6);
    await perpOrder(v, v.dave, { side: 0n, tick: 290_000n, lots: 10n }); // dave: one resting bid, no position
    const bit = 1n << (BigInt(await v.ethPerp.INDEX()) - 1n);
    const PERP_FLAG = 1n << 194n;
    const { acctOf } = await import("../unit/margin._helpers.ts");
    for (const who of [v.bob, v.dave]) {
      const st = await v.ch.accountState(acctOf(who));
      const iv = await initialValue(v, who);
      await sameTime(v); // the prune lands at the second the value was read (funding accrues by the second)
      await pruneMarkets(v, v.outsider, who);
      expect(await v.ch.accountState(acctOf(who))).to.equal(st);
      expect(st & bit).to.equal(bit);
      expect(st & PERP_FLAG).to.equal(PERP_FLAG);
      expect(await initialValue(v, who)).to.equal(iv);
    }
  });
});
