import { expect } from "chai";
import { DEPOSIT, USDC_TICK, WETH_LOT } from "../helpers/fixture.ts";
import { acct, ceilBps, OrderKind, place, pocket, Side, useFixture } from "./_helpers.ts";

describe("SpotMarket.sweep / collectFees", () => {
  const fx = useFixture();
  const tick = 300_000n;

  /** bob rests an ask of 10 lots; alice takes 6 of them. */
  async function trade() {
    const { market, alice, bob } = fx();
    await place(market, bob, { side: Side.Ask, tick, lots: 10n });
    await place(market, alice, { side: Side.Bid, tick, lots: 6n, kind: OrderKind.Ioc });
  }

  it("anyone may sweep an account: unswept proceeds move to its balance, locks stay", async () => {
    const { ch, market, bob, eve, usdc, weth } = fx();
    await trade();
    const before = await pocket(market, bob);
    const proceeds = (6n * tick - ceilBps(6n * tick, 1n)) * USDC_TICK;
    expect(before.unsweptQuote).to.equal(proceeds);
    await expect(market.connect(eve).sweep(bob.address, 0)).to.emit(market, "Swept").withArgs(market.marketId, acct(bob), 0n, proceeds);
    expect(await pocket(market, bob)).to.deep.equal({ ...before, unsweptQuote: 0n });
    expect(await ch.balanceOf(acct(bob), await usdc.getAddress())).to.equal(DEPOSIT + proceeds);
    expect(await ch.balanceOf(acct(bob), await weth.getAddress())).to.equal(DEPOSIT - 10n * WETH_LOT);
    expect(await ch.balanceOf(acct(eve), await usdc.getAddress())).to.equal(DEPOSIT);
  });

  it("sweeps base proceeds too; sweeping an empty pocket moves nothing", async () => {
    const { ch, market, alice, carol, weth } = fx();
    await trade();
    await expect(market.sweep(alice.address, 0)).to.emit(market, "Swept").withArgs(market.marketId, acct(alice), 6n * WETH_LOT, 0n);
    expect(await ch.balanceOf(acct(alice), await weth.getAddress())).to.equal(DEPOSIT + 6n * WETH_LOT);
    await expect(market.sweep(carol.address, 0)).to.emit(market, "Swept").withArgs(market.marketId, acct(carol), 0n, 0n);
    await expect(market.sweep(alice.address, 0)).to.emit(market, "Swept").withArgs(market.marketId, acct(alice), 0n, 0n);
  });

  it("collectFees moves accrued fees to the Clearinghouse reserve; anyone may call", async () => {
    const { ch, market, eve, usdc } = fx();
    await trade();
    const notional = 6n * tick;
    const fees = (ceilBps(notional, 5n) + ceilBps(notional, 1n)) * USDC_TICK;
    expect((await market.marketState())[3]).to.equal(fees);
    const token = await usdc.getAddress();
    await expect(market.connect(eve).collectFees()).to.emit(market, "FeesCollected").withArgs(market.marketId, fees);
    expect(await ch.reserveOf(token)).to.equal(fees);
    expect((await market.marketState())[3]).to.equal(0n);
    await expect(market.collectFees()).to.emit(market, "FeesCollected").withArgs(market.marketId, 0n);
    expect(await ch.reserveOf(token)).to.equal(fees);
  });
});
