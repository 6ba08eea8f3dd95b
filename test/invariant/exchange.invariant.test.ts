/**
 * Randomized invariant suite: fast-check drives thousands of random actions (every order
 * kind, cancels, amends, batches, takes, deposits, withdrawals, transfers, sweeps, purges
 * with time warps, fee collection, reserve withdrawals, fee changes, pauses) by six accounts
 * (four owners, two sub-accounts, an agent key and a stranger) on two markets, and checks every
 * invariant of docs/INVARIANTS.md after every transaction against an exact bigint model.
 *
 * Replay: INVARIANT_SEED=<seed> (printed at the start and on failure). Size:
 * INVARIANT_RUNS × INVARIANT_STEPS actions (default 40 × 250 = 10,000).
 */
import { expect } from "chai";
import { minimise as shrink } from "./shrink.ts";
import fc from "fast-check";
import { deployChain, type Chain } from "./chain.ts";
import { runAction, warmUp } from "./actions.ts";
import { actionArb, type Action } from "./arbitraries.ts";
import { newRunState, newStats, type Stats } from "./runner.ts";
import { checkFull } from "./checks.ts";
import type { World } from "./model.ts";

const RUNS = Number(process.env.INVARIANT_RUNS ?? 40);
const STEPS = Number(process.env.INVARIANT_STEPS ?? 250);
const FULL_EVERY = 25;
const SHRINK_BUDGET_MS = Number(process.env.INVARIANT_SHRINK_MS ?? 180_000);

interface Outcome {
  error?: Error;
  /** Index of the action during which the failure happened. */
  failedAt: number;
  stats: Stats;
}

describe("invariants: random trading on WETH/USDC and WBTC/USDC", function () {
  let chain: Chain;
  let initial: World;
  let snapshot: { restore(): Promise<void> };

  before(async () => {
    chain = await deployChain();
    const s = newRunState(chain, await chain.initialModel(), FULL_EVERY);
    await warmUp(s);
    initial = s.w;
    snapshot = await chain.networkHelpers.takeSnapshot();
  });

  /** Replays one action sequence from the deployed state. */
  async function runSequence(actions: Action[]): Promise<Outcome> {
    await snapshot.restore();
    const s = newRunState(chain, structuredClone(initial), FULL_EVERY);
    s.time = BigInt(await chain.networkHelpers.time.latest());
    let i = 0;
    try {
      for (; i < actions.length; i++) await runAction(s, actions[i]);
      await checkFull(chain, s.w, "end of run");
    } catch (e) {
      return { error: e as Error, failedAt: i, stats: s.stats };
    }
    return { failedAt: -1, stats: s.stats };
  }

  const minimise = (actions: Action[]) => shrink(actions, runSequence, SHRINK_BUDGET_MS);

  it(`keeps every invariant through ${RUNS} runs × ${STEPS} random actions, checked after every transaction`, async () => {
    const seed = Number(process.env.INVARIANT_SEED ?? Math.floor(Math.random() * 2 ** 31));
    console.log(`      invariant seed ${seed} (replay: INVARIANT_SEED=${seed})`);
    const total = newStats();
    const started = Date.now();
    const details = await fc.check(
      fc.asyncProperty(fc.array(actionArb, { minLength: STEPS, maxLength: STEPS }), async (actions) => {
        const o = await runSequence(actions);
        if (o.error) throw o.error;
        total.actions += o.stats.actions;
        total.txs += o.stats.txs;
        total.trades += o.stats.trades;
        total.fills += o.stats.fills;
        total.expiredInMatch += o.stats.expiredInMatch;
        total.selfTradeCancels += o.stats.selfTradeCancels;
        total.purged += o.stats.purged;
        total.fullChecks += o.stats.fullChecks;
        for (const [k, v] of Object.entries(o.stats.reverts)) total.reverts[k] = (total.reverts[k] ?? 0) + v;
        for (const [k, v] of Object.entries(o.stats.byAction)) total.byAction[k] = (total.byAction[k] ?? 0) + v;
        for (const [k, v] of Object.entries(o.stats.okByAction)) total.okByAction[k] = (total.okByAction[k] ?? 0) + v;
      }),
      // shrinking here would replay hundreds of full runs; `minimise` below is targeted
      { seed, numRuns: RUNS, endOnFailure: true },
    );
    if (details.failed) {
      const actions = details.counterexample![0];
      const min = await minimise(actions);
      throw new Error(
        `invariant broken (seed ${seed}, run ${details.numRuns}).\n` +
          `Minimal sequence (${min.actions.length} actions):\n${min.actions.map((a) => "  " + JSON.stringify(a)).join("\n")}\n` +
          `Failure: ${min.error.message}`,
      );
    }
    const secs = (Date.now() - started) / 1000;
    console.log(
      `      ${total.actions} actions, ${total.txs} transactions in ${secs.toFixed(1)} s; ` +
        `${total.trades} trades with ${total.fills} fills, ${total.expiredInMatch} expired in matching, ` +
        `${total.purged} purged, ${total.selfTradeCancels} self-trade cancels, ${total.fullChecks} full checks`,
    );
    const mix = Object.entries(total.byAction).map(([k, v]) => `${k} ${total.okByAction[k] ?? 0}/${v}`);
    console.log(`      actions (all transactions succeeded / run): ${mix.join(", ")}`);
    console.log(`      expected reverts: ${JSON.stringify(total.reverts)}`);
    expect(total.actions).to.equal(RUNS * STEPS);
    // the random mix must actually reach the interesting paths, or the suite proves little
    expect(total.trades).to.be.greaterThan(total.actions / 20);
    expect(total.expiredInMatch + total.purged).to.be.greaterThan(0);
  });
});
