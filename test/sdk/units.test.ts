// Exact decimal <-> tick / lot / atom conversions: worked examples, edge cases, off-grid
// rejection, and properties checked against an independent rational model.
import { expect } from "chai";
import fc from "fast-check";
import {
  AmountPrecisionError,
  InexactDecimalError,
  InvalidDecimalError,
  InvalidGridError,
  MAX_LOTS,
  MAX_TICK,
  PriceOffGridError,
  SizeOffGridError,
  ValueOutOfRangeError,
  amountToAtoms,
  atomsToAmount,
  formatRatio,
  lotsToSize,
  notionalAtoms,
  parseDecimal,
  priceToTick,
  sizeToLots,
  tickToPrice,
  type MarketGrid,
} from "../../sdk/src/index.ts";

const WETH_USDC: MarketGrid = { lotSize: 10n ** 15n, tickSize: 10n, baseDecimals: 18, quoteDecimals: 6 };
const WBTC_USDC: MarketGrid = { lotSize: 10n ** 4n, tickSize: 1n, baseDecimals: 8, quoteDecimals: 6 };
// a grid whose prices do not terminate in decimal: a lot of 3 atoms
const ODD: MarketGrid = { lotSize: 3n, tickSize: 1n, baseDecimals: 0, quoteDecimals: 0 };

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe("sdk math: units", () => {
  describe("worked examples", () => {
    it("prices a WETH/USDC tick at one cent", () => {
      expect(priceToTick("3000.01", WETH_USDC)).to.equal(300_001n);
      expect(priceToTick("3000", WETH_USDC)).to.equal(300_000n);
      expect(priceToTick("0.01", WETH_USDC)).to.equal(1n);
      expect(tickToPrice(300_001n, WETH_USDC)).to.equal("3000.01");
      expect(tickToPrice(300_000n, WETH_USDC)).to.equal("3000");
      expect(tickToPrice(1n, WETH_USDC)).to.equal("0.01");
    });

    it("sizes WETH in 0.001 lots and WBTC in 0.0001 lots", () => {
      expect(sizeToLots("1.5", WETH_USDC)).to.equal(1_500n);
      expect(sizeToLots("0.001", WETH_USDC)).to.equal(1n);
      expect(lotsToSize(1_500n, WETH_USDC)).to.equal("1.5");
      expect(sizeToLots("0.25", WBTC_USDC)).to.equal(2_500n);
      expect(priceToTick("60000.5", WBTC_USDC)).to.equal(6_000_050n);
      expect(tickToPrice(6_000_050n, WBTC_USDC)).to.equal("60000.5");
    });

    it("accepts trailing zeros and leading zeros as the same number", () => {
      expect(priceToTick("3000.0100", WETH_USDC)).to.equal(300_001n);
      expect(priceToTick("003000.01", WETH_USDC)).to.equal(300_001n);
      expect(sizeToLots("1.500000", WETH_USDC)).to.equal(1_500n);
    });

    it("computes a notional in quote atoms", () => {
      // 1.5 WETH at 3000.01 = 4500.015 USDC
      expect(notionalAtoms(300_001n, 1_500n, WETH_USDC)).to.equal(4_500_015_000n);
    });

    it("converts token amounts exactly, refusing excess precision", () => {
      expect(amountToAtoms("1.5", 6)).to.equal(1_500_000n);
      expect(amountToAtoms("1.500000000", 6)).to.equal(1_500_000n);
      expect(amountToAtoms("0", 18)).to.equal(0n);
      expect(atomsToAmount(1_500_000n, 6)).to.equal("1.5");
      expect(atomsToAmount(1n, 18)).to.equal("0.000000000000000001");
      expect(atomsToAmount(-25n, 1)).to.equal("-2.5");
      const e = thrown(() => amountToAtoms("1.0000001", 6));
      expect(e).to.be.instanceOf(AmountPrecisionError);
      expect((e as AmountPrecisionError).decimals).to.equal(6);
    });
  });

  describe("off-grid values", () => {
    it("rejects a price between ticks, naming the ticks around it", () => {
      const e = thrown(() => priceToTick("3000.015", WETH_USDC));
      expect(e).to.be.instanceOf(PriceOffGridError);
      expect((e as PriceOffGridError).tickBelow).to.equal(300_001n);
      expect((e as PriceOffGridError).tickAbove).to.equal(300_002n);
    });

    it("rounds a price to the tick below or above on request", () => {
      expect(priceToTick("3000.015", WETH_USDC, { rounding: "down" })).to.equal(300_001n);
      expect(priceToTick("3000.015", WETH_USDC, { rounding: "up" })).to.equal(300_002n);
      // on-grid prices do not move whatever the rounding
      expect(priceToTick("3000.01", WETH_USDC, { rounding: "up" })).to.equal(300_001n);
    });

    it("rejects a size between lots, naming the lots around it", () => {
      const e = thrown(() => sizeToLots("1.0005", WETH_USDC));
      expect(e).to.be.instanceOf(SizeOffGridError);
      expect((e as SizeOffGridError).lotsBelow).to.equal(1_000n);
      expect((e as SizeOffGridError).lotsAbove).to.equal(1_001n);
      expect(sizeToLots("1.0005", WETH_USDC, { rounding: "down" })).to.equal(1_000n);
      expect(sizeToLots("1.0005", WETH_USDC, { rounding: "up" })).to.equal(1_001n);
    });

    it("rejects a price below one tick and a size below one lot as out of range", () => {
      expect(thrown(() => priceToTick("0", WETH_USDC))).to.be.instanceOf(ValueOutOfRangeError);
      expect(thrown(() => priceToTick("0.001", WETH_USDC, { rounding: "down" }))).to.be.instanceOf(ValueOutOfRangeError);
      expect(thrown(() => sizeToLots("0", WETH_USDC))).to.be.instanceOf(ValueOutOfRangeError);
      expect(thrown(() => sizeToLots("0.0001", WETH_USDC, { rounding: "down" }))).to.be.instanceOf(ValueOutOfRangeError);
    });

    it("rejects ticks and lots beyond their packed fields", () => {
      const maxPrice = tickToPrice(MAX_TICK, WETH_USDC);
      expect(priceToTick(maxPrice, WETH_USDC)).to.equal(MAX_TICK);
      // one tick past the last, written out by hand (tickToPrice itself refuses that tick)
      const pastLastTick = formatRatio((MAX_TICK + 1n) * WETH_USDC.tickSize * 10n ** 18n, WETH_USDC.lotSize * 10n ** 6n);
      const e = thrown(() => priceToTick(pastLastTick, WETH_USDC));
      expect(e).to.be.instanceOf(ValueOutOfRangeError);
      expect((e as ValueOutOfRangeError).field).to.equal("tick");
      expect((e as ValueOutOfRangeError).value).to.equal(MAX_TICK + 1n);
      const pastLastLot = atomsToAmount((MAX_LOTS + 1n) * WETH_USDC.lotSize, 18);
      const e2 = thrown(() => sizeToLots(pastLastLot, WETH_USDC));
      expect(e2).to.be.instanceOf(ValueOutOfRangeError);
      expect((e2 as ValueOutOfRangeError).value).to.equal(MAX_LOTS + 1n);
      expect(thrown(() => tickToPrice(MAX_TICK + 1n, WETH_USDC))).to.be.instanceOf(ValueOutOfRangeError);
      expect(thrown(() => lotsToSize(MAX_LOTS + 1n, WETH_USDC))).to.be.instanceOf(ValueOutOfRangeError);
    });
  });

  describe("malformed input", () => {
    for (const bad of ["", " 1", "1 ", "-1", "+1", "1e3", "1.", ".5", "1,000", "1_000", "0x10", "NaN", "Infinity", "1.2.3", "١"]) {
      it(`rejects ${JSON.stringify(bad)}`, () => {
        expect(thrown(() => parseDecimal(bad))).to.be.instanceOf(InvalidDecimalError);
        expect(thrown(() => priceToTick(bad, WETH_USDC))).to.be.instanceOf(InvalidDecimalError);
        expect(thrown(() => sizeToLots(bad, WETH_USDC))).to.be.instanceOf(InvalidDecimalError);
        expect(thrown(() => amountToAtoms(bad, 6))).to.be.instanceOf(InvalidDecimalError);
      });
    }

    it("rejects an invalid grid", () => {
      expect(thrown(() => priceToTick("1", { ...WETH_USDC, lotSize: 0n }))).to.be.instanceOf(InvalidGridError);
      expect(thrown(() => priceToTick("1", { ...WETH_USDC, tickSize: 0n }))).to.be.instanceOf(InvalidGridError);
      expect(thrown(() => sizeToLots("1", { ...WETH_USDC, baseDecimals: -1 }))).to.be.instanceOf(InvalidGridError);
      expect(thrown(() => sizeToLots("1", { ...WETH_USDC, baseDecimals: 1.5 }))).to.be.instanceOf(InvalidGridError);
    });
  });

  describe("non-terminating prices", () => {
    it("refuses to print an inexact price unless told how many digits to keep", () => {
      // one tick on a 3-atom lot is 1/3 of a quote unit per base unit
      expect(thrown(() => tickToPrice(1n, ODD))).to.be.instanceOf(InexactDecimalError);
      expect(tickToPrice(1n, ODD, { decimals: 4 })).to.equal("0.3333");
      expect(tickToPrice(3n, ODD)).to.equal("1");
      expect(formatRatio(2n, 3n, 2)).to.equal("0.66");
      expect(formatRatio(1n, 8n)).to.equal("0.125");
      expect(formatRatio(7n, 40n)).to.equal("0.175");
    });
  });

  describe("properties", () => {
    const grids = fc.record({
      lotSize: fc.bigInt({ min: 1n, max: 10n ** 20n }),
      tickSize: fc.bigInt({ min: 1n, max: 10n ** 12n }),
      baseDecimals: fc.integer({ min: 0, max: 24 }),
      quoteDecimals: fc.integer({ min: 0, max: 24 }),
    });
    // grids whose tick prices terminate in decimal: sizes built only from 2s and 5s
    const decimalGrids = fc.record({
      lotSize: fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 20 })).map(([a, b]) => 2n ** BigInt(a) * 5n ** BigInt(b)),
      tickSize: fc.tuple(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 12 })).map(([a, b]) => 2n ** BigInt(a) * 5n ** BigInt(b)),
      baseDecimals: fc.integer({ min: 0, max: 24 }),
      quoteDecimals: fc.integer({ min: 0, max: 24 }),
    });
    const ticks = fc.bigInt({ min: 1n, max: MAX_TICK });
    const lots = fc.bigInt({ min: 1n, max: MAX_LOTS });

    it("tick -> price -> tick is the identity", () => {
      fc.assert(
        fc.property(decimalGrids, ticks, (g, t) => {
          expect(priceToTick(tickToPrice(t, g), g)).to.equal(t);
        }),
        { numRuns: 500 },
      );
    });

    it("lots -> size -> lots is the identity on any grid", () => {
      fc.assert(
        fc.property(grids, lots, (g, n) => {
          expect(sizeToLots(lotsToSize(n, g), g)).to.equal(n);
        }),
        { numRuns: 500 },
      );
    });

    it("atoms -> amount -> atoms is the identity", () => {
      fc.assert(
        fc.property(fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }), fc.integer({ min: 0, max: 30 }), (a, d) => {
          expect(amountToAtoms(atomsToAmount(a, d), d)).to.equal(a);
        }),
        { numRuns: 500 },
      );
    });

    it("a price is accepted exactly iff it is a whole number of ticks, and rounding brackets it", () => {
      // price = digits / 10^scale; in quote atoms per lot it is digits*10^qd*lot / (10^(scale+bd))
      fc.assert(
        fc.property(
          decimalGrids,
          fc.bigInt({ min: 1n, max: 10n ** 12n }),
          fc.integer({ min: 0, max: 8 }),
          (g, digits, scale) => {
            const s = digits.toString().padStart(scale + 1, "0");
            const price = scale ? `${s.slice(0, -scale)}.${s.slice(-scale)}` : s;
            const num = digits * 10n ** BigInt(g.quoteDecimals) * g.lotSize;
            const den = 10n ** BigInt(scale + g.baseDecimals) * g.tickSize;
            const floor = num / den;
            const onGrid = floor * den === num;
            const down = (): bigint => priceToTick(price, g, { rounding: "down" });
            const up = (): bigint => priceToTick(price, g, { rounding: "up" });
            if (floor >= 1n && floor + 1n <= MAX_TICK) {
              expect(down()).to.equal(floor);
              expect(up()).to.equal(onGrid ? floor : floor + 1n);
              if (onGrid) expect(priceToTick(price, g)).to.equal(floor);
              else expect(thrown(() => priceToTick(price, g))).to.be.instanceOf(PriceOffGridError);
            }
          },
        ),
        { numRuns: 1000 },
      );
    });

    it("a size is accepted exactly iff it is a whole number of lots", () => {
      fc.assert(
        fc.property(grids, lots, fc.bigInt({ min: 1n, max: 10n ** 6n }), (g, n, extra) => {
          const atoms = n * g.lotSize + (extra % g.lotSize);
          const size = atomsToAmount(atoms, g.baseDecimals);
          if (atoms % g.lotSize === 0n) expect(sizeToLots(size, g)).to.equal(n);
          else {
            const e = thrown(() => sizeToLots(size, g));
            expect(e).to.be.instanceOf(SizeOffGridError);
            expect((e as SizeOffGridError).lotsBelow).to.equal(n);
          }
        }),
        { numRuns: 1000 },
      );
    });

    it("tickToPrice with decimals never exceeds the exact price and is within one unit of the last digit", () => {
      fc.assert(
        fc.property(grids, ticks, fc.integer({ min: 0, max: 12 }), (g, t, d) => {
          const p = tickToPrice(t, g, { decimals: d });
          // back to a rational: p * 10^d (integer) vs exact t*tick*10^bd / (lot*10^qd) * 10^d
          const scaled = amountToAtoms(p, d);
          const num = t * g.tickSize * 10n ** BigInt(g.baseDecimals) * 10n ** BigInt(d);
          const den = g.lotSize * 10n ** BigInt(g.quoteDecimals);
          expect(scaled * den <= num).to.equal(true);
          expect((scaled + 1n) * den > num).to.equal(true);
        }),
        { numRuns: 500 },
      );
    });
  });
});
