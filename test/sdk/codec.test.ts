// The SDK's codec (sdk/src/math/codec.ts) against the contracts' type libraries, word for word:
// each layout is encoded in TypeScript, decoded on chain by the type library (BookCodecMock), encoded
// back on chain and decoded in TypeScript, at edge values (max tick, max lots, every flag and kind).
import { expect } from "chai";
import { network } from "hardhat";
import {
  BATCH_SKIP_MISSING,
  BatchOp,
  BatchStatus,
  ValueOutOfRangeError,
  decodeBatchResult,
  encodeBatchResult,
  CLIENT_RING,
  MAX_LOTS,
  MAX_TICK,
  OrderKind,
  SelfTrade,
  Side,
  accountId,
  amendOp,
  cancelClientIdOp,
  cancelOp,
  clientSlotIndex,
  decodeBatchOp,
  decodeClientSlot,
  decodeFill,
  decodeLevelWord,
  decodeOpenOrdersCursor,
  decodeOrder,
  decodeOrderId,
  decodeOrderSlot,
  decodePlacedInfo,
  decodeSpotPocket,
  decodeTaker,
  decodeTopWord,
  decodeTradeSummary,
  encodeClientSlot,
  encodeFill,
  encodeLevelWord,
  packOrder,
  encodeOrderId,
  encodePlacedInfo,
  encodeSpotPocket,
  encodeTaker,
  encodeTopWord,
  encodeTradeSummary,
  type OrderParams,
} from "../../sdk/src/index.ts";

const M32 = (1n << 32n) - 1n;
const OWNER = "0xffffffffffffffffffffffffffffffffffffffff" as const;

describe("sdk codec vs the contracts' type libraries", () => {
  let mock: Awaited<ReturnType<typeof deploy>>;
  async function deploy() {
    const { viem } = await network.create();
    return viem.deployContract("BookCodecMock");
  }
  before(async () => {
    mock = await deploy();
  });

  const orders: Required<OrderParams>[] = [
    { side: Side.Bid, tick: 1n, lots: 1n, kind: OrderKind.Gtc, selfTrade: SelfTrade.CancelResting, maxFills: 0n, sub: 0n, expiry: 0n, clientOrderId: 0n, reduceOnly: false },
    { side: Side.Ask, tick: MAX_TICK, lots: MAX_LOTS, kind: OrderKind.Market, selfTrade: SelfTrade.CancelBoth, maxFills: 255n, sub: 255n, expiry: M32, clientOrderId: M32, reduceOnly: true },
    ...[OrderKind.PostOnly, OrderKind.Ioc, OrderKind.Fok].map((kind, i) => ({
      side: Side.Ask,
      tick: (1n << 24n) - 1n,
      lots: 1n << 47n,
      kind,
      selfTrade: [SelfTrade.CancelIncoming, SelfTrade.CancelResting, SelfTrade.CancelBoth][i],
      maxFills: 128n,
      sub: BigInt(i + 1),
      expiry: 1n << 31n,
      clientOrderId: 1n,
      reduceOnly: i === 1,
    })),
  ];

  it("order words: TS encode = chain encode, and each side decodes the other's", async () => {
    for (const o of orders) {
      const word = packOrder(o);
      const onChain = await mock.read.decodeOrder([word]);
      expect(onChain).to.deep.equal(o);
      expect(await mock.read.encodeOrder([o])).to.equal(word);
      expect(decodeOrder(word)).to.deep.equal(o);
    }
  });

  it("order ids, batch ops and fill words round-trip at the edges", async () => {
    const ids = [
      { marketId: 1n, side: Side.Bid, tick: 1n, epoch: 0n, position: 0n },
      { marketId: 0xffffn, side: Side.Ask, tick: MAX_TICK, epoch: M32, position: M32 },
    ];
    for (const id of ids) {
      const w = encodeOrderId(id);
      expect(await mock.read.decodeOrderId([w])).to.deep.equal([id.marketId, id.side, id.tick, id.epoch, id.position]);
      expect(await mock.read.encodeOrderId([id.marketId, id.side, id.tick, id.epoch, id.position])).to.equal(w);
      expect(decodeOrderId(w)).to.deep.equal(id);

      // cancel and amend ops carry the id; the amend its new lots
      const cancel = cancelOp(w);
      expect(await mock.read.encodeCancelOp([w])).to.equal(cancel);
      expect(((await mock.read.decodeBatchOp([cancel])) as readonly bigint[]).slice(0, 3)).to.deep.equal([BatchOp.Cancel, cancel, w]);
      expect(decodeBatchOp(cancel)).to.deep.equal({ kind: BatchOp.Cancel, orderId: w, skipMissing: false });
      const amend = amendOp(w, MAX_LOTS);
      expect(await mock.read.encodeAmendOp([w, MAX_LOTS])).to.equal(amend);
      const [kind, , orderId, newLots] = (await mock.read.decodeBatchOp([amend])) as readonly bigint[];
      expect([kind, orderId, newLots]).to.deep.equal([BatchOp.Amend, w, MAX_LOTS]);
      expect(decodeBatchOp(amend)).to.deep.equal({ kind: BatchOp.Amend, orderId: w, newLots: MAX_LOTS, skipMissing: false });

      // a fill of the maximum lots against this maker
      const fill = encodeFill(w, MAX_LOTS);
      expect(await mock.read.encodeFill([w, MAX_LOTS])).to.equal(fill);
      expect(await mock.read.decodeFill([fill])).to.deep.equal([w, MAX_LOTS]);
      expect(decodeFill(fill)).to.deep.equal({ makerOrderId: w, lots: MAX_LOTS, tick: id.tick });
    }
    const byClient = cancelClientIdOp(M32);
    expect(await mock.read.encodeCancelClientIdOp([M32])).to.equal(byClient);
    expect(((await mock.read.decodeBatchOp([byClient])) as readonly bigint[])[4]).to.equal(M32);
    expect(decodeBatchOp(byClient)).to.deep.equal({ kind: BatchOp.CancelClientId, clientOrderId: M32, skipMissing: false });
    // a place op is the order word, kind 0
    const place = packOrder(orders[1]);
    const [k, order] = (await mock.read.decodeBatchOp([place])) as readonly bigint[];
    expect([k, order]).to.deep.equal([BatchOp.Place, place]);
    expect(decodeBatchOp(place)).to.deep.equal({ kind: BatchOp.Place, order: orders[1] });
  });

  it("batch ops' skip flag and reserved bits, and batch result words, round-trip at the edges", async () => {
    const id = encodeOrderId({ marketId: 0xffffn, side: Side.Ask, tick: MAX_TICK, epoch: M32, position: M32 });
    const plain = [cancelOp(id), amendOp(id, MAX_LOTS), cancelClientIdOp(M32)];
    const skipping = [cancelOp(id, { skipMissing: true }), amendOp(id, MAX_LOTS, { skipMissing: true }), cancelClientIdOp(M32, { skipMissing: true })];
    for (let i = 0; i < plain.length; i++) {
      expect(skipping[i]).to.equal(plain[i] | BATCH_SKIP_MISSING);
      expect(await mock.read.encodeSkippingOp([plain[i]])).to.equal(skipping[i]);
      expect(await mock.read.batchOpFlags([plain[i]])).to.deep.equal([false, false]);
      expect(await mock.read.batchOpFlags([skipping[i]])).to.deep.equal([true, false]);
      expect(decodeBatchOp(skipping[i])).to.deep.include({ skipMissing: true });
      // the bit just above each op's highest field, and bit 252, are reserved
      const above = [112n, 160n, 40n][i];
      expect(await mock.read.batchOpFlags([skipping[i] | (1n << above)])).to.deep.equal([true, true]);
      expect(await mock.read.batchOpFlags([plain[i] | (1n << 252n)])).to.deep.equal([false, true]);
    }
    expect(await mock.read.batchOpFlags([cancelClientIdOp(1n) | 0x80n])).to.deep.equal([false, true]);
    // encoders check ranges: an id wider than 112 bits would spill into the reserved bits
    expect(() => cancelOp(1n << 112n)).to.throw(ValueOutOfRangeError);
    expect(() => amendOp(id, 1n << 48n)).to.throw(ValueOutOfRangeError);
    const results = [
      { status: BatchStatus.Placed, orderId: id, filledLots: MAX_LOTS, lots: MAX_LOTS },
      { status: BatchStatus.Skipped, orderId: 0n, filledLots: 0n, lots: 0n },
      { status: 0xffn as BatchStatus, orderId: (1n << 112n) - 1n, filledLots: 1n, lots: 2n },
    ];
    for (const r of results) {
      const w = encodeBatchResult(r);
      expect(await mock.read.encodeBatchResult([r.status, r.orderId, r.filledLots, r.lots])).to.equal(w);
      expect(await mock.read.decodeBatchResult([w])).to.deep.equal([r.status, r.orderId, r.filledLots, r.lots]);
      expect(decodeBatchResult(w)).to.deep.equal(r);
    }
    expect(() => encodeBatchResult({ ...results[0], lots: 1n << 48n })).to.throw(ValueOutOfRangeError);
  });

  it("Trade and OrderPlaced words round-trip at the edges, every side and order type", async () => {
    const acct = accountId(OWNER, 255n);
    for (const side of [Side.Bid, Side.Ask]) {
      for (const kind of [OrderKind.Gtc, OrderKind.PostOnly, OrderKind.Ioc, OrderKind.Fok, OrderKind.Market]) {
        const t = encodeTaker(acct, side, kind);
        expect(await mock.read.encodeTaker([acct, side, kind])).to.equal(t);
        expect(await mock.read.decodeTaker([t])).to.deep.equal([acct, side, kind]);
        const d = decodeTaker(t);
        expect([d.account, d.sub, d.side, d.kind]).to.deep.equal([acct, 255n, side, kind]);
      }
    }
    const summary = { filledLots: MAX_LOTS, notionalTicks: (1n << 112n) - 1n, takerFeeTicks: (1n << 96n) - 1n };
    const s = encodeTradeSummary(summary);
    expect(await mock.read.encodeTradeSummary([summary.filledLots, summary.notionalTicks, summary.takerFeeTicks])).to.equal(s);
    expect(await mock.read.decodeTradeSummary([s])).to.deep.equal([summary.filledLots, summary.notionalTicks, summary.takerFeeTicks]);
    expect(decodeTradeSummary(s)).to.deep.equal(summary);

    const info = encodePlacedInfo(acct, MAX_LOTS, M32);
    expect(await mock.read.encodePlacedInfo([acct, MAX_LOTS, M32])).to.equal(info);
    expect(await mock.read.decodePlacedInfo([info])).to.deep.equal([acct, MAX_LOTS, M32]);
    const p = decodePlacedInfo(info);
    expect([p.account, p.lots, p.clientOrderId, p.sub]).to.deep.equal([acct, MAX_LOTS, M32, 255n]);
  });

  it("level, pocket, market-state and order-slot words match the storage layouts", async () => {
    const level = { totalLots: (1n << 64n) - 1n, head: M32, tail: M32, epoch: M32, stragglers: 255n };
    const lw = encodeLevelWord(level);
    expect(await mock.read.encodeLevel([level.totalLots, level.head, level.tail, level.epoch, level.stragglers])).to.equal(lw);
    expect(await mock.read.decodeLevel([lw])).to.deep.equal([level.totalLots, level.head, level.tail, level.epoch, level.stragglers]);
    expect(decodeLevelWord(lw)).to.deep.equal(level);

    for (const margin of [false, true]) {
      const pocket = { lockedQuote: (1n << 72n) - 1n, lockedBase: MAX_LOTS, unsweptQuote: (1n << 72n) - 2n, unsweptBase: 1n, openOrders: 64n, margin };
      const pw = encodeSpotPocket(pocket);
      const args = [pocket.lockedQuote, pocket.lockedBase, pocket.unsweptQuote, pocket.unsweptBase, pocket.openOrders, pocket.margin] as const;
      expect(await mock.read.encodeSpotPocket(args)).to.equal(pw);
      expect(await mock.read.decodeSpotPocket([pw])).to.deep.equal([...args]);
      expect(decodeSpotPocket(pw)).to.deep.equal(pocket);
    }

    for (const [makerFeeBps, paused] of [[-32_768n, true], [32_767n, false], [-1n, true]] as const) {
      const top = { bestBid: MAX_TICK, bestAsk: (1n << 24n) - 1n, paused, makerFeeBps, takerFeeBps: 65_535n, feesAccrued: (1n << 128n) - 1n };
      const tw = encodeTopWord(top);
      expect(await mock.read.encodeTop([top.bestBid, top.bestAsk, paused, Number(makerFeeBps), Number(top.takerFeeBps), top.feesAccrued])).to.equal(tw);
      expect(await mock.read.decodeTop([tw])).to.deep.equal([top.bestBid, top.bestAsk, paused, Number(makerFeeBps), Number(top.takerFeeBps), top.feesAccrued]);
      expect(decodeTopWord(tw)).to.deep.equal(top);
    }

    const acct = accountId(OWNER, 9n);
    const slot = (await mock.read.encodeOrderSlot([acct, MAX_LOTS, true, M32, 300n])) as bigint;
    const d = decodeOrderSlot(slot);
    expect([d.account, d.lots, d.reduceOnly, d.lapTag, d.expiry]).to.deep.equal([acct, MAX_LOTS, true, 1n, M32]);
  });

  it("client-id ring entries round-trip at the edges; ids 64 apart share an entry", async () => {
    const M112 = (1n << 112n) - 1n;
    for (const e of [
      { clientOrderId: M32, orderId: M112 },
      { clientOrderId: 1n, orderId: 0n },
      { clientOrderId: CLIENT_RING, orderId: 1n << 111n },
    ]) {
      const w = encodeClientSlot(e);
      expect(await mock.read.encodeClientSlot([e.clientOrderId, e.orderId])).to.equal(w);
      expect(await mock.read.decodeClientSlot([w])).to.deep.equal([e.clientOrderId, e.orderId]);
      expect(decodeClientSlot(w)).to.deep.equal(e);
      // the entry names its order for its own client id only, including another id on the same entry
      expect(await mock.read.clientSlotLookup([w, e.clientOrderId])).to.deep.equal([clientSlotIndex(e.clientOrderId), e.orderId]);
      const other = e.clientOrderId === M32 ? M32 - CLIENT_RING : e.clientOrderId + CLIENT_RING;
      expect(clientSlotIndex(other)).to.equal(clientSlotIndex(e.clientOrderId));
      expect(await mock.read.clientSlotLookup([w, other])).to.deep.equal([clientSlotIndex(other), 0n]);
    }
    expect(() => encodeClientSlot({ clientOrderId: M32 + 1n, orderId: 0n })).to.throw();
    expect(() => encodeClientSlot({ clientOrderId: 1n, orderId: 1n << 112n })).to.throw();
  });

  it("an openOrders cursor decodes as the contract packs it", async () => {
    // side 1, tick 7, position 300, 3 found: [63..57] found | [56] side | [55..32] tick | [31..0] position
    const c = (3n << 57n) | (1n << 56n) | (7n << 32n) | 300n;
    expect(await mock.read.decodeCursor([c])).to.deep.equal([1n, 7n, 300n, 3n]);
    expect(decodeOpenOrdersCursor(c)).to.deep.equal({ side: Side.Ask, tick: 7n, position: 300n, found: 3n });
  });
});
