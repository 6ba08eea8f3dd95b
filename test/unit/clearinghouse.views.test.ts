import { expect } from "chai";
import { DEPOSIT } from "../helpers/fixture.ts";
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
    expect(await ch.marketAt(1n)).to.equal(await market.getAddress());
    expect(await ch.treasury()).to.equal(admin.address);
  });

  it("marketAt reverts UnknownMarket for index 0 and past the last market", async () => {
    const { ch } = fx();
    await expect(ch.marketAt(0n)).to.be.revertedWithCustomError(ch, "UnknownMarket").withArgs(0n);
    await expect(ch.marketAt(2n)).to.be.revertedWithCustomError(ch, "UnknownMarket").withArgs(2n);
  });
});
