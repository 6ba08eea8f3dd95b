import type { Client } from "viem";
import { clearinghouseAbi } from "../../abis/index.ts";
import { withDecodedErrors } from "../../errors/decode.ts";
import type { MarketParameters } from "../../internal/market.ts";
import { readMany, type ReadOptions } from "../../internal/read.ts";

export interface GetMarkPriceParameters extends ReadOptions, MarketParameters {}

export interface GetMarkPriceReturnType {
  /** Oracle index per lot, quote atoms × 1e18. */
  indexLotWad: bigint;
  /** Mark per lot (index × (1 + the smoothed impact premium now)), quote atoms × 1e18. */
  markLotWad: bigint;
  /** The mark's premium over the index, ppm, truncated (bounded by the market's maxPremiumBps). */
  premiumPpm: bigint;
  /** The same premium, fractions of the index × 1e10 (`premiumState().premiumNow`). */
  premium: bigint;
}

/**
 * Index and mark price of a perp market, per lot in quote atoms × 1e18 (`markPrice`), and the
 * premium between them. Divide by `tickSize × 1e18` for ticks.
 *
 * @example
 * const { markLotWad } = await getMarkPrice(client, { clearinghouse, marketId: ethPerp })
 */
export async function getMarkPrice(client: Client, parameters: GetMarkPriceParameters): Promise<GetMarkPriceReturnType> {
  return withDecodedErrors(async () => {
    const m = { address: parameters.clearinghouse, abi: clearinghouseAbi } as const;
    const [[indexLotWad, markLotWad], [premium]] = await readMany(
      client,
      [
        { ...m, functionName: "markPrice", args: [parameters.marketId] },
        { ...m, functionName: "premiumState", args: [parameters.marketId] },
      ] as const,
      parameters,
    );
    return { indexLotWad, markLotWad, premiumPpm: premium / 10_000n, premium };
  });
}
