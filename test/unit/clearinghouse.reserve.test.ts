import { expect } from "chai";
import { mined, OrderKind, place, Side, useFixture } from "./_helpers.ts";

const ZERO = "0x0000000000000000000000000000000000000000";

describe("Clearinghouse.setTreasury / withdrawReserve", () => {
  const fx = useFixture();

  /** Trades once and collects the fees, so the USDC reserve holds something. */
  async function fundReserve(): Promise<bigint> {
    const { market, alice, bob, ch, usdc } = fx();
    await place(market, alice, { side: Side.Ask, tick: 300_000n, lots: 10n });
    await place(market, bob, { side: Side.Bid, tick: 300_000n, lots: 10n, kind: OrderKind.Ioc });
    await mined(market.collectFees());
    const r = await ch.reserveOf(await usdc.getAddress());
    expect(r).to.be.greaterThan(0n);
    return r;
  }

  it("setTreasury changes the destination, emits TreasurySet, rejects zero and outsiders", async () => {
    const { ch, admin, carol } = fx();
    await expect(ch.connect(admin).setTreasury(carol.address)).to.emit(ch, "TreasurySet").withArgs(carol.address);
    expect(await ch.treasury()).to.equal(carol.address);
    await expect(ch.connect(admin).setTreasury(ZERO)).to.be.revertedWithCustomError(ch, "ZeroAddress");
    await expect(ch.connect(carol).setTreasury(carol.address))
      .to.be.revertedWithCustomError(ch, "AccessManagedUnauthorized")
      .withArgs(carol.address);
  });

  it("withdrawReserve pays only the treasury, never the caller", async () => {
    const { ch, admin, usdc, ethers } = fx();
    const reserve = await fundReserve();
    const treasury = (await ethers.getSigners())[9];
    await mined(ch.connect(admin).setTreasury(treasury.address));
    const token = await usdc.getAddress();
    await expect(ch.connect(admin).withdrawReserve(token, reserve - 1n)).to.changeTokenBalances(
      ethers,
      usdc,
      [ch, treasury, admin],
      [-(reserve - 1n), reserve - 1n, 0n],
    );
    expect(await ch.reserveOf(token)).to.equal(1n);
    await expect(ch.connect(admin).withdrawReserve(token, 1n)).to.emit(ch, "ReserveWithdrawn").withArgs(token, 1n, treasury.address);
    expect(await ch.reserveOf(token)).to.equal(0n);
  });

  it("reverts InsufficientReserve beyond the reserve, and is governance only", async () => {
    const { ch, admin, alice, usdc, weth } = fx();
    const reserve = await fundReserve();
    const token = await usdc.getAddress();
    await expect(ch.connect(admin).withdrawReserve(token, reserve + 1n))
      .to.be.revertedWithCustomError(ch, "InsufficientReserve")
      .withArgs(token, reserve + 1n, reserve);
    // fees are charged in quote only: no WETH reserve
    await expect(ch.connect(admin).withdrawReserve(await weth.getAddress(), 1n))
      .to.be.revertedWithCustomError(ch, "InsufficientReserve")
      .withArgs(await weth.getAddress(), 1n, 0n);
    await expect(ch.connect(alice).withdrawReserve(token, 1n))
      .to.be.revertedWithCustomError(ch, "AccessManagedUnauthorized")
      .withArgs(alice.address);
    expect(await ch.reserveOf(token)).to.equal(reserve);
  });
});
