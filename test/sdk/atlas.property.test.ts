// The SDK's copy of the Atlas math (sdk/src/math/atlas.ts) against the contract, to the wei, on
// random portfolios driven into real chain state: deposits of WETH (18), WBTC (8), USDC (6) and
// LINK (18), balances lent to the pools, debt borrowed through the Clearinghouse (sized with the
// SDK's own maxBorrow), resting bids and asks and unswept fills on a spot market, long and short
// positions and resting (some reduce-only) orders on ETH-PERP and BTC-PERP, interest and funding
// accrued over random time. Each run builds three such accounts once, then makes 24–27 random
// moves: oracle pushes (which also move the stable prices), setAssetRisk (shock, slippage,
// haircut) and time warps. After every move each account's snapshot gives riskOf and
// assetRisks (perpAtoms included) and marginRequirements equal to the contract's views at the same block; at one move per run, one
// account's maxWithdraw (with and without borrowing), maxBorrow and liquidationPrice for one
// asset too (those views bisect on chain, ~2.5M gas each).
// Replay a failure with ATLAS_SEED=<seed> ATLAS_PATH=<path>; ATLAS_DEBUG=1 prints the entries
// of a what-if mismatch; ATLAS_RUNS overrides the number of runs.
import { expect } from "chai";
import fc from "fast-check";
import { zeroAddress, type Address } from "viem";
import { readContract } from "viem/actions";
import {
  InsufficientBalanceError,
  InsufficientMarginError,
  OrderKind,
  ReduceOnlyViolatedError,
  Side,
  atlasLensAbi,
  clearinghouseAbi,
  atlasMath,
  readAtlasSnapshot,
  type AtlasSnapshot,
} from "../../sdk/src/index.ts";
import { readMany } from "../../sdk/src/internal/read.ts";
import { DECIMALS, PRICES, SYMS, WAD, useMarginWorld, type MarginWorld, type Sym } from "./_margin.ts";

const RUNS = Number(process.env.ATLAS_RUNS ?? 8);
const unit = (s: Sym) => 10n ** BigInt(DECIMALS[s]);

/** One account's random portfolio, in whole-token hundredths so every decimals gets odd atoms. */
const portfolioArb = fc.record({
  deposits: fc.tuple(...SYMS.map((s) => fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: s === "wbtc" ? 500n : s === "weth" ? 5_000n : 5_000_000n })))),
  lend: fc.tuple(...SYMS.map(() => fc.boolean())),
  /** Which asset to borrow (index into SYMS, 4 = none) and how much of maxBorrow, in %. */
  debt: fc.record({ asset: fc.integer({ min: 0, max: 4 }), pct: fc.integer({ min: 1, max: 99 }) }),
  /** Lots of a resting WETH bid and ask, lots taken from the maker's ask (unswept proceeds). */
  bidLots: fc.integer({ min: 0, max: 400 }),
  askLots: fc.integer({ min: 0, max: 400 }),
  takeLots: fc.integer({ min: 0, max: 300 }),
  oddAtoms: fc.bigInt({ min: 0n, max: 10n ** 6n }),
  /** Perp lots taken (signed: + buys from the maker's asks, − sells into its bids), resting perp bid and ask lots. */
  perps: fc.tuple(
    ...(["ethPerp", "btcPerp"] as const).map(() =>
      fc.record({
        take: fc.integer({ min: -3_000, max: 3_000 }),
        bid: fc.integer({ min: 0, max: 2_000 }),
        ask: fc.integer({ min: 0, max: 2_000 }),
        reduceOnly: fc.boolean(),
      }),
    ),
  ),
});

const variationArb = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("price" as const), asset: fc.constantFrom(...SYMS), pct: fc.integer({ min: 30, max: 300 }) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("risk" as const),
      asset: fc.constantFrom(...SYMS),
      shockBps: fc.bigInt({ min: 1n, max: 5_000n }),
      slippageBps: fc.bigInt({ min: 0n, max: 1_000n }),
      haircutBps: fc.bigInt({ min: 0n, max: 10_000n }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("warp" as const), seconds: fc.integer({ min: 1, max: 40 * 86_400 }) }) },
);

type Portfolio = typeof portfolioArb extends fc.Arbitrary<infer T> ? T : never;
type Variation = typeof variationArb extends fc.Arbitrary<infer T> ? T : never;

describe("sdk atlas math: the TypeScript copy agrees with the contract", () => {
  const world = useMarginWorld();
  const stats = { valuations: 0, whatIfs: 0, borrows: 0, refused: 0, withOrders: 0, withDebt: 0, withPerps: 0, negativeMaintenance: 0 };
  /** Per perp market: the maker's bid and ask ticks the portfolios take from, and where they rest their own. */
  const PERP_TICKS = {
    ethPerp: { makerBid: 299_000n, makerAsk: 301_000n, bid: 290_000n, ask: 320_000n },
    btcPerp: { makerBid: 599_000n, makerAsk: 601_000n, bid: 580_000n, ask: 640_000n },
  } as const;

  /** Builds a portfolio for `w.<who>` through the SDK's actions; refusals (margin, balance) are part of the game. */
  async function build(w: MarginWorld, who: "alice" | "bob" | "carol", p: Portfolio) {
    const c = w[who];
    const owner = c.account.address;
    const marketId = w.markets.wethUsdc.marketId;
    for (const [i, s] of SYMS.entries()) {
      if (p.deposits[i] === 0n) continue;
      const amount = (p.deposits[i] * unit(s)) / 100n + (p.oddAtoms % unit(s));
      await c.depositSync({ token: w.tokens[s], amount, approve: "max" });
      if (p.lend[i]) await c.setLendingSync({ token: w.tokens[s] });
    }
    const tolerate = async (f: () => Promise<unknown>) => {
      try {
        await f();
      } catch (e) {
        if (!(e instanceof InsufficientMarginError || e instanceof InsufficientBalanceError || e instanceof ReduceOnlyViolatedError)) {
          throw e;
        }
        stats.refused++;
      }
    };
    if (p.takeLots > 0) {
      await tolerate(() => c.placeOrderSync({ marketId, side: Side.Bid, tick: 301_000n, lots: BigInt(p.takeLots), kind: OrderKind.Ioc }));
    }
    if (p.debt.asset < 4 && p.deposits[p.debt.asset] === 0n) {
      const token = w.tokens[SYMS[p.debt.asset]];
      const snap = await c.readAtlasSnapshot({ owner, tokens: [token] });
      const atoms = (atlasMath.maxBorrow(snap, token) * BigInt(p.debt.pct)) / 100n;
      if (atoms > 0n) {
        await tolerate(() => c.borrowSync({ token, atoms }));
        stats.borrows++;
      }
    }
    if (p.bidLots > 0) await tolerate(() => c.placeOrderSync({ marketId, side: Side.Bid, tick: 290_000n, lots: BigInt(p.bidLots) }));
    if (p.askLots > 0) await tolerate(() => c.placeOrderSync({ marketId, side: Side.Ask, tick: 320_000n, lots: BigInt(p.askLots) }));
    for (const [i, name] of (["ethPerp", "btcPerp"] as const).entries()) {
      const q = p.perps[i];
      const t = PERP_TICKS[name];
      const perp = w.perps[name];
      if (q.take !== 0) {
        const side = q.take > 0 ? Side.Bid : Side.Ask;
        const tick = q.take > 0 ? t.makerAsk : t.makerBid;
        await tolerate(() => c.placeOrderSync({ marketId: perp, side, tick, lots: BigInt(Math.abs(q.take)), kind: OrderKind.Ioc }));
      }
      // reduce-only orders only where they reduce: a bid against a short, an ask against a long
      if (q.bid > 0) {
        const ro = q.reduceOnly && q.take < 0;
        const lots = BigInt(ro ? Math.min(q.bid, -q.take) : q.bid);
        await tolerate(() => c.placeOrderSync({ marketId: perp, side: Side.Bid, tick: t.bid, lots, reduceOnly: ro }));
      }
      if (q.ask > 0) {
        const ro = q.reduceOnly && q.take > 0;
        const lots = BigInt(ro ? Math.min(q.ask, q.take) : q.ask);
        await tolerate(() => c.placeOrderSync({ marketId: perp, side: Side.Ask, tick: t.ask, lots, reduceOnly: ro }));
      }
    }
  }

  /** One check: the SDK's figures from a snapshot equal the contract's views at the same block. */
  async function check(w: MarginWorld, owner: Address, blockNumber: bigint, whatIf: Address | undefined) {
    // the what-if token may not be held: the snapshot then reads it too
    const s: AtlasSnapshot = await readAtlasSnapshot(w.publicClient, {
      clearinghouse: w.clearinghouse,
      owner,
      tokens: whatIf ? [whatIf] : [],
      blockNumber,
    });
    const ln = { address: w.lens, abi: atlasLensAbi } as const;
    // the core's own valuation (RiskLib: what its margin checks run), the entries it valued, and the lens
    const chv = { address: w.clearinghouse, abi: clearinghouseAbi } as const;
    const [risk, risks, req, [entries, books]] = (await readMany(
      w.publicClient,
      [
        { ...chv, functionName: "riskOf", args: [s.account] } as const,
        { ...ln, functionName: "assetRisks", args: [s.account] } as const,
        { ...ln, functionName: "marginRequirements", args: [s.account] } as const,
        { ...chv, functionName: "riskEntries", args: [s.account, zeroAddress] } as const,
      ],
      { blockNumber },
    )) as unknown as [
      atlasMath.AccountRisk,
      readonly atlasMath.AssetRisk[],
      readonly [bigint, bigint],
      readonly [readonly atlasMath.CoreEntry[], readonly atlasMath.CoreBook[]],
    ];
    expect(atlasMath.riskOf(s)).to.deep.equal({ equityWad: risk.equityWad, maintenanceWad: risk.maintenanceWad, initialWad: risk.initialWad });
    // the SDK gathers the same entries and books, field by field
    const [e, b] = atlasMath.gather(s);
    expect(e).to.deep.equal(entries.map((x) => atlasMath.entryFromCore(x)));
    expect(b).to.deep.equal(books.map((k) => atlasMath.bookFromCore(k)));
    expect(atlasMath.assetRisks(s)).to.deep.equal(risks.map((r) => ({ ...r })));
    expect(atlasMath.initialValue(s)).to.equal(risk.initialWad);
    expect(atlasMath.maintenanceValue(s)).to.equal(risk.maintenanceWad);
    expect(atlasMath.marginRequirements(s)).to.deep.equal({ portfolioWad: req[0], crossWad: req[1] });
    if (s.perps.some((p) => p.sizeAtoms !== 0n || p.bidAtoms !== 0n || p.askAtoms !== 0n)) stats.withPerps++;
    stats.valuations++;
    if (risk.maintenanceWad < 0n) stats.negativeMaintenance++;
    if (s.pockets.some((p) => p.openOrders > 0n)) stats.withOrders++;
    if (s.positions.some((p) => p.amount < 0n)) stats.withDebt++;
    if (!whatIf) return;
    // the bisection views cost millions of gas each: one eth_call apiece, for one token
    const t = whatIf;
    const read = (functionName: "maxWithdraw" | "maxBorrow" | "liquidationPrice", args: readonly unknown[]) =>
      readContract(w.publicClient, { ...ln, functionName, args, blockNumber } as Parameters<typeof readContract>[1]) as Promise<bigint>;
    const whatIfs = await Promise.all([
      read("maxWithdraw", [s.account, t, false]),
      read("maxWithdraw", [s.account, t, true]),
      read("maxBorrow", [s.account, t]),
      read("liquidationPrice", [s.account, t]),
    ]);
    const sdk = [
      atlasMath.maxWithdraw(s, t, false),
      atlasMath.maxWithdraw(s, t, true),
      atlasMath.maxBorrow(s, t),
      atlasMath.liquidationPrice(s, t),
    ];
    if (process.env.ATLAS_DEBUG && sdk.some((x, i) => x !== whatIfs[i])) {
      const [e, b] = atlasMath.gather(s, t);
      console.log(JSON.stringify({ e, b, sdk, whatIfs, pockets: s.pockets, positions: s.positions }, (_, v) => (typeof v === "bigint" ? v.toString() : v), 1));
    }
    expect(sdk).to.deep.equal(whatIfs);
    stats.whatIfs += sdk.length;
  }

  /** Applies one move; returns the block it was mined in. */
  async function vary(w: MarginWorld, v: Variation, prices: Record<Sym, bigint>): Promise<bigint> {
    if (v.kind === "price") {
      prices[v.asset] = (PRICES[v.asset] * BigInt(v.pct)) / 100n + BigInt(v.pct); // odd wei too
      return w.push(v.asset, prices[v.asset]);
    }
    if (v.kind === "risk") return w.setRisk(v.asset, v.shockBps, v.slippageBps, v.haircutBps);
    await w.connection.networkHelpers.time.increase(v.seconds);
    return w.refreshPrices(prices); // admin feeds go stale after an hour
  }

  it(`${RUNS} runs × 3 random accounts (spot, loans, perps) × 24–27 price and risk moves: riskOf, assetRisks and marginRequirements at every move, maxWithdraw, maxBorrow and liquidationPrice at one, equal the contract's`, async () => {
    const w = world();
    // the maker whose ask the portfolios take from
    await w.dave.depositSync({ token: w.tokens.weth, amount: 100n * WAD, approve: "max" });
    await w.dave.placeOrderSync({ marketId: w.markets.wethUsdc.marketId, side: Side.Ask, tick: 301_000n, lots: 90_000n });
    // and the perp maker, on both sides of both perp books (the mids sit at the index: no premium)
    await w.dave.depositSync({ token: w.tokens.usdc, amount: 50_000_000n * 10n ** 6n, approve: "max" });
    for (const name of ["ethPerp", "btcPerp"] as const) {
      const t = PERP_TICKS[name];
      await w.dave.placeOrderSync({ marketId: w.perps[name], side: Side.Bid, tick: t.makerBid, lots: 200_000n });
      await w.dave.placeOrderSync({ marketId: w.perps[name], side: Side.Ask, tick: t.makerAsk, lots: 200_000n });
    }
    const base = await w.connection.networkHelpers.takeSnapshot();
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(portfolioArb, portfolioArb, portfolioArb),
        fc.integer({ min: 0, max: 30 * 86_400 }),
        fc.array(variationArb, { minLength: 24, maxLength: 27 }),
        fc.record({ at: fc.nat(), who: fc.integer({ min: 0, max: 2 }), asset: fc.constantFrom(...SYMS) }),
        async (portfolios, warp, variations, whatIf) => {
          await base.restore();
          const prices = { ...PRICES };
          await build(w, "alice", portfolios[0]);
          await build(w, "bob", portfolios[1]);
          await build(w, "carol", portfolios[2]);
          if (warp > 0) {
            await w.connection.networkHelpers.time.increase(warp);
            await w.refreshPrices(prices);
          }
          const owners = [w.alice, w.bob, w.carol].map((c) => c.account.address);
          for (const [i, v] of variations.entries()) {
            const blockNumber = await vary(w, v, prices);
            // the bisection views cost ~2.5M gas (~90 ms here) each: one account and asset per run
            const probe = i === whatIf.at % variations.length;
            await Promise.all(owners.map((o, k) => check(w, o, blockNumber, probe && k === whatIf.who ? w.tokens[whatIf.asset] : undefined)));
          }
        },
      ),
      { numRuns: RUNS, ...(process.env.ATLAS_SEED ? { seed: Number(process.env.ATLAS_SEED), path: process.env.ATLAS_PATH, endOnFailure: true } : {}) },
    );
    const seconds = (Date.now() - started) / 1000;
    console.log(`      ${stats.valuations} valuations and ${stats.whatIfs} what-if views compared in ${seconds.toFixed(1)} s`, stats);
    expect(stats.valuations).to.be.at.least(500);
    expect(stats.withPerps).to.be.greaterThan(stats.valuations / 3);
    // the random portfolios reach the interesting states, not just empty accounts
    expect(stats.withDebt).to.be.greaterThan(stats.valuations / 5);
    expect(stats.withOrders).to.be.greaterThan(stats.valuations / 5);
    expect(stats.negativeMaintenance).to.be.greaterThan(0);
  });
});
