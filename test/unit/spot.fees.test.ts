import { expect } from "chai";
import { DEPOSIT, USDC_TICK, WETH_LOT } from "../helpers/fixture.ts";
import { acct, MARKET_INDEX, mined, OrderKind, place, pocket, Side, useFixture } from "./_helpers.ts";

// Fees are worked out here from first principles (bigint): charges round up, rebates down.
const up = (x: bigint, bps: bigint) => (x * bps + 9_999n) / 10_000n;
const down = (x: bigint, bps: bigint) => (x * bps) / 10_000n;

describe("SpotMarket fee arithmetic (fixture market: maker 1 bps, taker 5 bps, maker bound 2 bps)", () => {
  const fx = useFixture();
  // an odd price so that every fee has a remainder to round
  const tick = 300_001n;
  const lots = 10n;
  const notional = lots * tick; // 3_000_010 tick units

  it("taker buys from a resting ask: exact amounts for taker, maker and protocol", async () => {
    const { ch, market, alice, bob, usdc } = fx();
    const takerFee = up(notional, 5n);
    const makerFee = up(notional, 1n);
    expect(takerFee).to.equal(1501n); // 1500.005 rounded up
    expect(makerFee).to.equal(301n); // 300.001 rounded up
    await place(market, bob, { side: Side.Ask, tick, lots });
    const r = await place(market, alice, { side: Side.Bid, tick, lots, kind: OrderKind.Ioc });
    expect([r.trade!.filled, r.trade!.notional, r.trade!.takerFee]).to.deep.equal([lots, notional, takerFee]);
    expect(await ch.balanceOf(acct(alice), await usdc.getAddress())).to.equal(DEPOSIT - (notional + takerFee) * USDC_TICK);
    expect((await pocket(market, alice)).unsweptBase).to.equal(lots * WETH_LOT);
    expect(await pocket(market, bob)).to.deep.equal({
      lockedBase: 0n,
      lockedQuote: 0n,
      unsweptBase: 0n,
      unsweptQuote: (notional - makerFee) * USDC_TICK,
      openOrders: 0n,
    });
    expect((await market.marketState())[3]).to.equal((takerFee + makerFee) * USDC_TICK);
  });

  it("taker sells into a resting bid: the bid's fee-bound lock pays cost and fee, the rest returns", async () => {
    const { ch, market, alice, bob, weth } = fx();
    const lockPerLot = tick + up(tick, 2n); // 300_001 + 61
    await place(market, bob, { side: Side.Bid, tick, lots });
    expect((await pocket(market, bob)).lockedQuote).to.equal(lots * lockPerLot * USDC_TICK);
    await place(market, alice, { side: Side.Ask, tick, lots, kind: OrderKind.Ioc });
    const makerFee = up(notional, 1n);
    expect(await pocket(market, bob)).to.deep.equal({
      lockedBase: 0n,
      lockedQuote: 0n,
      unsweptBase: lots * WETH_LOT,
      unsweptQuote: (lots * lockPerLot - notional - makerFee) * USDC_TICK, // 309 tick units
      openOrders: 0n,
    });
    const p = await pocket(market, alice);
    expect(p.unsweptQuote).to.equal((notional - up(notional, 5n)) * USDC_TICK);
    expect(await ch.balanceOf(acct(alice), await weth.getAddress())).to.equal(DEPOSIT - lots * WETH_LOT);
  });

  it("a maker rebate (negative maker fee) is paid out of the taker fee, rounded down", async () => {
    const { ch, market, admin, alice, bob, carol } = fx();
    await mined(ch.connect(admin).setMarketFees(MARKET_INDEX, -2, 5));
    const rebate = down(notional, 2n);
    expect(rebate).to.equal(600n); // 600.002 rounded down
    await place(market, bob, { side: Side.Ask, tick, lots });
    await place(market, alice, { side: Side.Bid, tick, lots, kind: OrderKind.Ioc });
    expect((await pocket(market, bob)).unsweptQuote).to.equal((notional + rebate) * USDC_TICK);
    expect((await market.marketState())[3]).to.equal((up(notional, 5n) - rebate) * USDC_TICK);
    // a rebated bid gets its rebate on top of its unspent fee bound
    await place(market, carol, { side: Side.Bid, tick, lots });
    await place(market, alice, { side: Side.Ask, tick, lots, kind: OrderKind.Ioc });
    const lockPerLot = tick + up(tick, 2n);
    expect((await pocket(market, carol)).unsweptQuote).to.equal((lots * lockPerLot - notional + rebate) * USDC_TICK);
    expect((await market.marketState())[3]).to.equal(2n * (up(notional, 5n) - rebate) * USDC_TICK);
  });

  it("each maker fill rounds its own fee; the taker fee rounds once on the whole notional", async () => {
    const { market, alice, bob, carol } = fx();
    await place(market, bob, { side: Side.Ask, tick, lots: 3n });
    await place(market, carol, { side: Side.Ask, tick: tick + 2n, lots: 4n });
    const r = await place(market, alice, { side: Side.Bid, tick: tick + 2n, lots: 7n, kind: OrderKind.Ioc });
    const n1 = 3n * tick;
    const n2 = 4n * (tick + 2n);
    expect(r.trade!.notional).to.equal(n1 + n2);
    expect(r.trade!.takerFee).to.equal(up(n1 + n2, 5n));
    expect((await pocket(market, bob)).unsweptQuote).to.equal((n1 - up(n1, 1n)) * USDC_TICK);
    expect((await pocket(market, carol)).unsweptQuote).to.equal((n2 - up(n2, 1n)) * USDC_TICK);
    expect((await market.marketState())[3]).to.equal((up(n1 + n2, 5n) + up(n1, 1n) + up(n2, 1n)) * USDC_TICK);
  });

  it("the vault holds exactly balances + pockets + accrued fees + reserve after trading", async () => {
    const { ch, market, usdc, weth, traders, alice, bob } = fx();
    await place(market, bob, { side: Side.Ask, tick, lots: 3n });
    await place(market, bob, { side: Side.Bid, tick: tick - 7n, lots: 5n });
    await place(market, alice, { side: Side.Bid, tick, lots: 5n });
    await place(market, alice, { side: Side.Ask, tick: tick - 7n, lots: 2n, kind: OrderKind.Ioc });
    await mined(market.collectFees());
    await place(market, bob, { side: Side.Ask, tick: tick - 7n, lots: 1n, kind: OrderKind.Ioc });
    for (const [token, quote] of [
      [usdc, true],
      [weth, false],
    ] as const) {
      let sum = (await ch.reserveOf(await token.getAddress())) + (quote ? (await market.marketState())[3] : 0n);
      for (const s of traders) {
        const p = await pocket(market, s);
        sum += await ch.balanceOf(acct(s), await token.getAddress());
        sum += quote ? p.lockedQuote + p.unsweptQuote : p.lockedBase + p.unsweptBase;
      }
      expect(await token.balanceOf(await ch.getAddress())).to.equal(sum);
    }
  });
});
