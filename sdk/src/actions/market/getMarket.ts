import { erc20Abi, type Address, type Client } from "viem";
import { clearinghouseAbi } from "../../abis/index.ts";
import { withDecodedErrors } from "../../errors/decode.ts";
import type { MarketParameters } from "../../internal/market.ts";
import { readMany, type ReadOptions } from "../../internal/read.ts";
import type { MarketGrid } from "../../math/units.ts";

export interface GetMarketParameters extends ReadOptions, MarketParameters {}

/** A market's configuration, current fees and token decimals (spot or perp). */
export interface GetMarketReturnType extends MarketGrid {
  /** The core that holds the market. */
  clearinghouse: Address;
  /** The market's id in the core (also bits 111..96 of every order id). */
  marketId: bigint;
  /** True for a perpetual-futures market (then `base` is its underlying), false for spot. */
  perp: boolean;
  base: Address;
  quote: Address;
  minLots: bigint;
  maxMakerFeeBps: bigint;
  /** Hard bound of the taker fee (the maker fee's lower bound is minus the current taker fee). */
  maxTakerFeeBps: bigint;
  makerFeeBps: bigint;
  takerFeeBps: bigint;
  paused: boolean;
  /** Fees accrued and not yet collected into the reserve, in quote atoms. */
  feesAccruedAtoms: bigint;
  /** Lowest quotable price, quote atoms per lot (tick 1). */
  minPricePerLot: bigint;
  /** Highest quotable price, quote atoms per lot (tick 255³ − 1): no order can be priced above it. */
  maxPricePerLot: bigint;
  /** Largest order size in lots. */
  maxOrderLots: bigint;
}

export type MarketInfo = GetMarketReturnType;

/**
 * Reads a market's constants (`marketInfo`: kind, tokens, lot and tick size, minimum size), its fees
 * and pause flag (`marketState`) and its tokens' decimals: two batched reads of the core. The result
 * is what the price and size helpers need (`priceToTick(p, market)`). An id no market has reverts
 * `UnknownMarketError`.
 *
 * @example
 * const market = await getMarket(client, { clearinghouse, marketId: 1n })
 * const tick = priceToTick("3000.01", market)
 */
export async function getMarket(client: Client, parameters: GetMarketParameters): Promise<GetMarketReturnType> {
  const { clearinghouse, marketId, ...options } = parameters;
  return withDecodedErrors(async () => {
    const ch = { address: clearinghouse, abi: clearinghouseAbi } as const;
    const [info, state] = await readMany(
      client,
      [
        { ...ch, functionName: "marketInfo", args: [marketId] },
        { ...ch, functionName: "marketState", args: [marketId] },
      ] as const,
      options,
    );
    const [makerFeeBps, takerFeeBps, paused, feesAccruedAtoms] = state;
    const [baseDecimals, quoteDecimals] = await readMany(
      client,
      [
        { address: info.base, abi: erc20Abi, functionName: "decimals" },
        { address: info.quote, abi: erc20Abi, functionName: "decimals" },
      ] as const,
      options,
    );
    return {
      clearinghouse,
      marketId,
      perp: info.perp,
      base: info.base,
      quote: info.quote,
      lotSize: info.lotSize,
      tickSize: info.tickSize,
      minLots: info.minLots,
      maxMakerFeeBps: info.maxMakerFeeBps,
      maxTakerFeeBps: info.maxTakerFeeBps,
      baseDecimals,
      quoteDecimals,
      makerFeeBps,
      takerFeeBps,
      paused,
      feesAccruedAtoms,
      minPricePerLot: info.minPricePerLot,
      maxPricePerLot: info.maxPricePerLot,
      maxOrderLots: info.maxOrderLots,
    };
  });
}
