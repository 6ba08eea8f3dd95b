import type { Client } from "viem";
import { withDecodedErrors } from "../../errors/decode.ts";
import { snapshotFor, type AtlasViewParameters } from "../../internal/atlas.ts";
import type { Side } from "../../math/order.ts";
import { previewOrder as perpPreviewOrder, type OrderPreview } from "../../math/perp.ts";

export interface PreviewOrderParameters extends AtlasViewParameters {
  /** A perp market's id in the core. */
  marketId: bigint;
  side: Side;
  lots: bigint;
  /** Fill price in ticks. */
  tick: bigint;
}

export type PreviewOrderReturnType = OrderPreview;

/**
 * The account's equity, maintenance and initial value before and after a hypothetical taker fill
 * on a perp market, and its margin requirements after, from the SDK's copy of the Atlas math.
 *
 * @example
 * const { after } = await previewOrder(client, { clearinghouse, marketId: ethPerp, side: Side.Bid, lots: 2_000n, tick: 300_000n })
 * if (after.initialWad < 0n) console.log("the exchange would refuse it")
 */
export async function previewOrder(client: Client, parameters: PreviewOrderParameters): Promise<PreviewOrderReturnType> {
  return withDecodedErrors(async () => {
    const s = await snapshotFor(client, parameters, [], "previewOrder", [parameters.marketId]);
    return perpPreviewOrder(s, { marketId: parameters.marketId, side: parameters.side, lots: parameters.lots, tick: parameters.tick });
  });
}
