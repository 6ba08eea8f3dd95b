import { expect } from "chai";
import { DEPOSIT, USDC_TICK, WETH_LOT } from "../helpers/fixture.ts";
import { acct, useFixture } from "./_helpers.ts";

describe("Clearinghouse views", () => {
  const fx = useFixture();

  it("report balances, listing, markets, reserve and treasury", async () => {
    const { ch, market, admin, alice, weth, wbtc, usdc } = fx();
    for (const t of [weth, wbtc, usdc]) {
      expect(await ch.isListed(await t.getAddress())).to.equal(true);
      expect(await ch.balanceOf(acct(alice), await t.getAddress())).to.equal(DEPOSIT);
      expect(await ch.balanceOf(acct(alice, 1n), await t.getAddress())).to.equal(0n);
      expect(await ch.reserveOf(await t.getAddress())).to.equal(0n);
    }
    expect(await ch.isListed(admin.address)).to.equal(false);
    expect(await ch.marketCount()).to.equal(1n);
    expect(market.marketId).to.equal(1n);
    const info = await ch.marketInfo(1n);
    expect([info.perp, info.base, info.quote, info.lotSize, info.tickSize, info.minLots, info.maxMakerFeeBps]).to.deep.equal([
      false, await weth.getAddress(), await usdc.getAddress(), WETH_LOT, USDC_TICK, 1n, 2n,
    ]);
    expect(await ch.treasury()).to.equal(admin.address);
  });

  it("marketInfo reverts UnknownMarket for id 0 and past the last market", async () => {
    const { ch } = fx();
    await expect(ch.marketInfo(0n)).to.be.revertedWithCustomError(ch, "UnknownMarket").withArgs(0n);
    await expect(ch.marketInfo(2n)).to.be.revertedWithCustomError(ch, "UnknownMarket").withArgs(2n);
  });
});
