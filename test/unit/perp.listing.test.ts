// Governance and access around perp markets: the PerpMarket constructor's bounds,
// Clearinghouse.listPerpMarket, and the entry points only a market or the liquidator may call.
import { expect } from "chai";
import { perpParams } from "../../scripts/lib/deploy-perp.ts";
import { PerpMarket__factory } from "../../types/ethers-contracts/index.js";
import { ETH_PERP, usePerpFixture, type PFx } from "./perp._helpers.ts";
import { ZERO, acctOf, mined } from "./margin._helpers.ts";

function deployArgs(f: PFx, index: bigint, over: Record<string, unknown> = {}) {
  return [index, f.ch.getAddress(), { ...perpParams({ underlying: f.W, quote: f.U, ...ETH_PERP }), ...over }, f.oracle.getAddress(), f.liquidator.getAddress()] as const;
}

describe("PerpMarket constructor and Clearinghouse.listPerpMarket", () => {
  const fx = usePerpFixture();

  it("the constructor rejects every out-of-bounds parameter (InvalidMarketParams)", async () => {
    const f = fx();
    const factory = new PerpMarket__factory(f.admin);
    const bad: Record<string, unknown>[] = [
      { quote: f.W },
      { lotSize: 0n },
      { tickSize: 0n },
      { minLots: 0n },
      { minLots: 1n << 48n },
      { maxMakerFeeBps: 101n },
      { oiCapLots: 0n },
      { oiCapLots: 1n << 63n },
      { positionCapLots: 0n },
      { positionCapLots: 1n << 48n },
      { maxPremiumBps: 1_001n },
      { fundingCapPpm: 100_001n },
      { fundingClampPpm: 40_001n }, // above the 40,000 cap
      { liquidityBps: 1_001n },
      { basisBps: 1_001n },
      { floorBps: 1_001n },
    ];
    for (const over of bad) {
      const [i, c, p, o, l] = deployArgs(f, 4n, over);
      await expect(factory.deploy(i, await c, p as never, await o, await l), JSON.stringify(over, (_k, v) => (typeof v === "bigint" ? `${v}` : v)))
        .to.be.revertedWithCustomError(factory, "InvalidMarketParams");
    }
    const [i, c, p] = deployArgs(f, 4n);
    await expect(factory.deploy(i, await c, p as never, ZERO, await f.liquidator.getAddress()))
      .to.be.revertedWithCustomError(factory, "InvalidMarketParams");
    await expect(factory.deploy(i, await c, p as never, await f.oracle.getAddress(), ZERO))
      .to.be.revertedWithCustomError(factory, "InvalidMarketParams");
    // the bounds themselves are accepted and read back
    const edge = { maxPremiumBps: 1_000n, fundingCapPpm: 100_000n, fundingClampPpm: 100_000n, floorBps: 1_000n };
    const [i2, c2, p2, o2, l2] = deployArgs(f, 4n, edge);
    const ok = await factory.deploy(i2, await c2, p2 as never, await o2, await l2);
    const back = await ok.perpParams();
    expect([back.maxPremiumBps, back.fundingCapPpm, back.fundingClampPpm, back.floorBps]).to.deep.equal([1_000n, 100_000n, 100_000n, 1_000n]);
  });

  it("listPerpMarket: only governance; the index, clearinghouse, oracle and assets must match", async () => {
    const f = fx();
    const factory = new PerpMarket__factory(f.admin);
    const deploy = async (index: bigint, over: Record<string, unknown> = {}, ch?: string, oracle?: string) => {
      const [i, c, p, o, l] = deployArgs(f, index, over);
      const d = await factory.deploy(i, ch ?? (await c), p as never, oracle ?? (await o), await l);
      return d.getAddress();
    };
    const good = await deploy(4n);
    await expect(f.ch.connect(f.outsider).listPerpMarket(good)).to.be.revertedWithCustomError(f.ch, "AccessManagedUnauthorized");
    for (const addr of [
      await deploy(5n), // not the next index
      await deploy(4n, {}, f.outsider.address), // another clearinghouse
      await deploy(4n, {}, undefined, f.outsider.address), // another oracle
    ]) {
      await expect(f.ch.listPerpMarket(addr)).to.be.revertedWithCustomError(f.ch, "InvalidMarketParams");
    }
    // an unlisted underlying
    const { deployToken } = await import("../../scripts/lib/deploy.ts");
    const doge = await deployToken(f.admin, "Doge", "DOGE", 8);
    await expect(f.ch.listPerpMarket(await deploy(4n, { underlying: await doge.getAddress() })))
      .to.be.revertedWithCustomError(f.ch, "InvalidMarketParams");
    await expect(f.ch.listPerpMarket(good)).to.emit(f.ch, "PerpMarketListed").withArgs(4n, good);
    expect(await f.ch.marketAt(4n)).to.equal(good);
    expect(await f.ch.perpMarketMask()).to.equal(0b1110n); // ETH-PERP 2, BTC-PERP 3, this one 4
  });

  it("listing, setLiquidationParams and setRiskEngine keep docs/RISK.md's bounds: β·(k − 1.3·q) ≥ 1.3·c, 2φ ≤ β (PerpRiskBounds)", async () => {
    const f = fx();
    const factory = new PerpMarket__factory(f.admin);
    const deploy = async (over: Record<string, unknown>) => {
      const [i, c, p, o, l] = deployArgs(f, 4n, over);
      return (await factory.deploy(i, await c, p as never, await o, await l)).getAddress();
    };
    // today's old defaults: basis 50 bps cannot cover a 100 bps clamp plus the pair discount through +30%
    const old = await deploy({ basisBps: 50n, maxPremiumBps: 100n });
    await expect(f.ch.listPerpMarket(old)).to.be.revertedWithCustomError(f.ch, "PerpRiskBounds").withArgs(old, 50n, 100n, 20n);
    // k = 1.5, q = 0.5: 114 × 0.85 = 96.9 < 1.3 × 75 = 97.5; 115 × 0.85 = 97.75 passes (the default)
    const low = await deploy({ basisBps: 114n, maxPremiumBps: 75n });
    await expect(f.ch.listPerpMarket(low)).to.be.revertedWithCustomError(f.ch, "PerpRiskBounds").withArgs(low, 114n, 75n, 20n);
    // the floor at most half the basis charge
    const floor = await deploy({ floorBps: 58n });
    await expect(f.ch.listPerpMarket(floor)).to.be.revertedWithCustomError(f.ch, "PerpRiskBounds").withArgs(floor, 115n, 75n, 58n);
    const edge = await deploy({ floorBps: 57n });
    await expect(f.ch.listPerpMarket(edge)).to.emit(f.ch, "PerpMarketListed");
    // a change that would break a listed market's bound is refused: a larger cap share q …
    const eth = await f.ethPerp.getAddress();
    await expect(f.ch.setLiquidationParams({ rampSeconds: 600n, capShareBps: 5_100n, bufferBps: 100n }))
      .to.be.revertedWithCustomError(f.ch, "PerpRiskBounds").withArgs(eth, 115n, 75n, 20n);
    await mined(f.ch.setLiquidationParams({ rampSeconds: 600n, capShareBps: 4_000n, bufferBps: 100n }));
    // … or a risk engine with a smaller initial scale k
    const { Atlas__factory } = await import("../../types/ethers-contracts/index.js");
    const atlas = await new Atlas__factory(f.admin).deploy(f.ch.getAddress(), f.oracle.getAddress(), 13_000n, 864_000n);
    await expect(f.ch.setRiskEngine(await atlas.getAddress())).to.be.revertedWithCustomError(f.ch, "PerpRiskBounds").withArgs(eth, 115n, 75n, 20n);
  });

  it("listPerpMarket: CapacityReached once 64 markets are listed", async () => {
    const f = fx();
    const cfg = { base: f.W, quote: f.U, lotSize: 10n ** 15n, tickSize: 10n, minLots: 1n, makerFeeBps: 0n, takerFeeBps: 0n, maxMakerFeeBps: 0n };
    while ((await f.ch.marketCount()) < 64n) await mined(f.ch.createSpotMarket(cfg));
    const factory = new PerpMarket__factory(f.admin);
    const [i, c, p, o, l] = deployArgs(f, 65n);
    const m = await factory.deploy(i, await c, p as never, await o, await l);
    await expect(f.ch.listPerpMarket(await m.getAddress())).to.be.revertedWithCustomError(f.ch, "CapacityReached");
  });

  it("settlePerp, liquidationSwap and creditReserve accept only a listed market (NotMarket)", async () => {
    const f = fx();
    const { ch, outsider, W, U, alice, ethPerp } = f;
    const a = acctOf(alice);
    await expect(ch.connect(outsider).settlePerp(2n, W, U, a, 1n, false)).to.be.revertedWithCustomError(ch, "NotMarket").withArgs(outsider.address);
    await expect(ch.connect(outsider).liquidationSwap(2n, W, U, a, acctOf(outsider), 1n, 1n))
      .to.be.revertedWithCustomError(ch, "NotMarket").withArgs(outsider.address);
    await expect(ch.connect(outsider).creditReserve(2n, W, U, 1n)).to.be.revertedWithCustomError(ch, "NotMarket").withArgs(outsider.address);
    // a spot market is a market, but not a perp one: settlePerp still refuses it
    const spot = await f.market.getAddress();
    await f.networkHelpers.impersonateAccount(spot);
    await f.networkHelpers.setBalance(spot, 10n ** 18n);
    const asSpot = await f.ethers.getSigner(spot);
    await expect(ch.connect(asSpot).settlePerp(1n, W, U, a, 1n, false)).to.be.revertedWithCustomError(ch, "NotMarket").withArgs(spot);
    await expect(ch.connect(asSpot).liquidationSwap(1n, W, U, a, acctOf(outsider), 1n, 1n)).to.be.revertedWithCustomError(ch, "NotMarket").withArgs(spot);
    // the perp market at the wrong index is refused too
    const perp = await ethPerp.getAddress();
    await f.networkHelpers.impersonateAccount(perp);
    await f.networkHelpers.setBalance(perp, 10n ** 18n);
    const asPerp = await f.ethers.getSigner(perp);
    await expect(ch.connect(asPerp).settlePerp(3n, W, U, a, 1n, false)).to.be.revertedWithCustomError(ch, "NotMarket").withArgs(perp);
  });

  it("the liquidator-only entry points of a perp market (NotLiquidator)", async () => {
    const f = fx();
    const { ethPerp: m, outsider, alice, bob } = f;
    const [a, b] = [acctOf(alice), acctOf(bob)];
    expect(await m.LIQUIDATOR()).to.equal(await f.liquidator.getAddress());
    await expect(m.connect(outsider).transferPosition(a, b, 1n, 1n, true)).to.be.revertedWithCustomError(m, "NotLiquidator").withArgs(outsider.address);
    await expect(m.connect(outsider).absorbLoss(a, 1n)).to.be.revertedWithCustomError(m, "NotLiquidator").withArgs(outsider.address);
    await expect(m.connect(outsider).liquidationSwap(a, b, 1n, 1n)).to.be.revertedWithCustomError(m, "NotLiquidator").withArgs(outsider.address);
    await expect(m.connect(outsider).accrue()).to.be.revertedWithCustomError(m, "NotLiquidator").withArgs(outsider.address);
    await expect(m.connect(outsider).setPaused(true)).to.be.revertedWithCustomError(m, "NotClearinghouse");
  });
});
