// The paged `openOrders` view: every live order of the account exactly once across pages, in scan
// order (bids from the best down, then asks from the best up, queue order within a level), each
// page examining at most `limit` queue positions, so a call's gas is bounded whatever the book holds.
import { expect } from "chai";
import { acct, mined, place, Side, useFixture } from "./_helpers.ts";
import { allOpenOrders } from "../helpers/openOrders.ts";
import { decodeOpenOrdersCursor } from "../../sdk/src/math/codec.ts";

describe("SpotMarket openOrders (paged)", () => {
  const fx = useFixture();

  /** Alice's orders interleaved with Bob's on both sides; returns Alice's ids in scan order. */
  async function book(): Promise<bigint[]> {
    const { market, alice, bob } = fx();
    const a: Record<string, bigint> = {};
    const rows = [
      ["b98", alice, Side.Bid, 98n],
      ["x1", bob, Side.Bid, 100n],
      ["b100a", alice, Side.Bid, 100n],
      ["x2", bob, Side.Bid, 100n],
      ["b100b", alice, Side.Bid, 100n],
      ["x3", bob, Side.Bid, 95n],
      ["a120", alice, Side.Ask, 120n],
      ["x4", bob, Side.Ask, 110n],
      ["a110", alice, Side.Ask, 110n],
      ["x5", bob, Side.Ask, 130n],
    ] as const;
    for (const [name, who, side, tick] of rows) a[name] = (await place(market, who, { side, tick, lots: 1n })).orderId;
    return [a.b100a, a.b100b, a.b98, a.a110, a.a120];
  }

  it("pages of any size together list every live order once, in scan order", async () => {
    const { market, alice } = fx();
    const expected = await book();
    const [all, next] = await market.openOrders(alice.address, 0, 0n, 0n);
    expect([...all]).to.deep.equal(expected);
    expect(next).to.equal(0n);
    for (const limit of [1n, 2n, 3n, 4n, 7n]) {
      const seen: bigint[] = [];
      let cursor = 0n;
      let pages = 0;
      do {
        const [ids, nextCursor] = await market.openOrders(alice.address, 0, cursor, limit);
        expect(BigInt(ids.length) <= limit, `page of ${limit}`).to.equal(true);
        seen.push(...ids);
        if (nextCursor !== 0n) expect(decodeOpenOrdersCursor(nextCursor).found).to.equal(BigInt(seen.length));
        cursor = nextCursor;
        pages++;
      } while (cursor !== 0n);
      expect(seen, `limit ${limit}`).to.deep.equal(expected);
      // 10 positions on the book, alice's last at the 9th scanned: at most ⌈9 / limit⌉ + 1 pages
      expect(pages).to.be.at.most(Math.ceil(9 / Number(limit)) + 1);
    }
  });

  it("lists only the account's own orders; another sub-account has none", async () => {
    const { market, alice, bob } = fx();
    const alices = await book();
    const bobs = await allOpenOrders(market, bob.address, 0, 2n);
    expect(bobs).to.have.length(5);
    for (const id of bobs) {
      expect((await market.getOrder(id))[0]).to.equal(acct(bob));
      expect(alices).to.not.include(id);
    }
    expect(await allOpenOrders(market, alice.address, 7)).to.deep.equal([]);
  });

  it("skips cancelled and filled entries, and stops as soon as the pocket's count is found", async () => {
    const { market, alice, bob } = fx();
    const [b100a, b100b, b98, a110, a120] = await book();
    await mined(market.connect(alice).cancelOrder(b100a));
    // bob sells 2 lots at 100: fills bob's x1 (self-trade is bob's own: cancel resting), then alice's b100b
    await place(market, bob, { side: Side.Ask, tick: 100n, lots: 2n, kind: 2n /* IOC */ });
    expect(await allOpenOrders(market, alice.address, 0, 1n)).to.deep.equal([b98, a110, a120]);
    void b100b;
    // alice has only bids left: one page ends at her last bid, without walking the asks
    await mined(market.connect(alice).cancelOrder(a110));
    await mined(market.connect(alice).cancelOrder(a120));
    const [ids, next] = await market.openOrders(alice.address, 0, 0n, 0n);
    expect([...ids]).to.deep.equal([b98]);
    expect(next).to.equal(0n);
  });

  it("bounds each page's gas by its limit, however deep the book", async () => {
    const { market, alice, bob } = fx();
    for (let i = 0; i < 60; i++) await place(market, bob, { side: Side.Bid, tick: 100n, lots: 1n });
    const mine = (await place(market, alice, { side: Side.Bid, tick: 100n, lots: 1n })).orderId;
    const page = (limit: bigint, cursor = 0n) => market.openOrders.estimateGas(alice.address, 0, cursor, limit);
    const g8 = await page(8n);
    const g32 = await page(32n);
    const gAll = await page(0n);
    // each examined position costs about one cold storage read (2,100) plus the loop
    expect(g8 < 21_000n + 8n * 3_000n + 30_000n, `8 positions: ${g8}`).to.equal(true);
    expect(g32 > g8 && g32 < 21_000n + 32n * 3_000n + 30_000n, `32 positions: ${g32}`).to.equal(true);
    expect(gAll > g32, `all: ${gAll}`).to.equal(true);
    // 61 positions, 8 a page: alice's order comes on the 8th page
    expect(await allOpenOrders(market, alice.address, 0, 8n)).to.deep.equal([mine]);
    let cursor = 0n;
    let pages = 0;
    do {
      [, cursor] = await market.openOrders(alice.address, 0, cursor, 8n);
      pages++;
    } while (cursor !== 0n);
    expect(pages).to.equal(8);
  });
});
