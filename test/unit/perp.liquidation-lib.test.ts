// LiquidationLib: the perp liquidator's arithmetic, each rounding against the account being
// liquidated (or the liquidator where the discount pays it), checked against a bigint model on
// random values and at inexact quotients, where the direction shows.
import { expect } from "chai";
import fc from "fast-check";
import { network } from "hardhat";
import { LiquidationLibMock__factory, type LiquidationLibMock } from "../../types/ethers-contracts/index.js";

const WAD = 10n ** 18n;
const BPS = 10_000n;
const RUNS = 100;
const up = (x: bigint, d: bigint) => (x + d - 1n) / d;

const { ethers } = await network.create();

describe("LiquidationLib", () => {
  let m: LiquidationLibMock;
  before(async () => {
    const [s] = await ethers.getSigners();
    m = await new LiquidationLibMock__factory(s).deploy();
  });

  it("closeAtMark: a long is bought rounded down, a short sold rounded up (the taker's way)", async () => {
    const mark = 3_000n * WAD + 1n; // inexact: the direction shows
    expect(await m.closeAtMark(5n, mark)).to.equal(3_000n);
    expect(await m.closeAtMark(-5n, mark)).to.equal(3_001n);
    expect(await m.closeAtMark(-5n, 3_000n * WAD)).to.equal(3_000n); // exact: no rounding
  });

  it("discounted: a long bought below the mark rounded down, a short sold above it rounded up", async () => {
    await fc.assert(
      fc.asyncProperty(fc.bigInt(1n, 10n ** 40n), fc.bigInt(0n, 5_000n), async (mark, d) => {
        const long = await m.discounted(1n, mark, d);
        const short = await m.discounted(-1n, mark, d);
        expect(long).to.equal((mark * (BPS - d)) / (BPS * WAD));
        expect(short).to.equal(up(mark * (BPS + d), BPS * WAD));
        expect(long * WAD <= mark).to.equal(true);
        expect(short * WAD >= mark).to.equal(true);
      }),
      { numRuns: RUNS },
    );
  });

  it("spotLegQuote: a long perp's delivered debt paid above the index rounded up, a short's spot bought below it rounded down", async () => {
    const value = 1_234_567n * WAD + 7n;
    expect(await m.spotLegQuote(true, value, 25n)).to.equal(up(value * (BPS + 25n), BPS * WAD));
    expect(await m.spotLegQuote(false, value, 25n)).to.equal((value * (BPS - 25n)) / (BPS * WAD));
    expect(await m.spotLegQuote(true, value, 25n)).to.equal(1_237_654n); // 1,237,653.42… up
    expect(await m.spotLegQuote(false, value, 25n)).to.equal(1_231_480n); // 1,231,480.58… down
  });

  it("hedgeCapBps and bufferValue round down; a non-positive equity leaves no buffer", async () => {
    expect(await m.hedgeCapBps(125n, 5_000n)).to.equal(62n); // 62.5 → 62: against the liquidator
    expect(await m.bufferValue(1_001n, 2_500n)).to.equal(250n);
    expect(await m.bufferValue(0n, 2_500n)).to.equal(0n);
    expect(await m.bufferValue(-1_000n, 2_500n)).to.equal(0n);
  });

  it("valueAt and valueAtMark: cash − owed − entry + size × price, the mark's part rounded against the account", async () => {
    // a long of 3 lots, entry 9,000, cash 100, owed 10, at 2,999 atoms a lot
    expect(await m.valueAt(3n, 9_000n, 100n, 10n, 2_999n)).to.equal(100n - 10n - 9_000n + 3n * 2_999n);
    const mark = 2_999n * WAD + 1n;
    expect(await m.valueAtMark(3n, 9_000n, 100n, 10n, mark)).to.equal(100n - 10n - 9_000n + (3n * mark) / WAD);
    expect(await m.valueAtMark(-3n, -9_000n, 100n, 10n, mark)).to.equal(100n - 10n + 9_000n - up(3n * mark, WAD));
    await fc.assert(
      fc.asyncProperty(
        fc.bigInt(-(10n ** 12n), 10n ** 12n),
        fc.bigInt(1n, 10n ** 30n),
        async (size, mark) => {
          const abs = size < 0n ? -size : size;
          const sized = size > 0n ? (abs * mark) / WAD : -up(abs * mark, WAD);
          expect(await m.valueAtMark(size, 0n, 0n, 0n, mark)).to.equal(sized);
          expect(sized * WAD <= size * mark).to.equal(true); // never above the exact value
        },
      ),
      { numRuns: RUNS },
    );
  });
});
