// Price ages for the margin keys (issue #14). The core will keep each asset's last feed price and
// re-read the feed only when that price is older than the asset's max age (3 s by default), so a
// margin key is measured twice:
// - `<key>`: prices fresh — every feed updated one second before the measured transaction;
// - `<key>.staleFeed`: prices `STALE_PRICE_SECONDS` old — past the max age, within the feeds'
//   one-hour staleness limit — so the core must re-read every feed the action values.
// Both are measured from the same chain state (an EVM snapshot is taken after the price push and
// restored between the two), so they differ only in the clock. Today nothing caches a price and
// the two figures agree up to the time-dependent arithmetic (interest, funding, stable price).
// When the core caches prices, `refreshPrices` (bench-margin-world.ts) is where the bench must
// also have the core store them, so that the fresh keys read the stored word.
import type { TransactionResponse } from "ethers";
import { measure, type Figures } from "./bench-measure.ts";
import type { World } from "./bench-world.ts";
import { type MarginWorld, refreshPrices } from "./bench-margin-world.ts";

/** Age of the prices a fresh key acts on: within the core's 3 s max age. */
export const FRESH_PRICE_SECONDS = 1;
/** Age of the prices a `.staleFeed` key acts on: past the 3 s max age, under a minute (a perp
 * book's index stays unsampled) and under the admin feeds' hour. */
export const STALE_PRICE_SECONDS = 12;
export const STALE_SUFFIX = ".staleFeed";

type Result = Record<string, Figures>;

/** The next block is mined at `timestamp` (whatever wall-clock time the bench spends before it). */
export async function nextBlockAt(w: World, timestamp: number): Promise<void> {
  await w.provider.request({ method: "evm_setNextBlockTimestamp", params: [timestamp] });
}

/** Pushes every price, then measures `send` one second later: the key's figure with fresh prices. */
export async function measureFresh(
  w: World,
  m: MarginWorld,
  label: string,
  send: () => Promise<TransactionResponse>,
): Promise<{ fig: Figures; tx: TransactionResponse }> {
  const pushedAt = await refreshPrices(w, m);
  await nextBlockAt(w, pushedAt + FRESH_PRICE_SECONDS);
  const tx = await send();
  return { fig: await measure(w.provider, tx, label), tx };
}

/**
 * Pushes every price, measures `send` with fresh prices, rolls the chain back to just after the
 * push and measures `send` again with stale ones. The chain is left as after the stale run; `tx`
 * is that run's transaction (for the scenario's clean-up).
 */
export async function measureFreshAndStale(
  w: World,
  m: MarginWorld,
  label: string,
  send: () => Promise<TransactionResponse>,
): Promise<{ figs: Result; tx: TransactionResponse }> {
  const pushedAt = await refreshPrices(w, m);
  const snapshot = await w.provider.request({ method: "evm_snapshot" });
  await nextBlockAt(w, pushedAt + FRESH_PRICE_SECONDS);
  const fresh = await measure(w.provider, await send(), label);
  const reverted = await w.provider.request({ method: "evm_revert", params: [snapshot] });
  if (reverted !== true) throw new Error("evm_revert failed");
  await nextBlockAt(w, pushedAt + STALE_PRICE_SECONDS);
  const tx = await send();
  const stale = await measure(w.provider, tx, label + STALE_SUFFIX);
  return { figs: { [label]: fresh, [label + STALE_SUFFIX]: stale }, tx };
}

/**
 * The same for a view's gas estimate (no transaction): estimated in the block after the push,
 * then again after an empty block mined `STALE_PRICE_SECONDS` after it. A view writes nothing,
 * so the figures carry no storage, logs or MegaETH surcharge.
 */
export async function estimateFreshAndStale(
  w: World,
  m: MarginWorld,
  label: string,
  estimate: () => Promise<bigint>,
): Promise<Result> {
  const view = (gas: bigint): Figures => ({ gas: Number(gas), megaethGas: Number(gas), newSlots: 0, eventBytes: 0 });
  const pushedAt = await refreshPrices(w, m);
  const fresh = view(await estimate());
  await nextBlockAt(w, pushedAt + STALE_PRICE_SECONDS - 1);
  await w.provider.request({ method: "evm_mine", params: [] });
  const stale = view(await estimate());
  return { [label]: fresh, [label + STALE_SUFFIX]: stale };
}
