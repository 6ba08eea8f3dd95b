import { expect } from "chai";
import { MARKET_INDEX, mined, useFixture } from "./_helpers.ts";

describe("Clearinghouse.setMarketFees (governance, within hard bounds)", () => {
  // fixture market: maker 1, taker 5, maker bound 2 bps; taker bound is 100 bps for every market
  const fx = useFixture();

  it("changes the fees and emits FeesSet, including a maker rebate up to the taker fee", async () => {
    const { ch, admin, market } = fx();
    await expect(ch.connect(admin).setMarketFees(MARKET_INDEX, 2, 100)).to.emit(market, "FeesSet").withArgs(market.marketId, 2, 100);
    expect((await market.marketState()).slice(0, 2)).to.deep.equal([2n, 100n]);
    await mined(ch.connect(admin).setMarketFees(MARKET_INDEX, -7, 7));
    expect((await market.marketState()).slice(0, 2)).to.deep.equal([-7n, 7n]);
    await mined(ch.connect(admin).setMarketFees(MARKET_INDEX, 0, 0));
    expect((await market.marketState()).slice(0, 2)).to.deep.equal([0n, 0n]);
  });

  const outOfBounds: [string, number, number][] = [
    ["taker fee above 100 bps", 1, 101],
    ["maker fee above the market's maker bound", 3, 5],
    ["rebate larger than the taker fee", -6, 5],
  ];
  for (const [name, maker, taker] of outOfBounds) {
    it(`rejects ${name} with FeeOutOfBounds`, async () => {
      const { ch, admin, market } = fx();
      await expect(ch.connect(admin).setMarketFees(MARKET_INDEX, maker, taker))
        .to.be.revertedWithCustomError(market, "FeeOutOfBounds")
        .withArgs(maker, taker);
      expect((await market.marketState()).slice(0, 2)).to.deep.equal([1n, 5n]);
    });
  }

  it("rejects an unknown market and callers without the governance role", async () => {
    const { ch, admin, alice } = fx();
    await expect(ch.connect(admin).setMarketFees(0n, 1, 5)).to.be.revertedWithCustomError(ch, "UnknownMarket").withArgs(0n);
    await expect(ch.connect(admin).setMarketFees(9n, 1, 5)).to.be.revertedWithCustomError(ch, "UnknownMarket").withArgs(9n);
    await expect(ch.connect(alice).setMarketFees(MARKET_INDEX, 0, 0))
      .to.be.revertedWithCustomError(ch, "AccessManagedUnauthorized")
      .withArgs(alice.address);
  });
});
