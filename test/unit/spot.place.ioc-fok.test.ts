import { expect } from "chai";
import { WETH_LOT } from "../helpers/fixture.ts";
import { acct, bookState, decodeFill, ord, OrderKind, place, pocket, Side, useFixture } from "./_helpers.ts";

describe("SpotMarket.placeOrder: IOC and FOK", () => {
  const fx = useFixture();

  async function asks() {
    const { market, bob, carol } = fx();
    await place(market, bob, { side: Side.Ask, tick: 100_000n, lots: 2n });
    await place(market, carol, { side: Side.Ask, tick: 100_100n, lots: 3n });
  }

  it("IOC fills within its limit and drops the remainder", async () => {
    const { market, alice } = fx();
    await asks();
    const r = await place(market, alice, { side: Side.Bid, tick: 100_000n, lots: 4n, kind: OrderKind.Ioc });
    expect(r.orderId).to.equal(0n);
    expect(r.trade!.filled).to.equal(2n);
    expect(await market.bestBidAsk()).to.deep.equal([0n, 100_100n]);
    const p = await pocket(market, alice);
    expect([p.openOrders, p.lockedQuote, p.unsweptBase]).to.deep.equal([0n, 0n, 2n * WETH_LOT]);
  });

  it("IOC crossing several levels fills them best first", async () => {
    const { market, alice } = fx();
    await asks();
    const r = await place(market, alice, { side: Side.Bid, tick: 100_100n, lots: 4n, kind: OrderKind.Ioc });
    expect(r.trade!.filled).to.equal(4n);
    expect(r.trade!.notional).to.equal(2n * 100_000n + 2n * 100_100n);
    expect((await market.getBook(4))[3]).to.deep.equal([1n]);
  });

  it("IOC that does not cross does nothing", async () => {
    const { market, alice } = fx();
    await asks();
    const before = await bookState(market);
    const r = await place(market, alice, { side: Side.Bid, tick: 99_000n, lots: 4n, kind: OrderKind.Ioc });
    expect([r.orderId, r.trade]).to.deep.equal([0n, undefined]);
    expect(await bookState(market)).to.deep.equal(before);
    expect((await pocket(market, alice)).openOrders).to.equal(0n);
  });

  it("FOK fills completely when it can", async () => {
    const { market, alice } = fx();
    await asks();
    const r = await place(market, alice, { side: Side.Bid, tick: 100_100n, lots: 5n, kind: OrderKind.Fok });
    expect(r.trade!.filled).to.equal(5n);
    expect(await market.bestBidAsk()).to.deep.equal([0n, 0n]);
  });

  it("FOK reverts FokNotFilled when the book cannot fill it all, changing nothing", async () => {
    const { market, alice } = fx();
    await asks();
    const before = await bookState(market);
    await expect(market.connect(alice).placeOrder(ord({ side: Side.Bid, tick: 100_000n, lots: 3n, kind: OrderKind.Fok })))
      .to.be.revertedWithCustomError(market, "FokNotFilled")
      .withArgs(3n, 2n);
    await expect(market.connect(alice).placeOrder(ord({ side: Side.Bid, tick: 100_100n, lots: 6n, kind: OrderKind.Fok })))
      .to.be.revertedWithCustomError(market, "FokNotFilled")
      .withArgs(6n, 5n);
    // not crossing at all
    await expect(market.connect(alice).placeOrder(ord({ side: Side.Bid, tick: 99_000n, lots: 1n, kind: OrderKind.Fok })))
      .to.be.revertedWithCustomError(market, "FokNotFilled")
      .withArgs(1n, 0n);
    expect(await bookState(market)).to.deep.equal(before);
  });

  it("emits Trade with the taker word, the packed summary and one entry per maker fill", async () => {
    const { market, alice } = fx();
    await asks();
    const r = await place(market, alice, { side: Side.Bid, tick: 100_100n, lots: 3n, kind: OrderKind.Ioc });
    const log = r.receipt.logs.map((l) => market.interface.parseLog(l)).find((e) => e?.name === "Trade")!;
    const notional = 2n * 100_000n + 100_100n;
    const fee = (notional * 5n + 9_999n) / 10_000n;
    expect(log.args.taker).to.equal(BigInt(acct(alice)) | (Side.Bid << 8n) | (OrderKind.Ioc << 9n));
    expect(log.args.summary).to.equal(3n | (notional << 48n) | (fee << 160n));
    expect([...log.args.fills].map(decodeFill).map((f) => [f.lots, f.tick])).to.deep.equal([
      [2n, 100_000n],
      [1n, 100_100n],
    ]);
  });
});
