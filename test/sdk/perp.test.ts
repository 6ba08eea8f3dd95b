// Perp actions against the in-process chain: orders (reduce-only included) through the market
// actions, positions, funding and mark, settlement, maxOrderSize exact to the lot, previewOrder
// equal to the contract's risk after the fill, getAccountRisk's requirements, typed errors.
import { expect } from "chai";
import { readContract } from "viem/actions";
import {
  InsufficientMarginError,
  NotLiquidatableError,
  ReduceOnlyViolatedError,
  OrderKind,
  Side,
  clearinghouseAbi,
  accountId,
} from "../../sdk/src/index.ts";
import { thrown, useMarginWorld, type MarginWorld } from "./_margin.ts";

const USDC = 10n ** 6n;

describe("sdk perps", () => {
  const world = useMarginWorld();

  /** Dave makes ETH-PERP asks only (no bids: the premium stays 0), alice has `usdc` dollars deposited. */
  async function setup(w: MarginWorld, usdc = 100_000n) {
    await w.dave.depositSync({ token: w.tokens.usdc, amount: 10_000_000n * USDC, approve: "max" });
    await w.dave.placeOrderSync({ marketId: w.perps.ethPerp, side: Side.Ask, tick: 300_000n, lots: 1_000_000n });
    await w.alice.depositSync({ token: w.tokens.usdc, amount: usdc * USDC, approve: "max" });
  }

  it("places, reads and cancels perp orders; reduce-only and typed errors", async () => {
    const w = world();
    await setup(w);
    const { filledLots } = await w.alice.placeOrderSync({ marketId: w.perps.ethPerp, side: Side.Bid, tick: 300_000n, lots: 2_000n, kind: OrderKind.Ioc });
    expect(filledLots).to.equal(2_000n);
    const pos = await w.alice.getPosition({ marketId: w.perps.ethPerp });
    expect(pos.sizeLots).to.equal(2_000n);
    expect(pos.entryAtoms).to.equal(2_000n * 300_000n * 10n);
    const maker = await w.alice.getPosition({ marketId: w.perps.ethPerp, owner: w.dave.account.address });
    expect(maker.sizeLots).to.equal(-2_000n);
    // a reduce-only bid against a long is refused, a reduce-only ask rests
    expect(await thrown(w.alice.placeOrderSync({ marketId: w.perps.ethPerp, side: Side.Bid, tick: 290_000n, lots: 1n, reduceOnly: true }))).to.be.instanceOf(
      ReduceOnlyViolatedError,
    );
    const { orderId } = await w.alice.placeOrderSync({ marketId: w.perps.ethPerp, side: Side.Ask, tick: 310_000n, lots: 500n, reduceOnly: true });
    expect((await w.alice.getPosition({ marketId: w.perps.ethPerp })).askLots).to.equal(500n);
    await w.alice.cancelOrderSync({ marketId: w.perps.ethPerp, orderId });
    const { placedOrderIds } = await w.alice.batchOrdersSync({
      marketId: w.perps.ethPerp,
      ops: [
        { type: "place", order: { side: Side.Bid, tick: 280_000n, lots: 10n } },
        { type: "place", order: { side: Side.Ask, tick: 320_000n, lots: 10n, reduceOnly: true } },
      ],
    });
    expect(placedOrderIds).to.have.length(2);
    const all = await w.alice.getPositions();
    expect(all.map((p) => p.marketId)).to.deep.equal([w.perps.ethPerp]);
    expect(all[0]).to.include({ sizeLots: 2_000n, bidLots: 10n, askLots: 10n });
    expect(await w.alice.getPositions({ includeEmpty: true })).to.have.length(2);
    const info = await w.alice.getPerpMarket({ marketId: w.perps.ethPerp });
    expect(info).to.include({ marketId: 3n, lotSize: 10n ** 15n, tickSize: 10n, takerFeeBps: 5n, underlying: w.tokens.weth });
    const generic = await w.alice.getMarket({ marketId: w.perps.ethPerp });
    expect(generic).to.include({ marketId: 3n, perp: true, base: w.tokens.weth, quote: w.tokens.usdc, lotSize: 10n ** 15n });
    // liquidating a healthy account decodes to a typed error
    expect(await thrown(w.alice.liquidatePerpSync({ marketId: w.perps.ethPerp, owner: w.dave.account.address, lots: 1n }))).to.be.instanceOf(
      NotLiquidatableError,
    );
  });

  it("funding, mark and settle", async () => {
    const w = world();
    await setup(w);
    await w.alice.placeOrderSync({ marketId: w.perps.ethPerp, side: Side.Bid, tick: 300_000n, lots: 1_000n, kind: OrderKind.Ioc });
    const mark = await w.alice.getMarkPrice({ marketId: w.perps.ethPerp });
    // $3,000 per WETH: 0.001 WETH per lot = 3 USDC = 3e6 atoms per lot
    expect(mark.indexLotWad).to.equal(3n * USDC * 10n ** 18n);
    expect(mark.premiumPpm).to.equal(0n);
    expect(mark.markLotWad).to.equal(mark.indexLotWad);
    const f = await w.alice.getFunding({ marketId: w.perps.ethPerp });
    expect(f.ratePpmPerHour).to.equal(12n); // the interest part, no premium
    expect(f.sizeLots).to.equal(1_000n);
    // size × rate × index per lot: 1000 × 12e-6 × 3e6 atoms = 36_000 atoms (0.036 USDC) an hour, paid by the long
    expect(f.nextHourAtoms).to.equal(36_000n);
    await w.connection.networkHelpers.time.increase(3_600);
    await w.refreshPrices();
    const owed = (await w.alice.getPosition({ marketId: w.perps.ethPerp })).fundingOwedAtoms;
    expect(owed).to.be.closeTo(36_000n, 100n);
    const { settledAtoms } = await w.alice.settlePerpSync({ marketId: w.perps.ethPerp });
    expect(settledAtoms).to.be.lessThan(0n);
    expect(-settledAtoms).to.be.closeTo(owed, 100n);
    expect((await w.alice.getPosition({ marketId: w.perps.ethPerp })).fundingOwedAtoms).to.equal(0n);
  });

  it("maxOrderSize is exact: that many lots fill, one more reverts InsufficientMargin", async () => {
    const w = world();
    await setup(w, 2_000n);
    const lots = await w.alice.maxOrderSize({ marketId: w.perps.ethPerp, side: Side.Bid, tick: 300_000n });
    expect(lots).to.be.greaterThan(0n);
    const tooMany = w.alice.placeOrderSync({ marketId: w.perps.ethPerp, side: Side.Bid, tick: 300_000n, lots: lots + 1n, kind: OrderKind.Ioc });
    expect(await thrown(tooMany)).to.be.instanceOf(InsufficientMarginError);
    const { filledLots } = await w.alice.placeOrderSync({ marketId: w.perps.ethPerp, side: Side.Bid, tick: 300_000n, lots, kind: OrderKind.Ioc });
    expect(filledLots).to.equal(lots);
  });

  it("previewOrder equals the contract's risk after the fill; getAccountRisk reports requirements and exposures", async () => {
    const w = world();
    await setup(w, 50_000n);
    await w.alice.depositSync({ token: w.tokens.weth, amount: 5n * 10n ** 18n, approve: "max" });
    // short 5 ETH-PERP against 5 WETH spot, the hedge, sold into a bid-only book (the premium stays 0)
    await w.dave.cancelAllSync({ marketId: w.perps.ethPerp });
    await w.dave.placeOrderSync({ marketId: w.perps.ethPerp, side: Side.Bid, tick: 300_000n, lots: 1_000_000n });
    const preview = await w.alice.previewOrder({ marketId: w.perps.ethPerp, side: Side.Ask, lots: 5_000n, tick: 300_000n });
    await w.alice.placeOrderSync({ marketId: w.perps.ethPerp, side: Side.Ask, tick: 300_000n, lots: 5_000n, kind: OrderKind.Ioc });
    const onChain = await readContract(w.publicClient, {
      address: w.clearinghouse,
      abi: clearinghouseAbi,
      functionName: "riskOf",
      args: [accountId(w.alice.account.address)],
    });
    expect(preview.after).to.deep.equal({ ...onChain });
    const risk = await w.alice.getAccountRisk({ verify: true });
    expect(risk.portfolioRequirementWad).to.equal(preview.requirements.portfolioWad);
    expect(risk.portfolioRequirementWad).to.be.lessThan(risk.crossRequirementWad); // the hedge nets
    const weth = risk.assets.find((a) => a.token === w.tokens.weth)!;
    expect(weth.adjustedAtoms).to.equal(5n * 10n ** 18n);
    expect(weth.perpAtoms).to.equal(-5n * 10n ** 18n);
  });

  it("resolveBankruptcy: closes at the mark into the caller; an unsettled charge is in getPosition and the SDK's Atlas agrees to the wei", async () => {
    const w = world();
    const m = w.perps.ethPerp;
    await w.bob.depositSync({ token: w.tokens.usdc, amount: 200n * USDC, approve: "max" });
    for (const c of [w.alice, w.carol, w.dave]) await c.depositSync({ token: w.tokens.usdc, amount: 100_000n * USDC, approve: "max" });
    await w.carol.placeOrderSync({ marketId: m, side: Side.Ask, tick: 300_000n, lots: 200n });
    await w.dave.placeOrderSync({ marketId: m, side: Side.Ask, tick: 300_000n, lots: 100n });
    await w.bob.placeOrderSync({ marketId: m, side: Side.Bid, tick: 300_000n, lots: 300n, kind: OrderKind.Ioc });
    await w.push("weth", 2_000n * 10n ** 18n);
    await w.alice.liquidatePerpSync({ marketId: m, owner: w.bob.account.address, lots: 250n });
    const r = await w.carol.resolveBankruptcySync({ marketId: m, owner: w.bob.account.address });
    expect(r.resolver).to.equal(accountId(w.carol.account.address));
    expect(r.lots).to.equal(50n);
    expect(r.socializedAtoms).to.be.greaterThan(0n);
    expect((await w.bob.getPosition({ marketId: m })).sizeLots).to.equal(0n);
    // dave (short 100 of the 300 short lots) owes his share, unsettled, less the funding he receives
    const [, shortLoss] = await readContract(w.publicClient, { address: w.clearinghouse, abi: clearinghouseAbi, functionName: "lossPerLot", args: [m] });
    expect(shortLoss).to.equal((r.socializedAtoms * 10n ** 9n + 299n) / 300n);
    const fd = await w.dave.getFunding({ marketId: m });
    expect([fd.longLossPerLot, fd.shortLossPerLot]).to.deep.equal([0n, shortLoss]);
    const d = await w.dave.getPosition({ marketId: m });
    expect(d.fundingOwedAtoms).to.be.closeTo((100n * shortLoss) / 10n ** 9n, 1_000n);
    // the SDK's copy of Atlas values dave with the charge, as the contract does (throws on any difference)
    const risk = await w.dave.getAccountRisk({ verify: true });
    expect(risk.assets.find((a) => a.token === w.tokens.weth)!.perpAtoms).to.equal(-100n * 10n ** 15n);
    // a fill previewed from the snapshot settles the charge as the contract does
    const preview = await w.dave.previewOrder({ marketId: m, side: Side.Bid, lots: 10n, tick: 300_000n });
    expect(preview.before.equityWad).to.equal(risk.equityWad);
  });
});
