// Governance around perp markets in the core: createPerpMarket's parameter checks (formerly the
// PerpMarket constructor's and listPerpMarket's), setRiskParams' bounds and its re-check of every
// perp market's risk bounds, and the perp entry points' market-id checks.
import { expect } from "chai";
import { anyValue } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import { perpParams } from "../../scripts/lib/deploy-perp.ts";
import { DEBT_INTEREST_SECONDS, INITIAL_SCALE_BPS } from "../../scripts/lib/deploy-margin.ts";
import { GOVERNANCE_ROLE, deployProtocol, deployToken } from "../../scripts/lib/deploy.ts";
import { ETH_PERP, usePerpFixture, type PFx } from "./perp._helpers.ts";
import { acctOf, mined } from "./margin._helpers.ts";

/** ETH-PERP's parameters with `over` on top (WETH/USDC). */
const params = (f: PFx, over: Record<string, unknown> = {}) => ({ ...perpParams({ underlying: f.W, quote: f.U, ...ETH_PERP }), ...over });
const show = (x: unknown) => JSON.stringify(x, (_k, v) => (typeof v === "bigint" ? `${v}` : v));
const LIQ = { rampSeconds: 600n, capShareBps: 5_000n, bufferBps: 100n };

describe("Clearinghouse.createPerpMarket", () => {
  const fx = usePerpFixture();

  it("rejects every out-of-bounds parameter (InvalidMarketParams); the bounds themselves are accepted and read back", async () => {
    const f = fx();
    const { ch } = f;
    // the risk bounds (docs/RISK.md) are checked before the hard bounds: loosen them to the widest
    // (initial scale 2, no Dutch cap share) so that a 1,001 bps premium clamp reaches its hard bound
    await mined(ch.setLiquidationParams({ ...LIQ, capShareBps: 0n }));
    await mined(ch.setRiskParams(20_000n, DEBT_INTEREST_SECONDS));
    const bad: Record<string, unknown>[] = [
      { quote: f.W }, // the underlying itself
      { lotSize: 0n },
      { lotSize: 1n << 96n },
      { tickSize: 0n },
      { minLots: 0n },
      { minLots: 1n << 48n },
      { maxMakerFeeBps: 101n },
      { oiCapLots: 0n },
      { oiCapLots: 1n << 63n },
      { positionCapLots: 0n },
      { positionCapLots: 1n << 48n },
      { maxPremiumBps: 1_001n, basisBps: 1_000n },
      { fundingCapPpm: 100_001n },
      { fundingClampPpm: 40_001n }, // above the 40,000 cap
      { liquidityBps: 1_001n },
      { basisBps: 1_001n },
      { impactNotionalUsd: 1n << 32n },
      { floorBps: 1_001n }, // the hard bound is checked before 2φ ≤ β
    ];
    for (const over of bad) {
      await expect(ch.createPerpMarket(params(f, over)), show(over)).to.be.revertedWithCustomError(ch, "InvalidMarketParams");
    }
    expect(await ch.marketCount()).to.equal(3n);
    // the bounds themselves are accepted and read back
    const edge = {
      lotSize: (1n << 96n) - 1n,
      minLots: (1n << 48n) - 1n,
      maxMakerFeeBps: 100n,
      oiCapLots: (1n << 63n) - 1n,
      positionCapLots: (1n << 48n) - 1n,
      maxPremiumBps: 1_000n,
      fundingCapPpm: 100_000n,
      fundingClampPpm: 100_000n,
      liquidityBps: 1_000n,
      basisBps: 1_000n,
      floorBps: 500n,
      impactNotionalUsd: (1n << 32n) - 1n,
    };
    await expect(ch.createPerpMarket(params(f, edge))).to.emit(ch, "PerpMarketCreated").withArgs(4n, anyValue);
    const back = await ch.perpParams(4n);
    expect(Object.keys(edge).map((k) => back[k as keyof typeof back])).to.deep.equal(Object.values(edge));
    expect([back.underlying, back.quote]).to.deep.equal([f.W, f.U]);
  });

  it("governance only; both assets listed (AssetNotListed); the quote's decimals at most 8 (QuoteDecimalsUnsupported); the next id", async () => {
    const f = fx();
    const { ch, outsider } = f;
    await expect(ch.connect(outsider).createPerpMarket(params(f)))
      .to.be.revertedWithCustomError(ch, "AccessManagedUnauthorized").withArgs(outsider.address);
    const doge = await (await deployToken(f.admin, "Doge", "DOGE", 8)).getAddress();
    await expect(ch.createPerpMarket(params(f, { underlying: doge }))).to.be.revertedWithCustomError(ch, "AssetNotListed").withArgs(doge);
    await expect(ch.createPerpMarket(params(f, { quote: doge }))).to.be.revertedWithCustomError(ch, "AssetNotListed").withArgs(doge);
    const q18 = await (await deployToken(f.admin, "Q18", "Q18", 18)).getAddress();
    await mined(ch.listAsset(q18));
    await expect(ch.createPerpMarket(params(f, { quote: q18 })))
      .to.be.revertedWithCustomError(ch, "QuoteDecimalsUnsupported").withArgs(18n, 8n);
    // spot market 1, ETH-PERP 2, BTC-PERP 3: this one is 4, a perp market
    expect(await ch.marketCount()).to.equal(3n);
    expect(await ch.createPerpMarket.staticCall(params(f))).to.equal(4n);
    await expect(ch.createPerpMarket(params(f))).to.emit(ch, "PerpMarketCreated").withArgs(4n, anyValue);
    expect(await ch.perpMarketMask()).to.equal(0b1110n);
    expect((await ch.marketInfo(4n)).lotSize).to.equal(ETH_PERP.lotSize);
    expect((await ch.perpParams(4n)).underlying).to.equal(f.W);
  });

  it("needs the core's risk parameters first (NoRiskEngine); setRiskParams' bounds (InvalidRiskParams)", async () => {
    const f = fx();
    // a fresh core: assets listed, no risk parameters yet
    const p = await deployProtocol(f.admin);
    const ch = p.clearinghouse;
    const chAddr = await ch.getAddress();
    for (const t of [f.W, f.U]) await mined(ch.listAsset(t));
    await expect(ch.createPerpMarket(params(f))).to.be.revertedWithCustomError(ch, "NoRiskEngine");
    expect(await ch.marketCount()).to.equal(0n);
    await mined(p.manager.setTargetFunctionRole(chAddr, [ch.interface.getFunction("setRiskParams").selector], GOVERNANCE_ROLE));
    await expect(ch.connect(f.outsider).setRiskParams(INITIAL_SCALE_BPS, DEBT_INTEREST_SECONDS))
      .to.be.revertedWithCustomError(ch, "AccessManagedUnauthorized").withArgs(f.outsider.address);
    const year = 365n * 86_400n;
    for (const [scale, secs] of [[9_999n, DEBT_INTEREST_SECONDS], [20_001n, DEBT_INTEREST_SECONDS], [INITIAL_SCALE_BPS, year + 1n], [0n, 0n]]) {
      await expect(ch.setRiskParams(scale, secs), `${scale} ${secs}`).to.be.revertedWithCustomError(ch, "InvalidRiskParams");
    }
    expect(await ch.riskParams()).to.deep.equal([0n, 0n]);
    // the bounds themselves pass and read back
    for (const [scale, secs] of [[10_000n, year], [20_000n, 0n]]) {
      await mined(ch.setRiskParams(scale, secs));
      expect(await ch.riskParams()).to.deep.equal([scale, secs]);
    }
    // with them set, the first market of the core is id 1
    await expect(ch.createPerpMarket(params(f))).to.emit(ch, "PerpMarketCreated").withArgs(1n, anyValue);
    expect(await ch.perpMarketMask()).to.equal(1n);
  });

  it("keeps docs/RISK.md's bounds: β·(k − 1.3·q) ≥ 1.3·c, 2φ ≤ β (PerpRiskBounds with the new market's id)", async () => {
    const f = fx();
    const { ch } = f;
    // today's old defaults: basis 50 bps cannot cover a 100 bps clamp plus the pair discount through +30%
    await expect(ch.createPerpMarket(params(f, { basisBps: 50n, maxPremiumBps: 100n })))
      .to.be.revertedWithCustomError(ch, "PerpRiskBounds").withArgs(4n, 50n, 100n, 20n);
    // k = 1.5, q = 0.5: 114 × 0.85 = 96.9 < 1.3 × 75 = 97.5; 115 × 0.85 = 97.75 passes (the default)
    await expect(ch.createPerpMarket(params(f, { basisBps: 114n, maxPremiumBps: 75n })))
      .to.be.revertedWithCustomError(ch, "PerpRiskBounds").withArgs(4n, 114n, 75n, 20n);
    // the floor at most half the basis charge
    await expect(ch.createPerpMarket(params(f, { floorBps: 58n })))
      .to.be.revertedWithCustomError(ch, "PerpRiskBounds").withArgs(4n, 115n, 75n, 58n);
    await expect(ch.createPerpMarket(params(f, { floorBps: 57n }))).to.emit(ch, "PerpMarketCreated").withArgs(4n, anyValue);
    // the refused ones took no id: the next is 5
    expect(await ch.marketCount()).to.equal(4n);
  });

  it("setLiquidationParams and setRiskParams re-check every perp market's bounds (PerpRiskBounds names the market that breaks)", async () => {
    const f = fx();
    const { ch } = f;
    // a larger cap share q breaks ETH-PERP (2), the first perp market …
    await expect(ch.setLiquidationParams({ ...LIQ, capShareBps: 5_100n }))
      .to.be.revertedWithCustomError(ch, "PerpRiskBounds").withArgs(2n, 115n, 75n, 20n);
    // … and so does a smaller initial scale k
    await expect(ch.setRiskParams(13_000n, DEBT_INTEREST_SECONDS))
      .to.be.revertedWithCustomError(ch, "PerpRiskBounds").withArgs(2n, 115n, 75n, 20n);
    // market 4 sits closer to its bound than ETH-PERP and BTC-PERP (196 / 300 > 75 / 115): at k =
    // 1.498 they still pass (115 × 0.848 = 97.52 ≥ 97.5) and it alone breaks (300 × 0.848 = 254.4 <
    // 1.3 × 196 = 254.8): the last market is checked too, and named
    await mined(ch.createPerpMarket(params(f, { basisBps: 300n, maxPremiumBps: 196n })));
    await expect(ch.setRiskParams(14_980n, DEBT_INTEREST_SECONDS))
      .to.be.revertedWithCustomError(ch, "PerpRiskBounds").withArgs(4n, 300n, 196n, 20n);
    await expect(ch.setLiquidationParams({ ...LIQ, capShareBps: 5_010n }))
      .to.be.revertedWithCustomError(ch, "PerpRiskBounds").withArgs(4n, 300n, 196n, 20n);
    expect(await ch.riskParams()).to.deep.equal([INITIAL_SCALE_BPS, DEBT_INTEREST_SECONDS]);
    // a looser k passes them all; q back down as well
    await mined(ch.setRiskParams(16_000n, DEBT_INTEREST_SECONDS));
    await mined(ch.setLiquidationParams({ ...LIQ, capShareBps: 4_000n }));
    expect((await ch.riskParams())[0]).to.equal(16_000n);
  });

  it("CapacityReached once 64 markets exist", async () => {
    const f = fx();
    const { ch } = f;
    const cfg = { base: f.W, quote: f.U, lotSize: 10n ** 15n, tickSize: 10n, minLots: 1n, makerFeeBps: 0n, takerFeeBps: 0n, maxMakerFeeBps: 0n };
    while ((await ch.marketCount()) < 63n) await mined(ch.createSpotMarket(cfg));
    await expect(ch.createPerpMarket(params(f))).to.emit(ch, "PerpMarketCreated").withArgs(64n, anyValue);
    expect(await ch.perpMarketMask()).to.equal((1n << 63n) | 0b110n);
    await expect(ch.createPerpMarket(params(f))).to.be.revertedWithCustomError(ch, "CapacityReached");
    await expect(ch.createSpotMarket(cfg)).to.be.revertedWithCustomError(ch, "CapacityReached");
  });

  it("perp entry points take only a perp market's id (UnknownMarket, WrongMarketKind); sweep only a spot one", async () => {
    const f = fx();
    const { ch, outsider, alice, bob } = f;
    const [A, B] = [acctOf(alice), acctOf(bob)];
    for (const id of [0n, 4n, 65n]) {
      await expect(ch.connect(outsider).settlePerp(id, alice.address, 0)).to.be.revertedWithCustomError(ch, "UnknownMarket").withArgs(id);
      await expect(ch.connect(outsider).liquidatePerp(id, B, 1n, 0, false)).to.be.revertedWithCustomError(ch, "UnknownMarket").withArgs(id);
      await expect(ch.connect(outsider).resolveBankruptcy(id, B, 0)).to.be.revertedWithCustomError(ch, "UnknownMarket").withArgs(id);
      await expect(ch.perpPositionOf(id, A)).to.be.revertedWithCustomError(ch, "UnknownMarket").withArgs(id);
    }
    // market 1 is the WETH/USDC spot book
    const spot = f.market.marketId;
    expect(spot).to.equal(1n);
    await expect(ch.connect(outsider).settlePerp(spot, alice.address, 0)).to.be.revertedWithCustomError(ch, "WrongMarketKind").withArgs(spot);
    await expect(ch.connect(outsider).liquidatePerp(spot, B, 1n, 0, false)).to.be.revertedWithCustomError(ch, "WrongMarketKind").withArgs(spot);
    await expect(ch.connect(outsider).resolveBankruptcy(spot, B, 0)).to.be.revertedWithCustomError(ch, "WrongMarketKind").withArgs(spot);
    await expect(ch.connect(f.admin).setPremiumParams(spot, 10_000n, 60n)).to.be.revertedWithCustomError(ch, "WrongMarketKind").withArgs(spot);
    for (const view of ["perpPositionOf", "perpRiskOf"] as const) {
      await expect(ch[view](spot, A)).to.be.revertedWithCustomError(ch, "WrongMarketKind").withArgs(spot);
    }
    for (const view of ["funding", "markPrice", "premiumState", "openInterest", "lossPerLot", "perpParams"] as const) {
      await expect(ch[view](spot), view).to.be.revertedWithCustomError(ch, "WrongMarketKind").withArgs(spot);
    }
    await expect(ch.connect(outsider).sweep(f.ethPerp.marketId, alice.address, 0))
      .to.be.revertedWithCustomError(ch, "WrongMarketKind").withArgs(f.ethPerp.marketId);
    // a market's pause and fees stay governance's
    await expect(ch.connect(outsider).setMarketPaused(f.ethPerp.marketId, true)).to.be.revertedWithCustomError(ch, "AccessManagedUnauthorized");
    await expect(ch.connect(outsider).setMarketFees(f.ethPerp.marketId, 0, 5)).to.be.revertedWithCustomError(ch, "AccessManagedUnauthorized");
  });
});
