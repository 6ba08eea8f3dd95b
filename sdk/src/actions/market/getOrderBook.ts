import type { Client } from "viem";
import { getBlockNumber, readContract } from "viem/actions";
import { clearinghouseAbi } from "../../abis/index.ts";
import { withDecodedErrors } from "../../errors/decode.ts";
import type { MarketParameters } from "../../internal/market.ts";
import { lotsToSize, tickToPrice, type MarketGrid } from "../../math/units.ts";
import { getMarket } from "./getMarket.ts";

export interface GetOrderBookParameters extends MarketParameters {
  /** Levels per side; default 10. Up to 256 is one `getBook` call; more pages each side with `bookPage` (256 levels a call, read at one block). */
  depth?: number;
  /** Also give each level's decimal price and size (reads the grid unless `grid` is given). */
  withPrices?: boolean;
  grid?: MarketGrid;
  blockNumber?: bigint;
}

export interface BookLevel {
  tick: bigint;
  /** Live lots at this tick (expired orders still queued are left out). */
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

/** Most levels one `getBook` / `bookPage` call returns per side (the core's `BOOK_PAGE_LEVELS`). */
export const BOOK_PAGE_LEVELS = 256;

/**
 * Reads the top `depth` levels of each side: one `getBook` call up to 256 levels, else `bookPage`
 * pages of each side (bounded gas per call) at one block. Expired orders are left out.
 *
 * @example
 * const { bids, asks } = await getOrderBook(client, { clearinghouse, marketId, depth: 5, withPrices: true })
 * asks[0].price // "3000.01"
 */
export async function getOrderBook(client: Client, parameters: GetOrderBookParameters): Promise<GetOrderBookReturnType> {
  const { clearinghouse, marketId, depth = 10, withPrices = false } = parameters;
  return withDecodedErrors(async () => {
    const gridRead = withPrices ? (parameters.grid ?? getMarket(client, { clearinghouse, marketId })) : undefined;
    let sides: [bigint[], bigint[], bigint[], bigint[]];
    if (depth <= BOOK_PAGE_LEVELS) {
      const r = await readContract(client, {
        address: clearinghouse,
        abi: clearinghouseAbi,
        functionName: "getBook",
        args: [marketId, BigInt(depth)],
        blockNumber: parameters.blockNumber,
      });
      sides = [[...r[0]], [...r[1]], [...r[2]], [...r[3]]];
    } else {
      const blockNumber = parameters.blockNumber ?? (await getBlockNumber(client, { cacheTime: 0 }));
      const side = async (ask: boolean): Promise<[bigint[], bigint[]]> => {
        const ticks: bigint[] = [];
        const lots: bigint[] = [];
        let from = 0n;
        do {
          const want = Math.min(depth - ticks.length, BOOK_PAGE_LEVELS);
          const [t, l, next] = await readContract(client, {
            address: clearinghouse,
            abi: clearinghouseAbi,
            functionName: "bookPage",
            args: [marketId, ask, from, BigInt(want)],
            blockNumber,
          });
          ticks.push(...t);
          lots.push(...l);
          from = next;
        } while (from !== 0n && ticks.length < depth);
        return [ticks, lots];
      };
      const [[bt, bl], [at, al]] = await Promise.all([side(false), side(true)]);
      sides = [bt, bl, at, al];
    }
    const grid = await gridRead;
    const [bidTicks, bidLots, askTicks, askLots] = sides;
    const level = (tick: bigint, lots: bigint): BookLevel =>
      grid ? { tick, lots, price: tickToPrice(tick, grid), size: lotsToSize(lots, grid) } : { tick, lots };
    return {
      bids: bidTicks.map((t, i) => level(t, bidLots[i]!)),
      asks: askTicks.map((t, i) => level(t, askLots[i]!)),
    };
  });
}
