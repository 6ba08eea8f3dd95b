import { expect } from "chai";
import { SpotMarketDeployer__factory } from "../../types/ethers-contracts/index.js";
import { mined, useFixture } from "./_helpers.ts";

describe("SpotMarketDeployer.bind / deploy", () => {
  const fx = useFixture();

  it("bind: revert NotBinder for anyone but the deployer of the deployer", async () => {
    const { connection, alice, bob } = fx();
    const d = await new SpotMarketDeployer__factory(alice).deploy();
    await expect(d.connect(bob).bind(bob.address)).to.be.revertedWithCustomError(d, "NotBinder").withArgs(bob.address);
    expect(await d.clearinghouse()).to.equal(connection.ethers.ZeroAddress);
  });

  it("bind: once only (AlreadyBound), and the first binding stays", async () => {
    const { alice, bob } = fx();
    const d = await new SpotMarketDeployer__factory(alice).deploy();
    await mined(d.connect(alice).bind(bob.address));
    await expect(d.connect(alice).bind(alice.address)).to.be.revertedWithCustomError(d, "AlreadyBound");
    expect(await d.clearinghouse()).to.equal(bob.address);
  });

  it("deploy: revert NotClearinghouse for anyone but the bound Clearinghouse, governance included", async () => {
    const { ch, admin, alice, weth, usdc } = fx();
    const d = SpotMarketDeployer__factory.connect(await ch.SPOT_DEPLOYER(), admin);
    const params = {
      base: await usdc.getAddress(),
      quote: await weth.getAddress(),
      lotSize: 1n,
      tickSize: 1n,
      minLots: 1n,
      makerFeeBps: 0n,
      takerFeeBps: 0n,
      maxMakerFeeBps: 0n,
    };
    for (const s of [admin, alice]) {
      await expect(d.connect(s).deploy(9n, params)).to.be.revertedWithCustomError(d, "NotClearinghouse").withArgs(s.address);
    }
    expect(await ch.marketCount()).to.equal(1n);
  });
});
