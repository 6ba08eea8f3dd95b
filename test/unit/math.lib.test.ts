// MathLib names the rounding of every product the venue takes (mulDivDown / mulDivUp, the WAD and
// basis-point forms, the 512-bit `full…` forms, a signed floor): each is checked here against a
// bigint model, on random values and at the edges (zero, one, exact and inexact quotients, the
// largest product that fits, the first that does not), for its rounding direction (Up − Down is
// 1 exactly when the quotient is inexact) and its overflow behaviour (plain forms revert with
// Panic 0x11 where x·y overflows, full forms only where the quotient does not fit, every form
// Panic 0x12 on a zero divisor). FeeMath, which is built on it, keeps its old formulas to the wei,
// and AtlasMath's two unchecked entry walks agree with plain indexing.
import { expect } from "chai";
import fc from "fast-check";
import { network } from "hardhat";
import { MathLibMock__factory, type MathLibMock } from "../../types/ethers-contracts/index.js";

const MAX = 2n ** 256n - 1n;
const WAD = 10n ** 18n;
const BPS = 10_000n;
const RUNS = 200;
const OVERFLOW = 0x11;
const DIV_BY_ZERO = 0x12;

const down = (x: bigint, y: bigint, d: bigint) => (x * y) / d;
const up = (x: bigint, y: bigint, d: bigint) => (x * y + d - 1n) / d;
/** ⌊a / d⌋ toward −∞ (BigInt division truncates toward zero). */
const floorDiv = (a: bigint, d: bigint) => {
  const q = a / d;
  return a < 0n && q * d !== a ? q - 1n : q;
};

const { ethers } = await network.create();

describe("MathLib", () => {
  let m: MathLibMock;
  before(async () => {
    const [s] = await ethers.getSigners();
    m = await new MathLibMock__factory(s).deploy();
  });

  describe("divUp", () => {
    it("rounds an inexact quotient up and leaves an exact one", async () => {
      expect(await m.divUp(0n, 7n)).to.equal(0n);
      expect(await m.divUp(1n, 7n)).to.equal(1n);
      expect(await m.divUp(7n, 7n)).to.equal(1n);
      expect(await m.divUp(8n, 7n)).to.equal(2n);
      expect(await m.divUp(MAX, 1n)).to.equal(MAX);
      expect(await m.divUp(MAX, MAX)).to.equal(1n);
      expect(await m.divUp(MAX - 1n, MAX)).to.equal(1n);
      expect(await m.divUp(MAX, 2n)).to.equal(2n ** 255n); // no overflow at the top
    });

    it("reverts on a zero divisor, even for a zero numerator", async () => {
      await expect(m.divUp(1n, 0n)).to.be.revertedWithPanic(DIV_BY_ZERO);
      await expect(m.divUp(0n, 0n)).to.be.revertedWithPanic(DIV_BY_ZERO);
    });

    it("matches ⌈x / d⌉ on random values, and AtlasMath.divUp agrees", async () => {
      await fc.assert(
        fc.asyncProperty(fc.bigInt(0n, MAX), fc.bigInt(1n, MAX), async (x, d) => {
          const want = x / d + (x % d === 0n ? 0n : 1n);
          expect(await m.divUp(x, d)).to.equal(want);
          expect(await m.atlasDivUp(x, d)).to.equal(want);
        }),
        { numRuns: RUNS },
      );
    });
  });

  describe("mulDivDown / mulDivUp", () => {
    it("round toward zero and away from it: Up − Down is 1 exactly when inexact", async () => {
      await fc.assert(
        fc.asyncProperty(fc.bigInt(0n, 2n ** 128n - 1n), fc.bigInt(0n, 2n ** 128n - 1n), fc.bigInt(1n, 2n ** 130n), async (x, y, d) => {
          const [lo, hi] = [await m.mulDivDown(x, y, d), await m.mulDivUp(x, y, d)];
          expect(lo).to.equal(down(x, y, d));
          expect(hi).to.equal(up(x, y, d));
          expect(hi - lo).to.equal((x * y) % d === 0n ? 0n : 1n);
        }),
        { numRuns: RUNS },
      );
    });

    it("compute the largest product that fits and revert (Panic 0x11) on the first that does not", async () => {
      // (2^128 − 1)^2 < 2^256; 2^128 · 2^128 = 2^256 overflows
      const a = 2n ** 128n - 1n;
      expect(await m.mulDivDown(a, a, 3n)).to.equal(down(a, a, 3n));
      expect(await m.mulDivUp(a, a, 3n)).to.equal(up(a, a, 3n));
      expect(await m.mulDivDown(MAX, 1n, 2n)).to.equal(MAX / 2n);
      expect(await m.mulDivUp(MAX, 1n, 2n)).to.equal(2n ** 255n);
      await expect(m.mulDivDown(2n ** 128n, 2n ** 128n, MAX)).to.be.revertedWithPanic(OVERFLOW);
      await expect(m.mulDivUp(2n ** 128n, 2n ** 128n, MAX)).to.be.revertedWithPanic(OVERFLOW);
      await expect(m.mulDivDown(MAX, 2n, 4n)).to.be.revertedWithPanic(OVERFLOW);
    });

    it("revert (Panic 0x12) on a zero divisor", async () => {
      await expect(m.mulDivDown(1n, 1n, 0n)).to.be.revertedWithPanic(DIV_BY_ZERO);
      await expect(m.mulDivUp(1n, 1n, 0n)).to.be.revertedWithPanic(DIV_BY_ZERO);
      await expect(m.mulDivDown(0n, 1n, 0n)).to.be.revertedWithPanic(DIV_BY_ZERO);
    });
  });

  describe("mulDivDownUnchecked / mulDivUpUnchecked (caller-bounded)", () => {
    it("equal the checked forms wherever x·y fits, and wrap (no revert) where it does not", async () => {
      await fc.assert(
        fc.asyncProperty(fc.bigInt(0n, 2n ** 128n - 1n), fc.bigInt(0n, 2n ** 128n - 1n), fc.bigInt(1n, 2n ** 130n), async (x, y, d) => {
          expect(await m.mulDivDownUnchecked(x, y, d)).to.equal(down(x, y, d));
          expect(await m.mulDivUpUnchecked(x, y, d)).to.equal(up(x, y, d));
        }),
        { numRuns: RUNS },
      );
      expect(await m.mulDivDownUnchecked(2n ** 128n, 2n ** 128n, 1n)).to.equal(0n); // 2^256 mod 2^256
      expect(await m.mulDivUpUnchecked(2n ** 255n + 1n, 2n, 2n)).to.equal(1n); // (2^256 + 2) mod 2^256 = 2
      await expect(m.mulDivUpUnchecked(1n, 1n, 0n)).to.be.revertedWithPanic(DIV_BY_ZERO);
    });
  });

  describe("fullMulDivDown / fullMulDivUp (512-bit product)", () => {
    it("carry a product beyond 256 bits and round each way", async () => {
      await fc.assert(
        fc.asyncProperty(fc.bigInt(0n, MAX), fc.bigInt(0n, MAX), fc.bigInt(1n, MAX), async (x, y, d) => {
          const q = down(x, y, d);
          if (q > MAX || up(x, y, d) > MAX) return; // quotient out of range: checked below
          expect(await m.fullMulDivDown(x, y, d)).to.equal(q);
          expect(await m.fullMulDivUp(x, y, d)).to.equal(up(x, y, d));
        }),
        { numRuns: RUNS },
      );
      expect(await m.fullMulDivDown(MAX, MAX, MAX)).to.equal(MAX);
      expect(await m.fullMulDivUp(MAX, MAX, MAX)).to.equal(MAX);
      expect(await m.fullMulDivDown(2n ** 128n, 2n ** 128n, 2n ** 2n)).to.equal(2n ** 254n);
      expect(await m.fullMulDivUp(MAX, MAX - 1n, MAX)).to.equal(MAX - 1n);
      // both paths: a product that fits (plain quotient) and ones past 2^256 (512-bit fallback)
      const cases: [bigint, bigint, bigint][] = [
        [2n ** 200n, 2n ** 100n, 2n ** 90n + 1n],
        [2n ** 255n, 3n, 7n],
        [0n, 5n, 3n],
        [10n, 10n, 3n],
      ];
      for (const [x, y, d] of cases) {
        expect(await m.fullMulDivDown(x, y, d)).to.equal(down(x, y, d));
        expect(await m.fullMulDivUp(x, y, d)).to.equal(up(x, y, d));
      }
    });

    it("revert where the quotient does not fit, and on a zero divisor", async () => {
      await expect(m.fullMulDivDown(MAX, 2n, 1n)).to.be.revertedWithPanic(OVERFLOW);
      await expect(m.fullMulDivUp(MAX, MAX, MAX - 1n)).to.be.revertedWithPanic(OVERFLOW);
      await expect(m.fullMulDivDown(1n, 1n, 0n)).to.be.revertedWithPanic(DIV_BY_ZERO);
      await expect(m.fullMulDivUp(1n, 1n, 0n)).to.be.revertedWithPanic(DIV_BY_ZERO);
    });
  });

  describe("WAD and basis-point forms", () => {
    it("wMul / wDiv / bps round as their names say", async () => {
      await fc.assert(
        fc.asyncProperty(fc.bigInt(0n, 2n ** 120n), fc.bigInt(1n, 2n ** 120n), async (x, y) => {
          expect(await m.wMulDown(x, y)).to.equal(down(x, y, WAD));
          expect(await m.wMulUp(x, y)).to.equal(up(x, y, WAD));
          expect(await m.wDivDown(x, y)).to.equal(down(x, WAD, y));
          expect(await m.wDivUp(x, y)).to.equal(up(x, WAD, y));
          const bps = y % 20_000n;
          expect(await m.bpsDown(x, bps)).to.equal(down(x, bps, BPS));
          expect(await m.bpsUp(x, bps)).to.equal(up(x, bps, BPS));
        }),
        { numRuns: RUNS },
      );
    });

    it("edges: one wei, exact and inexact, zero", async () => {
      expect(await m.wMulDown(1n, 1n)).to.equal(0n);
      expect(await m.wMulUp(1n, 1n)).to.equal(1n);
      expect(await m.wMulDown(WAD, 7n)).to.equal(7n);
      expect(await m.wMulUp(WAD, 7n)).to.equal(7n);
      expect(await m.wDivDown(1n, 3n)).to.equal(WAD / 3n);
      expect(await m.wDivUp(1n, 3n)).to.equal(WAD / 3n + 1n);
      expect(await m.bpsDown(9_999n, 1n)).to.equal(0n);
      expect(await m.bpsUp(9_999n, 1n)).to.equal(1n);
      expect(await m.bpsUp(10_000n, 1n)).to.equal(1n);
      expect(await m.bpsUp(0n, 10_000n)).to.equal(0n);
      await expect(m.wDivDown(1n, 0n)).to.be.revertedWithPanic(DIV_BY_ZERO);
      await expect(m.wMulUp(MAX, 2n)).to.be.revertedWithPanic(OVERFLOW);
      await expect(m.bpsUp(MAX, 2n)).to.be.revertedWithPanic(OVERFLOW);
    });
  });

  describe("sDivFloor", () => {
    it("rounds toward −∞ for both signs (against the holder)", async () => {
      expect(await m.sDivFloor(7n, 2n)).to.equal(3n);
      expect(await m.sDivFloor(-7n, 2n)).to.equal(-4n);
      expect(await m.sDivFloor(-8n, 2n)).to.equal(-4n);
      expect(await m.sDivFloor(-1n, 10_000n)).to.equal(-1n);
      expect(await m.sDivFloor(0n, 3n)).to.equal(0n);
      const MIN = -(2n ** 255n);
      expect(await m.sDivFloor(MIN, 1n)).to.equal(MIN);
      expect(await m.sDivFloor(MIN + 1n, 2n)).to.equal(floorDiv(MIN + 1n, 2n));
      expect(await m.sDivFloor(2n ** 255n - 1n, 10_000n)).to.equal((2n ** 255n - 1n) / 10_000n);
      await expect(m.sDivFloor(1n, 0n)).to.be.revertedWithPanic(DIV_BY_ZERO);
    });

    it("matches ⌊a / d⌋ on random values", async () => {
      await fc.assert(
        fc.asyncProperty(fc.bigInt(-(2n ** 254n), 2n ** 254n), fc.bigInt(1n, 2n ** 64n), async (a, d) => {
          expect(await m.sDivFloor(a, d)).to.equal(floorDiv(a, d));
        }),
        { numRuns: RUNS },
      );
    });
  });

  describe("FeeMath on MathLib", () => {
    it("keeps its formulas to the wei: fees up, rebates down", async () => {
      await fc.assert(
        fc.asyncProperty(fc.bigInt(0n, 2n ** 200n), fc.integer({ min: -100, max: 1000 }), async (n, b) => {
          const bps = BigInt(b);
          const abs = bps < 0n ? -bps : bps;
          // the formulas FeeMath used before MathLib
          expect(await m.ceilBps(n, abs)).to.equal((n * abs + (BPS - 1n)) / BPS);
          expect(await m.takerFee(n, abs)).to.equal((n * abs + (BPS - 1n)) / BPS);
          const [fee, rebate] = await m.makerFee(n, bps);
          expect(fee).to.equal(bps >= 0n ? (n * bps + (BPS - 1n)) / BPS : 0n);
          expect(rebate).to.equal(bps < 0n ? (n * -bps) / BPS : 0n);
        }),
        { numRuns: RUNS },
      );
    });
  });

  describe("AtlasMath's entry walk (the assembly `t = e[i]` in `_pass` and `risk`)", () => {
    it("visits every entry in turn, as plain indexing does", async () => {
      expect(await m.walksAgree([], [])).to.equal(true);
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(fc.bigInt(0n, 2n ** 100n), fc.bigInt(1n, 10n ** 24n)), { minLength: 1, maxLength: 6 }),
          async (xs) => {
            expect(await m.walksAgree(xs.map((x) => x[0]), xs.map((x) => x[1]))).to.equal(true);
          },
        ),
        { numRuns: 40 },
      );
    });
  });
});
