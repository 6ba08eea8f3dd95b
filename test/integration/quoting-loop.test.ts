// A market maker's quoting loop against a random taker, both mined in the same block (automine
// off): every block the bot cancels its two old quotes in skip-if-missing mode and places two new
// ones, learning its new quote ids from the previous batch's `BatchExecuted` results alone (no
// read); the taker, paying a higher priority fee, often fills a quote first. Stale cancels must
// happen, be skipped, and no batch may revert.
import { expect } from "chai";
import type { ContractTransactionResponse } from "ethers";
import { BatchStatus, decodeBatchResult } from "../../sdk/src/math/codec.ts";
import { OrderKind, Side, acct, cancelOp, placeOp, pocket, useFixture } from "../unit/_helpers.ts";

const BLOCKS = 300;
const LOTS = 5n;

describe("quoting loop: cancel-and-replace every block against a same-block taker", () => {
  const fx = useFixture();

  it(`runs ${BLOCKS} blocks: stale cancels are skipped, no batch reverts, the bot's book stays exact`, async () => {
    const { connection, market, alice: bot, bob: taker } = fx();
    const provider = connection.ethers.provider;
    let seed = 20261208n;
    const rand = (n: bigint) => {
      seed = (seed * 6364136223846793005n + 1442695040888963407n) & ((1n << 64n) - 1n);
      return (seed >> 33n) % n;
    };
    let bidId = 0n;
    let askId = 0n;
    let mid = 10_000n;
    const counts = { skipped: 0, cancelled: 0, placed: 0, takes: 0, fills: 0 };
    await provider.send("evm_setAutomine", [false]);
    try {
      for (let b = 0; b < BLOCKS; b++) {
        let take: Promise<ContractTransactionResponse> | undefined;
        // the taker hits one of the bot's current quotes about two blocks in three
        const pick = rand(3n);
        if (pick !== 2n && bidId !== 0n && askId !== 0n) {
          const side = pick === 0n ? Side.Ask : Side.Bid; // sell into the bid, or buy the ask
          const tick = side === Side.Ask ? mid - 1n : mid + 1n;
          take = market
            .connect(taker)
            .placeOrder(placeOp({ side, tick, lots: 1n + rand(LOTS + 2n), kind: OrderKind.Ioc }), {
              gasLimit: 1_000_000n,
              maxPriorityFeePerGas: 10n ** 10n,
              maxFeePerGas: 10n ** 11n,
            });
          counts.takes++;
        }
        const next = mid + rand(3n) - 1n;
        const ops = [
          ...(bidId !== 0n ? [cancelOp(bidId, { skipMissing: true })] : []),
          ...(askId !== 0n ? [cancelOp(askId, { skipMissing: true })] : []),
          placeOp({ side: Side.Bid, tick: next - 1n, lots: LOTS }),
          placeOp({ side: Side.Ask, tick: next + 1n, lots: LOTS }),
        ];
        const quote = market.connect(bot).batch(bot.address, 0, ops, {
          gasLimit: 2_000_000n,
          maxPriorityFeePerGas: 10n ** 9n,
          maxFeePerGas: 10n ** 11n,
        });
        const [tt, qt] = await Promise.all([take, quote]);
        await provider.send("evm_mine", []);
        const rq = (await qt.wait())!;
        expect(rq.status).to.equal(1);
        if (tt) {
          const rt = (await tt.wait())!;
          expect(rt.blockNumber).to.equal(rq.blockNumber);
          expect(rt.index).to.be.lessThan(rq.index);
          counts.fills += rt.logs.some((l) => market.interface.parseLog(l)?.name === "Trade") ? 1 : 0;
        }
        const ev = rq.logs.map((l) => market.interface.parseLog(l)).find((e) => e?.name === "BatchExecuted")!;
        const results = (ev.args.results as bigint[]).map(decodeBatchResult);
        for (const r of results) {
          if (r.status === BatchStatus.Skipped) counts.skipped++;
          if (r.status === BatchStatus.Cancelled) counts.cancelled++;
        }
        const placed = results.filter((r) => r.status === BatchStatus.Placed);
        expect(placed.length).to.equal(2);
        counts.placed += 2;
        [bidId, askId] = [placed[0].orderId, placed[1].orderId];
        mid = next;
      }
    } finally {
      await provider.send("evm_setAutomine", [true]);
    }
    console.log(`      ${JSON.stringify(counts)}`);
    // stale cancels happened and were skipped; every other cancel found its quote
    expect(counts.skipped).to.be.greaterThan(BLOCKS / 10);
    expect(counts.skipped + counts.cancelled).to.equal(2 * (BLOCKS - 1));
    expect(counts.fills).to.be.greaterThan(BLOCKS / 3);
    // the bot ends with exactly its last two quotes
    expect((await pocket(market, bot)).openOrders).to.equal(2n);
    const [bidOwner, bidLots] = await market.getOrder(bidId);
    const [, askLots] = await market.getOrder(askId);
    expect([bidLots, askLots]).to.deep.equal([LOTS, LOTS]);
    expect(bidOwner).to.equal(acct(bot));
  });
});
