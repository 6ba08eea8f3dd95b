// atlasMath.entryFromCore / bookFromCore: the core's `riskEntries` (AtlasMath.Entry with a unit) as
// the SDK's Entry and Book (decimals). The property test compares whole valuations through them.
import { expect } from "chai";
import { atlasMath, InvalidParameterError } from "../../sdk/src/index.ts";

const core = (unit: bigint): atlasMath.CoreEntry => ({
  token: "0x00000000000000000000000000000000000000aa",
  unit,
  shockBps: 1_000n,
  slippageBps: 100n,
  haircutBps: 9_800n,
  idleAtoms: 5n,
  lentAtoms: 6n,
  debtAtoms: 7n,
  pocketAtoms: 8n,
  borrowRateWad: 9n,
  debtInterestSeconds: 10n,
  priceWad: 11n,
  stableWad: 12n,
  hasPerp: true,
  perpAtoms: -13n,
  perpBidAtoms: 14n,
  perpAskAtoms: 15n,
  perpCashAtoms: -16n,
  perpLiquidityBps: 17n,
  perpImpactUsd: 18n,
  basisBps: 19n,
  floorBps: 20n,
});

describe("sdk atlasMath: the core's riskEntries as the SDK's entries", () => {
  it("takes the decimals from the unit, checksums the token and keeps every other field", () => {
    for (const d of [0n, 6n, 8n, 18n]) {
      const { unit, token, ...rest } = core(10n ** d);
      const e = atlasMath.entryFromCore({ unit, token, ...rest });
      expect(e).to.deep.equal({ ...rest, token: "0x00000000000000000000000000000000000000AA", decimals: d });
    }
  });

  it("refuses a unit that is not a power of ten with InvalidParameterError", () => {
    for (const unit of [0n, 7n, 1_000_001n]) {
      expect(() => atlasMath.entryFromCore(core(unit))).to.throw(InvalidParameterError);
    }
  });

  it("a book's indices become numbers", () => {
    expect(atlasMath.bookFromCore({ baseIndex: 2n, quoteIndex: 0n, lockedBaseAtoms: 3n, lockedQuoteAtoms: 4n })).to.deep.equal({
      baseIndex: 2,
      quoteIndex: 0,
      lockedBaseAtoms: 3n,
      lockedQuoteAtoms: 4n,
    });
  });
});
