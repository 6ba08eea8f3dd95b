import { expect } from "chai";
import { MockERC20__factory } from "../../types/ethers-contracts/index.js";
import { marketHandle } from "../../scripts/lib/market.ts";
import { mined, useFixture } from "./_helpers.ts";

const ZERO = "0x0000000000000000000000000000000000000000";

describe("Clearinghouse.listAsset / createSpotMarket (governance)", () => {
  const fx = useFixture();

  async function params(overrides: Record<string, unknown> = {}) {
    const { wbtc, usdc } = fx();
    return {
      base: await wbtc.getAddress(),
      quote: await usdc.getAddress(),
      lotSize: 10n ** 4n,
      tickSize: 100n,
      minLots: 2n,
      makerFeeBps: 0n,
      takerFeeBps: 4n,
      maxMakerFeeBps: 3n,
      ...overrides,
    };
  }

  describe("listAsset", () => {
    it("lists a token and emits AssetListed with its decimals", async () => {
      const { ch, admin } = fx();
      const t = await new MockERC20__factory(admin).deploy("Dai", "DAI", 18);
      const addr = await t.getAddress();
      expect(await ch.isListed(addr)).to.equal(false);
      await expect(ch.connect(admin).listAsset(addr)).to.emit(ch, "AssetListed").withArgs(addr, 18);
      expect(await ch.isListed(addr)).to.equal(true);
    });

    it("rejects a listed token, the zero address, and callers without the governance role", async () => {
      const { ch, admin, alice, usdc } = fx();
      const usdcAddr = await usdc.getAddress();
      await expect(ch.connect(admin).listAsset(usdcAddr)).to.be.revertedWithCustomError(ch, "AssetAlreadyListed").withArgs(usdcAddr);
      await expect(ch.connect(admin).listAsset(ZERO)).to.be.revertedWithCustomError(ch, "ZeroAddress");
      const t = await new MockERC20__factory(admin).deploy("Dai", "DAI", 18);
      await expect(ch.connect(alice).listAsset(await t.getAddress()))
        .to.be.revertedWithCustomError(ch, "AccessManagedUnauthorized")
        .withArgs(alice.address);
      expect(await ch.isListed(await t.getAddress())).to.equal(false);
    });
  });

  describe("createSpotMarket", () => {
    it("creates a market with the given parameters at the next id", async () => {
      const { ch, admin } = fx();
      const p = await params();
      expect(await ch.marketCount()).to.equal(1n);
      const id = await ch.connect(admin).createSpotMarket.staticCall(p);
      await expect(ch.connect(admin).createSpotMarket(p))
        .to.emit(ch, "SpotMarketCreated")
        .withArgs(2n, Object.values(p));
      expect(id).to.equal(2n);
      expect(await ch.marketCount()).to.equal(2n);
      const m = marketHandle(ch, id);
      const config = [m.INDEX(), m.BASE(), m.QUOTE(), m.LOT_SIZE(), m.TICK_SIZE(), m.MIN_LOTS(), m.MAX_MAKER_FEE_BPS()];
      expect(await Promise.all(config)).to.deep.equal([2n, p.base, p.quote, p.lotSize, p.tickSize, p.minLots, p.maxMakerFeeBps]);
      expect((await ch.marketInfo(id)).perp).to.equal(false);
      const [maker, taker, paused, fees] = await m.marketState();
      expect([maker, taker, paused, fees]).to.deep.equal([0n, 4n, false, 0n]);
    });

    it("rejects unlisted base or quote with AssetNotListed", async () => {
      const { ch, admin } = fx();
      const t = await new MockERC20__factory(admin).deploy("Dai", "DAI", 18);
      const dai = await t.getAddress();
      await expect(ch.connect(admin).createSpotMarket(await params({ base: dai })))
        .to.be.revertedWithCustomError(ch, "AssetNotListed")
        .withArgs(dai);
      await expect(ch.connect(admin).createSpotMarket(await params({ quote: dai })))
        .to.be.revertedWithCustomError(ch, "AssetNotListed")
        .withArgs(dai);
    });

    const bad: [string, (p: Awaited<ReturnType<typeof params>>) => Record<string, unknown>][] = [
      ["base == quote", (p) => ({ base: p.quote })],
      ["zero lot size", () => ({ lotSize: 0n })],
      ["zero tick size", () => ({ tickSize: 0n })],
      ["zero minimum size", () => ({ minLots: 0n })],
      ["minimum size beyond the 48-bit lot field", () => ({ minLots: 1n << 48n })],
      ["lot size beyond its 96-bit field", () => ({ lotSize: 1n << 96n })],
      ["maker fee bound above 100 bps", () => ({ maxMakerFeeBps: 101n })],
    ];
    for (const [name, change] of bad) {
      it(`rejects ${name} with InvalidMarketParams`, async () => {
        const { ch, admin } = fx();
        const p = await params();
        await expect(ch.connect(admin).createSpotMarket({ ...p, ...change(p) })).to.be.revertedWithCustomError(ch, "InvalidMarketParams");
        expect(await ch.marketCount()).to.equal(1n);
      });
    }

    it("rejects initial fees outside the market's bounds with FeeOutOfBounds", async () => {
      const { ch, admin, market } = fx();
      for (const f of [{ takerFeeBps: 101n }, { makerFeeBps: 4n }, { makerFeeBps: -5n }]) {
        await expect(ch.connect(admin).createSpotMarket(await params(f))).to.be.revertedWithCustomError(market, "FeeOutOfBounds");
      }
      // the bounds themselves are accepted
      await mined(ch.connect(admin).createSpotMarket(await params({ makerFeeBps: -4n, takerFeeBps: 4n })));
      expect(await ch.marketCount()).to.equal(2n);
    });

    it("is governance only", async () => {
      const { ch, alice } = fx();
      await expect(ch.connect(alice).createSpotMarket(await params()))
        .to.be.revertedWithCustomError(ch, "AccessManagedUnauthorized")
        .withArgs(alice.address);
    });
  });
});
