import { erc20Abi, type Address, type Client } from "viem";
import { spotMarketAbi } from "../../abis/index.ts";
import { withDecodedErrors } from "../../errors/decode.ts";
import { readMany, type ReadOptions } from "../../internal/read.ts";
import type { MarketGrid } from "../../math/units.ts";

export interface GetMarketParameters extends ReadOptions {
  market: Address;
}

/** A spot market's configuration, current fees and token decimals. */
export interface GetMarketReturnType extends MarketGrid {
  address: Address;
  /** Index in the Clearinghouse (also bits 111..96 of every order id). */
  index: bigint;
  base: Address;
  quote: Address;
  minLots: bigint;
  maxMakerFeeBps: bigint;
  makerFeeBps: bigint;
  takerFeeBps: bigint;
  paused: boolean;
  /** Fees accrued and not yet collected into the reserve, in quote atoms. */
  feesAccruedAtoms: bigint;
}

export type MarketInfo = GetMarketReturnType;

/**
 * Reads a market's grid (lot and tick size, token decimals), fees and pause flag: two batched
 * reads. The result is what the price and size helpers need (`priceToTick(p, market)`).
 *
 * @example
 * const market = await getMarket(client, { market: "0x…" })
 * const tick = priceToTick("3000.01", market)
 */
export async function getMarket(client: Client, parameters: GetMarketParameters): Promise<GetMarketReturnType> {
  const { market, ...options } = parameters;
  return withDecodedErrors(async () => {
    const [index, base, quote, lotSize, tickSize, minLots, maxMakerFeeBps, state] = await readMany(
      client,
      [
        { address: market, abi: spotMarketAbi, functionName: "INDEX" },
        { address: market, abi: spotMarketAbi, functionName: "BASE" },
        { address: market, abi: spotMarketAbi, functionName: "QUOTE" },
        { address: market, abi: spotMarketAbi, functionName: "LOT_SIZE" },
        { address: market, abi: spotMarketAbi, functionName: "TICK_SIZE" },
        { address: market, abi: spotMarketAbi, functionName: "MIN_LOTS" },
        { address: market, abi: spotMarketAbi, functionName: "MAX_MAKER_FEE_BPS" },
        { address: market, abi: spotMarketAbi, functionName: "marketState" },
      ] as const,
      options,
    );
    const [makerFeeBps, takerFeeBps, paused, feesAccruedAtoms] = state;
    const [baseDecimals, quoteDecimals] = await readMany(
      client,
      [
        { address: base, abi: erc20Abi, functionName: "decimals" },
        { address: quote, abi: erc20Abi, functionName: "decimals" },
      ] as const,
      options,
    );
    return {
      address: market,
      index,
      base,
      quote,
      lotSize,
      tickSize,
      minLots,
      maxMakerFeeBps,
      baseDecimals,
      quoteDecimals,
      makerFeeBps,
      takerFeeBps,
      paused,
      feesAccruedAtoms,
    };
  });
}
