// Price ages for the margin keys (issue #14). The core stores each read of a Chainlink or Pyth
// feed and reuses it while the feed's time of it is at most 3 s old (PriceLib's
// STORED_MAX_AGE_SECONDS), re-reading (and storing) the feed once it is older. The bench prices
// every asset by a Chainlink-style aggregator (bench-margin-world.ts), so a margin key is measured
// twice:
// - `<key>`: prices fresh in the core — every aggregator's round set and every read stored
//   (`refreshPrices`) one second before the measured transaction, which reads the stored words
//   and calls no feed;
// - `<key>.staleFeed`: prices `STALE_PRICE_SECONDS` old — past the 3 s, within the feeds'
//   one-hour staleness limit — so the core calls every feed the action values and stores the read.
// Both are measured from the same chain state (an EVM snapshot is taken after the price update and
// restored between the two), so they differ in the clock and in where the prices come from.
import type { TransactionResponse } from "ethers";
import { measure, type Figures } from "./bench-measure.ts";
import type { World } from "./bench-world.ts";
import { type MarginWorld, refreshPrices } from "./bench-margin-world.ts";

/** Age of the prices a fresh key acts on: within the core's 3 s max age. */
export const FRESH_PRICE_SECONDS = 1;
/** Age of the prices a `.staleFeed` key acts on: past the 3 s max age, under a minute (a perp
 * book's index stays unsampled) and under the feeds' one-hour staleness limit. */
export const STALE_PRICE_SECONDS = 12;
export const STALE_SUFFIX = ".staleFeed";

type Result = Record<string, Figures>;

/** The next block is mined at `timestamp` (whatever wall-clock time the bench spends before it). */
export async function nextBlockAt(w: World, timestamp: number): Promise<void> {
  await w.provider.request({ method: "evm_setNextBlockTimestamp", params: [timestamp] });
}

/** Updates and stores every price, then measures `send` one second later: the key's figure with fresh prices. */
export async function measureFresh(
  w: World,
  m: MarginWorld,
  label: string,
  send: () => Promise<TransactionResponse>,
): Promise<{ fig: Figures; tx: TransactionResponse }> {
  const updatedAt = await refreshPrices(w, m);
  await nextBlockAt(w, updatedAt + FRESH_PRICE_SECONDS);
  const tx = await send();
  return { fig: await measure(w.provider, tx, label), tx };
}

/**
 * Updates and stores every price, measures `send` with fresh prices, rolls the chain back to just
 * after the update and measures `send` again with stale ones. The chain is left as after the stale run; `tx`
 * is that run's transaction (for the scenario's clean-up).
 */
export async function measureFreshAndStale(
  w: World,
  m: MarginWorld,
  label: string,
  send: () => Promise<TransactionResponse>,
): Promise<{ figs: Result; tx: TransactionResponse }> {
  const updatedAt = await refreshPrices(w, m);
  const snapshot = await w.provider.request({ method: "evm_snapshot" });
  await nextBlockAt(w, updatedAt + FRESH_PRICE_SECONDS);
  const fresh = await measure(w.provider, await send(), label);
  const reverted = await w.provider.request({ method: "evm_revert", params: [snapshot] });
  if (reverted !== true) throw new Error("evm_revert failed");
  await nextBlockAt(w, updatedAt + STALE_PRICE_SECONDS);
  const tx = await send();
  const stale = await measure(w.provider, tx, label + STALE_SUFFIX);
  return { figs: { [label]: fresh, [label + STALE_SUFFIX]: stale }, tx };
}

/**
 * The same for views' gas estimates (no transaction): every view estimated one second after the
 * price update, then again `STALE_PRICE_SECONDS` after it (eth_estimateGas runs in the pending
 * block, whose time is the one set for the next block: no wall-clock second leaks in). Returns
 * the fresh and the stale figure of each view, in order. A view writes nothing, so the figures
 * carry no storage, logs or MegaETH surcharge; a stale view calls the feeds and stores nothing.
 */
export async function estimatesFreshAndStale(
  w: World,
  m: MarginWorld,
  estimates: (() => Promise<bigint>)[],
): Promise<{ fresh: Figures[]; stale: Figures[] }> {
  const view = (gas: bigint): Figures => ({ gas: Number(gas), megaethGas: Number(gas), newSlots: 0, eventBytes: 0 });
  const updatedAt = await refreshPrices(w, m);
  const at = async (age: number): Promise<Figures[]> => {
    await nextBlockAt(w, updatedAt + age);
    const out: Figures[] = [];
    for (const e of estimates) out.push(view(await e()));
    return out;
  };
  const fresh = await at(FRESH_PRICE_SECONDS);
  const stale = await at(STALE_PRICE_SECONDS);
  // Mine the empty block the clock was set for, so the next action starts after it.
  await w.provider.request({ method: "evm_mine", params: [] });
  return { fresh, stale };
}

/** `estimatesFreshAndStale` of one view: its figures as `<label>` and `<label>.staleFeed`. */
export async function estimateFreshAndStale(
  w: World,
  m: MarginWorld,
  label: string,
  estimate: () => Promise<bigint>,
): Promise<Result> {
  const { fresh, stale } = await estimatesFreshAndStale(w, m, [estimate]);
  return { [label]: fresh[0], [label + STALE_SUFFIX]: stale[0] };
}
