import { expect } from "chai";
import { mined, useFixture } from "./_helpers.ts";

describe("SpotMarket.setPaused / setFees (Clearinghouse only)", () => {
  const fx = useFixture();

  it("revert NotClearinghouse for anyone else, governance included", async () => {
    const { market, admin, alice } = fx();
    for (const s of [admin, alice]) {
      await expect(market.connect(s).setPaused(true)).to.be.revertedWithCustomError(market, "NotClearinghouse");
      await expect(market.connect(s).setFees(0, 0)).to.be.revertedWithCustomError(market, "NotClearinghouse");
    }
    expect(await market.marketState()).to.deep.equal([1n, 5n, false, 0n]);
  });

  it("the Clearinghouse itself may call them", async () => {
    const { ch, market, connection, ethers } = fx();
    const chAddr = await ch.getAddress();
    await connection.networkHelpers.impersonateAccount(chAddr);
    await connection.networkHelpers.setBalance(chAddr, 10n ** 18n);
    const asCh = await ethers.getSigner(chAddr);
    await mined(market.connect(asCh).setPaused(true));
    await mined(market.connect(asCh).setFees(-1, 3));
    expect(await market.marketState()).to.deep.equal([-1n, 3n, true, 0n]);
    await connection.networkHelpers.stopImpersonatingAccount(chAddr);
  });
});
