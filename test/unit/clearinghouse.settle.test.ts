import { expect } from "chai";
import { DEPOSIT } from "../helpers/fixture.ts";
import { acct, mined, MARKET_INDEX, useFixture } from "./_helpers.ts";

describe("Clearinghouse.settle / creditReserve (markets only)", () => {
  const fx = useFixture();

  it("reverts NotMarket for any other caller", async () => {
    const { ch, weth, usdc, alice } = fx();
    const [base, quote] = [await weth.getAddress(), await usdc.getAddress()];
    await expect(ch.connect(alice).settle(MARKET_INDEX, base, quote, acct(alice), 5n, 0n, 0n))
      .to.be.revertedWithCustomError(ch, "NotMarket")
      .withArgs(alice.address);
    await expect(ch.connect(alice).creditReserve(MARKET_INDEX, base, quote, 5n))
      .to.be.revertedWithCustomError(ch, "NotMarket")
      .withArgs(alice.address);
  });

  it("authorises a market by its CREATE2 address for its own (index, base, quote) only", async () => {
    const { ch, weth, usdc, wbtc, market, alice, connection } = fx();
    const { networkHelpers } = connection;
    const [base, quote] = [await weth.getAddress(), await usdc.getAddress()];
    const marketAddr = await market.getAddress();
    await networkHelpers.impersonateAccount(marketAddr);
    await networkHelpers.setBalance(marketAddr, 10n ** 18n);
    const asMarket = await fx().ethers.getSigner(marketAddr);
    // the real market, with its own parameters, may move balances
    await mined(ch.connect(asMarket).settle(MARKET_INDEX, base, quote, acct(alice), -7n, 9n, 0n));
    expect(await ch.balanceOf(acct(alice), base)).to.equal(DEPOSIT - 7n);
    expect(await ch.balanceOf(acct(alice), quote)).to.equal(DEPOSIT + 9n);
    // but claiming another market's parameters fails
    await expect(ch.connect(asMarket).settle(2n, base, quote, acct(alice), 1n, 0n, 0n)).to.be.revertedWithCustomError(ch, "NotMarket");
    await expect(ch.connect(asMarket).settle(MARKET_INDEX, await wbtc.getAddress(), quote, acct(alice), 1n, 0n, 0n)).to.be.revertedWithCustomError(
      ch,
      "NotMarket",
    );
    // a debit beyond the free balance is refused
    await expect(ch.connect(asMarket).settle(MARKET_INDEX, base, quote, acct(alice, 1n), -1n, 0n, 0n))
      .to.be.revertedWithCustomError(ch, "InsufficientBalance")
      .withArgs(base, 1n, 0n);
    await expect(ch.connect(asMarket).creditReserve(MARKET_INDEX, base, quote, 11n))
      .to.emit(ch, "ReserveCredited")
      .withArgs(quote, 11n);
    expect(await ch.reserveOf(quote)).to.equal(11n);
    await networkHelpers.stopImpersonatingAccount(marketAddr);
  });
});
