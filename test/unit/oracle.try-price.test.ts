// Properties over random feeds: tryPrice never reverts; it answers ok exactly when price() does
// not revert; both agree to the wei with a bigint model of the conversion, staleness, sign,
// confidence and bounds rules, and price() raises the error the model predicts. And over random
// Admin push / keeper update / wait sequences, the stable price matches the model and never
// moves further from its anchor than the bound allows (counting at most an hour). No feed
// answers a price without an anchor: a Chainlink feed is anchored at setFeed when its price is
// good then, a Pyth feed set before its first price answers NoStableAnchor until updateStablePrice
// (which now also stores its read: the view right after answers that stored read, the model's
// price). The batched tryPrices is gone with the OracleRouter; the last block checks tryPrice
// over several assets instead. Bounds are drawn up to 2^87 − 1, every kind's max now.
import { expect } from "chai";
import fc from "fast-check";
import type { Clearinghouse } from "../../types/ethers-contracts/index.js";
import {
  ASSET,
  BPS_HOURS,
  MAX_PRICE,
  MAX_STABLE_ELAPSED,
  adminCfg,
  chainlinkCfg,
  mineAt,
  nextTxAt,
  now,
  pythCfg,
  scale,
  setFeed,
  setPyth,
  stableModel,
  useOracleFixture,
  type Cfg,
} from "./oracle._fixture.ts";

const A = ASSET.weth;
const RUNS = 120;

type Outcome = { ok: true; price: bigint; stable: bigint } | { ok: false; name: string; args: unknown[] };

/** price() as an Outcome: the values, or the custom error it reverted with. */
async function callPrice(core: Clearinghouse): Promise<Outcome> {
  try {
    const [p, s] = await core.price(A);
    return { ok: true, price: p, stable: s };
  } catch (e) {
    const data = (e as { data?: string }).data;
    const parsed = data ? core.interface.parseError(data) : null;
    if (!parsed) throw e;
    return { ok: false, name: parsed.name, args: [...parsed.args] };
  }
}

async function checkAgainst(core: Clearinghouse, expected: Outcome): Promise<void> {
  const [ok, p, s] = await core.tryPrice(A); // must not throw
  expect(ok).to.equal(expected.ok);
  expect(p).to.equal(expected.ok ? expected.price : 0n);
  expect(s).to.equal(expected.ok ? expected.stable : 0n);
  expect(await callPrice(core)).to.deep.equal(expected);
}

const stale = (t: bigint, updatedAt: bigint, maxAge: bigint) => t > updatedAt && t - updatedAt > maxAge;

function bounded(cfg: Cfg, price: bigint): Outcome {
  return price >= cfg.minPriceWad && price <= cfg.maxPriceWad
    ? { ok: true, price, stable: price }
    : { ok: false, name: "PriceOutOfBounds", args: [A, price] };
}

type Anchor = { wad: bigint; at: bigint } | null;

/** A good feed price read at `t` with `anchor`: its stable price, or NoStableAnchor without one. */
function anchored(raw: Outcome, anchor: Anchor, bps: bigint, t: bigint): Outcome {
  if (!raw.ok) return raw;
  if (!anchor) return { ok: false, name: "NoStableAnchor", args: [A] };
  return { ok: true, price: raw.price, stable: stableModel(raw.price, bps, anchor, t) };
}

/** The model of a Chainlink read (no anchor yet). */
function chainlinkRaw(cfg: Cfg, d: number, ans: bigint, updatedAt: bigint, t: bigint, down: boolean, feed: string): Outcome {
  if (down) return { ok: false, name: "FeedUnavailable", args: [A, feed] };
  if (stale(t, updatedAt, cfg.maxAgeSeconds)) return { ok: false, name: "StalePrice", args: [A, updatedAt, cfg.maxAgeSeconds] };
  if (ans <= 0n) return { ok: false, name: "NonPositivePrice", args: [A, ans] };
  return bounded(cfg, scale(ans, 18n - BigInt(d)));
}

/** Sanity bounds: often the widest allowed, otherwise two random 87-bit prices. */
const bounds = fc.oneof(
  fc.constant([1n, MAX_PRICE] as [bigint, bigint]),
  fc.tuple(fc.bigInt(1n, MAX_PRICE), fc.bigInt(1n, MAX_PRICE)).map(([a, b]) => (a <= b ? [a, b] : [b, a]) as [bigint, bigint]),
);
/** [maxAge, seconds before now the price was set]: fresh, at the edge, just stale, future, epoch. */
const ages = fc.bigInt(1n, 7n * 86_400n).chain((m) =>
  fc.tuple(
    fc.constant(m),
    fc.oneof(
      { weight: 4, arbitrary: fc.bigInt(0n, m) },
      fc.constantFrom(m, m + 1n),
      fc.bigInt(-1_000n, -1n),
      fc.bigInt(m + 1n, 8n * 86_400n),
      fc.constant(10n ** 12n),
    ),
  ),
);

describe("Core prices: tryPrice never reverts and agrees with price() and the model", () => {
  const fx = useOracleFixture();

  it("Chainlink: random decimals, answers, ages and bounds", async () => {
    const f = fx();
    const feed = await f.agg8.getAddress();
    const answer = fc.oneof(
      { weight: 3, arbitrary: fc.bigInt(1n, 10n ** 30n) },
      fc.bigInt(-(2n ** 255n), 2n ** 255n - 1n),
      fc.constantFrom(0n, -1n, 2n ** 255n - 1n),
    );
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 36 }), answer, ages, bounds, fc.boolean(), async (d, ans, [mAge, ageS], [lo, hi], down) => {
        const snap = await f.networkHelpers.takeSnapshot();
        try {
          await (await f.agg8.setDecimals(d)).wait();
          const cfg = chainlinkCfg(feed, { maxAgeSeconds: mAge, minPriceWad: lo, maxPriceWad: hi });
          // setFeed anchors at the aggregator's standing answer when that is a good price then
          const t0 = (await now(f)) + 1n;
          const first = chainlinkRaw(cfg, d, await f.agg8.answer(), await f.agg8.updatedAt(), t0, false, feed);
          await nextTxAt(f, t0);
          await setFeed(f, A, cfg);
          const anchor: Anchor = first.ok ? { wad: first.price, at: t0 } : null;
          expect(await f.core.stableAnchorOf(A)).to.deep.equal(anchor ? [anchor.wad, anchor.at] : [0n, 0n]);
          const t = t0 + 1n;
          const updatedAt = ageS > t ? 0n : t - ageS;
          await nextTxAt(f, t);
          await (await f.agg8.setRoundData(ans, updatedAt)).wait();
          await (await f.agg8.setReverting(down && d % 4 === 0)).wait();
          const tView = await now(f);
          const raw = chainlinkRaw(cfg, d, ans, updatedAt, tView, down && d % 4 === 0, feed);
          await checkAgainst(f.core, anchored(raw, anchor, cfg.maxStableMoveBpsPerHour, tView));
        } finally {
          await snap.restore();
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("Pyth: random prices, confidences, exponents, ages and bounds", async () => {
    const f = fx();
    const pyth = await f.pyth.getAddress();
    const int64 = fc.oneof({ weight: 3, arbitrary: fc.bigInt(1n, 10n ** 12n) }, fc.bigInt(-(2n ** 63n), 2n ** 63n - 1n), fc.constantFrom(0n, 2n ** 63n - 1n));
    const conf = fc.oneof({ weight: 3, arbitrary: fc.bigInt(0n, 10n ** 8n) }, fc.bigInt(0n, 2n ** 64n - 1n));
    const expo = fc.oneof({ weight: 3, arbitrary: fc.bigInt(-20n, 20n) }, fc.bigInt(-(2n ** 31n), 2n ** 31n - 1n));
    const confBps = fc.bigInt(1n, 10_000n);
    await fc.assert(
      fc.asyncProperty(int64, conf, expo, ages, confBps, bounds, async (p, c, e, [mAge, ageS], bps, [lo, hi]) => {
        const snap = await f.networkHelpers.takeSnapshot();
        try {
          const cfg = pythCfg(pyth, { maxAgeSeconds: mAge, maxConfBps: bps, minPriceWad: lo, maxPriceWad: hi });
          await setFeed(f, A, cfg); // MockPyth has no price for the id yet: no anchor
          expect(await f.core.stableAnchorOf(A)).to.deep.equal([0n, 0n]);
          const t = (await now(f)) + 1n;
          const publishTime = ageS >= t ? 1n : t - ageS; // MockPyth needs publishTime > 0
          await nextTxAt(f, t);
          await setPyth(f, { price: p, conf: c, expo: e, publishTime });
          const tView = await now(f);
          const pythRaw = (at: bigint): Outcome => {
            if (stale(at, publishTime, mAge)) return { ok: false, name: "StalePrice", args: [A, publishTime, mAge] };
            if (p <= 0n) return { ok: false, name: "NonPositivePrice", args: [A, p] };
            const wad = scale(p, 18n + e);
            return c * 10_000n > p * bps
              ? { ok: false, name: "ConfidenceTooWide", args: [A, scale(c, 18n + e), wad] }
              : bounded(cfg, wad);
          };
          await checkAgainst(f.core, anchored(pythRaw(tView), null, cfg.maxStableMoveBpsPerHour, tView));
          const tu = tView + 1n;
          const raw = pythRaw(tu);
          await nextTxAt(f, tu);
          if (!raw.ok) {
            // a bad price never anchors the feed
            await expect(f.core.updateStablePrice(A)).to.be.revertedWithCustomError(f.core, raw.name);
            expect(await f.core.stableAnchorOf(A)).to.deep.equal([0n, 0n]);
          } else {
            // the first good price is the anchor
            await expect(f.core.updateStablePrice(A)).to.emit(f.core, "StablePriceUpdated").withArgs(A, raw.price);
            expect(await f.core.stableAnchorOf(A)).to.deep.equal([raw.price, tu]);
            await checkAgainst(f.core, anchored(raw, { wad: raw.price, at: tu }, cfg.maxStableMoveBpsPerHour, tu));
          }
        } finally {
          await snap.restore();
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("Admin: random push / update / wait sequences keep the stable price on the model and within the bound", async () => {
    const f = fx();
    const WAD = 10n ** 18n;
    const op = fc.oneof(
      fc.record({ kind: fc.constant("push" as const), price: fc.bigInt(1n * WAD, 100_000n * WAD) }),
      fc.record({ kind: fc.constant("update" as const) }),
      fc.record({ kind: fc.constant("wait" as const), seconds: fc.bigInt(1n, 40_000n) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.bigInt(1n, 65_535n), fc.array(op, { minLength: 1, maxLength: 12 }), async (bps, ops) => {
        const snap = await f.networkHelpers.takeSnapshot();
        try {
          const cfg = adminCfg({ maxAgeSeconds: 7n * 86_400n, maxStableMoveBpsPerHour: bps });
          await setFeed(f, A, cfg);
          let t = await now(f);
          let last: bigint | null = null;
          let anchor: { wad: bigint; at: bigint } | null = null;
          for (const o of ops) {
            t += 1n;
            if (o.kind === "wait") {
              t += o.seconds;
              await mineAt(f, t);
            } else if (o.kind === "push") {
              await nextTxAt(f, t);
              await (await f.core.pushPrice(A, o.price)).wait();
              // the first push is the anchor; later ones re-anchor at the previous push's stable price
              if (anchor === null) anchor = { wad: o.price, at: t };
              else if (last !== null) anchor = { wad: stableModel(last, bps, anchor, t), at: t };
              last = o.price;
            } else {
              await nextTxAt(f, t);
              if (last === null) {
                await expect(f.core.updateStablePrice(A)).to.be.revertedWithCustomError(f.core, "StalePrice");
                await mineAt(f, t);
              } else {
                await (await f.core.updateStablePrice(A)).wait();
                anchor = { wad: stableModel(last, bps, anchor, t), at: t };
              }
            }
            const [ok, p, s] = await f.core.tryPrice(A);
            expect(ok).to.equal(last !== null);
            if (last === null) continue;
            expect(p).to.equal(last);
            expect(s).to.equal(stableModel(last, bps, anchor, t));
            expect(await f.core.stableAnchorOf(A)).to.deep.equal(anchor ? [anchor.wad, anchor.at] : [0n, 0n]);
            if (anchor) {
              const dist = s > anchor.wad ? s - anchor.wad : anchor.wad - s;
              const counted = t - anchor.at > MAX_STABLE_ELAPSED ? MAX_STABLE_ELAPSED : t - anchor.at;
              expect(dist * BPS_HOURS <= anchor.wad * bps * counted).to.equal(true);
            }
          }
        } finally {
          await snap.restore();
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe("Core prices: tryPrice over several assets (was: the removed batch tryPrices)", () => {
  const fx = useOracleFixture();

  it("answers each asset on its own: a feedless or stale asset does not affect the others", async () => {
    const f = fx();
    await setFeed(f, ASSET.weth, adminCfg());
    await setFeed(f, ASSET.wbtc, adminCfg({ maxAgeSeconds: 60n }));
    await (await f.core.pushPrice(ASSET.weth, 3_000n * 10n ** 18n)).wait();
    await (await f.core.pushPrice(ASSET.wbtc, 60_000n * 10n ** 18n)).wait();
    const all = async () => Promise.all([ASSET.wbtc, ASSET.none, ASSET.weth].map((a) => f.core.tryPrice(a)));
    expect(await all()).to.deep.equal([
      [true, 60_000n * 10n ** 18n, 60_000n * 10n ** 18n],
      [false, 0n, 0n], // no feed
      [true, 3_000n * 10n ** 18n, 3_000n * 10n ** 18n],
    ]);
    // WBTC goes stale; WETH (an hour's max age by default) does not
    await mineAt(f, (await now(f)) + 120n);
    expect(await all()).to.deep.equal([
      [false, 0n, 0n],
      [false, 0n, 0n],
      [true, 3_000n * 10n ** 18n, 3_000n * 10n ** 18n],
    ]);
  });
});
