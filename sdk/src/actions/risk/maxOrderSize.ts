import type { Client } from "viem";
import { withDecodedErrors } from "../../errors/decode.ts";
import { snapshotFor, type AtlasViewParameters } from "../../internal/atlas.ts";
import type { Side } from "../../math/order.ts";
import { maxOrderSize as perpMaxOrderSize } from "../../math/perp.ts";

export interface MaxOrderSizeParameters extends AtlasViewParameters {
  /** A perp market's id in the core. */
  marketId: bigint;
  side: Side;
  /** Fill price in ticks. */
  tick: bigint;
  /** Upper end of the search (default 2^48 − 1 lots). */
  maxLots?: bigint;
}

/** Lots. */
export type MaxOrderSizeReturnType = bigint;

/**
 * The largest taker fill on a perp market, at `tick`, after which the account's initial value
 * is still ≥ 0: bisection on the SDK's copy of the Atlas math (`perpMath.maxOrderSize`) over one
 * snapshot. One lot more is refused with InsufficientMarginError (if the book's premium and the
 * funding index hold until the trade).
 *
 * @example
 * const lots = await maxOrderSize(client, { clearinghouse, marketId: ethPerp, side: Side.Bid, tick: 300_000n })
 */
export async function maxOrderSize(client: Client, parameters: MaxOrderSizeParameters): Promise<MaxOrderSizeReturnType> {
  return withDecodedErrors(async () => {
    const s = await snapshotFor(client, parameters, [], "maxOrderSize", [parameters.marketId]);
    return perpMaxOrderSize(s, { marketId: parameters.marketId, side: parameters.side, tick: parameters.tick, maxLots: parameters.maxLots });
  });
}
