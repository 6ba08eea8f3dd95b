// Attack: an operator (agent key) the owner approved to trade tries to take the owner's value.
// Its one lever is the price of the orders it places for the owner: selling the owner's 10 WETH
// at tick 1 into its own bid (spot and perp), or buying for the owner from its own ask at a far
// price. Every order an operator places must keep to the owner's band around the oracle index
// (default 2%): a bid at most index × 1.02, an ask at least index × 0.98 (a take fills at its
// limit or better, so each executed price keeps to it too). Inside the band it trades as before;
// the owner's own orders stay free; cancels and amends never need the oracle; and nothing lets
// an operator withdraw, transfer or borrow the owner's funds out.
import { expect } from "chai";
import { amendOp, cancelOp, OrderKind, placeOp, Side } from "../../sdk/src/math/order.ts";
import {
  useVenue,
  deposit,
  withdraw,
  transfer,
  borrow,
  allowBorrow,
  spotOrder,
  perpOrder,
  setPrice,
  balanceOf,
  walletOf,
  perpLots,
  tokenOf,
  acctOf,
  setOperator,
  setOperatorBand,
  operatorBandOf,
  orderFor,
  batchFor,
  cancelAs,
  openOrdersOf,
  spotPocketOf,
  elapseStale,
  mined,
  E6,
  E18,
  WAD,
} from "./venue.ts";

// WETH at $3,000: index tick 300_000 (lot 0.001 WETH, tick 10 USDC atoms), so the default 2% band
// is [294_000, 306_000] on the spot book and on ETH-PERP (same units)
const INDEX = 300_000n;
const MIN = 294_000n;
const MAX = 306_000n;
const ALL = 10_000n; // 10 WETH in lots

describe("attack: an operator trades the owner's account only within the price band", () => {
  const venue = useVenue();

  /** alice (owner) holds 10 WETH and 100,000 USDC; outsider is her agent key and trades its own account too. */
  async function setup() {
    const v = venue();
    const { alice, outsider } = v;
    await deposit(v, alice, "WETH", 10n * E18);
    await deposit(v, alice, "USDC", 100_000n * E6);
    await deposit(v, outsider, "USDC", 100_000n * E6);
    await deposit(v, outsider, "WETH", 10n * E18);
    await setOperator(v, alice, outsider);
    return { v, alice, outsider };
  }

  it("spot: the operator cannot sell the owner's 10 WETH at tick 1 into its own bid (place, IOC, batch)", async () => {
    const { v, alice, outsider } = await setup();
    await spotOrder(v, outsider, { side: Side.Bid, tick: 1n, lots: ALL });
    for (const kind of [OrderKind.Gtc, OrderKind.Ioc, OrderKind.Fok, OrderKind.Market]) {
      await expect(orderFor(v, outsider, alice, { side: Side.Ask, tick: 1n, lots: ALL, kind }))
        .to.be.revertedWithCustomError(v.market, "OperatorPriceOutOfBand")
        .withArgs(1n, MIN, MAX);
    }
    await expect(batchFor(v, outsider, alice, [placeOp({ side: Side.Ask, tick: 1n, lots: ALL, kind: OrderKind.Ioc })]))
      .to.be.revertedWithCustomError(v.market, "OperatorPriceOutOfBand")
      .withArgs(1n, MIN, MAX);
    // one tick under the band's edge is refused as well; the edge itself is not
    await expect(orderFor(v, outsider, alice, { side: Side.Ask, tick: MIN - 1n, lots: ALL }))
      .to.be.revertedWithCustomError(v.market, "OperatorPriceOutOfBand")
      .withArgs(MIN - 1n, MIN, MAX);
    await orderFor(v, outsider, alice, { side: Side.Ask, tick: MIN, lots: 1n, kind: OrderKind.PostOnly });
    expect(await balanceOf(v, alice, "WETH")).to.equal(10n * E18 - 10n ** 15n); // 1 lot locked in the resting ask
    expect(await balanceOf(v, outsider, "WETH")).to.equal(10n * E18);
  });

  it("spot: the typed entry point (placeOrderFields) keeps an operator to the same band", async () => {
    const { v, alice, outsider } = await setup();
    await spotOrder(v, outsider, { side: Side.Bid, tick: 1n, lots: ALL });
    const fields = (tick: bigint, kind: bigint) => ({
      lots: ALL, tick, side: BigInt(Side.Ask), kind, selfTrade: 0n, maxFills: 0n, sub: 0n, expiry: 0n, clientOrderId: 0n, reduceOnly: false,
    });
    for (const kind of [OrderKind.Ioc, OrderKind.Market]) {
      await expect(v.market.connect(outsider).placeOrderFields(alice.address, fields(1n, BigInt(kind))))
        .to.be.revertedWithCustomError(v.market, "OperatorPriceOutOfBand")
        .withArgs(1n, MIN, MAX);
    }
    expect(await balanceOf(v, alice, "WETH")).to.equal(10n * E18);
    expect(await balanceOf(v, outsider, "WETH")).to.equal(10n * E18);
  });

  it("spot: the operator cannot buy for the owner from its own ask at a far price; in-band takes fill only in-band levels", async () => {
    const { v, alice, outsider } = await setup();
    await spotOrder(v, outsider, { side: Side.Ask, tick: 2n * INDEX, lots: 100n });
    for (const kind of [OrderKind.Ioc, OrderKind.Market]) {
      await expect(orderFor(v, outsider, alice, { side: Side.Bid, tick: 2n * INDEX, lots: 100n, kind }))
        .to.be.revertedWithCustomError(v.market, "OperatorPriceOutOfBand")
        .withArgs(2n * INDEX, MIN, MAX);
    }
    // an ask inside the band and the far one: a bid limited to the band's edge fills the first only
    await spotOrder(v, outsider, { side: Side.Ask, tick: MAX - 1_000n, lots: 10n });
    const usdc = await balanceOf(v, alice, "USDC");
    await orderFor(v, outsider, alice, { side: Side.Bid, tick: MAX, lots: 110n, kind: OrderKind.Ioc });
    const [farAsk] = await openOrdersOf(v, outsider);
    expect((await v.market.getOrder(farAsk))[1]).to.equal(100n); // the far ask is untouched
    const { unsweptBase } = await spotPocketOf(v, alice);
    expect(unsweptBase).to.equal(10n * 10n ** 15n); // 10 lots bought
    // she paid 10 lots at MAX − 1_000 plus the taker fee, nothing at the far price
    const paid = usdc - (await balanceOf(v, alice, "USDC"));
    expect(paid).to.be.lessThanOrEqual(((10n * (MAX - 1_000n) * 10n) * 10_005n) / 10_000n + 1n);
  });

  it("the owner acting for itself keeps full freedom: it may sell at tick 1, also through placeOrderFor", async () => {
    const { v, alice, outsider } = await setup();
    await spotOrder(v, outsider, { side: Side.Bid, tick: 1n, lots: 2n });
    await spotOrder(v, alice, { side: Side.Ask, tick: 1n, lots: 1n, kind: OrderKind.Ioc });
    await mined(v.market.connect(alice).placeOrderFor(alice.address, placeOp({ side: Side.Ask, tick: 1n, lots: 1n, kind: OrderKind.Ioc })));
    expect(await openOrdersOf(v, outsider)).to.deep.equal([]); // both lots of the tick-1 bid filled
    // and she may bid far above the index
    await spotOrder(v, alice, { side: Side.Bid, tick: 2n * INDEX, lots: 1n, kind: OrderKind.PostOnly });
  });

  it("the band is the owner's to set per sub-account, within (0, 50%]; the operator cannot change it", async () => {
    const { v, alice, outsider } = await setup();
    expect(await operatorBandOf(v, alice)).to.equal(200n);
    await expect(setOperatorBand(v, alice, 1_000n))
      .to.emit(v.ch, "OperatorBandSet")
      .withArgs(acctOf(alice), 1_000n);
    expect(await operatorBandOf(v, alice)).to.equal(1_000n);
    expect(await operatorBandOf(v, alice, 1n)).to.equal(200n);
    await orderFor(v, outsider, alice, { side: Side.Ask, tick: 270_000n, lots: 1n });
    await expect(orderFor(v, outsider, alice, { side: Side.Ask, tick: 269_999n, lots: 1n }))
      .to.be.revertedWithCustomError(v.market, "OperatorPriceOutOfBand")
      .withArgs(269_999n, 270_000n, 330_000n);
    for (const bad of [0n, 5_001n]) {
      await expect(setOperatorBand(v, alice, bad)).to.be.revertedWithCustomError(v.ch, "InvalidOperatorBand").withArgs(bad);
    }
    // the operator's own call sets its own account's band, never alice's
    await setOperatorBand(v, outsider, 5_000n);
    expect(await operatorBandOf(v, alice)).to.equal(1_000n);
  });

  it("the band follows the oracle index", async () => {
    const { v, alice, outsider } = await setup();
    await setPrice(v, "WETH", 2_000n * WAD);
    await expect(orderFor(v, outsider, alice, { side: Side.Bid, tick: MIN, lots: 1n }))
      .to.be.revertedWithCustomError(v.market, "OperatorPriceOutOfBand")
      .withArgs(MIN, 196_000n, 204_000n);
    await orderFor(v, outsider, alice, { side: Side.Bid, tick: 204_000n, lots: 1n });
    await orderFor(v, outsider, alice, { side: Side.Ask, tick: 196_000n, lots: 1n });
  });

  it("perp: the operator can neither dump the owner's position at tick 1 into its own bid nor take at a far price", async () => {
    const { v, alice, outsider } = await setup();
    const m = v.ethPerp;
    await perpOrder(v, outsider, { side: Side.Bid, tick: 1n, lots: 100n });
    await perpOrder(v, outsider, { side: Side.Ask, tick: 2n * INDEX, lots: 100n });
    await expect(orderFor(v, outsider, alice, { side: Side.Ask, tick: 1n, lots: 100n, kind: OrderKind.Ioc }, m))
      .to.be.revertedWithCustomError(m, "OperatorPriceOutOfBand")
      .withArgs(1n, MIN, MAX);
    await expect(orderFor(v, outsider, alice, { side: Side.Bid, tick: 2n * INDEX, lots: 100n, kind: OrderKind.Ioc }, m))
      .to.be.revertedWithCustomError(m, "OperatorPriceOutOfBand")
      .withArgs(2n * INDEX, MIN, MAX);
    await expect(batchFor(v, outsider, alice, [placeOp({ side: Side.Ask, tick: 1n, lots: 100n, kind: OrderKind.Ioc })], m))
      .to.be.revertedWithCustomError(m, "OperatorPriceOutOfBand");
    expect(await perpLots(v, alice)).to.equal(0n);
    // inside the band it trades for her: short 10 lots at the band's edge, then a reduce-only close
    // at a far price is refused too
    await perpOrder(v, outsider, { side: Side.Bid, tick: MIN, lots: 10n });
    await orderFor(v, outsider, alice, { side: Side.Ask, tick: MIN, lots: 10n, kind: OrderKind.Ioc }, m);
    expect(await perpLots(v, alice)).to.equal(-10n);
    await expect(
      orderFor(v, outsider, alice, { side: Side.Bid, tick: 2n * INDEX, lots: 10n, kind: OrderKind.Ioc, reduceOnly: true }, m),
    ).to.be.revertedWithCustomError(m, "OperatorPriceOutOfBand");
    expect(await perpLots(v, alice)).to.equal(-10n);
    // the owner herself may trade at any price
    await perpOrder(v, alice, { side: Side.Ask, tick: 1n, lots: 1n, kind: OrderKind.Ioc });
    expect(await perpLots(v, alice)).to.equal(-11n);
  });

  it("cancels and amends never read the oracle: they go on while prices are stale; placing waits for a price", async () => {
    const { v, alice, outsider } = await setup();
    await orderFor(v, outsider, alice, { side: Side.Ask, tick: INDEX, lots: 5n });
    await orderFor(v, outsider, alice, { side: Side.Ask, tick: INDEX + 1n, lots: 5n });
    const [a, b] = await openOrdersOf(v, alice);
    await elapseStale(v, 2 * 3_600);
    await expect(orderFor(v, outsider, alice, { side: Side.Ask, tick: INDEX, lots: 1n })).to.be.revertedWithCustomError(v.oracle, "StalePrice");
    await batchFor(v, outsider, alice, [amendOp(a, 2n)]);
    await batchFor(v, outsider, alice, [cancelOp(b)]);
    await cancelAs(v, outsider, a);
    expect(await openOrdersOf(v, alice)).to.deep.equal([]);
  });

  it("the operator cannot withdraw, transfer, borrow or change the owner's settings: each reaches only its own account", async () => {
    const { v, alice, outsider } = await setup();
    const U = tokenOf(v, "USDC");
    const before = [await balanceOf(v, alice, "USDC"), await balanceOf(v, alice, "WETH"), await v.ch.accountState(acctOf(alice))];
    const wallet = await walletOf(v, outsider, "USDC");
    // its empty sub-account 5 stands for "its own account": nothing of alice's is reachable
    await expect(withdraw(v, outsider, "USDC", 1n, 5n)).to.be.revertedWithCustomError(v.ch, "InsufficientBalance").withArgs(U, 1n, 0n);
    await expect(transfer(v, outsider, "USDC", 1n, 5n, 0n)).to.be.revertedWithCustomError(v.ch, "InsufficientBalance");
    await allowBorrow(v, outsider, true, true, 5n);
    await expect(borrow(v, outsider, "USDC", 1n, 5n)).to.be.revertedWithCustomError(v.ch, "InsufficientMargin");
    await mined(v.ch.connect(outsider).setLending(U, 0, true));
    await mined(v.ch.connect(outsider).setOperator(0, outsider.address, false));
    expect(await v.ch.isOperator(acctOf(alice), outsider.address)).to.equal(true);
    expect([await balanceOf(v, alice, "USDC"), await balanceOf(v, alice, "WETH"), await v.ch.accountState(acctOf(alice))]).to.deep.equal(before);
    expect(await walletOf(v, outsider, "USDC")).to.equal(wallet);
  });
});
