import type { Client } from "viem";
import { readContract } from "viem/actions";
import { clearinghouseAbi } from "../../abis/index.ts";
import { withDecodedErrors } from "../../errors/decode.ts";
import type { MarketParameters } from "../../internal/market.ts";
import { lotsToSize, tickToPrice, type MarketGrid } from "../../math/units.ts";
import { getMarket } from "./getMarket.ts";

export interface GetOrderBookParameters extends MarketParameters {
  /** Levels per side; default 10. */
  depth?: number;
  /** Also give each level's decimal price and size (reads the grid unless `grid` is given). */
  withPrices?: boolean;
  grid?: MarketGrid;
  blockNumber?: bigint;
}

export interface BookLevel {
  tick: bigint;
  /** Total open lots at this tick. */
  lots: bigint;
  /** Quote units per base unit, exact (with `withPrices`). */
  price?: string;
  /** Base units, exact (with `withPrices`). */
  size?: string;
}

export interface GetOrderBookReturnType {
  /** Best (highest) first. */
  bids: BookLevel[];
  /** Best (lowest) first. */
  asks: BookLevel[];
}

/**
 * Reads the top `depth` levels of each side in one call.
 *
 * @example
 * const { bids, asks } = await getOrderBook(client, { clearinghouse, marketId, depth: 5, withPrices: true })
 * asks[0].price // "3000.01"
 */
export async function getOrderBook(client: Client, parameters: GetOrderBookParameters): Promise<GetOrderBookReturnType> {
  const { clearinghouse, marketId, depth = 10, withPrices = false } = parameters;
  return withDecodedErrors(async () => {
    const [[bidTicks, bidLots, askTicks, askLots], grid] = await Promise.all([
      readContract(client, {
        address: clearinghouse,
        abi: clearinghouseAbi,
        functionName: "getBook",
        args: [marketId, BigInt(depth)],
        blockNumber: parameters.blockNumber,
      }),
      withPrices ? (parameters.grid ?? getMarket(client, { clearinghouse, marketId })) : undefined,
    ]);
    const level = (tick: bigint, lots: bigint): BookLevel =>
      grid ? { tick, lots, price: tickToPrice(tick, grid), size: lotsToSize(lots, grid) } : { tick, lots };
    return {
      bids: bidTicks.map((t, i) => level(t, bidLots[i])),
      asks: askTicks.map((t, i) => level(t, askLots[i])),
    };
  });
}
